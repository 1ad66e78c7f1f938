"""Jobs: push a listing to TikTok, refresh its status, push price/inventory of its SKUs.

Exactly-once creation: ``create_started_at`` is committed before the create call; a retry that
finds it set searches TikTok for the product by seller SKU before creating again, so a timeout
after TikTok created the product never yields a second one.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shopbridge.catalog.convert import inventory_by_location, product_to_dto, variant_to_dto
from shopbridge.catalog.models import Variant
from shopbridge.connections.models import Channel
from shopbridge.connectors.tiktok_shop.models import (
    CreateProductRequest,
    EditProductRequest,
    InventoryEntry,
    Price,
    SearchProductsRequest,
    SkuInventoryUpdate,
    SkuPriceUpdate,
    UpdateInventoryRequest,
    UpdatePriceRequest,
)
from shopbridge.core.errors import FieldError, NotFoundError, SyncError, TerminalError, ValidationFailed
from shopbridge.mapping.inventory import compute_quantity
from shopbridge.mapping.payload import build_product_payload
from shopbridge.mapping.pricing import compute_price
from shopbridge.mapping.regions import region_rules
from shopbridge.orders.reservations import reserved_by_variant
from shopbridge.sync.clients import tiktok_client
from shopbridge.sync.engine import enqueue_job
from shopbridge.sync.locks import record_lock
from shopbridge.sync.models import SyncJob
from shopbridge.sync.registry import job_handler

from . import handlers  # noqa: F401 - registers catalogue hooks and TikTok product webhooks
from .categories import category_info
from .errors import DuplicateOnTikTok
from .images import upload_images
from .models import CategoryMapping, Listing, ListingSku, ListingStatus
from .rules import listing_settings
from .services import status_from_tiktok

log = logging.getLogger(__name__)
REVIEW_POLL_SECONDS = 120


def _fail(listing: Listing, error: SyncError, field_errors: list[FieldError] | None = None) -> None:
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.FAILED_TO_SYNC if not listing.tiktok_product_id else listing.status,
        error_code=error.code, error_reason=error.reason, error_fix=error.fix,
        field_errors=[fe.as_dict() for fe in (field_errors or getattr(error, "field_errors", []) or [])],
    )


def build_for_listing(listing: Listing, client=None, *, upload: bool = False):
    """The exact payload that would be sent (preview when ``upload`` is False)."""
    channel = listing.channel
    mapping = CategoryMapping.objects.filter(channel=channel, product=listing.product).first()
    if mapping is None:
        raise ValidationFailed("The product has no TikTok category.", code="not_mapped",
                               fix="Map the product to a TikTok category first.")
    category = category_info(channel.shop, mapping.tiktok_category_id)
    template_defaults = dict(mapping.template.defaults) if mapping.template else {}
    if mapping.attribute_values:
        template_defaults.setdefault("product_attributes", {}).update(mapping.attribute_values)
    settings = listing_settings(channel, template_defaults=template_defaults)
    product = listing.product
    dto = product_to_dto(product)
    variants = list(Variant.objects.filter(product=product, deleted_at__isnull=True))
    chosen = None
    if not listing.all_skus:
        chosen = list(
            ListingSku.objects.filter(listing=listing, selected=True, variant__isnull=False)
            .values_list("variant__external_id", flat=True)
        )
    levels = inventory_by_location(variants)
    reserved = reserved_by_variant([v.pk for v in variants])
    if reserved:
        # Oversell guard: take reserved units off the first location that has them.
        for v in variants:
            units = reserved.get(v.pk, 0)
            if units and v.external_id in levels:
                first = next(iter(levels[v.external_id]))
                levels[v.external_id][first] -= units
    image_urls = [i.url for i in dto.images] + [v.image_url for v in dto.variants if v.image_url]
    uris: dict[str, str] = {}
    errors: list[FieldError] = []
    if upload and client is not None:
        uris, errors = upload_images(channel.shop, client, list(dict.fromkeys(image_urls)))
    result = build_product_payload(
        dto, variants=chosen, category=category, region=region_rules(channel.shop.region), settings=settings,
        image_uris=uris, inventory=levels or None,
    )
    return result, errors


@job_handler("listing.push", lease_seconds=300, max_attempts=10)
def push_listing(job: SyncJob) -> None:
    listing = Listing.objects.select_related("channel__shop", "channel__store", "product").get(
        pk=job.payload["listing_id"]
    )
    channel: Channel = listing.channel
    if channel.status == Channel.Status.BLOCKED:
        _fail(listing, TerminalError(channel.status_reason, code=channel.status_code or "channel_stopped",
                                     fix=channel.status_fix))
        return
    if listing.product.deleted_at is not None:
        return
    with record_lock(f"listing:{listing.pk}", ttl_seconds=300):
        if listing.tiktok_product_id:
            _update_existing(listing)
            return
        client = tiktok_client(channel.shop)
        try:
            result, upload_errors = build_for_listing(listing, client, upload=True)
        except ValidationFailed as exc:
            _fail(listing, exc)
            return
        errors = upload_errors + list(result.errors)
        if errors:
            _fail(listing, ValidationFailed(
                f"{len(errors)} problem(s) must be fixed before TikTok can accept this product.",
                code="preflight_failed", fix="Fix each field listed below, then sync again.",
            ), errors)
            return
        if not _quota_allows(listing):
            return
        _create(listing, client, result.payload, result.payload_hash)


def _quota_allows(listing: Listing) -> bool:
    """TikTok's daily listing cap for new shops (§5.4): the rest waits, in order, until tomorrow."""
    shop = listing.channel.shop
    start = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    created_today = Listing.objects.filter(
        channel__shop=shop, create_started_at__gte=start, tiktok_product_id__isnull=False
    ).count()
    if created_today < shop.daily_listing_quota:
        return True
    tomorrow = start + timedelta(days=1, minutes=1)
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.QUEUED, scheduled_for=tomorrow,
        error_code="daily_cap", error_reason=(
            f"TikTok lets this shop list {shop.daily_listing_quota} new products a day; this one goes "
            f"automatically on {tomorrow:%Y-%m-%d %H:%M} UTC."),
        error_fix="Nothing to do; the limit rises once TikTok ends the shop's probation.",
    )
    enqueue_job("listing.push", f"listing:{listing.pk}:deferred", payload={"listing_id": listing.pk},
                merchant_id=listing.channel.merchant_id,
                delay_seconds=(tomorrow - timezone.now()).total_seconds())
    return False


