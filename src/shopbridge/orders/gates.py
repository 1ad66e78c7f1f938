"""Why an order cannot be created in the store yet: each gate has a code, a reason and the fix.

A blocked order is retried by the reconciler, so it syncs by itself once the cause is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Block:
    code: str
    reason: str
    fix: str


def order_sync_off() -> Block:
    return Block("order_sync_off", "Order sync is turned off for this channel.",
                 "Turn on order sync in the channel settings; waiting orders then sync.")


def placed_before_connection(placed: str, since: str) -> Block:
    return Block("placed_before_connection",
                 f"The order was placed ({placed}) before this channel was connected ({since}).",
                 "Nothing to do if it was handled before; otherwise create it in the store by hand or re-sync it.")


def line_not_linked(sku_id: str, seller_sku: str, title: str) -> Block:
    return Block("line_not_linked",
                 f"“{title}” (TikTok SKU {sku_id}, seller SKU {seller_sku or 'none'}) is not linked to a store variant.",
                 "Link the TikTok product to the store product on the Listings page; the order then syncs by itself.")


def variant_deleted(title: str) -> Block:
    return Block("variant_deleted", f"The store product or variant for “{title}” was deleted.",
                 "Restore the product in the store (or link the TikTok SKU to another variant); the order then syncs.")


def out_of_stock(title: str, needed: int, available: int) -> Block:
    return Block("out_of_stock", f"The store has {available} of “{title}” but the order needs {needed}.",
                 "Restock the variant in the store (or allow overselling); the order then syncs by itself.")


def store_field_missing(field: str) -> Block:
    return Block("store_field_missing", f"The store needs the buyer's {field}, which TikTok did not send (yet).",
                 f"Set a placeholder for the {field} in the channel's order settings, or wait: TikTok sends "
                 "the address once the cancellation hour ends and the order then syncs by itself.")


def currency_mismatch(order_currency: str, store_currency: str) -> Block:
    return Block("currency_mismatch",
                 f"The order is in {order_currency} but the store sells in {store_currency}.",
                 "Create the order by hand, or connect a store that sells in the shop's currency.")
