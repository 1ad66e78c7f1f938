"""Region facts (§14)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from shopbridge.mapping.regions import REGIONS, currency_decimals, region_rules


def test_all_requested_regions_exist_and_unconfirmed_ones_are_flagged() -> None:
    for code in ("US", "GB", "UK", "SG", "VN", "TH", "MY", "ID", "PH", "CN", "HK", "ES", "MX", "JP"):
        assert region_rules(code).currency
    assert {c for c, r in REGIONS.items() if not r.confirmed} == {"CN", "HK"}


@pytest.mark.parametrize(
    ("code", "currency", "decimals", "title_min", "title_max", "max_skus", "price_max"),
    [
        ("US", "USD", 2, 1, 255, 300, "7600"),
        ("UK", "GBP", 2, 1, 255, 300, "5600"),
        ("ID", "IDR", 0, 25, 255, 100, "100000000"),
        ("VN", "VND", 0, 25, 255, 100, "180000000"),
        ("JP", "JPY", 0, 1, 255, 300, "500000"),
        ("MX", "MXN", 2, 1, 300, 300, "50000"),
        ("ES", "EUR", 2, 1, 255, 300, "6300"),
    ],
)
def test_region_limits(
    code: str, currency: str, decimals: int, title_min: int, title_max: int, max_skus: int, price_max: str
) -> None:
    region = region_rules(code)
    assert (
        region.currency,
        region.currency_decimals,
        region.title_min,
        region.title_max,
        region.max_skus,
    ) == (currency, decimals, title_min, title_max, max_skus)
    assert region.price_range().max == Decimal(price_max)
    assert currency_decimals(currency) == decimals


def test_seller_type_ranges_and_us_units() -> None:
    assert region_rules("GB").price_range("global_cross_border").max == Decimal("134.5")
    assert region_rules("ID").price_range("global_cross_border") is None
    assert (
        region_rules("US").weight_units == ("POUND", "KILOGRAM")
        and region_rules("US").category_version == "v2"
    )
    with pytest.raises(KeyError):
        region_rules("XX")
