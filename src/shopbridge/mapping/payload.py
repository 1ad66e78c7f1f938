"""Store product -> TikTok Create/Edit Product body (``../shared/spec/tiktok-shop-api.md`` §8.8).

The body is a plain dict with TikTok's exact field names; the TikTok connector sends it as is.
Building is deterministic (same inputs, same dict, same ``payload_hash``) so the sync engine can
skip a push when nothing changed. Problems come back as FieldErrors with a fix, never as
exceptions; what was changed on the way (shortened title, converted table…) comes back as notes.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from shopbridge.connectors.base.dto import DimensionUnit, StoreProduct, StoreVariant, WeightUnit
from shopbridge.core.errors import FieldError

from .description import reduce_description
from .inventory import compute_quantity
from .options import map_options
from .pricing import compute_price
from .title import clean_title
from .types import CategoryInfo, DescriptionImage, ListingSettings, RegionRules
from .units import choose_units, convert_length, convert_weight, tiktok_length, tiktok_weight
from .validate import validate_payload

MAX_SELLER_SKU = 50  # §8.8
InventoryInput = Mapping[str, int | Mapping[str, int]]  # variant id -> total, or location id -> available


@dataclass(frozen=True)
class BuildResult:
    payload: dict[str, Any]
    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    payload_hash: str = ""
    pending_image_urls: list[str] = field(default_factory=list)  # store URLs still to upload

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def ready_to_send(self) -> bool:
        """Valid and every image already uploaded (no store URL left as a placeholder)."""
        return not self.errors and not self.pending_image_urls


def payload_hash(payload: Mapping[str, Any]) -> str:
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- variants and images ------------------------------------------------------------------------


def _choose_variants(
    product: StoreProduct, chosen: Sequence[str] | None
) -> tuple[list[StoreVariant], list[FieldError]]:
    ordered = sorted(product.variants, key=lambda v: v.position)  # sorted() is stable: ties keep store order
    if chosen is None:
        return ordered, []
    wanted = set(chosen)
    known = {v.external_id for v in ordered}
    errors = [
        FieldError(
            field="skus",
            code="variant_not_found",
            reason=f"Variant {vid} is no longer part of this product in the store.",
            fix="Re-import the product and choose its variants again.",
        )
        for vid in sorted(wanted - known)
    ]
    return [v for v in ordered if v.external_id in wanted], errors


def _normalise_url(url: str) -> str:
    url = url.strip()
    return "https:" + url if url.startswith("//") else url


class _Images:
    """Resolves store image URLs to TikTok URIs, remembering which still need uploading."""

    def __init__(self, image_uris: Mapping[str, str]) -> None:
        self.uris = {_normalise_url(k): v for k, v in image_uris.items()}
        self.pending: list[str] = []

    def uri(self, url: str) -> str:
        url = _normalise_url(url)
        if url in self.uris:
            return self.uris[url]
        if url not in self.pending:
            self.pending.append(url)
        return url  # placeholder until uploaded (§8.6 returns the uri to use)


def _main_images(
    product: StoreProduct,
    variants: Sequence[StoreVariant],
    region: RegionRules,
    images: _Images,
    notes: list[str],
) -> list[dict[str, str]]:
    urls: list[str] = []
    for image in sorted(product.images, key=lambda i: i.position):
        urls.append(_normalise_url(image.url))
    urls.extend(_normalise_url(v.image_url) for v in variants if v.image_url)
    unique = list(dict.fromkeys(u for u in urls if u))
    if len(unique) < len(urls):
        notes.append(f"{len(urls) - len(unique)} duplicate image(s) were listed once.")
    if len(unique) > region.main_images_max:  # §8.8 main_images 1–9
        notes.append(
            f"Only the first {region.main_images_max} of {len(unique)} images are used (TikTok's limit)."
        )
        unique = unique[: region.main_images_max]
    return [{"uri": images.uri(u)} for u in unique]


# -- SKUs ---------------------------------------------------------------------------------------


def _seller_sku(product: StoreProduct, variant: StoreVariant, notes: list[str]) -> str:
    sku = "-".join((variant.sku or "").split())  # §8.8: no spaces
    if sku and sku != (variant.sku or "").strip():
        notes.append(f"Spaces in SKU '{variant.sku}' were replaced with '-'.")
    if sku:
        return sku
    generated = f"SB-{product.external_id}-{variant.external_id}"
    if len(generated) > MAX_SELLER_SKU:
        digest = hashlib.sha1(f"{product.external_id}:{variant.external_id}".encode(), usedforsecurity=False)
        generated = "SB-" + digest.hexdigest()[:20]
    notes.append(
        "Variants without an SKU code get a stable generated one (SB-…); set SKUs in your store to control them."
    )
    return generated


def _gtin_check_digit_ok(digits: str) -> bool:
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _identifier_code(variant: StoreVariant, notes: list[str]) -> dict[str, str] | None:
    """§8.8 identifier_code: GTIN 14, EAN 8/13, UPC 12; sent only when the check digit is right."""
    code = (variant.barcode or "").strip().lstrip("'")
    if not code:
        return None
    kinds = {8: "EAN", 12: "UPC", 13: "EAN", 14: "GTIN"}
    if code.isdigit() and len(code) in kinds and _gtin_check_digit_ok(code):
        return {"code": code, "type": kinds[len(code)]}
    notes.append(f"Barcode '{code}' is not a valid GTIN/EAN/UPC and was not sent.")
    return None


def _variant_levels(
    variant: StoreVariant, inventory: InventoryInput | None
) -> int | Mapping[str, int] | None:
    if inventory is not None and variant.external_id in inventory:
        return inventory[variant.external_id]
    return variant.inventory_quantity


def _sku_image(variant: StoreVariant, images: _Images) -> dict[str, str] | None:
    return {"uri": images.uri(variant.image_url)} if variant.image_url else None


def _build_skus(
    product: StoreProduct,
    variants: Sequence[StoreVariant],
    *,
    category: CategoryInfo,
    region: RegionRules,
    settings: ListingSettings,
    images: _Images,
    inventory: InventoryInput | None,
    notes: list[str],
    errors: list[FieldError],
) -> list[dict[str, Any]]:
    options = map_options(product, variants, category)
    notes.extend(options.notes)
    errors.extend(options.errors)
    # §8.8 sku_img: only the primary attribute may carry images, and then every value needs one.
    with_images = bool(options.options) and all(v.image_url for v in variants)
    price_range = region.price_range(settings.seller_type)
    skus = []
    for index, variant in enumerate(variants):
        price = compute_price(
            variant,
            settings.price_rule,
            settings.currency,
            listing_currency=region.currency,
            price_range=price_range,
            field_name=f"skus[{index}].price.amount",
        )
        notes.extend(price.notes)
        # A missing exchange rate is reported once by validation, not once per SKU.
        errors.extend(e for e in price.errors if e.code != "currency_rate_missing")
        attributes = [dict(a) for a in options.sales_attributes.get(variant.external_id, [])]
        if with_images and attributes:
            attributes[0]["sku_img"] = _sku_image(variant, images)
        sku: dict[str, Any] = {
            "seller_sku": _seller_sku(product, variant, notes),
            "external_sku_id": variant.external_id,
            "price": {"currency": region.currency},
            "inventory": [
                {
                    "warehouse_id": settings.warehouse_id,
                    "quantity": compute_quantity(
                        _variant_levels(variant, inventory),
                        settings.inventory_rule,
                        continue_selling=variant.continue_selling_when_out_of_stock,
                        tracks_inventory=variant.tracks_inventory,
                    ),
                }
            ],
        }
        if price.amount_string is not None:
            sku["price"]["amount"] = price.amount_string
        if attributes:
            sku["sales_attributes"] = attributes
        identifier = _identifier_code(variant, notes)
        if identifier:
            sku["identifier_code"] = identifier
        skus.append(sku)
    return skus


# -- package ------------------------------------------------------------------------------------


def _package_weight(
    variants: Sequence[StoreVariant], settings: ListingSettings, region: RegionRules, notes: list[str]
) -> tuple[dict[str, str] | None, str]:
    """Heaviest chosen variant (the parcel must fit every SKU), else the channel default."""
    weighed = [(v.weight, v.weight_unit or WeightUnit.KG) for v in variants if v.weight and v.weight > 0]
    if weighed:
        grams = [convert_weight(w, u, WeightUnit.G) for w, u in weighed]
        heaviest = weighed[grams.index(max(grams))]
        if len(set(grams)) > 1:
            notes.append("Variants weigh differently; the heaviest weight is used for the package.")
        value, unit = heaviest
    elif settings.defaults.package_weight:
        value, unit = settings.defaults.package_weight, settings.defaults.package_weight_unit
        notes.append("The product has no weight; the channel's default package weight is used.")
    else:
        return None, choose_units(region.weight_units, None)[1]
    weight_unit, dimension_unit = choose_units(region.weight_units, WeightUnit(unit))
    return tiktok_weight(value, unit, weight_unit), dimension_unit


def _package_dimensions(
    variants: Sequence[StoreVariant], settings: ListingSettings, dimension_unit: str, notes: list[str]
) -> dict[str, str] | None:
    """Largest chosen variant per axis, else the channel default, in the weight's unit system."""
    boxes = [
        (v.dimensions.length, v.dimensions.width, v.dimensions.height, v.dimensions.unit)
        for v in variants
        if v.dimensions and v.dimensions.length and v.dimensions.width and v.dimensions.height
    ]
    if boxes:
        in_mm = [
            [convert_length(x, unit, DimensionUnit.MM) for x in (length, width, height)]
            for length, width, height, unit in boxes
        ]
        axes = [max(box[i] for box in in_mm) for i in range(3)]
        unit = DimensionUnit.MM
    else:
        d = settings.defaults
        if not (d.package_length and d.package_width and d.package_height):
            return None
        axes, unit = [d.package_length, d.package_width, d.package_height], d.package_dimension_unit
        notes.append("The product has no dimensions; the channel's default package dimensions are used.")
    length, width, height = (tiktok_length(x, unit, dimension_unit) for x in axes)
    return {"length": length, "width": width, "height": height, "unit": dimension_unit}


