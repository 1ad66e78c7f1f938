"""Jobs: push a listing to TikTok, refresh its status, push price/inventory of its SKUs.

Exactly-once creation: ``create_started_at`` is committed before the create call; a retry that
finds it set searches TikTok for the product by seller SKU before creating again, so a timeout
after TikTok created the product never yields a second one. A first attempt that finds the SKU
already on TikTok refuses (``sku_exists_on_tiktok``) and asks the merchant to link instead.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shopbridge.catalog.convert import inventory_by_location, variant_to_dto
from shopbridge.catalog.models import Variant
from shopbridge.connections.models import Channel
from shopbridge.connectors.tiktok_shop.models import (
    CreateProductRequest,
    EditProductRequest,
    InventoryEntry,
    Price,
    ProductSummary,
    SearchProductsRequest,
    SkuInventoryUpdate,
    SkuPriceUpdate,
    UpdateInventoryRequest,
    UpdatePriceRequest,
)
from shopbridge.core.errors import FieldError, NotFoundError, SyncError, TerminalError, ValidationFailed
from shopbridge.mapping.inventory import compute_quantity
from shopbridge.mapping.pricing import compute_price
from shopbridge.mapping.regions import region_rules
from shopbridge.orders.reservations import reserved_by_variant
from shopbridge.sync.clients import tiktok_client
from shopbridge.sync.engine import enqueue_job
from shopbridge.sync.locks import record_lock
from shopbridge.sync.models import SyncJob
from shopbridge.sync.registry import job_handler

from . import handlers  # noqa: F401 - registers catalogue hooks and TikTok product webhooks
from .errors import DuplicateOnTikTok
from .models import CategoryMapping, Listing, ListingSku, ListingStatus
from .payloads import build_for_listing
from .rules import listing_settings
from .services import status_from_tiktok

log = logging.getLogger(__name__)
REVIEW_POLL_SECONDS = 120
DAILY_CAP_CODE = "daily_cap"
# TikTok's answer when the shop's daily cap is reached anyway (products listed outside ShopBridge):
# 12052093, classified by the connector (../shared/spec/tiktok-shop-api.md §5.4, §8.8).
TIKTOK_LISTING_LIMIT_CODE = "listing_limit_reached"
# Search Products takes at most 10 seller_skus per request, else 12019027 (§8.12).
SEARCH_SKUS_MAX = 10


def follow_up_key(base: str, current: str) -> str:
    """A key for a job that a job schedules for later about the same record.

    The engine turns "enqueue my own (running) key" into an immediate re-run, which would make a
    delayed poll spin; alternating between two keys keeps one pending follow-up at a time.
    """
    return f"{base}:next" if current == base else base


def _fail(listing: Listing, error: SyncError, field_errors: list[FieldError] | None = None) -> None:
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.FAILED_TO_SYNC if not listing.tiktok_product_id else listing.status,
        error_code=error.code,
        error_reason=error.reason,
        error_fix=error.fix,
        scheduled_for=None,
        field_errors=[fe.as_dict() for fe in (field_errors or getattr(error, "field_errors", []) or [])],
    )


@job_handler("listing.push", lease_seconds=300, max_attempts=10)
def push_listing(job: SyncJob) -> None:
    listing = Listing.objects.select_related("channel__shop", "channel__store", "product").get(
        pk=job.payload["listing_id"]
    )
    channel: Channel = listing.channel
    if channel.status == Channel.Status.BLOCKED:
        _fail(
            listing,
            TerminalError(
                channel.status_reason, code=channel.status_code or "channel_stopped", fix=channel.status_fix
            ),
        )
        return
    if listing.product.deleted_at is not None:
        return
    with record_lock(f"listing:{listing.pk}", ttl_seconds=300):
        listing.refresh_from_db()  # another worker may have bound it while we waited for the lock
        try:
            if listing.tiktok_product_id:
                _update_existing(listing)
            else:
                _push_new(listing, job)
        except TerminalError as exc:
            # Retrying will not help: the merchant must see why, on the listing, not only in the job.
            _fail(listing, exc)
            raise


def _push_new(listing: Listing, job: SyncJob) -> None:
    client = tiktok_client(listing.channel.shop)
    try:
        # Pre-flight first, from the mirror alone: an invalid product costs no upload and no API call.
        result, upload_errors, _notes = build_for_listing(listing)
        if not result.errors:
            result, upload_errors, _notes = build_for_listing(listing, client, upload=True)
    except ValidationFailed as exc:
        _fail(listing, exc)
        return
    errors = upload_errors + list(result.errors)
    if errors:
        _fail(
            listing,
            ValidationFailed(
                f"{len(errors)} problem(s) must be fixed before TikTok can accept this product.",
                code="preflight_failed",
                fix="Fix each field listed below, then sync again.",
            ),
            errors,
        )
        return
    if not _quota_allows(listing):
        _defer_to_next_day(listing, job)
        return
    try:
        _create(listing, client, result.payload, result.payload_hash)
    except DuplicateOnTikTok as exc:
        _fail(listing, exc)
    except TerminalError as exc:
        if exc.code != TIKTOK_LISTING_LIMIT_CODE:
            raise
        _defer_to_next_day(listing, job)


# -- daily listing cap --------------------------------------------------------------------------


def _day_start(now: datetime) -> datetime:
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def _quota_allows(listing: Listing) -> bool:
    """TikTok's daily listing cap for new shops, per UTC day (../shared/spec/tiktok-shop-api.md §5.4)."""
    shop = listing.channel.shop
    created_today = Listing.objects.filter(
        channel__shop=shop, create_started_at__gte=_day_start(timezone.now()), tiktok_product_id__isnull=False
    ).count()
    return created_today < shop.daily_listing_quota


