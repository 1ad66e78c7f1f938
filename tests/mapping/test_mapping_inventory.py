"""Inventory rules: what quantity TikTok gets for the store's stock."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopbridge.mapping.inventory import MAX_QUANTITY, compute_quantity
from shopbridge.mapping.types import InventoryRule


def test_default_rule_sends_the_store_quantity() -> None:
    assert compute_quantity(12, InventoryRule()) == 12


def test_missing_or_negative_stock_sends_zero() -> None:
    assert compute_quantity(None, InventoryRule()) == 0
    assert compute_quantity(-4, InventoryRule()) == 0


def test_continue_selling_and_untracked_send_the_maximum() -> None:
    assert compute_quantity(0, InventoryRule(), continue_selling=True) == 99_999
    assert compute_quantity(0, InventoryRule(), tracks_inventory=False) == 99_999


def test_cap_applies_to_continue_selling_too() -> None:
    assert compute_quantity(0, InventoryRule(cap=50), continue_selling=True) == 50


@pytest.mark.parametrize(
    ("stock", "rule", "expected"),
    [
        (10, InventoryRule(percentage=Decimal("50")), 5),
        (5, InventoryRule(percentage=Decimal("50")), 2),  # rounded down: never offer half a unit
        (2, InventoryRule(out_of_stock_threshold=3), 0),
        (3, InventoryRule(out_of_stock_threshold=3), 3),
        (10, InventoryRule(reserved=4), 6),
        (3, InventoryRule(reserved=4), 0),
        (500, InventoryRule(cap=100), 100),
        (250_000, InventoryRule(), 99_999),
        (
            10,
            InventoryRule(reserved=2, out_of_stock_threshold=9),
            0,
        ),  # threshold on what is left after the reserve
    ],
)
def test_rules(stock: int, rule: InventoryRule, expected: int) -> None:
    assert compute_quantity(stock, rule) == expected


def test_only_chosen_locations_count_and_negatives_reduce_the_total() -> None:
    levels = {"warehouse": 8, "shop": 5, "popup": -2}
    assert compute_quantity(levels, InventoryRule()) == 11
    assert compute_quantity(levels, InventoryRule(location_ids=frozenset({"warehouse"}))) == 8
    assert compute_quantity(levels, InventoryRule(location_ids=frozenset({"warehouse", "popup"}))) == 6


_RULES = st.builds(
    InventoryRule,
    percentage=st.decimals(min_value=Decimal("-50"), max_value=Decimal("300"), places=2),
    out_of_stock_threshold=st.integers(min_value=-5, max_value=50),
    cap=st.none() | st.integers(min_value=-10, max_value=200_000),
    location_ids=st.none() | st.frozensets(st.sampled_from(["a", "b", "c"])),
    reserved=st.integers(min_value=-10, max_value=100),
)
_LEVELS = (
    st.none()
    | st.integers(min_value=-1000, max_value=10**7)
    | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(min_value=-1000, max_value=10**6))
)


@settings(max_examples=400, deadline=None)
@given(_LEVELS, _RULES, st.booleans(), st.booleans())
def test_property_quantity_is_always_an_int_between_0_and_99999(
    levels, rule: InventoryRule, continue_selling: bool, tracks: bool
) -> None:
    quantity = compute_quantity(levels, rule, continue_selling=continue_selling, tracks_inventory=tracks)
    assert isinstance(quantity, int) and 0 <= quantity <= MAX_QUANTITY
    if rule.cap is not None:
        assert quantity <= max(rule.cap, 0)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=99_999), st.integers(min_value=0, max_value=100))
def test_property_never_offers_more_than_the_stock_minus_the_reserve(stock: int, reserved: int) -> None:
    assert compute_quantity(stock, InventoryRule(reserved=reserved)) == max(stock - reserved, 0)
