"""Store stock -> the quantity offered on TikTok, by the merchant's inventory rule.

Order: "continue selling" / untracked -> 99,999; else sum the counted locations -> minus the
reserved units (oversell guard) -> below the out-of-stock threshold send 0 -> percentage (rounded
down: never offer a unit we may not have) -> cap -> clamp to 0..99,999.

§8.8: ``skus[].inventory[].quantity`` is an int, newer doc [1, 99,999] (older doc up to 999,999);
§8.14 update accepts 0 (UNCONFIRMED bounds, §16 item 13). We send 0..99,999: 0 is how a sold-out
SKU is expressed on update.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_FLOOR, Decimal

from .types import InventoryRule

MAX_QUANTITY = 99_999  # §8.8 newer doc upper bound
UNLIMITED = MAX_QUANTITY  # what "continue selling when out of stock" becomes


def counted_stock(levels: Mapping[str, int] | int | None, location_ids: frozenset[str] | None) -> int:
    """Sum of available units at the locations that count.

    Negative levels are kept: they are units already sold from that location, which the other
    locations' stock must cover.
    """
    if levels is None:
        return 0
    if isinstance(levels, int):
        return levels
    return sum(qty for loc, qty in levels.items() if location_ids is None or loc in location_ids)


def compute_quantity(
    levels: Mapping[str, int] | int | None,
    rule: InventoryRule,
    *,
    continue_selling: bool = False,
    tracks_inventory: bool = True,
) -> int:
    """The quantity to send for one SKU: always an int in 0..99,999."""
    if continue_selling or not tracks_inventory:
        quantity = UNLIMITED
    else:
        available = max(counted_stock(levels, rule.location_ids) - max(rule.reserved, 0), 0)
        # The threshold is about the merchant's real stock (what they see in the store), so it is
        # tested before the percentage share is taken.
        if available < rule.out_of_stock_threshold:
            available = 0
        share = Decimal(available) * max(rule.percentage, Decimal(0)) / Decimal(100)
        quantity = int(share.to_integral_value(rounding=ROUND_FLOOR))
    if rule.cap is not None:
        quantity = min(quantity, max(rule.cap, 0))
    return min(max(quantity, 0), MAX_QUANTITY)
