"""Jobs: import a TikTok order and create it in the store exactly once; push fulfilments back;
follow cancellations and returns.

Exactly once: the order row is unique per (channel, TikTok id); creation runs under a record lock;
before any create the store is searched for the TikTok reference (an earlier create may have
succeeded unseen, e.g. the worker died between the store's answer and our commit); the binding is
unique per (channel, store order id).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from shopbridge.catalog.models import InventoryLevel, Variant
from shopbridge.connections.models import Channel, ShopConnection
from shopbridge.connectors.tiktok_shop.models import (
    CancelOrderRequest,
    MarkPackageAsShippedRequest,
    SearchCancellationsRequest,
    SearchReturnsRequest,
    SelfShipment,
    ShipPackageRequest,
)
from shopbridge.core.errors import NotFoundError, SyncError, TerminalError
from shopbridge.listings.models import ListingSku
from shopbridge.mapping.carriers import ShippingProvider, resolve_shipping_provider
from shopbridge.mapping.orders import OrderOptions, ResolvedLine, amounts, build_store_order, group_lines
from shopbridge.mapping.tracking import validate_tracking_number
from shopbridge.sync.clients import store_connector, tiktok_client
from shopbridge.sync.engine import enqueue_job
from shopbridge.sync.locks import record_lock
from shopbridge.sync.models import SyncJob
from shopbridge.sync.registry import job_handler

from . import gates, handlers  # noqa: F401 - handlers register the order webhook topics
from .models import Cancellation, Fulfillment, Order, OrderLine, OrderSyncState, Return

log = logging.getLogger(__name__)
HOLD_WINDOW = timedelta(hours=1)  # §10.1: buyers may cancel freely for 1 hour after payment
SELLER_SHIPPING_MARK_REGIONS = {"US", "GB", "ES", "IE", "IT", "DE", "FR", "JP"}  # §11.1 Mark Package As Shipped
CANCELLED = {"CANCELLED", "CANCEL"}  # §10.2: the webhook spells it CANCEL


def _ts(epoch: int | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch else None


def order_options(channel: Channel) -> OrderOptions:
    return OrderOptions.from_settings((channel.settings or {}).get("orders"))


def channel_for_order(shop: ShopConnection, sku_ids: list[str]) -> Channel | None:
    channels = list(Channel.objects.filter(shop=shop).select_related("store", "shop"))
    if len(channels) <= 1:
        return channels[0] if channels else None
    linked = ListingSku.objects.filter(channel__in=channels, tiktok_sku_id__in=sku_ids).values_list(
        "channel_id", flat=True
    ).first()
    return next((c for c in channels if c.pk == linked), channels[0])


def enqueue_order_import(*, shop: ShopConnection, tiktok_order_id: str, delay_seconds: float = 0) -> None:
    enqueue_job(
        "order.import", f"order:{shop.pk}:{tiktok_order_id}",
        payload={"shop_id": shop.pk, "tiktok_order_id": tiktok_order_id}, merchant_id=shop.merchant_id,
        delay_seconds=delay_seconds,
    )


def _upsert(channel: Channel, tt) -> Order:
    fbt = tt.fulfillment_type == "FULFILLMENT_BY_TIKTOK"
    kind = "fbt" if fbt else ("tiktok" if (tt.shipping_type or "").upper() == "TIKTOK" else "seller")
    a = amounts(tt)
    values = {
        "tiktok_status": tt.status,
        "tiktok_update_time": tt.update_time or 0,
        "fulfillment_type": kind,
        "currency": tt.payment.currency if tt.payment else "",
        "total": a.total,
        "placed_at": _ts(tt.create_time),
        "paid_at": _ts(tt.paid_time),
        "buyer": {"email": tt.buyer_email or "", "message": tt.buyer_message or ""},
        "shipping_address": tt.recipient_address.model_dump(mode="json") if tt.recipient_address else {},
        "amounts": {"subtotal": str(a.subtotal), "shipping": str(a.shipping), "tax": str(a.tax),
                    "discount": str(a.discount), "total": str(a.total), "notes": a.notes},
        "raw": tt.model_dump(mode="json"),
        "is_sample": bool(getattr(tt, "is_sample_order", False)) or (a.total == 0 and bool(tt.line_items)),
    }
    Order.objects.bulk_create([Order(channel=channel, tiktok_order_id=str(tt.id))], ignore_conflicts=True)
    # Webhooks arrive out of order: never let an older snapshot overwrite a newer one.
    Order.objects.filter(channel=channel, tiktok_order_id=str(tt.id), tiktok_update_time__lte=values["tiktok_update_time"]).update(**values)
    order = Order.objects.get(channel=channel, tiktok_order_id=str(tt.id))
    for line in group_lines(tt.line_items):
        link = ListingSku.objects.filter(channel=channel, tiktok_sku_id=line.sku_id).select_related("variant").first()
        variant = link.variant if link else None
        if variant is None and line.seller_sku:
            variant = Variant.objects.filter(store=channel.store, sku=line.seller_sku, deleted_at__isnull=True).first()
        OrderLine.objects.update_or_create(
            order=order, tiktok_line_id=line.sku_id,
            defaults={"tiktok_sku_id": line.sku_id, "seller_sku": line.seller_sku, "title": line.title,
                      "quantity": line.quantity, "unit_price": line.unit_price, "listing_sku": link,
                      "variant": variant},
        )
    return order


def _block(order: Order, block: gates.Block) -> None:
    Order.objects.filter(pk=order.pk).update(
        sync_state=OrderSyncState.BLOCKED, blocked_code=block.code, blocked_reason=block.reason, blocked_fix=block.fix
    )


def _available(variant: Variant) -> int:
    return int(InventoryLevel.objects.filter(variant=variant).aggregate(n=Sum("available"))["n"] or 0)


def _gate(order: Order, channel: Channel, options: OrderOptions) -> gates.Block | None:
    if not channel.order_sync_enabled:
        return gates.order_sync_off()
    # TikTok times are whole seconds (§6): compare at that precision.
    if channel.orders_since and order.placed_at and order.placed_at < channel.orders_since.replace(microsecond=0):
        return gates.placed_before_connection(f"{order.placed_at:%Y-%m-%d %H:%M}", f"{channel.orders_since:%Y-%m-%d %H:%M}")
    if order.currency and channel.store.currency and order.currency != channel.store.currency and not channel.currency_rate:
        return gates.currency_mismatch(order.currency, channel.store.currency)
    if not (order.buyer or {}).get("email") and not options.placeholder_email:
        return gates.store_field_missing("email")
    if options.require_address and not order.shipping_address and order.fulfillment_type == "seller":
        return gates.store_field_missing("shipping address")
    for line in order.lines.select_related("variant", "listing_sku"):
        if line.listing_sku is None and line.variant is None:
            return gates.line_not_linked(line.tiktok_sku_id, line.seller_sku, line.title)
        variant = line.variant or (line.listing_sku.variant if line.listing_sku else None)
        if variant is None or variant.deleted_at is not None:
            return gates.variant_deleted(line.title)
        if order.fulfillment_type != "fbt" and variant.tracks_inventory and not variant.continue_selling:
            # Units of this order are not in the store yet, so the store's stock must still cover them.
            available = _available(variant)
            if available < line.quantity:
                return gates.out_of_stock(line.title, line.quantity, available)
    return None


@job_handler("order.import", lease_seconds=180, max_attempts=15)
def import_order(job: SyncJob) -> None:
    shop = ShopConnection.objects.get(pk=job.payload["shop_id"])
    tiktok_id = str(job.payload["tiktok_order_id"])
    client = tiktok_client(shop)
    tt = client.orders.get_one(tiktok_id)
    channel = channel_for_order(shop, [str(li.sku_id) for li in tt.line_items])
    if channel is None:
        return
    options = order_options(channel)
    with record_lock(f"order:{channel.pk}:{tiktok_id}", ttl_seconds=180, wait_seconds=5):
        order = _upsert(channel, tt)
        if tt.status in CANCELLED:
            _handle_cancelled(order, channel, client)
            return
        if order.store_order_id:
            _follow_tiktok_shipping(order, channel)
            return
        if tt.status == "UNPAID":
            Order.objects.filter(pk=order.pk).update(sync_state=OrderSyncState.PENDING)
            return  # never synced before payment
        if order.is_sample and not options.sync_samples:
            Order.objects.filter(pk=order.pk).update(
                sync_state=OrderSyncState.SKIPPED, blocked_code="sample_skipped",
                blocked_reason="Sample orders are not synced for this channel.",
                blocked_fix="Turn on sample order sync in the channel settings to create them in the store.")
            return
        if tt.status == "ON_HOLD" and channel.order_hold == Channel.OrderHold.WAIT_HOLD:
            until = (order.paid_at or timezone.now()) + HOLD_WINDOW
            Order.objects.filter(pk=order.pk).update(sync_state=OrderSyncState.ON_HOLD, hold_until=until)
            enqueue_order_import(shop=shop, tiktok_order_id=tiktok_id,
                                 delay_seconds=max(5.0, (until - timezone.now()).total_seconds()))
            return
        block = _gate(order, channel, options)
        if block is not None:
            _block(order, block)
            return
        _create_in_store(order, channel, tt, options)


def _create_in_store(order: Order, channel: Channel, tt, options: OrderOptions) -> None:
    connector = store_connector(channel.store)
    existing = connector.find_order_by_reference("tiktok_shop", order.tiktok_order_id, placed_after=order.placed_at)
    if existing is None:
        grouped = {g.sku_id: g for g in group_lines(tt.line_items)}
        resolved = []
        for line in order.lines.select_related("variant__product", "listing_sku__variant__product"):
            variant = line.variant or line.listing_sku.variant
            resolved.append(ResolvedLine(grouped[line.tiktok_line_id], variant.product.external_id, variant.external_id))
        payload = build_store_order(
            tt, resolved, options=options, fulfilled_by_tiktok=order.fulfillment_type in ("fbt", "tiktok"),
            is_sample=order.is_sample,
        )
        Order.objects.filter(pk=order.pk).update(sync_state=OrderSyncState.CREATING, create_started_at=timezone.now())
        try:
            existing = connector.create_order(payload)
        except TerminalError as exc:
            Order.objects.filter(pk=order.pk).update(
                sync_state=OrderSyncState.FAILED, blocked_code=exc.code, blocked_reason=exc.reason, blocked_fix=exc.fix,
                create_started_at=None)
            return
    Order.objects.filter(pk=order.pk).update(
        store_order_id=existing.external_id, store_order_name=existing.name or "", sync_state=OrderSyncState.SYNCED,
        synced_at=timezone.now(), blocked_code="", blocked_reason="", blocked_fix="",
    )
    _observe_latency(order)
    # The store's stock just went down: push the new levels (and release the reservation).
    variant_ids = list(order.lines.exclude(variant__isnull=True).values_list("variant_id", flat=True))
    from shopbridge.listings.services import listings_request_price_inventory_push

    listings_request_price_inventory_push(variant_ids=variant_ids)


def _observe_latency(order: Order) -> None:
    from shopbridge.observability.metrics import observe_propagation

    if order.paid_at:
        observe_propagation("order", max(0.0, (timezone.now() - order.paid_at).total_seconds()))


def _handle_cancelled(order: Order, channel: Channel, client) -> None:
    reason, initiator, cancel_id = "", "", f"order:{order.tiktok_order_id}"
    try:
        for c in client.returns.search_cancellations(SearchCancellationsRequest(order_ids=[order.tiktok_order_id])):
            reason = c.cancel_reason_text or c.cancel_reason or ""
            initiator = c.role or ""
            cancel_id = str(c.cancel_id)
    except SyncError as exc:
        log.info("cancellation detail unavailable", extra={"code": exc.code})
    reason = reason or (order.raw.get("cancel_reason") or "")
    initiator = initiator or (order.raw.get("cancellation_initiator") or "")
    cancellation, _ = Cancellation.objects.get_or_create(
        order=order, tiktok_cancel_id=cancel_id,
        defaults={"status": "CANCELLED", "reason": reason, "initiated_by": initiator, "raw": {}},
    )
    if not order.store_order_id:
        Order.objects.filter(pk=order.pk).update(sync_state=OrderSyncState.CANCELLED, blocked_code="", blocked_reason="",
                                                 blocked_fix="")
        Cancellation.objects.filter(pk=cancellation.pk).update(store_action="not_needed")
        return
    if order.store_cancelled_at:
        return
    try:
        store_connector(channel.store).cancel_order(order.store_order_id, restock=True,
                                                    reason=f"Cancelled on TikTok Shop: {reason or 'no reason given'}")
    except NotFoundError:
        Cancellation.objects.filter(pk=cancellation.pk).update(
            store_action="failed", store_action_error="The store order no longer exists.")
        return
    now = timezone.now()
    Order.objects.filter(pk=order.pk).update(store_cancelled_at=now)
    Cancellation.objects.filter(pk=cancellation.pk).update(store_action="cancelled", store_action_error="")


def _follow_tiktok_shipping(order: Order, channel: Channel) -> None:
    """TikTok-shipped orders: the store follows TikTok's tracking (when the store can record it)."""
    if order.fulfillment_type == "seller":
        return
    raw = order.raw
    tracking = raw.get("tracking_number") or next(
        (li.get("tracking_number") for li in raw.get("line_items", []) if li.get("tracking_number")), None)
    if not tracking or order.fulfillments.filter(tracking_number=tracking).exists():
        return
    connector = store_connector(channel.store)
    carrier = raw.get("shipping_provider") or "TikTok Shipping"
    fulfil = getattr(connector, "fulfil_order", None)
    fid = f"tiktok:{tracking}"
    if fulfil is not None:
        result = fulfil(order.store_order_id, tracking_company=carrier, tracking_number=tracking)
        fid = result.external_id
    Fulfillment.objects.get_or_create(
        order=order, store_fulfillment_id=fid,
        defaults={"tracking_company": carrier, "tracking_number": tracking, "state": Fulfillment.State.PUSHED,
                  "shipping_provider_name": carrier, "provider_resolution": "tiktok", "pushed_at": timezone.now()},
    )