def _defer_to_next_day(listing: Listing, job: SyncJob) -> None:
    """The rest waits in the order it was queued: the k-th waiting listing goes on day 1 + k // quota,
    one second after the one before it, so the merchant sees when each will go."""
    shop = listing.channel.shop
    quota = max(1, shop.daily_listing_quota)
    ahead = (
        Listing.objects.filter(channel__shop=shop, status=ListingStatus.QUEUED, error_code=DAILY_CAP_CODE)
        .exclude(pk=listing.pk)
        .filter(sync_requested_at__lte=listing.sync_requested_at or timezone.now())
        .count()
    )
    when = _day_start(timezone.now()) + timedelta(days=1 + ahead // quota, minutes=1, seconds=ahead % quota)
    Listing.objects.filter(pk=listing.pk).update(
        status=ListingStatus.QUEUED,
        scheduled_for=when,
        error_code=DAILY_CAP_CODE,
        field_errors=[],
        error_reason=(
            f"TikTok lets this shop list {shop.daily_listing_quota} new products a day; this one goes "
            f"automatically on {when:%Y-%m-%d %H:%M} UTC."
        ),
        error_fix="Nothing to do; the limit rises once TikTok ends the shop's probation.",
    )
    enqueue_job(
        "listing.push",
        follow_up_key(f"listing:{listing.pk}:deferred", job.key),
        payload={"listing_id": listing.pk},
        merchant_id=listing.channel.merchant_id,
        delay_seconds=max(0.0, (when - timezone.now()).total_seconds()),
    )


# -- create exactly once ------------------------------------------------------------------------


def _seller_skus(payload: dict[str, Any]) -> list[str]:
    return [s["seller_sku"] for s in payload.get("skus", []) if s.get("seller_sku")]


def _find_existing(client: Any, payload: dict[str, Any]) -> ProductSummary | None:
    """A live TikTok product of this shop that already uses one of the payload's seller SKUs."""
    skus = _seller_skus(payload)
    for start in range(0, len(skus), SEARCH_SKUS_MAX):
        chunk = SearchProductsRequest(seller_skus=skus[start : start + SEARCH_SKUS_MAX])
        for summary in client.products.search(chunk, page_size=20):
            if summary.status != "DELETED":
                return summary
    return None


def _bind(
    listing: Listing, product_id: str, sku_results: Any, payload: dict[str, Any], payload_hash: str
) -> None:
    by_sku = {str(s.seller_sku): str(s.id) for s in sku_results if s.seller_sku}
    variants = {
        v.sku: v for v in Variant.objects.filter(product=listing.product, deleted_at__isnull=True) if v.sku
    }
    now = timezone.now()
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(
            tiktok_product_id=product_id,
            status=ListingStatus.UNDER_REVIEW,
            tiktok_status="PENDING",
            last_payload_hash=payload_hash,
            last_payload=payload,
            last_pushed_at=now,
            error_code="",
            error_reason="",
            error_fix="",
            field_errors=[],
            review_reasons=[],
            scheduled_for=None,
        )
        for sku_payload in payload.get("skus", []):
            seller_sku = sku_payload.get("seller_sku")
            variant = (
                variants.get(seller_sku)
                or Variant.objects.filter(
                    product=listing.product, external_id=sku_payload.get("external_sku_id")
                ).first()
            )
            if variant is None:
                continue
            ListingSku.objects.update_or_create(
                listing=listing,
                variant=variant,
                defaults={
                    "channel": listing.channel,
                    "tiktok_sku_id": by_sku.get(seller_sku),
                    "seller_sku": seller_sku or "",
                    "pushed_price": Decimal(str(sku_payload["price"]["amount"])),
                    "pushed_inventory": sum(i.get("quantity", 0) for i in sku_payload.get("inventory", [])),
                    "pushed_at": now,
                },
            )
        CategoryMapping.objects.filter(channel=listing.channel, product=listing.product).update(locked_at=now)
    _schedule_status_poll(listing, current_key="")


def _create(listing: Listing, client: Any, payload: dict[str, Any], payload_hash: str) -> None:
    existing = _find_existing(client, payload)
    if existing is not None:
        if listing.create_started_at is None:
            raise DuplicateOnTikTok(
                f"TikTok product {existing.id} already uses the seller SKU(s) "
                f"{', '.join(_seller_skus(payload))}: creating another would list it twice."
            )
        # An earlier attempt created it before dying or losing the answer: bind, never create again.
        _bind(listing, str(existing.id), existing.skus, payload, payload_hash)
        return
    Listing.objects.filter(pk=listing.pk).update(create_started_at=timezone.now())
    try:
        result = client.products.create(CreateProductRequest.model_validate(payload))
    except ValidationFailed as exc:
        Listing.objects.filter(pk=listing.pk).update(create_started_at=None)
        _fail(
            listing,
            exc,
            exc.field_errors
            or [
                FieldError(
                    field=str(exc.details.get("field", "product")),
                    code=str(exc.platform_code or exc.code),
                    reason=exc.reason,
                    fix=exc.fix,
                )
            ],
        )
        return
    except TerminalError as exc:
        # TikTok refused before creating anything: a later attempt must not think it may exist.
        Listing.objects.filter(pk=listing.pk).update(create_started_at=None)
        if exc.code == TIKTOK_LISTING_LIMIT_CODE:
            raise
        _fail(listing, exc)
        return
    _bind(listing, str(result.product_id), result.skus, payload, payload_hash)


def _schedule_status_poll(listing: Listing, *, current_key: str) -> None:
    """Polling backstop for the review outcome: webhooks get lost (the reconciler sweeps too)."""
    enqueue_job(
        "listing.refresh_status",
        follow_up_key(f"listing-status:{listing.pk}", current_key),
        payload={"listing_id": listing.pk},
        merchant_id=listing.channel.merchant_id,
        delay_seconds=REVIEW_POLL_SECONDS,
    )


def _update_existing(listing: Listing) -> None:
    """After the first sync only price and inventory follow the store. Details are edited on TikTok
    when the channel keeps them in sync, or to resubmit a product that failed review."""
    channel = listing.channel
    if channel.keep_details_in_sync or listing.status == ListingStatus.FAILED_REVIEW:
        _edit_details(listing)
    enqueue_job(
        "sku.push",
        f"skupush:{listing.pk}",
        payload={"listing_id": listing.pk},
        merchant_id=channel.merchant_id,
    )


def _edit_details(listing: Listing) -> None:
    client = tiktok_client(listing.channel.shop)
    result, upload_errors, _notes = build_for_listing(listing, client, upload=True)
    errors = upload_errors + list(result.errors)
    if errors:
        _fail(
            listing,
            ValidationFailed(
                f"{len(errors)} problem(s) must be fixed before TikTok can accept the changes.",
                code="preflight_failed",
                fix="Fix each field listed below, then sync again.",
            ),
            errors,
        )
        return
    if result.payload_hash == listing.last_payload_hash and listing.status != ListingStatus.FAILED_REVIEW:
        return  # nothing changed since the last push: no request, no new review
    payload = dict(result.payload)
    sku_ids = dict(ListingSku.objects.filter(listing=listing).values_list("seller_sku", "tiktok_sku_id"))
    for sku in payload.get("skus", []):
        if sku_ids.get(sku.get("seller_sku")):
            sku["id"] = sku_ids[sku["seller_sku"]]
    try:
        client.products.edit(listing.tiktok_product_id, EditProductRequest.model_validate(payload))
    except ValidationFailed as exc:
        _fail(listing, exc)
        return
    Listing.objects.filter(pk=listing.pk).update(
        last_payload_hash=result.payload_hash,
        last_payload=payload,
        last_pushed_at=timezone.now(),
        status=ListingStatus.UNDER_REVIEW,
        tiktok_status="PENDING",
        error_code="",
        error_reason="",
        error_fix="",
        field_errors=[],
        review_reasons=[],
    )
    _schedule_status_poll(listing, current_key="")


# Why a listing is Synced but not for sale, by TikTok status (../shared/spec/tiktok-shop-api.md §8.19).
_UNLISTED_REASONS = {
    "SELLER_DEACTIVATED": (
        "The product was deactivated in TikTok Seller Center.",
        "Activate it again in TikTok Seller Center.",
    ),
    "PLATFORM_DEACTIVATED": (
        "TikTok deactivated this product.",
        "Check the product's violations in TikTok Seller Center and appeal or fix them.",
    ),
    "FREEZE": ("TikTok froze this product.", "Check the product in TikTok Seller Center."),
    "DELETED": (
        "The product was deleted on TikTok.",
        "Unlink it and sync the store product again to relist it.",
    ),
    "DRAFT": ("The product is a draft on TikTok.", "Publish the draft in TikTok Seller Center."),
}
# Errors the review flow must not wipe: they describe something else the merchant has to see.
_KEPT_ERROR_CODES = frozenset({"category_changed_on_tiktok", "deactivated_store_product"})


def _status_updates(listing: Listing, product: Any) -> dict[str, Any]:
    status = status_from_tiktok(product.status)
    reasons = [
        {"position": r.position, "reasons": r.reasons, "suggestions": r.suggestions}
        for r in product.audit_failed_reasons
    ]
    updates: dict[str, Any] = {"tiktok_status": product.status, "status": status, "review_reasons": reasons}
    if listing.error_code in _KEPT_ERROR_CODES:
        return updates
    if status == ListingStatus.FAILED_REVIEW:
        text = (
            "; ".join(x for r in product.audit_failed_reasons for x in r.reasons)
            or "TikTok rejected the product."
        )
        fix = "; ".join(x for r in product.audit_failed_reasons for x in r.suggestions) or (
            "Change what TikTok names in the store (or the channel defaults), then sync again."
        )
        updates.update(error_code="failed_review", error_reason=text, error_fix=fix)
    elif status == ListingStatus.SYNCED:
        reason, fix = _UNLISTED_REASONS.get(
            product.status.upper(), ("The product is not for sale on TikTok.", "")
        )
        updates.update(error_code=f"tiktok_{product.status.lower()}", error_reason=reason, error_fix=fix)
    else:
        updates.update(error_code="", error_reason="", error_fix="")
    return updates


@job_handler("listing.refresh_status", lease_seconds=60)
def refresh_status(job: SyncJob) -> None:
    listing = Listing.objects.select_related("channel__shop").get(pk=job.payload["listing_id"])
    if not listing.tiktok_product_id:
        return
    client = tiktok_client(listing.channel.shop)
    try:
        product = client.products.get(listing.tiktok_product_id)
    except NotFoundError:
        reason, fix = _UNLISTED_REASONS["DELETED"]
        Listing.objects.filter(pk=listing.pk).update(
            status=ListingStatus.SYNCED,
            tiktok_status="DELETED",
            error_code="tiktok_deleted",
            error_reason=reason,
            error_fix=fix,
        )
        return
    updates = _status_updates(listing, product)
    sku_ids = {s.seller_sku: s.id for s in product.skus if s.seller_sku}
    with transaction.atomic():
        Listing.objects.filter(pk=listing.pk).update(**updates)
        for sku in ListingSku.objects.filter(listing=listing, tiktok_sku_id__isnull=True):
            if sku.seller_sku in sku_ids:
                ListingSku.objects.filter(pk=sku.pk).update(tiktok_sku_id=sku_ids[sku.seller_sku])
    if updates["status"] == ListingStatus.UNDER_REVIEW:
        _schedule_status_poll(listing, current_key=job.key)


@job_handler("sku.push", lease_seconds=120, max_attempts=20)
def push_price_and_inventory(job: SyncJob) -> None:
    """Push what the store says now (re-read values, not the webhook's) for every SKU of the listing.

    Bursts collapse: while this runs, new requests only mark the job for one more run.
    """
    listing = Listing.objects.select_related("channel__shop", "channel__store").get(
        pk=job.payload["listing_id"]
    )
    channel = listing.channel
    if not listing.tiktok_product_id or channel.status == Channel.Status.BLOCKED:
        return
    skus = list(
        ListingSku.objects.filter(
            listing=listing, selected=True, tiktok_sku_id__isnull=False, variant__isnull=False
        ).select_related("variant")
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
            lv if lv is not None else 0,
            rule,
            continue_selling=v.continue_selling,
            tracks_inventory=v.tracks_inventory,
        )
        price = compute_price(
            dto,
            settings.price_rule,
            settings.currency,
            listing_currency=channel.shop.currency,
            price_range=region.price_ranges.get(settings.seller_type),
        )
        if quantity != sku.pushed_inventory:
            inventory_updates.append(
                SkuInventoryUpdate(
                    id=sku.tiktok_sku_id,
                    inventory=[InventoryEntry(warehouse_id=channel.shop.warehouse_id, quantity=quantity)],
                )
            )
        if (
            price.amount is not None
            and not price.errors
            and (sku.pushed_price is None or Decimal(sku.pushed_price) != price.amount)
        ):
            price_updates.append(
                SkuPriceUpdate(
                    id=sku.tiktok_sku_id,
                    price=Price(amount=str(price.amount), currency=channel.shop.currency),
                )
            )
        pushed[sku.pk] = (quantity, price.amount)
    client = tiktok_client(channel.shop)
    now = timezone.now()
    if inventory_updates:
        client.products.update_inventory(
            listing.tiktok_product_id, UpdateInventoryRequest(skus=inventory_updates)
        )
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
    from shopbridge.observability.metrics import observe_propagation

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
        status=ListingStatus.SYNCED,
        tiktok_status="SELLER_DEACTIVATED",
        error_code="deactivated_store_product",
        error_reason="The product was deleted or unpublished in the store, so it was deactivated on TikTok.",
        error_fix="Publish it in the store again and sync it to list it again.",
    )
