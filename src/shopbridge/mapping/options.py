"""Store options (Color, Size, …) -> TikTok SKU sales attributes (§8.8 ``skus[].sales_attributes``).

Rules from §8.8: omitted for a single-SKU product; at most 3 attribute types per product (12052525);
every SKU carries the same set (12052550); combinations unique across SKUs (12052560); a built-in
SALES_PROPERTY is referenced by ``id`` (id wins over name), values by ``value_id`` when TikTok has
the value, otherwise a custom ``value_name`` (≤50 chars); custom attribute ``name`` ≤20 chars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from shopbridge.connectors.base.dto import StoreProduct, StoreVariant
from shopbridge.core.errors import FieldError

from .types import CategoryAttribute, CategoryInfo

MAX_SALES_ATTRIBUTES = 3
MAX_NAME = 20
MAX_VALUE = 50

# Store option names (several languages and spellings) -> one canonical key.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "color": ("color", "colour", "colors", "colours", "farbe", "couleur", "cor", "warna", "colore", "kleur"),
    "size": ("size", "sizes", "talla", "taille", "tamanho", "ukuran", "größe", "grosse", "taglia", "maat"),
    "material": ("material", "materials", "fabric", "bahan", "matière", "matiere", "stoff"),
    "style": ("style", "styles", "design", "type", "model", "estilo", "stil"),
    "pattern": ("pattern", "print", "motif"),
    "flavour": ("flavour", "flavor", "taste", "sabor", "rasa"),
    "scent": ("scent", "fragrance", "aroma"),
    "capacity": ("capacity", "volume", "storage"),
    "quantity": ("quantity", "pack", "pack size", "count", "qty"),
    "length": ("length", "lenght"),
    "width": ("width",),
}
_CANONICAL = {alias: key for key, aliases in _SYNONYMS.items() for alias in aliases}
# Shopify's placeholder option for products without variants.
_PLACEHOLDER_OPTIONS = {("title", "default title"), ("title", "default")}


@dataclass(frozen=True)
class MappedOption:
    option_name: str  # as the store spells it
    display_name: str  # what TikTok shows (built-in name when matched)
    attribute: CategoryAttribute | None  # the category's built-in SALES_PROPERTY, if matched


@dataclass(frozen=True)
class OptionsResult:
    sales_attributes: dict[str, list[dict[str, Any]]]  # variant id -> skus[].sales_attributes
    options: list[MappedOption] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def canonical_option(name: str) -> str:
    key = " ".join(name.casefold().split())
    return _CANONICAL.get(key, key)


def display_option_name(name: str) -> str:
    """Whitespace collapsed; "COLOR"/"color" -> "Color"; mixed case kept as the merchant wrote it."""
    text = " ".join(name.split())
    return text.capitalize() if text.islower() or text.isupper() else text


def _is_placeholder(name: str, values: Sequence[str]) -> bool:
    return bool(values) and all(
        (name.casefold().strip(), v.casefold().strip()) in _PLACEHOLDER_OPTIONS for v in values
    )


def _option_names(product: StoreProduct, variants: Sequence[StoreVariant]) -> list[str]:
    names = [o.name for o in product.options]
    for variant in variants:
        names.extend(n for n in variant.options if n not in names)
    return names


def _match_attribute(name: str, category: CategoryInfo) -> CategoryAttribute | None:
    key = canonical_option(name)
    for attribute in category.sales_attributes:
        if canonical_option(attribute.name) == key:
            return attribute
    return None


def _value_entry(option: MappedOption, value: str) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if option.attribute is not None:
        entry["id"] = option.attribute.id
    entry["name"] = option.display_name
    if option.attribute is not None:
        for known in option.attribute.values:
            if known.name.casefold() == value.casefold():
                entry["value_id"] = known.id
                break
    entry["value_name"] = value
    return entry


def _check_value(option: MappedOption, value: str, field_name: str) -> FieldError | None:
    if len(value) > MAX_VALUE:
        return FieldError(
            field=field_name,
            code="sales_attribute_value_too_long",
            reason=f"The {option.display_name} value '{value[:60]}…' is longer than TikTok's {MAX_VALUE} characters.",
            fix=f"Shorten this option value to at most {MAX_VALUE} characters in your store.",
        )
    attribute = option.attribute
    if attribute is None or attribute.is_customizable:
        return None
    if any(v.name.casefold() == value.casefold() for v in attribute.values):
        return None
    allowed = ", ".join(v.name for v in attribute.values[:20])
    return FieldError(
        field=field_name,
        code="sales_attribute_value_not_allowed",
        reason=f"This category only accepts TikTok's own {attribute.name} values; '{value}' is not one of them.",
        fix=f"Rename the option value to one of: {allowed}.",
    )


def map_options(
    product: StoreProduct, variants: Sequence[StoreVariant], category: CategoryInfo
) -> OptionsResult:
    """Sales attributes per chosen variant, in variant order."""
    if len(variants) <= 1:
        return OptionsResult({v.external_id: [] for v in variants})
    notes: list[str] = []
    used: list[str] = []
    for name in _option_names(product, variants):
        values = [v.options.get(name, "").strip() for v in variants]
        if _is_placeholder(name, values):
            continue
        if len({v.casefold() for v in values}) <= 1:
            notes.append(
                f"Option '{name}' has the same value on every chosen variant, so it is not a TikTok SKU attribute."
            )
            continue
        used.append(name)
    errors: list[FieldError] = []
    if len(used) > MAX_SALES_ATTRIBUTES:
        errors.append(
            FieldError(
                field="skus[].sales_attributes",
                code="too_many_sales_attributes",
                reason=f"TikTok Shop allows at most {MAX_SALES_ATTRIBUTES} variant options; this product has {len(used)} ({', '.join(used)}).",
                fix="Combine options in your store (e.g. 'Colour / Pattern') or list only some variants so that at most 3 options differ.",
            )
        )
        return OptionsResult({v.external_id: [] for v in variants}, [], errors, notes)
    if not used:
        errors.append(
            FieldError(
                field="skus[].sales_attributes",
                code="variants_indistinguishable",
                reason=f"The {len(variants)} chosen variants have no option that tells them apart.",
                fix="Give the variants distinct option values (e.g. Size) in your store, or list only one of them.",
            )
        )
        return OptionsResult({v.external_id: [] for v in variants}, [], errors, notes)
    mapped = [_map_one(name, category, notes, errors) for name in used]
    return _build(variants, mapped, errors, notes)


def _map_one(name: str, category: CategoryInfo, notes: list[str], errors: list[FieldError]) -> MappedOption:
    attribute = _match_attribute(name, category)
    if attribute is not None:
        return MappedOption(name, attribute.name, attribute)
    display = display_option_name(name)
    if len(display) > MAX_NAME:
        errors.append(
            FieldError(
                field="skus[].sales_attributes.name",
                code="sales_attribute_name_too_long",
                reason=f"The option name '{display}' is longer than TikTok's {MAX_NAME} characters.",
                fix=f"Rename the option to at most {MAX_NAME} characters in your store.",
            )
        )
    notes.append(f"Option '{name}' is sent as a custom TikTok attribute '{display}'.")
    return MappedOption(name, display, None)


def _build(
    variants: Sequence[StoreVariant], mapped: list[MappedOption], errors: list[FieldError], notes: list[str]
) -> OptionsResult:
    per_variant: dict[str, list[dict[str, Any]]] = {}
    seen: dict[tuple[str, ...], int] = {}
    for index, variant in enumerate(variants):
        entries = []
        for option in mapped:
            field_name = f"skus[{index}].sales_attributes"
            value = variant.options.get(option.option_name, "").strip()
            if not value:
                errors.append(
                    FieldError(
                        field=field_name,
                        code="sales_attribute_missing",
                        reason=f"Variant {variant.sku or variant.external_id} has no {option.display_name}; every TikTok SKU needs one.",
                        fix=f"Set a {option.option_name} value on this variant in your store, or leave it out of the listing.",
                    )
                )
                continue
            problem = _check_value(option, value, field_name)
            if problem is not None:
                errors.append(problem)
            entries.append(_value_entry(option, value))
        combo = tuple(e["value_name"].casefold() for e in entries)
        if combo in seen:
            errors.append(
                FieldError(
                    field=f"skus[{index}].sales_attributes",
                    code="duplicate_sales_attributes",
                    reason=f"Variants {seen[combo] + 1} and {index + 1} have the same option values ({' / '.join(combo)}).",
                    fix="Give each variant a distinct combination of option values, or list only one of them.",
                )
            )
        seen.setdefault(combo, index)
        per_variant[variant.external_id] = entries
    return OptionsResult(per_variant, mapped, errors, notes)
