"""Writes to the canonical catalogue: atomic upserts keyed on the store's own ids.

Upserts use INSERT ... ON CONFLICT DO UPDATE (``bulk_create(update_conflicts=True)``), never
check-then-act, so two workers importing the same product at once still give one row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shopbridge.connections.models import StoreConnection
from shopbridge.connectors.base.dto import InventoryLevel as InventoryLevelDTO
from shopbridge.connectors.base.dto import StoreCategory, StoreProduct

from .models import Category, Image, InventoryLevel, Product, Variant

PRODUCT_FIELDS = [
    "title",
    "description_html",
    "handle",
    "url",
    "vendor",
    "product_type",
    "tags",
    "status",
    "category_ids",
    "options",
    "extra",
    "store_updated_at",
    "content_hash",
    "deleted_at",
    "updated_at",
]
VARIANT_FIELDS = [
    "product",
    "sku",
    "barcode",
    "title",
    "options",
    "price",
    "compare_at_price",
    "weight",
    "weight_unit",
    "dimensions",
    "inventory_item_id",
    "tracks_inventory",
    "continue_selling",
    "requires_shipping",
    "image_url",
    "position",
    "deleted_at",
    "updated_at",
]


def content_hash(dto: StoreProduct) -> str:
    """Hash of everything we mirror, minus timestamps: unchanged products are skipped cheaply."""
    data = dto.model_dump(mode="json", exclude={"created_at", "updated_at"})
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _dec(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def product_upsert(*, store: StoreConnection, dto: StoreProduct) -> tuple[Product, bool]:
    """Mirror one store product (with variants and images). Returns (product, changed)."""
    digest = content_hash(dto)
    existing = (
        Product.objects.filter(store=store, external_id=dto.external_id)
        .values_list("content_hash", "deleted_at")
        .first()
    )
    if existing and existing[0] == digest and existing[1] is None:
        return Product.objects.get(store=store, external_id=dto.external_id), False
    now = timezone.now()
    with transaction.atomic():
        Product.objects.bulk_create(
            [
                Product(
                    store=store,
                    external_id=dto.external_id,
                    title=dto.title[:1000],
                    description_html=dto.description_html or "",
                    handle=dto.handle or "",
                    url=dto.url or "",
                    vendor=dto.vendor or "",
                    product_type=dto.product_type or "",
                    tags=list(dto.tags),
                    status=dto.status.value,
                    category_ids=list(dto.category_ids),
                    options=[o.model_dump() for o in dto.options],
                    extra=dto.extra,
                    store_updated_at=dto.updated_at,
                    content_hash=digest,
                    deleted_at=None,
                    updated_at=now,
                )
            ],
            update_conflicts=True,
            unique_fields=["store", "external_id"],
            update_fields=PRODUCT_FIELDS,
        )
        product = Product.objects.get(store=store, external_id=dto.external_id)
        seen = [v.external_id for v in dto.variants]
        if dto.variants:
            Variant.objects.bulk_create(
                [
                    Variant(
                        store=store,
                        product=product,
                        external_id=v.external_id,
                        sku=v.sku or "",
                        barcode=(v.barcode or "")[:64],
                        title=(v.title or "")[:500],
                        options=v.options,
                        price=_dec(v.price),
                        compare_at_price=_dec(v.compare_at_price),
                        weight=_dec(v.weight),
                        weight_unit=v.weight_unit.value if v.weight_unit else "",
                        dimensions=v.dimensions.model_dump(mode="json") if v.dimensions else {},
                        inventory_item_id=v.inventory_item_id or v.external_id,
                        tracks_inventory=v.tracks_inventory,
                        continue_selling=v.continue_selling_when_out_of_stock,
                        requires_shipping=v.requires_shipping,
                        image_url=v.image_url or "",
                        position=v.position,
                        deleted_at=None,
                        updated_at=now,
                    )
                    for v in dto.variants
                ],
                update_conflicts=True,
                unique_fields=["store", "external_id"],
                update_fields=VARIANT_FIELDS,
            )
        Variant.objects.filter(product=product, deleted_at__isnull=True).exclude(external_id__in=seen).update(
            deleted_at=now
        )
        urls = []
        images = []
        for img in sorted(dto.images, key=lambda i: i.position):
            if img.url in urls:
                continue
            urls.append(img.url)
            images.append(
                Image(
                    product=product,
                    external_id=img.external_id or "",
                    url=img.url,
                    position=img.position,
                    alt=(img.alt or "")[:500],
                    variant_ids=img.variant_ids,
                )
            )
        if images:
            Image.objects.bulk_create(
                images,
                update_conflicts=True,
                unique_fields=["product", "url"],
                update_fields=["external_id", "position", "alt", "variant_ids"],
            )
        Image.objects.filter(product=product).exclude(url__in=urls).delete()
        # Levels reported inline (platforms with one location) are mirrored too.
        inline = [
            InventoryLevelDTO(
                inventory_item_id=v.inventory_item_id or v.external_id,
                location_id="default",
                available=v.inventory_quantity,
            )
            for v in dto.variants
            if v.inventory_quantity is not None
        ]
    if inline and not store.locations.exists():
        inventory_levels_upsert(store=store, levels=inline, read_at=now)
    return product, True


def product_mark_deleted(*, store: StoreConnection, external_ids: Iterable[str]) -> int:
    now = timezone.now()
    ids = list(external_ids)
    with transaction.atomic():
        count = Product.objects.filter(store=store, external_id__in=ids, deleted_at__isnull=True).update(
            deleted_at=now, status=Product.Status.DELETED, content_hash=""
        )
        Variant.objects.filter(store=store, product__external_id__in=ids, deleted_at__isnull=True).update(
            deleted_at=now
        )
    return count


def categories_upsert(*, store: StoreConnection, categories: Iterable[StoreCategory]) -> int:
    rows = [
        Category(
            store=store,
            kind=c.kind,
            external_id=c.external_id,
            name=c.name[:500],
            parent_external_id=c.parent_id or "",
            path=(c.path or c.name)[:1000],
        )
        for c in categories
    ]
    if rows:
        Category.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["store", "kind", "external_id"],
            update_fields=["name", "parent_external_id", "path", "updated_at"],
        )
    return len(rows)


def inventory_levels_upsert(
    *, store: StoreConnection, levels: Iterable[InventoryLevelDTO], read_at: datetime | None = None
) -> int:
    """Mirror inventory levels read from the store. Returns how many variants' levels changed."""
    read_at = read_at or timezone.now()
    levels = list(levels)
    by_item: dict[str, list[Variant]] = {}
    for v in Variant.objects.filter(
        store=store, inventory_item_id__in={lv.inventory_item_id for lv in levels}, deleted_at__isnull=True
    ):
        by_item.setdefault(v.inventory_item_id, []).append(v)
    rows = []
    for lv in levels:
        for variant in by_item.get(lv.inventory_item_id, []):
            rows.append(
                InventoryLevel(
                    variant=variant,
                    location_external_id=lv.location_id,
                    available=lv.available,
                    read_at=read_at,
                )
            )
    if rows:
        InventoryLevel.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["variant", "location_external_id"],
            update_fields=["available", "read_at", "updated_at"],
        )
    return len(rows)
