"""Connecting things: a store, a TikTok shop (OAuth), a channel pairing them, its settings, imports."""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from shopbridge.catalog.jobs import catalog_import_enqueue
from shopbridge.connections import selectors, services
from shopbridge.connections.services import channel_settings_update
from shopbridge.connectors.tiktok_shop.auth import authorize_url
from shopbridge.core.errors import SyncError, ValidationFailed

from ..access import found, merchant_action, merchant_view, report_error
from ..forms import ChannelCreateForm, ChannelSettingsForm, CurrencyRateForm, StoreConnectForm, TikTokAppForm

SESSION_OAUTH = "tiktok_oauth"
# Seller authorisation hosts documented by TikTok (../shared/spec/tiktok-shop-api.md §1). They use
# the redirect URL registered with the app (§2.2); other hosts (the sandbox) are told ours.
TIKTOK_AUTH_HOSTS = {
    "services.tiktokshop.com",
    "services.tiktokshops.us",
    "services.us.tiktokshop.com",
    "auth.tiktok-shops.com",
}


def sandbox_manifest() -> dict[str, Any]:
    """The demo's emulator manifest (``shopbridge demo`` writes it), used only to prefill forms."""
    path = Path(settings.DATA_DIR) / "sandbox-manifest.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def _store_initial(platform: str) -> dict[str, Any]:
    entry = sandbox_manifest().get(platform) or {}
    if platform == "shopify" and entry:
        return {
            "platform": platform,
            "base_url": entry["base_url"],
            "shop_domain": entry.get("shop_domain", ""),
            "access_token": entry.get("access_token", ""),
            "api_secret": entry.get("api_secret", ""),
        }
    if platform == "woocommerce" and entry:
        return {
            "platform": platform,
            "base_url": entry["base_url"],
            **{k: entry.get(k, "") for k in ("consumer_key", "consumer_secret", "webhook_secret")},
        }
    return {"platform": platform}


@merchant_view
def store_connect(request: HttpRequest) -> HttpResponse:
    platform = request.GET.get("platform", "shopify")
    platform = platform if platform in StoreConnectForm.REQUIRED else "shopify"
    form = StoreConnectForm(request.POST or None, initial=_store_initial(platform))
    if request.method == "POST" and form.is_valid():
        try:
            store = services.store_connect(merchant=request.merchant, **form.service_kwargs())  # type: ignore[attr-defined]
        except SyncError as exc:
            report_error(request, exc)
        else:
            messages.success(request, f"{store.name} is connected; its catalogue import has started.")
            return redirect("dashboard:store", store_id=store.pk)
    sandbox = bool(sandbox_manifest().get(platform))
    return render(
        request,
        "dashboard/store_connect.html",
        {"form": form, "platform": platform, "sandbox": sandbox, "tab": "connections"},
    )


def _tiktok_initial() -> dict[str, Any]:
    configured = getattr(settings, "TIKTOK_APP", None) or {}
    if configured:
        return dict(configured)
    entry = sandbox_manifest().get("tiktok_shop") or {}
    if not entry:
        return {}
    return {
        k: entry.get(k, "") for k in ("app_key", "app_secret", "service_id", "api_base_url", "auth_base_url")
    } | {"authorize_url": f"{entry['auth_base_url'].rstrip('/')}/open/authorize"}


def _authorize_link(request: HttpRequest, app: dict[str, Any], state: str) -> str:
    link = authorize_url(
        app["service_id"], state, us=bool(app.get("us")), base_url=app.get("authorize_url") or None
    )
    if urlsplit(link).hostname not in TIKTOK_AUTH_HOSTS:
        callback = request.build_absolute_uri(reverse("dashboard:tiktok_callback"))
        link += "&" + urlencode({"redirect_uri": callback})
    return link


@merchant_view
def tiktok_connect(request: HttpRequest) -> HttpResponse:
    """OAuth step 1: remember the app and a one-time ``state``, send the seller to TikTok."""
    form = TikTokAppForm(request.POST or None, initial=_tiktok_initial())
    if request.method == "POST" and form.is_valid():
        state = secrets.token_urlsafe(24)
        request.session[SESSION_OAUTH] = {"state": state, **form.cleaned_data}
        return redirect(_authorize_link(request, form.cleaned_data, state))
    return render(request, "dashboard/tiktok_connect.html", {"form": form})


