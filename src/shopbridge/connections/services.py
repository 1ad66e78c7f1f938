"""Writes for connections: connect a store, authorise a TikTok shop, pair them in a channel.

Every failure a merchant can see is recorded on the connection with a code, a plain reason and
the fix (``status_code`` / ``status_reason`` / ``status_fix``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shopbridge.accounts.models import Merchant
from shopbridge.connectors.base.dto import WebhookTopic
from shopbridge.core.errors import FieldError, SyncError, TerminalError, ValidationFailed
from shopbridge.listings.rules import channel_defaults, inventory_rule, price_rule
from shopbridge.mapping.orders import OrderOptions

from .models import REGION_CURRENCY, Channel, ConnectionStatus, ShopConnection, StoreConnection

log = logging.getLogger(__name__)

STORE_WEBHOOK_TOPICS = [
    WebhookTopic.PRODUCT_CREATED,
    WebhookTopic.PRODUCT_UPDATED,
    WebhookTopic.PRODUCT_DELETED,
    WebhookTopic.INVENTORY_UPDATED,
    WebhookTopic.ORDER_UPDATED,
    WebhookTopic.ORDER_CANCELLED,
    WebhookTopic.FULFILLMENT_CREATED,
    WebhookTopic.FULFILLMENT_UPDATED,
    WebhookTopic.APP_UNINSTALLED,
]
# Event-API names (../shared/spec/tiktok-shop-api.md §13.4-13.5) the service acts on.
TIKTOK_WEBHOOK_EVENTS = [
    "ORDER_STATUS_CHANGE",
    "PACKAGE_UPDATE",
    "PRODUCT_STATUS_CHANGE",
    "PRODUCT_AUDIT_STATUS_CHANGE",
    "PRODUCT_CATEGORY_CHANGE",
    "CANCELLATION_STATUS_CHANGE",
    "RETURN_STATUS_CHANGE",
    "RECIPIENT_ADDRESS_UPDATE",
    "SELLER_DEAUTHORIZATION",
    "UPCOMING_AUTHORIZATION_EXPIRATION",
]


def store_webhook_url(store: StoreConnection) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/webhooks/store/{store.webhook_token}/"


def shop_webhook_url(shop: ShopConnection) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/webhooks/tiktok/{shop.webhook_token}/"


def _record(obj: StoreConnection | ShopConnection, status: str, error: SyncError | None = None) -> None:
    obj.status = status
    obj.status_code = error.code if error else ""
    obj.status_reason = error.reason if error else ""
    obj.status_fix = error.fix if error else ""
    obj.save(update_fields=["status", "status_code", "status_reason", "status_fix", "updated_at"])


def store_connect(
    *,
    merchant: Merchant,
    platform: str,
    base_url: str,
    external_id: str,
    credentials: dict[str, Any],
    name: str = "",
    register_webhooks: bool = True,
    start_import: bool = True,
) -> StoreConnection:
    """Connect (or reconnect) a store: check the credentials by reading shop info, register
    webhooks, start the first full import. Raises the typed error after recording it."""
    from shopbridge.catalog.jobs import catalog_import_enqueue
    from shopbridge.sync.clients import store_connector

    store, _ = StoreConnection.objects.update_or_create(
        merchant=merchant,
        platform=platform,
        external_id=external_id,
        defaults={"base_url": base_url.rstrip("/"), "credentials": credentials, "name": name or external_id},
    )
    connector = store_connector(store)
    try:
        info = connector.shop_info()
    except SyncError as exc:
        _record(store, ConnectionStatus.ERROR, exc)
        raise
    store.name = name or info.name or external_id
    store.currency = info.currency
    store.weight_unit = info.weight_unit.value
    store.timezone = info.timezone
    store.connected_at = store.connected_at or timezone.now()
    store.save()
    _record(store, ConnectionStatus.ACTIVE)
    if register_webhooks and connector.capabilities.webhooks:
        try:
            connector.register_webhooks(store_webhook_url(store), STORE_WEBHOOK_TOPICS)
        except SyncError as exc:
            # Not fatal: polling is the backstop. Tell the merchant why updates may be slower.
            store.status_code = "webhooks_not_registered"
            store.status_reason = f"Webhooks could not be registered ({exc.reason}); changes are picked up by polling."
            store.status_fix = "Check that ShopBridge's public URL is reachable from the store, then reconnect."
            store.save(update_fields=["status_code", "status_reason", "status_fix"])
    for channel in store.channels.all():
        channel_check_currency(channel=channel)
    if start_import:
        catalog_import_enqueue(store=store, full=True)
    return store


def _aware(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch else None


def shop_connect_with_tokens(
    *,
    merchant: Merchant,
    app_key: str,
    app_secret: str,
    api_base_url: str,
    auth_base_url: str,
    access_token: str,
    refresh_token: str,
    access_token_expires_at: int | None = None,
    refresh_token_expires_at: int | None = None,
    shop_ids: list[str] | None = None,
    register_webhooks: bool = True,
) -> list[ShopConnection]:
    """Store the authorised shops of a seller (all, or ``shop_ids``) with their ciphers and tokens."""
    from shopbridge.connectors.tiktok_shop.client import TikTokShopClient
    from shopbridge.core.http import build_client
    from shopbridge.sync.clients import transport_for

    probe = TikTokShopClient(
        app_key, app_secret, api_base_url=api_base_url, auth_base_url=auth_base_url, access_token=access_token,
        http=build_client(transport=transport_for(api_base_url)),
    )
    authorized = probe.auth.authorized_shops()
    shops = []
    for s in authorized:
        if shop_ids and s.id not in shop_ids:
            continue
        region = "GB" if s.region in ("UK", "GB") else s.region
        if region not in REGION_CURRENCY:
            log.info("skipping shop in unsupported region", extra={"region": region})
            continue
        shop, _ = ShopConnection.objects.update_or_create(
            merchant=merchant,
            shop_id=s.id,
            defaults={
                "region": region,
                "name": s.name,
                "shop_cipher": s.cipher,
                "currency": REGION_CURRENCY[region],
                "api_base_url": api_base_url.rstrip("/"),
                "auth_base_url": auth_base_url.rstrip("/"),
                "credentials": {
                    "app_key": app_key, "app_secret": app_secret,
                    "access_token": access_token, "refresh_token": refresh_token,
                },
                "access_token_expires_at": _aware(access_token_expires_at),
                "authorization_expires_at": _aware(refresh_token_expires_at),
                "status": ConnectionStatus.ACTIVE,
                "status_code": "",
                "status_reason": "",
                "status_fix": "",
            },
        )
        if not shop.connected_at:
            ShopConnection.objects.filter(pk=shop.pk).update(connected_at=timezone.now())
        shop_setup(shop=shop, register_webhooks=register_webhooks)
        shops.append(shop)
    return shops


def shop_connect_with_code(
    *, merchant: Merchant, app_key: str, app_secret: str, api_base_url: str, auth_base_url: str, code: str
) -> list[ShopConnection]:
    """OAuth step 2: exchange the one-time code for tokens, then store the authorised shops."""
    from shopbridge.connectors.tiktok_shop.client import TikTokShopClient
    from shopbridge.core.http import build_client
    from shopbridge.sync.clients import transport_for

    client = TikTokShopClient(
        app_key, app_secret, api_base_url=api_base_url, auth_base_url=auth_base_url,
        http=build_client(transport=transport_for(auth_base_url)),
    )
    tokens = client.auth.exchange_code(code)
    return shop_connect_with_tokens(
        merchant=merchant, app_key=app_key, app_secret=app_secret, api_base_url=api_base_url,
        auth_base_url=auth_base_url, access_token=tokens.access_token, refresh_token=tokens.refresh_token,
        access_token_expires_at=tokens.access_token_expires_at,
        refresh_token_expires_at=tokens.refresh_token_expires_at,
    )


def shop_setup(*, shop: ShopConnection, register_webhooks: bool = True) -> None:
    """Pick the default warehouse and register the shop's webhooks (Event API)."""
    from shopbridge.sync.clients import tiktok_client

    client = tiktok_client(shop)
    try:
        warehouses = client.logistics.warehouses()
    except SyncError as exc:
        _record(shop, ConnectionStatus.ERROR, exc)
        raise
    if not shop.warehouse_id and warehouses:
        default = next((w for w in warehouses if getattr(w, "is_default", False)), warehouses[0])
        ShopConnection.objects.filter(pk=shop.pk).update(warehouse_id=default.id)
        shop.warehouse_id = default.id
    if register_webhooks:
        for event in TIKTOK_WEBHOOK_EVENTS:
            try:
                client.events.update_webhook(event, shop_webhook_url(shop))
            except SyncError as exc:
                log.warning("could not register TikTok webhook", extra={"event": event, "code": exc.code})