def _seller_skus(payload: dict) -> list[str]:
    return [s["seller_sku"] for s in payload.get("skus", []) if s.get("seller_sku")]


def _find_existing(client, payload: dict):
    skus = _seller_skus(payload)
    if not skus:
        return None
    for summary in client.products.search(SearchProductsRequest(seller_skus=skus), page_size=20):
        if summary.status != "DELETED":
            return summary
    return None


def _bind(listing: Listing, product_id: str, sku_results, payload: dict, payload_hash: str) -> None:
    by_sku = {str(s.seller_sku): str(s.id) for s in sku_results if s.seller_sku}
    variants = {v.sku: v for v in Variant.objects.filter(product=listing.product, deleted_at__isnull=True) if v.sku}
    now = timezone.now()
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(
            tiktok_product_id=product_id, status=ListingStatus.UNDER_REVIEW, tiktok_status="PENDING",
            last_payload_hash=payload_hash, last_payload=payload, last_pushed_at=now,
            error_code="", error_reason="", error_fix="", field_errors=[], review_reasons=[], scheduled_for=None,
        )
        for sku_payload in payload.get("skus", []):
            seller_sku = sku_payload.get("seller_sku")
            variant = variants.get(seller_sku) or Variant.objects.filter(
                product=listing.product, external_id=sku_payload.get("external_sku_id")
            ).first()
            if variant is None:
                continue
            ListingSku.objects.update_or_create(
                listing=listing, variant=variant,
                defaults={
                    "channel": listing.channel, "tiktok_sku_id": by_sku.get(seller_sku), "seller_sku": seller_sku or "",
                    "pushed_price": Decimal(str(sku_payload["price"]["amount"])),
                    "pushed_inventory": sum(i.get("quantity", 0) for i in sku_payload.get("inventory", [])),
                    "pushed_at": now,
                },
            )
        CategoryMapping.objects.filter(channel=listing.channel, product=listing.product).update(locked_at=now)
    enqueue_job("listing.refresh_status", f"listing-status:{listing.pk}", payload={"listing_id": listing.pk},
                merchant_id=listing.channel.merchant_id, delay_seconds=REVIEW_POLL_SECONDS)


