"""The exact TikTok body for a listing, built from the store mirror (for a push or a preview).

Kept apart from the jobs so the preview (a service) and the push (a job) build the very same body.
"""

from __future__ import annotations

from typing import Any

from shopbridge.catalog.convert import inventory_by_location, product_to_dto
from shopbridge.catalog.models import Variant
from shopbridge.core.errors import FieldError, ValidationFailed
from shopbridge.mapping.payload import BuildResult, build_product_payload
from shopbridge.mapping.regions import region_rules

from .categories import category_info
from .images import upload_images
from .models import CategoryMapping, Listing, ListingSku, TikTokImage
from .rules import listing_settings

LevelsByVariant = dict[str, dict[str, int]]


def _mapping(listing: Listing) -> CategoryMapping:
    mapping = (
        CategoryMapping.objects.filter(channel=listing.channel, product=listing.product)
        .select_related("template")
        .first()
    )
    if mapping is None:
        raise ValidationFailed(
            "The product has no TikTok category.",
            code="not_mapped",
            fix="Map the product to a TikTok category first.",
        )
    return mapping


def _template_defaults(mapping: CategoryMapping) -> dict[str, Any]:
    """Template defaults, then the mapping's own attribute values on top (the more specific wins)."""
    defaults = dict(mapping.template.defaults) if mapping.template else {}
    if mapping.attribute_values:
        attributes = dict(defaults.get("product_attributes") or {})
        attributes.update(mapping.attribute_values)
        defaults["product_attributes"] = attributes
    return defaults


def _chosen_variant_ids(listing: Listing) -> list[str] | None:
    if listing.all_skus:
        return None
    return list(
        ListingSku.objects.filter(listing=listing, selected=True, variant__isnull=False).values_list(
            "variant__external_id", flat=True
        )
    )


def _levels_minus_reservations(variants: list[Variant]) -> LevelsByVariant:
    """Oversell guard: units reserved by TikTok orders not yet in the store come off the first location."""
    from shopbridge.orders.reservations import reserved_by_variant

    levels = inventory_by_location(variants)
    reserved = reserved_by_variant([v.pk for v in variants])
    for variant in variants:
        units = reserved.get(variant.pk, 0)
        if units and variant.external_id in levels:
            first = next(iter(levels[variant.external_id]))
            levels[variant.external_id][first] -= units
    return levels


def _currency_note(listing: Listing) -> list[str]:
    channel = listing.channel
    rate = channel.effective_rate
    if rate is None:
        return []
    return [
        f"Prices converted from {channel.store.currency} to {channel.shop.currency} at the channel's rate "
        f"{rate.normalize()} (1 {channel.store.currency} = {rate.normalize()} {channel.shop.currency})."
    ]


def build_for_listing(
    listing: Listing, client: Any = None, *, upload: bool = False
) -> tuple[BuildResult, list[FieldError], list[str]]:
    """(the body, image upload errors, listing-level notes). Uploads images only when ``upload``;
    otherwise images already on TikTok are resolved from the cache and the rest stay placeholders."""
    channel = listing.channel
    mapping = _mapping(listing)
    category = category_info(channel.shop, mapping.tiktok_category_id)
    settings = listing_settings(channel, template_defaults=_template_defaults(mapping))
    product = listing.product
    dto = product_to_dto(product)
    variants = list(Variant.objects.filter(product=product, deleted_at__isnull=True))
    image_urls = list(
        dict.fromkeys([i.url for i in dto.images] + [v.image_url for v in dto.variants if v.image_url])
    )
    errors: list[FieldError] = []
    if upload and client is not None:
        uris, errors = upload_images(channel.shop, client, image_urls)
    else:
        uris = dict(
            TikTokImage.objects.filter(
                shop=channel.shop, use_case="MAIN_IMAGE", source_url__in=image_urls
            ).values_list("source_url", "uri")
        )
    result = build_product_payload(
        dto,
        variants=_chosen_variant_ids(listing),
        category=category,
        region=region_rules(channel.shop.region),
        settings=settings,
        image_uris=uris,
        inventory=_levels_minus_reservations(variants) or None,
    )
    return result, errors, _currency_note(listing)


def preview(listing: Listing) -> dict[str, Any]:
    """What a sync would send, and what stops it, without any upload or write on TikTok."""
    try:
        result, _, notes = build_for_listing(listing, upload=False)
    except ValidationFailed as exc:
        errors = exc.field_errors or [
            FieldError(field="category_id", code=exc.code, reason=exc.reason, fix=exc.fix)
        ]
        return {"payload": {}, "errors": [e.as_dict() for e in errors], "notes": []}
    notes = notes + list(result.notes)
    if result.pending_image_urls:
        notes.append(
            f"{len(result.pending_image_urls)} image(s) will be uploaded to TikTok when the product syncs."
        )
    return {"payload": result.payload, "errors": [e.as_dict() for e in result.errors], "notes": notes}
