"""Writes for listings: category mapping, templates, sync requests, linking.

Status vocabulary (what merchants know): Not synced, Failed to sync, Under review, Failed review,
Active, Synced (unlisted on TikTok). The push itself runs as a job (``listings/jobs.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shopbridge.catalog.models import Category, Product, Variant
from shopbridge.connections.models import Channel
from shopbridge.sync.engine import enqueue_job

from .categories import leaf_category
from .errors import ChannelStopped, MappingLocked, NotMapped
from .models import CategoryMapping, CategoryTemplate, Listing, ListingSku, ListingStatus
from .payloads import preview


def _locked(mapping: CategoryMapping | None, listing: Listing | None) -> bool:
    return bool((mapping and mapping.locked_at) or (listing and listing.tiktok_product_id))


def mapping_set(
    *,
    channel: Channel,
    products: Iterable[Product],
    category_id: str,
    source: str = CategoryMapping.Source.MANUAL,
    template: CategoryTemplate | None = None,
    attribute_values: dict[str, Any] | None = None,
) -> list[CategoryMapping]:
    """Map products to one TikTok leaf category. Refuses a product that is already synced."""
    cat = leaf_category(channel.shop, category_id)
    mappings = []
    for product in products:
        if product.store_id != channel.store_id:
            raise PermissionError("product does not belong to the channel's store")
        existing = CategoryMapping.objects.filter(channel=channel, product=product).first()
        listing = Listing.objects.filter(channel=channel, product=product).first()
        if _locked(existing, listing):
            if existing and existing.tiktok_category_id == cat.category_id:
                mappings.append(existing)
                continue
            raise MappingLocked(f"“{product.title}” is already synced to TikTok, so its category is locked.")
        with transaction.atomic():
            mapping, _ = CategoryMapping.objects.update_or_create(
                channel=channel,
                product=product,
                defaults={
                    "tiktok_category_id": cat.category_id,
                    "tiktok_category_path": cat.path,
                    "source": source,
                    "template": template,
                    "attribute_values": attribute_values or {},
                },
            )
            Listing.objects.get_or_create(channel=channel, product=product)
        mappings.append(mapping)
    return mappings


def mapping_remove(*, channel: Channel, product: Product) -> None:
    mapping = CategoryMapping.objects.filter(channel=channel, product=product).first()
    listing = Listing.objects.filter(channel=channel, product=product).first()
    if _locked(mapping, listing):
        raise MappingLocked(f"“{product.title}” is already synced to TikTok, so its category is locked.")
    with transaction.atomic():
        CategoryMapping.objects.filter(channel=channel, product=product).delete()
        Listing.objects.filter(channel=channel, product=product, status=ListingStatus.NOT_SYNCED).delete()


def _product_matches(
    template: CategoryTemplate, product: Product, category_names: dict[str, list[str]]
) -> bool:
    value = template.match_value.strip().lower()
    if template.match_field == CategoryTemplate.MatchField.PRODUCT_TYPE:
        return (product.product_type or "").strip().lower() == value
    if template.match_field == CategoryTemplate.MatchField.VENDOR:
        return (product.vendor or "").strip().lower() == value
    if template.match_field == CategoryTemplate.MatchField.TAG:
        return value in {t.strip().lower() for t in product.tags or []}
    names = category_names.get(product.external_id, [])
    return any(value == n.lower() or n.lower().endswith(value) for n in names)


def templates_apply(*, channel: Channel, product_ids: Iterable[int] | None = None) -> int:
    """Map every unmapped product that matches a template (highest priority first)."""
    templates = list(channel.category_templates.all())
    if not templates:
        return 0
    products = Product.objects.filter(store=channel.store, deleted_at__isnull=True).exclude(
        category_mappings__channel=channel
    )
    if product_ids is not None:
        products = products.filter(pk__in=list(product_ids))
    cats = {c.external_id: [c.name, c.path] for c in Category.objects.filter(store=channel.store)}
    mapped = 0
    for product in products:
        names = [n for cid in product.category_ids or [] for n in cats.get(str(cid), []) if n]
        for template in templates:
            if _product_matches(template, product, {product.external_id: names}):
                mapping_set(
                    channel=channel,
                    products=[product],
                    category_id=template.tiktok_category_id,
                    source=CategoryMapping.Source.TEMPLATE,
                    template=template,
                    attribute_values=template.attribute_defaults,
                )
                mapped += 1
                break
    return mapped


def template_create(
    *,
    channel: Channel,
    name: str,
    match_field: str,
    match_value: str,
    category_id: str,
    priority: int = 100,
    attribute_defaults: dict[str, Any] | None = None,
    defaults: dict[str, Any] | None = None,
    apply: bool = True,
) -> CategoryTemplate:
    """A rule mapping matching store products to a TikTok leaf; maps the unmapped ones at once."""
    cat = leaf_category(channel.shop, category_id)
    template = CategoryTemplate.objects.create(
        channel=channel,
        name=name,
        priority=priority,
        match_field=CategoryTemplate.MatchField(match_field),
        match_value=match_value,
        tiktok_category_id=cat.category_id,
        tiktok_category_path=cat.path,
        attribute_defaults=attribute_defaults or {},
        defaults=defaults or {},
    )
    if apply:
        templates_apply(channel=channel)
    return template


def listing_preview(listing: Listing) -> dict[str, Any]:
    """The exact payload a sync would send, its field-level errors and the notes on what was changed.

    Uploads nothing and writes nothing on TikTok (images not uploaded yet stay as store URLs).
    """
    return preview(listing)


def _check_channel(channel: Channel) -> None:
    if channel.status == Channel.Status.BLOCKED:
        raise ChannelStopped(
            channel.status_reason,
            code=channel.status_code or "channel_stopped",
            fix=channel.status_fix or "Fix the channel settings.",
        )


def listing_sync_request(
    *, channel: Channel, products: Iterable[Product], variant_ids: dict[int, list[int]] | None = None
) -> list[Listing]:
    """Queue products (all SKUs, or the chosen variant ids per product) for syncing. Idempotent."""
    _check_channel(channel)
    queued = []
    now = timezone.now()
    for product in products:
        mapping = CategoryMapping.objects.filter(channel=channel, product=product).first()
        if mapping is None:
            raise NotMapped(f"“{product.title}” has no TikTok category yet.")
        listing, _ = Listing.objects.get_or_create(channel=channel, product=product)
        chosen = (variant_ids or {}).get(product.pk)
        with transaction.atomic():
            if chosen is not None:
                Listing.objects.filter(pk=listing.pk).update(all_skus=False)
                for variant in Variant.objects.filter(product=product, deleted_at__isnull=True):
                    sku, _ = ListingSku.objects.get_or_create(
                        listing=listing, variant=variant, defaults={"channel": channel, "selected": False}
                    )
                    ListingSku.objects.filter(pk=sku.pk).update(selected=variant.pk in chosen)
            updates: dict[str, Any] = {"sync_requested_at": now}
            if listing.status in (ListingStatus.NOT_SYNCED, ListingStatus.FAILED_TO_SYNC):
                updates["status"] = ListingStatus.QUEUED
            Listing.objects.filter(pk=listing.pk).update(**updates)
            enqueue_job(
                "listing.push",
                f"listing:{listing.pk}",
                payload={"listing_id": listing.pk},
                merchant_id=channel.merchant_id,
            )
        listing.refresh_from_db()
        queued.append(listing)
    return queued


def listing_link(
    *,
    channel: Channel,
    product: Product,
    tiktok_product_id: str,
    sku_links: dict[int, str],
    tiktok_status: str = "",
    category_id: str = "",
    category_path: str = "",
    manual: bool = True,
) -> Listing:
    """Bind an existing TikTok product (and its SKUs, variant pk -> TikTok SKU id) to a store product."""
    if product.store_id != channel.store_id:
        raise PermissionError("product does not belong to the channel's store")
    clash = Listing.objects.filter(channel=channel, tiktok_product_id=tiktok_product_id).exclude(
        product=product
    )
    if clash.exists():
        raise MappingLocked(
            f"TikTok product {tiktok_product_id} is already linked to another store product.",
            code="already_linked",
            fix="Unlink it from the other product first.",
        )
    with transaction.atomic():
        listing, _ = Listing.objects.get_or_create(channel=channel, product=product)
        listing.tiktok_product_id = tiktok_product_id
        listing.tiktok_status = tiktok_status
        listing.status = status_from_tiktok(tiktok_status) if tiktok_status else ListingStatus.ACTIVE
        listing.error_code = listing.error_reason = listing.error_fix = ""
        listing.field_errors = []
        listing.save()
        for variant_pk, sku_id in sku_links.items():
            variant = Variant.objects.get(pk=variant_pk, product=product)
            ListingSku.objects.filter(channel=channel, tiktok_sku_id=sku_id).exclude(listing=listing).update(
                tiktok_sku_id=None
            )
            ListingSku.objects.update_or_create(
                listing=listing,
                variant=variant,
                defaults={
                    "channel": channel,
                    "tiktok_sku_id": sku_id,
                    "seller_sku": variant.sku,
                    "linked_manually": manual,
                    "selected": True,
                },
            )
        if category_id:
            CategoryMapping.objects.update_or_create(
                channel=channel,
                product=product,
                defaults={
                    "tiktok_category_id": category_id,
                    "tiktok_category_path": category_path,
                    "source": CategoryMapping.Source.LINKED,
                    "locked_at": timezone.now(),
                },
            )
        else:
            CategoryMapping.objects.filter(channel=channel, product=product).update(locked_at=timezone.now())
    return listing


def listing_unlink(*, listing: Listing) -> None:
    """Forget the TikTok binding (the TikTok product is left as it is)."""
    with transaction.atomic():
        ListingSku.objects.filter(listing=listing).update(
            tiktok_sku_id=None, pushed_price=None, pushed_inventory=None
        )
        Listing.objects.filter(pk=listing.pk).update(
            tiktok_product_id=None,
            tiktok_status="",
            status=ListingStatus.NOT_SYNCED,
            create_started_at=None,
            last_payload_hash="",
        )
        CategoryMapping.objects.filter(channel=listing.channel, product=listing.product).update(
            locked_at=None
        )


# TikTok product statuses (../shared/spec/tiktok-shop-api.md §8.19) -> what the merchant sees.
_TIKTOK_STATUS = {
    "PENDING": ListingStatus.UNDER_REVIEW,
    "FAILED": ListingStatus.FAILED_REVIEW,
    "ACTIVATE": ListingStatus.ACTIVE,
    "SELLER_DEACTIVATED": ListingStatus.SYNCED,
    "PLATFORM_DEACTIVATED": ListingStatus.SYNCED,
    "FREEZE": ListingStatus.SYNCED,
    "DELETED": ListingStatus.SYNCED,
    "DRAFT": ListingStatus.SYNCED,
}


def status_from_tiktok(tiktok_status: str) -> str:
    return _TIKTOK_STATUS.get(tiktok_status.upper(), ListingStatus.UNDER_REVIEW)


def listings_request_price_inventory_push(*, variant_ids: Iterable[int]) -> int:
    """A store price or stock change: push it to every listing of these variants (all channels)."""
    listing_ids = set(
        ListingSku.objects.filter(variant_id__in=list(variant_ids), tiktok_sku_id__isnull=False)
        .filter(Q(selected=True))
        .values_list("listing_id", flat=True)
    )
    now = timezone.now()
    for listing_id in listing_ids:
        ListingSku.objects.filter(listing_id=listing_id).update(push_requested_at=now)
        listing = Listing.objects.select_related("channel").get(pk=listing_id)
        enqueue_job(
            "sku.push",
            f"skupush:{listing_id}",
            payload={"listing_id": listing_id},
            merchant_id=listing.channel.merchant_id,
        )
    return len(listing_ids)