# -- fulfilment: store -> TikTok --------------------------------------------------------------


@job_handler("fulfilment.sync", lease_seconds=120, max_attempts=15)
def sync_fulfilments(job: SyncJob) -> None:
    order = Order.objects.select_related("channel__shop", "channel__store").get(pk=job.payload["order_id"])
    channel = order.channel
    if order.fulfillment_type != "seller" or order.tiktok_status in CANCELLED or not order.store_order_id:
        return
    options = order_options(channel)
    for f in store_connector(channel.store).list_fulfillments(order.store_order_id):
        if not f.tracking_number:
            continue
        row, _ = Fulfillment.objects.get_or_create(
            order=order, store_fulfillment_id=f.external_id,
            defaults={"tracking_company": f.tracking_company or "", "tracking_number": f.tracking_number,
                      "tracking_url": f.tracking_url or ""},
        )
        if row.state == Fulfillment.State.PUSHED:
            continue
        _push_fulfilment(order, channel, row, options)


def _fail_fulfilment(row: Fulfillment, code: str, reason: str, fix: str) -> None:
    Fulfillment.objects.filter(pk=row.pk).update(state=Fulfillment.State.FAILED, error_code=code, error_reason=reason,
                                                 error_fix=fix)


def _hold_fulfilment(order: Order, row: Fulfillment, until: datetime, *, note: str) -> None:
    Fulfillment.objects.filter(pk=row.pk).update(
        state=Fulfillment.State.HELD, error_code="inside_cancellation_window",
        error_reason=(f"The buyer can cancel for free until {until:%H:%M} UTC; TikTok accepts the shipment after "
                      f"that and ShopBridge sends it then. {note}").strip(),
        error_fix="Nothing to do. If the parcel has not left yet, you may wait for the hour to end.")
    enqueue_job("fulfilment.sync", f"fulfil:{order.pk}", payload={"order_id": order.pk},
                merchant_id=order.channel.merchant_id,
                delay_seconds=max(10.0, (until - timezone.now()).total_seconds() + 5))