def shop_refresh_tokens(*, shop: ShopConnection, margin_seconds: int = 24 * 3600) -> bool:
    """Refresh the access token when it expires within ``margin_seconds``. Returns True if refreshed."""
    from shopbridge.sync.clients import tiktok_client

    expires = shop.access_token_expires_at
    if expires and expires - timezone.now() > timedelta(seconds=margin_seconds):
        return False
    creds = dict(shop.credentials)
    try:
        tokens = tiktok_client(shop).auth.refresh(creds["refresh_token"])
    except SyncError as exc:
        _record(
            shop, ConnectionStatus.ERROR,
            TerminalError(
                f"TikTok refused to refresh the access token: {exc.reason}", code="token_refresh_failed",
                fix="Re-authorise the shop from Connections (Reconnect).",
            ),
        )
        raise
    creds["access_token"] = tokens.access_token
    creds["refresh_token"] = tokens.refresh_token  # always keep the returned one (§2.2: rotation UNCONFIRMED)
    shop.credentials = creds
    shop.access_token_expires_at = _aware(tokens.access_token_expires_at)
    shop.authorization_expires_at = _aware(tokens.refresh_token_expires_at) or shop.authorization_expires_at
    shop.save(update_fields=["credentials", "access_token_expires_at", "authorization_expires_at", "updated_at"])
    if shop.status == ConnectionStatus.ERROR and shop.status_code in ("token_refresh_failed", "auth_expired"):
        _record(shop, ConnectionStatus.ACTIVE)
    return True