def _create(listing: Listing, client, payload: dict, payload_hash: str) -> None:
    if listing.create_started_at is not None:
        # An earlier attempt may have created it before dying or timing out: look before creating.
        found = _find_existing(client, payload)
        if found is not None:
            _bind(listing, str(found.id), found.skus, payload, payload_hash)
            return
    else:
        existing = _find_existing(client, payload)
        if existing is not None:
            raise DuplicateOnTikTok(
                f"TikTok product {existing.id} already uses the seller SKU(s) "
                f"{', '.join(_seller_skus(payload))}: creating another would list it twice."
            )
    Listing.objects.filter(pk=listing.pk).update(create_started_at=timezone.now())
    try:
        result = client.products.create(CreateProductRequest.model_validate(payload))
    except ValidationFailed as exc:
        _fail(listing, exc, exc.field_errors or [FieldError(
            field=str(exc.details.get("field", "product")), code=str(exc.platform_code or exc.code),
            reason=exc.reason, fix=exc.fix)])
        Listing.objects.filter(pk=listing.pk).update(create_started_at=None)
        return
    except TerminalError as exc:
        _fail(listing, exc)
        Listing.objects.filter(pk=listing.pk).update(create_started_at=None)
        return
    _bind(listing, str(result.product_id), result.skus, payload, payload_hash)


def _update_existing(listing: Listing) -> None:
    """After the first sync only price and inventory follow the store, unless the channel keeps details."""
    channel = listing.channel
    if channel.keep_details_in_sync:
        client = tiktok_client(channel.shop)
        result, upload_errors = build_for_listing(listing, client, upload=True)
        if not (upload_errors or result.errors) and result.payload_hash != listing.last_payload_hash:
            payload = dict(result.payload)
            sku_ids = dict(ListingSku.objects.filter(listing=listing).values_list("seller_sku", "tiktok_sku_id"))
            for sku in payload.get("skus", []):
                if sku_ids.get(sku.get("seller_sku")):
                    sku["id"] = sku_ids[sku["seller_sku"]]
            client.products.edit(listing.tiktok_product_id, EditProductRequest.model_validate(payload))
            Listing.objects.filter(pk=listing.pk).update(
                last_payload_hash=result.payload_hash, last_payload=payload, last_pushed_at=timezone.now(),
                status=ListingStatus.UNDER_REVIEW, tiktok_status="PENDING",
            )
    enqueue_job("sku.push", f"skupush:{listing.pk}", payload={"listing_id": listing.pk},
                merchant_id=channel.merchant_id)


@job_handler("listing.refresh_status", lease_seconds=60)
def refresh_status(job: SyncJob) -> None:
    listing = Listing.objects.select_related("channel__shop").get(pk=job.payload["listing_id"])
    if not listing.tiktok_product_id:
        return
    client = tiktok_client(listing.channel.shop)
    try:
        product = client.products.get(listing.tiktok_product_id)
    except NotFoundError:
        Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.SYNCED, tiktok_status="DELETED")
        return
    status = status_from_tiktok(product.status)
    reasons = [
        {"position": r.position, "reasons": r.reasons, "suggestions": r.suggestions}
        for r in product.audit_failed_reasons
    ]
    updates = {"tiktok_status": product.status, "status": status, "review_reasons": reasons}
    if status == ListingStatus.FAILED_REVIEW:
        text = "; ".join(x for r in product.audit_failed_reasons for x in r.reasons) or "TikTok rejected the product."
        fix = "; ".join(x for r in product.audit_failed_reasons for x in r.suggestions) or (
            "Change what TikTok names in the store (or the channel defaults), then sync again.")
        updates.update(error_code="failed_review", error_reason=text, error_fix=fix)
    elif status in (ListingStatus.ACTIVE, ListingStatus.UNDER_REVIEW):
        updates.update(error_code="", error_reason="", error_fix="")
    sku_ids = {s.seller_sku: s.id for s in product.skus if s.seller_sku}
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(**updates)
        for sku in ListingSku.objects.filter(listing=listing, tiktok_sku_id__isnull=True):
            if sku.seller_sku in sku_ids:
                ListingSku.objects.filter(pk=sku.pk).update(tiktok_sku_id=sku_ids[sku.seller_sku])
    if status == ListingStatus.UNDER_REVIEW:
        enqueue_job("listing.refresh_status", f"listing-status:{listing.pk}", payload={"listing_id": listing.pk},
                    merchant_id=listing.channel.merchant_id, delay_seconds=REVIEW_POLL_SECONDS)