def _push_fulfilment(order: Order, channel: Channel, row: Fulfillment, options: OrderOptions) -> None:
    client = tiktok_client(channel.shop)
    tt = client.orders.get_one(order.tiktok_order_id)
    if tt.status == "ON_HOLD":
        # Ship APIs need AWAITING_SHIPMENT (§11.2 error 21042057); ON_HOLD ends by itself after the hour.
        until = (order.paid_at or timezone.now()) + HOLD_WINDOW
        note = "The store shipped inside TikTok's cancellation hour." if options.fulfilment_hold == "warn" else ""
        _hold_fulfilment(order, row, until, note=note)
        return
    if tt.status not in ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"):
        if tt.status in ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"):
            Fulfillment.objects.filter(pk=row.pk).update(state=Fulfillment.State.PUSHED, pushed_at=timezone.now(),
                                                         error_code="", error_reason="", error_fix="")
        return
    providers = []
    if tt.delivery_option_id:
        providers = [ShippingProvider(id=str(p.id), name=p.name)
                     for p in client.logistics.shipping_providers(str(tt.delivery_option_id))]
    carriers = (channel.settings or {}).get("carriers") or {}
    resolution = resolve_shipping_provider(
        row.tracking_company, providers, mapping=carriers.get("mapping") or {}, region=channel.shop.region,
        default_provider_id=carriers.get("default_provider_id"),
    )
    if resolution.provider_id is None:
        _fail_fulfilment(row, "carrier_not_mapped", resolution.reason or f"No TikTok shipping provider for “{row.tracking_company}”.",
                         resolution.fix or "Map the store carrier to a TikTok shipping provider in the channel's carrier settings.")
        return
    check = validate_tracking_number(row.tracking_number, resolution.carrier or row.tracking_company)
    if check.valid is False:
        _fail_fulfilment(row, "tracking_number_invalid", check.reason or "The tracking number is not valid for the carrier.",
                         check.fix or "Correct the tracking number in the store's fulfilment.")
        return
    try:
        if channel.shop.region in SELLER_SHIPPING_MARK_REGIONS:
            result = client.fulfillment.mark_package_as_shipped(
                order.tiktok_order_id,
                MarkPackageAsShippedRequest(tracking_number=check.normalized or row.tracking_number,
                                            shipping_provider_id=resolution.provider_id))
            package_id = str(result.package_id)
        else:
            package_id = str(tt.packages[0].id) if tt.packages else ""
            client.fulfillment.ship_package(package_id, ShipPackageRequest(self_shipment=SelfShipment(
                tracking_number=check.normalized or row.tracking_number, shipping_provider_id=resolution.provider_id)))
    except TerminalError as exc:
        _fail_fulfilment(row, exc.code, exc.reason, exc.fix)
        return
    Fulfillment.objects.filter(pk=row.pk).update(
        state=Fulfillment.State.PUSHED, shipping_provider_id=resolution.provider_id,
        shipping_provider_name=resolution.provider_name or "", provider_resolution=resolution.how or "",
        tiktok_package_id=package_id, pushed_at=timezone.now(), error_code="", error_reason="", error_fix="")