def shop_mark_deauthorized(*, shop: ShopConnection) -> None:
    _record(
        shop, ConnectionStatus.DISCONNECTED,
        TerminalError(
            "The seller removed ShopBridge's authorisation in TikTok Seller Center.", code="deauthorized",
            fix="Authorise ShopBridge again from Connections to resume syncing.",
        ),
    )


def channel_check_currency(*, channel: Channel) -> Channel:
    """A store whose currency differs from the shop's must not sync silently: stop and say why."""
    store_currency = channel.store.currency
    shop_currency = channel.shop.currency
    if store_currency and store_currency != shop_currency and not channel.currency_rate:
        channel.status = Channel.Status.BLOCKED
        channel.status_code = "currency_mismatch"
        channel.status_reason = (
            f"The store sells in {store_currency} but the TikTok shop ({channel.shop.region}) sells in "
            f"{shop_currency}. Nothing is synced, so no price is listed in the wrong currency."
        )
        channel.status_fix = (
            f"Set a conversion rate ({store_currency} → {shop_currency}) in the channel settings, "
            f"or connect a store that sells in {shop_currency}."
        )
    elif channel.status == Channel.Status.BLOCKED and channel.status_code == "currency_mismatch":
        channel.status = Channel.Status.ACTIVE
        channel.status_code = channel.status_reason = channel.status_fix = ""
    channel.save(update_fields=["status", "status_code", "status_reason", "status_fix", "updated_at"])
    return channel