@job_handler("sku.push", lease_seconds=120, max_attempts=20)
def push_price_and_inventory(job: SyncJob) -> None:
    """Push what the store says now (re-read values, not the webhook's) for every SKU of the listing.

    Bursts collapse: while this runs, new requests only mark the job for one more run.
    """
    listing = Listing.objects.select_related("channel__shop", "channel__store").get(pk=job.payload["listing_id"])
    channel = listing.channel
    if not listing.tiktok_product_id or channel.status == Channel.Status.BLOCKED:
        return
    skus = list(
        ListingSku.objects.filter(listing=listing, selected=True, tiktok_sku_id__isnull=False, variant__isnull=False)
        .select_related("variant")
    )
    if not skus:
        return
    settings = listing_settings(channel)
    region = region_rules(channel.shop.region)
    variants = [s.variant for s in skus]
    levels = inventory_by_location(variants)
    reserved = reserved_by_variant([v.pk for v in variants])
    inventory_updates, price_updates, pushed = [], [], {}
    for sku in skus:
        v = sku.variant
        dto = variant_to_dto(v)
        rule = replace(settings.inventory_rule, reserved=reserved.get(v.pk, 0))
        lv = levels.get(v.external_id)
        quantity = compute_quantity(
            lv if lv is not None else 0, rule, continue_selling=v.continue_selling, tracks_inventory=v.tracks_inventory
        )
        price = compute_price(
            dto, settings.price_rule, settings.currency, listing_currency=channel.shop.currency,
            price_range=region.price_ranges.get(settings.seller_type),
        )
        if quantity != sku.pushed_inventory:
            inventory_updates.append(SkuInventoryUpdate(
                id=sku.tiktok_sku_id, inventory=[InventoryEntry(warehouse_id=channel.shop.warehouse_id, quantity=quantity)]
            ))
        if price.amount is not None and not price.errors and (
            sku.pushed_price is None or Decimal(sku.pushed_price) != price.amount
        ):
            price_updates.append(SkuPriceUpdate(
                id=sku.tiktok_sku_id, price=Price(amount=str(price.amount), currency=channel.shop.currency)
            ))
        pushed[sku.pk] = (quantity, price.amount)
    client = tiktok_client(channel.shop)
    now = timezone.now()
    if inventory_updates:
        client.products.update_inventory(listing.tiktok_product_id, UpdateInventoryRequest(skus=inventory_updates))
        for sku in skus:
            if any(u.id == sku.tiktok_sku_id for u in inventory_updates):
                ListingSku.objects.filter(pk=sku.pk).update(pushed_inventory=pushed[sku.pk][0], pushed_at=now)
    if price_updates and listing.tiktok_status in ("ACTIVATE", ""):
        # Update Price needs an ACTIVATE product (§8.15); under review, the price goes with the next run.
        client.products.update_price(listing.tiktok_product_id, UpdatePriceRequest(skus=price_updates))
        for sku in skus:
            if any(u.id == sku.tiktok_sku_id for u in price_updates):
                ListingSku.objects.filter(pk=sku.pk).update(pushed_price=pushed[sku.pk][1], pushed_at=now)
    _observe_latency(skus, now)


def _observe_latency(skus, now) -> None:
    try:
        from shopbridge.observability.metrics import observe_propagation
    except ImportError:  # metrics module not installed in this build
        return
    for sku in skus:
        if sku.push_requested_at:
            observe_propagation("inventory", (now - sku.push_requested_at).total_seconds())


@job_handler("listing.deactivate", lease_seconds=60)
def deactivate_listing(job: SyncJob) -> None:
    """The product was deleted or unpublished in the store: take it off sale on TikTok."""
    listing = Listing.objects.select_related("channel__shop").get(pk=job.payload["listing_id"])
    if not listing.tiktok_product_id or listing.tiktok_status in ("SELLER_DEACTIVATED", "DELETED"):
        return
    tiktok_client(listing.channel.shop).products.deactivate([listing.tiktok_product_id])
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.SYNCED, tiktok_status="SELLER_DEACTIVATED",
        error_code="deactivated_store_product",
        error_reason="The product was deleted or unpublished in the store, so it was deactivated on TikTok.",
        error_fix="Publish it in the store again and sync it to list it again.",
    )