# -- returns ----------------------------------------------------------------------------------

NEEDS_SELLER = {"RETURN_OR_REFUND_REQUEST_PENDING", "AWAITING_BUYER_SHIP", "BUYER_SHIPPED_ITEM"}


REFUND_DONE = {"RETURN_OR_REFUND_REQUEST_COMPLETE", "REPLACEMENT_REQUEST_REFUND_SUCCESS"}  # §12.1


@job_handler("returns.sync", lease_seconds=60)
def sync_returns(job: SyncJob) -> None:
    """Record TikTok's returns and refunds; optionally refund (and restock) in the store once done."""
    order = Order.objects.select_related("channel__shop", "channel__store").get(pk=job.payload["order_id"])
    client = tiktok_client(order.channel.shop)
    options = order_options(order.channel)
    for r in client.returns.search_returns(SearchReturnsRequest(order_ids=[order.tiktok_order_id])):
        refund = r.refund_amount
        row, _ = Return.objects.update_or_create(
            order=order, tiktok_return_id=str(r.return_id),
            defaults={
                "return_type": r.return_type or "", "status": r.return_status,
                "reason": r.return_reason_text or r.return_reason or "",
                "refund_total": Decimal(refund.refund_total) if refund and refund.refund_total else None,
                "currency": (refund.currency if refund else "") or "",
                "needs_action": r.return_status in NEEDS_SELLER or bool(r.seller_next_action_response),
                "raw": r.model_dump(mode="json"),
            },
        )
        if options.refund_in_store and r.return_status in REFUND_DONE and order.store_order_id and not row.store_refund_id:
            _refund_in_store(order, row, r, restock=options.restock_on_return and r.return_type == "RETURN_AND_REFUND")