def channel_create(
    *, merchant: Merchant, store: StoreConnection, shop: ShopConnection, name: str = "", **options: Any
) -> Channel:
    if store.merchant_id != merchant.pk or shop.merchant_id != merchant.pk:
        raise PermissionError("store and shop must belong to the merchant")
    with transaction.atomic():
        channel, _ = Channel.objects.get_or_create(
            store=store, shop=shop,
            defaults={"merchant": merchant, "name": name or f"{store.name} → TikTok {shop.region}",
                      "orders_since": timezone.now(), **options},
        )
    return channel_check_currency(channel=channel)


def channel_set_currency_rate(*, channel: Channel, rate: Decimal | None) -> Channel:
    if rate is not None and rate <= 0:
        raise ValueError("the conversion rate must be positive")
    channel.currency_rate = rate
    channel.save(update_fields=["currency_rate", "updated_at"])
    return channel_check_currency(channel=channel)


# Channel columns a merchant may change; everything else on a channel is set by the service.
CHANNEL_FLAGS = (
    "product_sync_enabled",
    "order_sync_enabled",
    "keep_details_in_sync",
    "push_store_cancellations",
)
SETTINGS_SECTIONS = ("price_rule", "inventory_rule", "defaults", "orders", "carriers")


def _check(section: str, data: dict[str, Any]) -> None:
    """Parse a section with the very functions the sync uses, so a saved setting always works."""
    if section == "price_rule":
        price_rule(data)
    elif section == "inventory_rule":
        inventory_rule(data)
    elif section == "defaults":
        channel_defaults(data)
    elif section == "orders":
        unknown = set(data) - set(OrderOptions.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown order options: {', '.join(sorted(unknown))}")
        OrderOptions.from_settings(data)
    elif section == "carriers":
        mapping = data.get("mapping") or {}
        if not isinstance(mapping, dict) or not all(isinstance(v, str) and v for v in mapping.values()):
            raise ValueError(
                "carrier mapping must name a TikTok shipping provider id for every store carrier"
            )


def channel_settings_update(
    *,
    channel: Channel,
    settings: dict[str, dict[str, Any]] | None = None,
    order_hold: str | None = None,
    **flags: bool,
) -> Channel:
    """Replace the given settings sections and flags; refuses (ValidationFailed, per field) what the
    sync could not use. Sections not given are kept as they are."""
    errors: list[FieldError] = []
    merged = dict(channel.settings or {})
    for section, data in (settings or {}).items():
        if section not in SETTINGS_SECTIONS:
            errors.append(
                FieldError(
                    field=section,
                    code="unknown_section",
                    reason="Unknown settings section.",
                    fix=f"Use one of: {', '.join(SETTINGS_SECTIONS)}.",
                )
            )
            continue
        try:
            _check(section, data)
        except (ValueError, TypeError, ArithmeticError, KeyError) as exc:
            errors.append(
                FieldError(
                    field=section,
                    code="invalid",
                    reason=str(exc) or "Invalid value.",
                    fix="Correct this setting and save again.",
                )
            )
            continue
        merged[section] = data
    if order_hold is not None and order_hold not in Channel.OrderHold.values:
        errors.append(
            FieldError(
                field="order_hold",
                code="invalid",
                reason=f"Unknown choice {order_hold!r}.",
                fix=f"Use one of: {', '.join(Channel.OrderHold.values)}.",
            )
        )
    unknown = set(flags) - set(CHANNEL_FLAGS)
    for name in sorted(unknown):
        errors.append(
            FieldError(
                field=name,
                code="unknown_field",
                reason="Not a channel setting.",
                fix=f"Use one of: {', '.join(CHANNEL_FLAGS)}.",
            )
        )
    if errors:
        raise ValidationFailed(
            "Some channel settings are invalid.",
            field_errors=errors,
            fix="Correct the fields listed and save again.",
        )
    with transaction.atomic():
        channel.settings = merged
        for name, value in flags.items():
            setattr(channel, name, bool(value))
        if order_hold is not None:
            channel.order_hold = order_hold
        channel.save()
    return channel