@merchant_view
def tiktok_callback(request: HttpRequest) -> HttpResponse:
    """OAuth step 2: TikTok redirects back with ``code`` and our ``state``; exchange the code."""
    pending = request.session.pop(SESSION_OAUTH, None) or {}
    state = request.GET.get("state", "")
    if not pending or not secrets.compare_digest(state.encode(), str(pending.get("state", "")).encode()):
        messages.error(
            request,
            "This authorisation link is stale or was not started here.",
            extra_tags="fix:Start again with “Connect a TikTok shop”.",
        )
        return redirect("dashboard:connections")
    code = request.GET.get("code", "")
    if not code or code == "null" or request.GET.get("error"):
        # §2.2: a refusal comes back as code=null with an error.
        messages.error(
            request,
            "The seller did not authorise ShopBridge in TikTok Shop.",
            extra_tags="fix:Start again and choose Authorise on TikTok's page.",
        )
        return redirect("dashboard:connections")
    app = {k: pending[k] for k in ("app_key", "app_secret", "api_base_url", "auth_base_url")}
    try:
        shops = services.shop_connect_with_code(merchant=request.merchant, code=code, **app)  # type: ignore[attr-defined]
    except SyncError as exc:
        report_error(request, exc)
        return redirect("dashboard:connections")
    if shops:
        messages.success(
            request, "Connected TikTok shops: " + ", ".join(f"{s.name} ({s.region})" for s in shops)
        )
    else:
        messages.warning(
            request, "The seller authorised ShopBridge, but none of their shops is in a supported region."
        )
    return redirect("dashboard:connections")


@merchant_action
def channel_create(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    form = ChannelCreateForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, "Choose a store and a TikTok shop.", extra_tags="fix:Pick one of each, then create."
        )
        return redirect("dashboard:connections")
    store = found(selectors.store_get, merchant, form.cleaned_data["store"])
    shop = found(selectors.shop_get, merchant, form.cleaned_data["shop"])
    channel = services.channel_create(
        merchant=merchant, store=store, shop=shop, name=form.cleaned_data["name"]
    )
    if channel.status_reason:
        messages.warning(request, channel.status_reason, extra_tags=f"fix:{channel.status_fix}")
    else:
        messages.success(request, f"Channel {channel} created.")
    return redirect("dashboard:channel", channel_id=channel.pk)


@merchant_action
def channel_rate(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = found(selectors.channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    form = CurrencyRateForm(request.POST)
    if form.is_valid():
        channel = services.channel_set_currency_rate(channel=channel, rate=form.cleaned_data["rate"])
        messages.success(request, "Conversion rate saved.")
    else:
        messages.error(request, "The rate must be a positive number.", extra_tags="fix:For example 1.27")
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "dashboard/_currency_check.html", {"channel": channel})
    return redirect("dashboard:channel", channel_id=channel.pk)


@merchant_view
def channel_settings(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = found(selectors.channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    form = ChannelSettingsForm(request.POST or None, initial=ChannelSettingsForm.initial_for(channel))
    if request.method == "POST" and form.is_valid():
        try:
            channel_settings_update(channel=channel, **form.to_service(channel))
        except ValidationFailed as exc:
            report_error(request, exc)
        else:
            messages.success(request, "Channel settings saved; they apply from the next sync.")
            return redirect("dashboard:channel", channel_id=channel.pk)
    return render(
        request, "dashboard/channel_settings.html", {"channel": channel, "form": form, **form.groups()}
    )


@merchant_action
def store_import(request: HttpRequest, store_id: int) -> HttpResponse:
    store = found(selectors.store_get, request.merchant, store_id)  # type: ignore[attr-defined]
    full = request.POST.get("kind", "full") == "full"
    run = catalog_import_enqueue(store=store, full=full)
    messages.success(request, f"{run.kind.capitalize()} import of {store.name} started.")
    return redirect("dashboard:store", store_id=store.pk)
