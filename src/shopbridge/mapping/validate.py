"""Pre-flight validation of a Create/Edit Product body against category rules and region limits.

Every problem is a ``FieldError`` naming the payload field (``skus[0].price.amount``), a stable
code, a merchant-readable reason and the fix. The sync engine makes no API call while any exist.
Rules and error codes cited are from ``../shared/spec/tiktok-shop-api.md`` §8.3, §8.8 and §14.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from shopbridge.core.errors import FieldError

from .description import ALLOWED_TAGS
from .inventory import MAX_QUANTITY
from .options import MAX_SALES_ATTRIBUTES
from .types import CategoryInfo, ListingSettings, RegionRules
from .units import TIKTOK_WEIGHT_UNITS, convert_weight

Payload = Mapping[str, Any]
MAX_SELLER_SKU = 50  # §8.8 seller_sku: 1–50 chars, no spaces
MAX_CERTIFICATIONS = 10  # §8.8


def _error(field: str, code: str, reason: str, fix: str, **extra: Any) -> FieldError:
    return FieldError(field=field, code=code, reason=reason, fix=fix, extra=extra)


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


# -- content ------------------------------------------------------------------------------------


def check_title(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    title = str(payload.get("title") or "")
    if len(title) < region.title_min:  # §8.8 title, §14.2; 12052261 when empty
        return [
            _error(
                "title",
                "title_too_short",
                f"TikTok Shop {region.name} needs a title of at least {region.title_min} characters; this one has {len(title)}.",
                "Write a longer, descriptive title (brand, product type, key feature).",
                min=region.title_min,
            )
        ]
    if len(title) > region.title_max:  # 12052051
        return [
            _error(
                "title",
                "title_too_long",
                f"The title has {len(title)} characters; TikTok Shop {region.name} allows {region.title_max}.",
                f"Shorten the title to {region.title_max} characters.",
                max=region.title_max,
            )
        ]
    return []


def check_description(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    text = str(payload.get("description") or "")
    if not text.strip():  # 12052015 description required
        return [
            _error(
                "description",
                "description_missing",
                "TikTok Shop requires a product description.",
                "Add a description to the product in your store.",
            )
        ]
    errors = []
    if len(text) > region.description_max:  # 12052013
        errors.append(
            _error(
                "description",
                "description_too_long",
                f"The description has {len(text)} characters; TikTok allows {region.description_max}.",
                "Shorten the product description in your store.",
                max=region.description_max,
            )
        )
    images = text.lower().count("<img")
    if images > region.description_max_images:
        errors.append(
            _error(
                "description",
                "description_too_many_images",
                f"The description has {images} images; TikTok allows {region.description_max_images}.",
                f"Keep at most {region.description_max_images} images in the description.",
            )
        )
    return errors


def check_images(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    images = payload.get("main_images") or []
    if len(images) < region.main_images_min:  # 12052028 main image required
        return [
            _error(
                "main_images",
                "images_missing",
                "TikTok Shop needs at least one product image.",
                "Add a product image in your store (at least 300×300 px).",
            )
        ]
    if len(images) > region.main_images_max:  # 12052306
        return [
            _error(
                "main_images",
                "too_many_images",
                f"{len(images)} main images; TikTok allows {region.main_images_max}.",
                f"Keep at most {region.main_images_max} main images.",
            )
        ]
    return []


# -- category rules (§8.2, §8.3) -----------------------------------------------------------------


def check_category(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    errors = []
    if not category.is_leaf:  # §8.1 "products may only be created in leaf categories"; 12052024
        errors.append(
            _error(
                "category_id",
                "category_not_leaf",
                f"'{category.path}' is a parent category; TikTok only accepts the most specific (leaf) categories.",
                "Choose a more specific category under it.",
            )
        )
    given = {a.get("id") for a in payload.get("product_attributes") or [] if a.get("values")}
    for attribute in category.product_attributes:
        if attribute.is_required and attribute.id not in given:  # 12052104
            errors.append(
                _error(
                    "product_attributes",
                    "attribute_required",
                    f"The category '{category.segments[-1] if category.segments else category.id}' requires '{attribute.name}'.",
                    f"Set a default '{attribute.name}' in this channel's listing template, or fill it in on the listing.",
                    attribute_id=attribute.id,
                )
            )
    if category.size_chart_required and not payload.get("size_chart"):
        errors.append(
            _error(
                "size_chart",
                "size_chart_required",
                "This category requires a size chart.",
                "Upload a size chart image or choose a size chart template in this channel's listing settings.",
            )
        )
    certified = {c.get("id") for c in payload.get("certifications") or []}
    for rule in category.certifications:
        if rule.is_required and rule.id not in certified:  # 12052105 required qualification missing
            errors.append(
                _error(
                    "certifications",
                    "certification_required",
                    f"This category requires the certificate '{rule.name}'.",
                    f"Upload '{rule.name}' in this channel's listing settings.",
                    certification_id=rule.id,
                )
            )
    if len(payload.get("certifications") or []) > MAX_CERTIFICATIONS:
        errors.append(
            _error(
                "certifications",
                "too_many_certifications",
                "More than 10 certificates.",
                "Keep at most 10 certificates.",
            )
        )
    return errors


# -- package ------------------------------------------------------------------------------------


def _max_weight_kg(region: RegionRules, settings: ListingSettings | None) -> Decimal:
    override = settings.defaults.max_package_weight_kg if settings else None
    return override if override is not None else region.max_package_weight_kg


def check_weight(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    weight = payload.get("package_weight") or {}
    value = _decimal(weight.get("value")) if weight.get("value") not in (None, "") else None
    if value is None:
        return [
            _error(
                "package_weight.value",
                "package_weight_missing",
                "TikTok Shop needs the package weight.",
                "Set the variant weight in your store, or a default package weight in this channel's settings.",
            )
        ]
    unit = str(weight.get("unit") or "")
    if unit not in region.weight_units or unit not in TIKTOK_WEIGHT_UNITS:  # §14.2; 12019061
        return [
            _error(
                "package_weight.unit",
                "weight_unit_not_allowed",
                f"TikTok Shop {region.name} accepts weights in {', '.join(region.weight_units)}, not {unit or 'no unit'}.",
                "Let ShopBridge convert the weight (this is a ShopBridge bug if it persists).",
            )
        ]
    if value <= 0:  # 12052181 package weight zero
        return [
            _error(
                "package_weight.value",
                "package_weight_zero",
                "The package weight is zero.",
                "Set a real weight on the variants in your store, or a default package weight in this channel's settings.",
            )
        ]
    kilograms = convert_weight(value, TIKTOK_WEIGHT_UNITS[unit][0], "kg")
    limit = _max_weight_kg(region, settings)
    if kilograms > limit:
        return [
            _error(
                "package_weight.value",
                "package_weight_too_heavy",
                f"The package weighs {value} {unit.lower()}s, above the {limit} kg this channel allows.",
                "Check the weight and its unit in your store (grams typed as kilograms is common).",
                max_kg=str(limit),
            )
        ]
    return []


def check_dimensions(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    dims = payload.get("package_dimensions")
    required = category.package_dimension_required or region.package_dimensions_required  # §8.3, §14.2
    if not dims:
        if not required:
            return []
        why = "this category" if category.package_dimension_required else f"every product in {region.name}"
        return [
            _error(
                "package_dimensions",
                "package_dimensions_required",
                f"TikTok Shop needs the package length, width and height for {why}.",
                "Set the product dimensions in your store, or default package dimensions in this channel's settings.",
            )
        ]
    errors = []
    for axis in ("length", "width", "height"):
        raw = str(dims.get(axis) or "")
        if not raw.isdigit() or int(raw) <= 0:  # §8.8: positive whole numbers as strings; 12052003–12052006
            errors.append(
                _error(
                    f"package_dimensions.{axis}",
                    "package_dimension_invalid",
                    f"The package {axis} must be a whole number above zero (got '{raw}').",
                    f"Set the package {axis} in your store or in this channel's defaults.",
                )
            )
    unit = str(dims.get("unit") or "")
    if unit not in region.dimension_units:
        errors.append(
            _error(
                "package_dimensions.unit",
                "dimension_unit_not_allowed",
                f"TikTok Shop {region.name} accepts dimensions in {', '.join(region.dimension_units)}, not {unit or 'no unit'}.",
                "Let ShopBridge convert the dimensions (this is a ShopBridge bug if it persists).",
            )
        )
    weight_unit = (payload.get("package_weight") or {}).get("unit")
    if weight_unit and (weight_unit == "POUND") != (unit == "INCH"):  # 12052915
        errors.append(
            _error(
                "package_dimensions.unit",
                "unit_system_mismatch",
                "Weight and dimensions must both be metric or both imperial.",
                "Use KILOGRAM with CENTIMETER, or POUND with INCH.",
            )
        )
    return errors


# -- SKUs ---------------------------------------------------------------------------------------


def check_skus(
    payload: Payload, category: CategoryInfo, region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    skus = payload.get("skus") or []
    if not skus:
        return [_error("skus", "no_skus", "The listing has no SKUs.", "Choose at least one variant to list.")]
    errors = []
    if len(skus) > region.max_skus:  # §14.2 (newer doc); 12052050
        errors.append(
            _error(
                "skus",
                "too_many_skus",
                f"{len(skus)} variants; TikTok Shop {region.name} allows {region.max_skus} per product.",
                f"List at most {region.max_skus} variants (choose them in the listing), or split the product.",
                max=region.max_skus,
            )
        )
    errors += _check_seller_skus(skus)
    errors += _check_sales_attributes(skus)
    for index, sku in enumerate(skus):
        errors += _check_price(index, sku, region, settings)
        errors += _check_inventory(index, sku)
    return errors


def _check_seller_skus(skus: list[Mapping[str, Any]]) -> list[FieldError]:
    errors = []
    counts = Counter(s.get("seller_sku") for s in skus if s.get("seller_sku"))
    for index, sku in enumerate(skus):
        seller_sku = sku.get("seller_sku")
        if not seller_sku:
            continue
        if counts[seller_sku] > 1:
            errors.append(
                _error(
                    f"skus[{index}].seller_sku",
                    "duplicate_seller_sku",
                    f"The SKU code '{seller_sku}' is used by {counts[seller_sku]} variants.",
                    "Give each variant its own SKU code in your store.",
                )
            )
        if len(seller_sku) > MAX_SELLER_SKU or any(ch.isspace() for ch in seller_sku):  # 12052054
            errors.append(
                _error(
                    f"skus[{index}].seller_sku",
                    "seller_sku_invalid",
                    f"The SKU code '{seller_sku}' must be 1–{MAX_SELLER_SKU} characters without spaces.",
                    "Shorten the SKU code or remove its spaces in your store.",
                )
            )
    return errors


def _check_sales_attributes(skus: list[Mapping[str, Any]]) -> list[FieldError]:
    def key(attr: Mapping[str, Any]) -> str:
        return str(attr.get("id") or attr.get("name") or "")

    sets = [frozenset(key(a) for a in s.get("sales_attributes") or []) for s in skus]
    kinds = frozenset().union(*sets)
    errors = []
    if len(kinds) > MAX_SALES_ATTRIBUTES:  # 12052525
        errors.append(
            _error(
                "skus[].sales_attributes",
                "too_many_sales_attributes",
                f"TikTok Shop allows at most {MAX_SALES_ATTRIBUTES} variant options; this listing uses {len(kinds)}.",
                "Combine options in your store or list fewer variants so that at most 3 options differ.",
            )
        )
    if len(skus) > 1 and not kinds:  # §8.8: required for multi-SKU products
        errors.append(
            _error(
                "skus[].sales_attributes",
                "sales_attributes_missing",
                "A product with several variants needs variant options (e.g. Size) to tell them apart.",
                "Add option values to the variants in your store.",
            )
        )
    for index, attrs in enumerate(sets):
        if kinds and attrs != kinds:  # 12052550 SKU must contain all sales properties
            errors.append(
                _error(
                    f"skus[{index}].sales_attributes",
                    "sales_attributes_incomplete",
                    "Every variant must have a value for every option.",
                    "Fill in the missing option value on this variant in your store.",
                )
            )
    return errors


def _check_price(
    index: int, sku: Mapping[str, Any], region: RegionRules, settings: ListingSettings | None
) -> list[FieldError]:
    price = sku.get("price") or {}
    field = f"skus[{index}].price.amount"
    errors = []
    currency = price.get("currency")
    if currency != region.currency:  # 12052084 currency not available for shop/region
        errors.append(
            _error(
                f"skus[{index}].price.currency",
                "currency_mismatch",
                f"TikTok Shop {region.name} sells in {region.currency}, not {currency}.",
                "Set the channel's currency rule (store currency and exchange rate).",
            )
        )
    amount = _decimal(price.get("amount")) if price.get("amount") not in (None, "") else None
    if amount is None:
        return errors  # the missing amount is reported where it was computed (currency rate)
    price_range = region.price_range(settings.seller_type if settings else "local")
    if price_range is None and region.price_ranges:
        errors.append(
            _error(
                field,
                "seller_type_not_allowed",
                f"TikTok Shop {region.name} has no price range for this seller type; it cannot sell here.",
                "Check the shop's seller type in the channel settings.",
            )
        )
    elif price_range is not None and not price_range.min <= amount <= price_range.max:  # §14.3; 12052570
        errors.append(
            _error(
                field,
                "price_out_of_range",
                f"TikTok Shop {region.name} accepts prices from {price_range.min} to {price_range.max} {region.currency}; this SKU is {amount}.",
                "Change the store price or this channel's price rule / currency rate.",
                min=str(price_range.min),
                max=str(price_range.max),
            )
        )
    elif amount <= 0:
        errors.append(
            _error(field, "price_out_of_range", "The price must be above zero.", "Set a positive price.")
        )
    return errors


def _check_inventory(index: int, sku: Mapping[str, Any]) -> list[FieldError]:
    errors = []
    entries = sku.get("inventory") or []
    if not entries:
        errors.append(
            _error(
                f"skus[{index}].inventory",
                "inventory_missing",
                "The SKU has no warehouse stock entry.",
                "Choose the TikTok warehouse in this channel's settings.",
            )
        )
    for position, entry in enumerate(entries):
        if not entry.get("warehouse_id"):  # §8.8 warehouse_id required
            errors.append(
                _error(
                    f"skus[{index}].inventory[{position}].warehouse_id",
                    "warehouse_missing",
                    "No TikTok warehouse is set for this channel.",
                    "Choose the TikTok warehouse in this channel's settings.",
                )
            )
        quantity = entry.get("quantity")
        if (
            not isinstance(quantity, int) or isinstance(quantity, bool) or not 0 <= quantity <= MAX_QUANTITY
        ):  # 12052055
            errors.append(
                _error(
                    f"skus[{index}].inventory[{position}].quantity",
                    "inventory_out_of_range",
                    f"Stock must be a whole number from 0 to {MAX_QUANTITY:,}; got {quantity!r}.",
                    "Check the stock level and the channel's inventory rule.",
                )
            )
    return errors


# -- currency -----------------------------------------------------------------------------------


def check_currency_rate(region: RegionRules, settings: ListingSettings | None) -> list[FieldError]:
    if settings is None:
        return []
    rule = settings.currency
    if rule.store_currency.upper() == region.currency or (rule.rate is not None and rule.rate > 0):
        return []
    return [
        _error(
            "skus[].price.currency",
            "currency_rate_missing",
            f"Your store sells in {rule.store_currency} but this TikTok shop sells in {region.currency}, and no exchange rate is set.",
            f"Set a {rule.store_currency}->{region.currency} rate in this channel's price settings.",
        )
    ]


def check_markup(payload: Payload) -> list[FieldError]:
    """The description must only use TikTok's tag subset (the reducer guarantees it; this guards edits)."""
    tags = {t.lower() for t in re.findall(r"<\s*([a-zA-Z0-9]+)", str(payload.get("description") or ""))}
    extra = sorted(tags - ALLOWED_TAGS)
    if not extra:
        return []
    return [
        _error(
            "description",
            "description_markup_not_supported",
            f"The description uses tags TikTok may not show: {', '.join(extra)}.",
            "Let ShopBridge reduce the description from the store HTML.",
        )
    ]


Check = Callable[[Payload, CategoryInfo, RegionRules, "ListingSettings | None"], list[FieldError]]
CHECKS: tuple[Check, ...] = (
    check_title,
    check_description,
    check_images,
    check_category,
    check_weight,
    check_dimensions,
    check_skus,
)


def validate_payload(
    payload: Payload,
    *,
    category: CategoryInfo,
    region: RegionRules,
    settings: ListingSettings | None = None,
) -> list[FieldError]:
    """Every problem TikTok would reject the payload for, found locally. Empty list: send it."""
    errors = check_currency_rate(region, settings) + check_markup(payload)
    for check in CHECKS:
        errors.extend(check(payload, category, region, settings))
    return errors
