"""Weight and dimension conversion and TikTok's string formats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shopbridge.connectors.base.dto import WeightUnit
from shopbridge.mapping.units import (
    choose_units,
    convert_length,
    convert_weight,
    tiktok_length,
    tiktok_weight,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "tiktok_unit", "expected"),
    [
        (D("250"), "g", "KILOGRAM", {"value": "0.25", "unit": "KILOGRAM"}),
        (D("1"), "lb", "KILOGRAM", {"value": "0.454", "unit": "KILOGRAM"}),  # 0.45359237 rounded up
        (D("28"), "oz", "POUND", {"value": "1.75", "unit": "POUND"}),
        (D("1.2"), "kg", "GRAM", {"value": "1200", "unit": "GRAM"}),
        (D("0.1"), "g", "KILOGRAM", {"value": "0.001", "unit": "KILOGRAM"}),  # never rounds to zero
        (D("3"), "kg", "KILOGRAM", {"value": "3", "unit": "KILOGRAM"}),
    ],
)
def test_tiktok_weight(value: Decimal, unit: str, tiktok_unit: str, expected: dict[str, str]) -> None:
    assert tiktok_weight(value, unit, tiktok_unit) == expected


def test_tiktok_lengths_are_whole_numbers_rounded_up() -> None:
    assert [
        tiktok_length(D("2.5"), "cm", "CENTIMETER"),
        tiktok_length(D("10"), "in", "CENTIMETER"),
        tiktok_length(D("305"), "mm", "INCH"),
    ] == ["3", "26", "13"]


def test_units_follow_the_region_and_the_store() -> None:
    assert choose_units(("POUND", "KILOGRAM"), WeightUnit.LB) == ("POUND", "INCH")
    assert choose_units(("POUND", "KILOGRAM"), WeightUnit.G) == ("KILOGRAM", "CENTIMETER")
    assert choose_units(("KILOGRAM",), WeightUnit.OZ) == ("KILOGRAM", "CENTIMETER")


@given(st.decimals(min_value=D("0.001"), max_value=D("100000"), places=3))
def test_property_round_trip_conversions_are_exact(value: Decimal) -> None:
    assert convert_weight(convert_weight(value, "lb", "g"), "g", "lb").quantize(D("0.001")) == value
    assert convert_length(convert_length(value, "in", "mm"), "mm", "in").quantize(D("0.001")) == value