def _refund_in_store(order: Order, row: Return, r, *, restock: bool) -> None:
    from collections import Counter

    from shopbridge.connectors.base.dto import RefundLineIn

    units = Counter(str(li.sku_id) for li in r.return_line_items if li.sku_id)
    lines = []
    for sku_id, quantity in units.items():
        line = order.lines.filter(tiktok_sku_id=sku_id).select_related("variant").first()
        if line is None or line.variant is None:
            Return.objects.filter(pk=row.pk).update(
                store_refund_error=f"TikTok SKU {sku_id} of the return has no store variant; refund it by hand.")
            return
        lines.append(RefundLineIn(variant_external_id=line.variant.external_id, quantity=quantity))
    try:
        refund = store_connector(order.channel.store).refund_order(
            order.store_order_id, lines=lines, restock=restock, amount=row.refund_total,
            reason=f"TikTok Shop return {row.tiktok_return_id}: {row.reason}"[:250],
        )
    except TerminalError as exc:
        Return.objects.filter(pk=row.pk).update(store_refund_error=f"{exc.reason} Fix: {exc.fix}")
        return
    Return.objects.filter(pk=row.pk).update(store_refund_id=refund.external_id, store_refund_error="",
                                            needs_action=False)


@job_handler("order.cancel_on_tiktok", lease_seconds=60)
def cancel_on_tiktok(job: SyncJob) -> None:
    """A store cancellation pushed to TikTok (only when the channel turns that on)."""
    order = Order.objects.select_related("channel__shop").get(pk=job.payload["order_id"])
    if order.tiktok_status in CANCELLED or not order.channel.push_store_cancellations:
        return
    # "Out of stock" is the seller-side reason name valid before shipment (§10.5).
    reason = (order.channel.settings or {}).get("orders", {}).get("store_cancel_reason") or "seller_cancel_reason_out_of_stock"
    with transaction.atomic():
        result = tiktok_client(order.channel.shop).returns.cancel_order(
            CancelOrderRequest(order_id=order.tiktok_order_id, cancel_reason=reason))
        Cancellation.objects.get_or_create(
            order=order, tiktok_cancel_id=str(result.cancel_id),
            defaults={"status": result.cancel_status or "", "reason": reason, "initiated_by": "SELLER",
                      "store_action": "not_needed"})