# -- category extras ----------------------------------------------------------------------------


def _product_attributes(category: CategoryInfo, settings: ListingSettings) -> list[dict[str, Any]]:
    """Template defaults (attribute id -> value names) for the category's product attributes."""
    known = {a.id: a for a in category.product_attributes}
    out = []
    for attribute_id in sorted(settings.defaults.product_attributes):
        names = settings.defaults.product_attributes[attribute_id]
        attribute = known.get(attribute_id)
        if known and attribute is None:
            continue  # not an attribute of this category: TikTok would reject it
        values = []
        for name in names:
            match = (
                next((v for v in attribute.values if v.name.casefold() == name.casefold()), None)
                if attribute
                else None
            )
            values.append({"id": match.id, "name": match.name} if match else {"name": name})
        if values:
            out.append({"id": attribute_id, "values": values})
    return out


def _certifications(category: CategoryInfo, settings: ListingSettings) -> list[dict[str, Any]]:
    wanted = {c.id for c in category.certifications}
    out = []
    for cert in settings.defaults.certifications:
        if cert.id not in wanted:
            continue
        entry: dict[str, Any] = {"id": cert.id}
        if cert.image_uris:
            entry["images"] = [{"uri": uri} for uri in cert.image_uris]
        if cert.files:
            entry["files"] = [{"id": fid, "name": name, "format": "PDF"} for fid, name in cert.files]
        if cert.expiration_date is not None:
            entry["expiration_date"] = cert.expiration_date
        out.append(entry)
    return out


