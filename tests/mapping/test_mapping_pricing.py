"""Price rules: sources, adjustments, rounding, currency conversion, region bounds."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mapping_builders import variant

from shopbridge.mapping.pricing import compute_price
from shopbridge.mapping.regions import region_rules
from shopbridge.mapping.types import Adjustment, CurrencyRule, PriceRange, PriceRule, PriceSource, Rounding

GBP = CurrencyRule(store_currency="GBP")
UK_RANGE = region_rules("GB").price_range()
D = Decimal


def price(
    amount: str,
    rule: PriceRule = PriceRule(),
    *,
    compare_at: str | None = None,
    currency: CurrencyRule = GBP,
    listing: str = "GBP",
    price_range: PriceRange | None = UK_RANGE,
):
    item = variant(price=D(amount), compare_at_price=D(compare_at) if compare_at else None)
    return compute_price(item, rule, currency, listing_currency=listing, price_range=price_range)


def test_default_rule_sends_the_store_price_unchanged() -> None:
    result = price("19.99")
    assert (result.amount_string, result.errors, result.notes) == ("19.99", [], [])


@pytest.mark.parametrize(
    ("source", "compare_at", "expected", "notes"),
    [
        (PriceSource.PRICE, "25.00", "19.99", []),
        (PriceSource.SALE_PRICE, "25.00", "19.99", []),
        (PriceSource.COMPARE_AT, "25.00", "25.00", []),
        (PriceSource.COMPARE_AT, None, "19.99", ["no compare-at price; used the selling price"]),
    ],
)
def test_price_sources(source: PriceSource, compare_at: str | None, expected: str, notes: list[str]) -> None:
    result = price("19.99", PriceRule(source=source), compare_at=compare_at)
    assert (result.amount_string, result.notes) == (expected, notes)


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (PriceRule(adjustment=Adjustment.PERCENT, amount=D("10")), "22.00"),  # 20.00 * 1.10
        (PriceRule(adjustment=Adjustment.PERCENT, amount=D("-15")), "17.00"),
        (PriceRule(adjustment=Adjustment.FIXED, amount=D("2.5")), "22.50"),
        (PriceRule(adjustment=Adjustment.FIXED, amount=D("-3")), "17.00"),
        (PriceRule(adjustment=Adjustment.PERCENT, amount=D("12"), rounding=Rounding.TO_99), "22.99"),  # 22.40
        (PriceRule(adjustment=Adjustment.PERCENT, amount=D("12"), rounding=Rounding.TO_95), "22.95"),
        (PriceRule(adjustment=Adjustment.PERCENT, amount=D("12"), rounding=Rounding.WHOLE), "22.00"),
        (
            PriceRule(adjustment=Adjustment.PERCENT, amount=D("12.5"), rounding=Rounding.WHOLE),
            "23.00",
        ),  # 22.50 half up
        (
            PriceRule(
                adjustment=Adjustment.PERCENT, amount=D("12"), rounding=Rounding.UP_TO_N, round_to=D("5")
            ),
            "25.00",
        ),
    ],
)
def test_adjustments_and_rounding(rule: PriceRule, expected: str) -> None:
    assert price("20.00", rule).amount_string == expected


def test_currency_conversion_quantises_to_the_listing_currency() -> None:
    # given a GBP store listing in Japan (0 decimals) and Vietnam (0 decimals) and the US (2)
    jp = price(
        "19.99",
        currency=CurrencyRule("GBP", D("191.234")),
        listing="JPY",
        price_range=region_rules("JP").price_range(),
    )
    vn = price(
        "19.99",
        currency=CurrencyRule("GBP", D("31450.5")),
        listing="VND",
        price_range=region_rules("VN").price_range(),
    )
    us = price(
        "19.99",
        currency=CurrencyRule("GBP", D("1.2712")),
        listing="USD",
        price_range=region_rules("US").price_range(),
    )
    assert (jp.amount_string, vn.amount_string, us.amount_string) == (
        "3823",
        "628695",
        "25.41",
    )  # 628,695.495 half up


def test_99_rounding_falls_back_to_whole_units_for_zero_decimal_currencies() -> None:
    result = price(
        "10",
        PriceRule(rounding=Rounding.TO_99),
        currency=CurrencyRule("GBP", D("191.5")),
        listing="JPY",
        price_range=None,
    )
    assert result.amount_string == "1915"


def test_missing_rate_is_an_error_and_no_price() -> None:
    result = price("19.99", currency=CurrencyRule("EUR"), listing="GBP")
    assert result.amount is None
    assert [(e.field, e.code) for e in result.errors] == [("skus[0].price.amount", "currency_rate_missing")]
    assert "Set a EUR->GBP rate" in result.errors[0].fix


def test_price_above_the_region_range_is_clamped_and_reported() -> None:
    result = price("6000")
    assert result.amount == D("5600")
    assert [e.code for e in result.errors] == ["price_out_of_range"]
    assert result.errors[0].extra == {"min": "0.01", "max": "5600", "amount": "6000.00"}


def test_big_discount_never_goes_negative() -> None:
    result = price("5.00", PriceRule(adjustment=Adjustment.FIXED, amount=D("-10")))
    assert result.amount_string == "0.01"  # clamped up to the UK minimum ...
    assert [e.code for e in result.errors] == ["price_out_of_range"]  # ... and reported, not silent


_AMOUNTS = st.decimals(
    min_value=D("0"), max_value=D("100000"), places=2, allow_nan=False, allow_infinity=False
)
_RULES = st.builds(
    PriceRule,
    source=st.sampled_from(list(PriceSource)),
    adjustment=st.sampled_from(list(Adjustment)),
    amount=st.decimals(
        min_value=D("-500"), max_value=D("500"), places=2, allow_nan=False, allow_infinity=False
    ),
    rounding=st.sampled_from(list(Rounding)),
    round_to=st.sampled_from([None, D("1"), D("5"), D("0.5"), D("10")]),
)
_CURRENCIES = st.sampled_from(["GBP", "USD", "JPY", "VND", "IDR", "THB"])


@settings(max_examples=300, deadline=None)
@given(
    _AMOUNTS, _AMOUNTS, _RULES, _CURRENCIES, st.decimals(min_value=D("0.001"), max_value=D("40000"), places=3)
)
def test_property_price_is_never_negative_and_has_the_currency_decimals(
    amount: Decimal, compare_at: Decimal, rule: PriceRule, currency: str, rate: Decimal
) -> None:
    item = variant(price=amount, compare_at_price=compare_at)
    result = compute_price(item, rule, CurrencyRule("GBP", rate), listing_currency=currency, price_range=None)
    assert result.amount is not None and result.amount >= 0
    decimals = 0 if currency in ("JPY", "VND", "IDR") else 2
    assert result.amount.as_tuple().exponent == -decimals
    if rule.rounding is Rounding.TO_99 and decimals == 2 and result.amount > 0:
        assert result.amount_string.endswith(".99")
    if rule.rounding is Rounding.TO_95 and decimals == 2 and result.amount > 0:
        assert result.amount_string.endswith(".95")
    if rule.rounding is Rounding.UP_TO_N and rule.round_to and result.amount > 0:
        assert result.amount % rule.round_to == 0 or decimals == 0


@settings(max_examples=200, deadline=None)
@given(_AMOUNTS, _RULES)
def test_property_result_within_range_or_error(amount: Decimal, rule: PriceRule) -> None:
    result = compute_price(variant(price=amount), rule, GBP, listing_currency="GBP", price_range=UK_RANGE)
    assert result.amount is not None and UK_RANGE.min <= result.amount <= UK_RANGE.max
    in_range = not result.errors
    assert in_range or [e.code for e in result.errors] == ["price_out_of_range"]
