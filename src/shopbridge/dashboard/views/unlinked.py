"""TikTok SKUs no store variant is linked to, loaded on demand (it reads the shop's products from
TikTok), each with a one-click link when a store variant carries exactly its seller SKU."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shopbridge.catalog.models import Variant
from shopbridge.connections.models import Channel
from shopbridge.connections.selectors import channel_get
from shopbridge.core.errors import RetryableError, SyncError
from shopbridge.listings import services
from shopbridge.listings.linking import UnlinkedSku, unlinked_tiktok_skus
from shopbridge.listings.models import Listing

from ..access import found, merchant_action, merchant_view, report_error
from .listing_actions import id_param_post

TIKTOK_ID = re.compile(r"^[0-9]{1,32}$")
TIKTOK_STATUS = re.compile(r"^[A-Z_]{0,32}$")
# A retryable error's own fix says ShopBridge retries by itself: true for jobs, not for this read.
RETRY_FIX = "Try again in a minute; if TikTok keeps failing, check the shop's connection on its page."


def _rows(channel: Channel, skus: list[UnlinkedSku]) -> list[dict]:
    """Each SKU with its matching variant, and why it cannot be linked to it (if it cannot)."""
    variants = {
        v.pk: v
        for v in Variant.objects.filter(
            store=channel.store, pk__in=[s.suggested_variant_id for s in skus if s.suggested_variant_id]
        ).select_related("product")
    }
    bound = dict(
        Listing.objects.filter(channel=channel, tiktok_product_id__isnull=False).values_list(
            "product_id", "tiktok_product_id"
        )
    )
    rows = []
    for sku in skus:
        variant = variants.get(sku.suggested_variant_id or 0)
        other = bound.get(variant.product_id) if variant else None
        blocked = (
            f"“{variant.product.title}” is linked to TikTok product {other}; unlink it first."
            if other and other != sku.tiktok_product_id
            else ""
        )
        rows.append({"sku": sku, "variant": variant, "blocked": blocked})
    return rows


@merchant_view
def channel_unlinked(request: HttpRequest, channel_id: int) -> HttpResponse:
    """The list (a fragment for htmx, a page without JS). A TikTok failure is shown with its fix."""
    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    try:
        skus, error = unlinked_tiktok_skus(channel), None
    except SyncError as exc:
        skus, error = [], exc
    fix = RETRY_FIX if isinstance(error, RetryableError) else (error.fix if error else "")
    context = {"channel": channel, "rows": _rows(channel, skus), "error": error, "fix": fix}
    template = "dashboard/_unlinked_skus.html" if request.htmx else "dashboard/unlinked_skus.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _refuse(request: HttpRequest, channel: Channel, reason: str, fix: str) -> HttpResponse:
    messages.error(request, reason, extra_tags=f"fix:{fix}")
    return redirect("dashboard:channel_unlinked", channel_id=channel.pk)


@merchant_action
def unlinked_link(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Link one TikTok SKU to the store variant of the channel's store with exactly its seller SKU."""
    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    post = request.POST
    tiktok_product_id = post.get("tiktok_product_id", "").strip()
    tiktok_sku_id = post.get("tiktok_sku_id", "").strip()
    tiktok_status = post.get("tiktok_status", "").strip()
    variant_id = id_param_post(request, "variant")
    variant = (
        Variant.objects.filter(store=channel.store, pk=variant_id, deleted_at__isnull=True)
        .select_related("product")
        .first()
        if variant_id
        else None
    )
    fix = "Load the unlinked SKU list again and use its Link button."
    if not (TIKTOK_ID.match(tiktok_product_id) and TIKTOK_ID.match(tiktok_sku_id)):
        return _refuse(request, channel, "The TikTok product and SKU ids must be numbers.", fix)
    if not TIKTOK_STATUS.match(tiktok_status):
        tiktok_status = ""
    if variant is None:
        return _refuse(request, channel, "No variant of the channel's store was chosen.", fix)
    if variant.sku != post.get("seller_sku", ""):
        return _refuse(
            request,
            channel,
            f"The store variant's SKU ({variant.sku}) is not the TikTok SKU's seller SKU.",
            fix,
        )
    other = (
        Listing.objects.filter(channel=channel, product=variant.product, tiktok_product_id__isnull=False)
        .exclude(tiktok_product_id=tiktok_product_id)
        .values_list("tiktok_product_id", flat=True)
        .first()
    )
    if other:
        return _refuse(
            request,
            channel,
            f"“{variant.product.title}” is already linked to TikTok product {other}.",
            "Unlink it on the product page first, then link this SKU.",
        )
    try:
        services.listing_link(
            channel=channel,
            product=variant.product,
            tiktok_product_id=tiktok_product_id,
            sku_links={variant.pk: tiktok_sku_id},
            tiktok_status=tiktok_status,
        )
    except SyncError as exc:  # the TikTok product is linked to another store product
        report_error(request, exc)
    else:
        messages.success(
            request, f"TikTok SKU {variant.sku} linked to “{variant.product.title}” ({tiktok_product_id})."
        )
    return redirect("dashboard:channel_unlinked", channel_id=channel.pk)
