"""Canonical rows -> store DTOs, so the pure mapping functions work from the mirror, not the network."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from shopbridge.connectors.base.dto import (
    Dimensions,
    ProductOption,
    ProductStatus,
    StoreImage,
    StoreProduct,
    StoreVariant,
    WeightUnit,
)

from .models import InventoryLevel, Product, Variant


def product_to_dto(product: Product, *, include_deleted_variants: bool = False) -> StoreProduct:
    variants = [v for v in product.variants.all() if include_deleted_variants or v.deleted_at is None]
    variants.sort(key=lambda v: (v.position, v.pk))
    return StoreProduct(
        external_id=product.external_id,
        title=product.title,
        description_html=product.description_html,
        handle=product.handle or None,
        url=product.url or None,
        vendor=product.vendor or None,
        product_type=product.product_type or None,
        tags=list(product.tags or []),
        status=ProductStatus(product.status),
        category_ids=list(product.category_ids or []),
        options=[ProductOption(**o) for o in product.options or []],
        variants=[variant_to_dto(v) for v in variants],
        images=[
            StoreImage(external_id=i.external_id or None, url=i.url, position=i.position, alt=i.alt or None,
                       variant_ids=list(i.variant_ids or []))
            for i in product.images.all()
        ],
        updated_at=product.store_updated_at,
        extra=dict(product.extra or {}),
    )


def variant_to_dto(v: Variant) -> StoreVariant:
    return StoreVariant(
        external_id=v.external_id,
        sku=v.sku or None,
        barcode=v.barcode or None,
        title=v.title or None,
        options=dict(v.options or {}),
        price=Decimal(v.price),
        compare_at_price=Decimal(v.compare_at_price) if v.compare_at_price is not None else None,
        weight=Decimal(v.weight) if v.weight is not None else None,
        weight_unit=WeightUnit(v.weight_unit) if v.weight_unit else None,
        dimensions=Dimensions(**v.dimensions) if v.dimensions else None,
        inventory_item_id=v.inventory_item_id or None,
        tracks_inventory=v.tracks_inventory,
        continue_selling_when_out_of_stock=v.continue_selling,
        image_url=v.image_url or None,
        position=v.position,
        requires_shipping=v.requires_shipping,
    )


def inventory_by_location(variants: list[Variant]) -> dict[str, dict[str, int]]:
    """variant external id -> {location id: available}, from the mirrored levels."""
    levels: dict[str, dict[str, int]] = defaultdict(dict)
    by_pk = {v.pk: v.external_id for v in variants}
    for lv in InventoryLevel.objects.filter(variant_id__in=by_pk):
        levels[by_pk[lv.variant_id]][lv.location_external_id] = lv.available
    return dict(levels)