def _size_chart(category: CategoryInfo, settings: ListingSettings) -> dict[str, Any] | None:
    # §8.3: when is_supported is false a supplied size chart is silently dropped, so don't send it.
    if not category.size_chart_supported:
        return None
    if settings.defaults.size_chart_template_id:  # §8.8: template id wins over image
        return {"template": {"id": settings.defaults.size_chart_template_id}}
    if settings.defaults.size_chart_image_uri:
        return {"image": {"uri": settings.defaults.size_chart_image_uri}}
    return None


def _optional_fields(category: CategoryInfo, settings: ListingSettings) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if settings.defaults.brand_id:
        extra["brand_id"] = settings.defaults.brand_id
    attributes = _product_attributes(category, settings)
    if attributes:
        extra["product_attributes"] = attributes
    certifications = _certifications(category, settings)
    if certifications:
        extra["certifications"] = certifications
    size_chart = _size_chart(category, settings)
    if size_chart:
        extra["size_chart"] = size_chart
    # §8.3: is_cod_allowed=true in a category without COD fails the listing (12052222).
    if settings.defaults.is_cod_allowed is not None:
        extra["is_cod_allowed"] = settings.defaults.is_cod_allowed and category.cod_supported
    return extra


# -- entry point --------------------------------------------------------------------------------


