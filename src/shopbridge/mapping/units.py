"""Weight and length conversions with Decimal, formatted the way TikTok wants them.

§8.8 ``package_weight.value`` is a positive decimal string: GRAM an integer, KILOGRAM at most 3
decimals, POUND at most 2. ``package_dimensions`` are positive whole numbers as strings, and the
weight and dimension units must both be metric or both imperial (error 12052915). §6: weights and
dimensions are strings.

Rounding is always *up*: an under-declared parcel is re-weighed and surcharged by the carrier, and
rounding a tiny positive weight down to 0 would be rejected (12052181 "package weight zero").
"""

from __future__ import annotations

from decimal import ROUND_CEILING, Decimal

from shopbridge.connectors.base.dto import DimensionUnit, WeightUnit

GRAMS_PER: dict[WeightUnit, Decimal] = {
    WeightUnit.G: Decimal("1"),
    WeightUnit.KG: Decimal("1000"),
    WeightUnit.LB: Decimal("453.59237"),  # exact by definition (international pound)
    WeightUnit.OZ: Decimal("28.349523125"),  # 1/16 lb, exact
}

MILLIMETRES_PER: dict[DimensionUnit, Decimal] = {
    DimensionUnit.MM: Decimal("1"),
    DimensionUnit.CM: Decimal("10"),
    DimensionUnit.M: Decimal("1000"),
    DimensionUnit.IN: Decimal("25.4"),  # exact by definition
}

# TikTok enum name -> (our unit, decimals allowed in the string)
TIKTOK_WEIGHT_UNITS: dict[str, tuple[WeightUnit, int]] = {
    "GRAM": (WeightUnit.G, 0),
    "KILOGRAM": (WeightUnit.KG, 3),
    "POUND": (WeightUnit.LB, 2),
}
TIKTOK_DIMENSION_UNITS: dict[str, DimensionUnit] = {"CENTIMETER": DimensionUnit.CM, "INCH": DimensionUnit.IN}

IMPERIAL_WEIGHTS = frozenset({WeightUnit.LB, WeightUnit.OZ})
IMPERIAL_LENGTHS = frozenset({DimensionUnit.IN})


def convert_weight(value: Decimal, from_unit: WeightUnit | str, to_unit: WeightUnit | str) -> Decimal:
    """Exact conversion (no rounding beyond Decimal's 28-digit context)."""
    return value * GRAMS_PER[WeightUnit(from_unit)] / GRAMS_PER[WeightUnit(to_unit)]


def convert_length(value: Decimal, from_unit: DimensionUnit | str, to_unit: DimensionUnit | str) -> Decimal:
    return value * MILLIMETRES_PER[DimensionUnit(from_unit)] / MILLIMETRES_PER[DimensionUnit(to_unit)]


def round_up(value: Decimal, decimals: int) -> Decimal:
    """Ceil to ``decimals`` places; a positive value never becomes 0."""
    step = Decimal(1).scaleb(-decimals)
    rounded = value.quantize(step, rounding=ROUND_CEILING)
    return max(rounded, step) if value > 0 else rounded


def decimal_string(value: Decimal) -> str:
    """Plain decimal string without exponent or trailing zeros ("1.320" -> "1.32", "10.0" -> "10")."""
    text = format(value.normalize(), "f")
    return text


def choose_units(
    region_weight_units: tuple[str, ...], store_weight_unit: WeightUnit | None
) -> tuple[str, str]:
    """Pick (TikTok weight unit, TikTok dimension unit) for a region.

    Imperial is used only where the region allows POUND (US, §14.2) *and* the store works in
    pounds/ounces, so a US merchant sees the numbers they entered. Otherwise KILOGRAM/CENTIMETER,
    which every region accepts. Dimension unit follows the weight's system (12052915).
    """
    if "POUND" in region_weight_units and store_weight_unit in IMPERIAL_WEIGHTS:
        return "POUND", "INCH"
    return "KILOGRAM", "CENTIMETER"


def tiktok_weight(value: Decimal, unit: WeightUnit | str, tiktok_unit: str) -> dict[str, str]:
    """``package_weight`` object (§8.8) for a positive weight."""
    target, decimals = TIKTOK_WEIGHT_UNITS[tiktok_unit]
    converted = round_up(convert_weight(value, unit, target), decimals)
    return {"value": decimal_string(converted), "unit": tiktok_unit}


def tiktok_length(value: Decimal, unit: DimensionUnit | str, tiktok_unit: str) -> str:
    """One ``package_dimensions`` length as a positive whole number string (§8.8)."""
    converted = convert_length(value, unit, TIKTOK_DIMENSION_UNITS[tiktok_unit])
    return decimal_string(round_up(converted, 0))