def build_product_payload(
    product: StoreProduct,
    *,
    variants: Sequence[str] | None = None,
    category: CategoryInfo,
    region: RegionRules,
    settings: ListingSettings,
    image_uris: Mapping[str, str],
    inventory: InventoryInput | None = None,
    description_images: Mapping[str, DescriptionImage] | None = None,
) -> BuildResult:
    """The Create/Edit Product body for ``product`` (all variants, or the chosen ``variants`` ids).

    ``image_uris`` maps store image URLs to uploaded TikTok URIs; URLs not in it stay in the body as
    placeholders and are listed in ``pending_image_urls``. ``inventory`` maps variant id to a total
    or to per-location levels (defaults to the variant's own quantity).
    """
    notes: list[str] = []
    errors: list[FieldError] = []
    chosen, variant_errors = _choose_variants(product, variants)
    errors.extend(variant_errors)
    images = _Images(image_uris)

    title = clean_title(product.title, region)
    notes.extend(title.notes)
    errors.extend(title.errors)
    description = reduce_description(
        product.description_html,
        max_length=region.description_max,
        max_images=region.description_max_images,
        image_map=description_images,
    )
    notes.extend(description.notes)
    description_html = description.html
    if not description_html and title.title:
        description_html = f"<p>{html.escape(title.title, quote=False)}</p>"
        notes.append("The product has no description; the title is used as the description.")

    payload: dict[str, Any] = {
        "title": title.title,
        "description": description_html,
        "category_id": category.id,
        "category_version": region.category_version,  # §8.1: US must send v2
        "main_images": _main_images(product, chosen, region, images, notes),
        "skus": _build_skus(
            product,
            chosen,
            category=category,
            region=region,
            settings=settings,
            images=images,
            inventory=inventory,
            notes=notes,
            errors=errors,
        ),
        "external_product_id": product.external_id,
        "save_mode": settings.save_mode,
    }
    weight, dimension_unit = _package_weight(chosen, settings, region, notes)
    if weight:
        payload["package_weight"] = weight
    dimensions = _package_dimensions(chosen, settings, dimension_unit, notes)
    if dimensions:
        payload["package_dimensions"] = dimensions
    payload |= _optional_fields(category, settings)

    errors.extend(validate_payload(payload, category=category, region=region, settings=settings))
    return BuildResult(
        payload=payload,
        errors=_dedupe(errors),
        notes=list(dict.fromkeys(notes)),
        payload_hash=payload_hash(payload),
        pending_image_urls=images.pending
        + [u for u in description.pending_image_urls if u not in images.pending],
    )


def _dedupe(errors: list[FieldError]) -> list[FieldError]:
    """One error per (field, code): the builder and the validator may both see the same problem."""
    seen: dict[tuple[str, str], FieldError] = {}
    for error in errors:
        seen.setdefault((error.field, error.code), error)
    return list(seen.values())


__all__ = ["BuildResult", "build_product_payload", "payload_hash"]
