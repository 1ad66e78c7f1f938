"""Refunds: ``orders/{id}/refunds/calculate.json``, ``orders/{id}/refunds.json`` (create, list, get).

../shared/spec/stores/shopify.md does not cover refunds (it stops at §6.3 cancel; §6.2 only lists
``refunds[]`` on the order). Everything here follows shopify.dev "REST Admin API > Refund" and the
GraphQL ``RefundLineItemRestockType`` enum page, and is UNCONFIRMED against the spec; the 422
messages in particular are best known, in the documented ``{"errors": {"field": ["msg"]}}`` shape
(spec §4.2). Every check runs before any state changes, so a rejected refund changes nothing.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .catalog import adjust_level
from .state import Shop, gid, money, money_set, unprocessable

# Accepted on create; ``legacy_restock`` is read-only ("not accepted when creating new refunds").
RESTOCK_TYPES = ("no_restock", "cancel", "return")
RESTOCKING = ("cancel", "return")
PAID_STATUSES = ("paid", "partially_refunded", "partially_paid")


# -- money ------------------------------------------------------------------------------------------
def sale_transaction_id(shop: Shop, order: dict[str, Any]) -> int:
    """The id of the order's sale, the parent of its refunds (assigned on first need)."""
    if "_sale_transaction_id" not in order:
        order["_sale_transaction_id"] = shop.next_id()
    return order["_sale_transaction_id"]


def refunded_amount(order: dict[str, Any]) -> Decimal:
    return sum(
        (Decimal(t["amount"]) for r in order["refunds"] for t in r["transactions"] if t["kind"] == "refund"),
        Decimal("0"),
    )


def refundable_amount(order: dict[str, Any]) -> Decimal:
    """What is left to refund: the paid total minus earlier refunds (nothing if never paid)."""
    if order["financial_status"] not in PAID_STATUSES:
        return Decimal("0")
    return max(Decimal(order["total_price"]) - refunded_amount(order), Decimal("0"))


# -- lines ------------------------------------------------------------------------------------------
def refunded_quantity(order: dict[str, Any], line_id: int) -> int:
    return sum(
        rli["quantity"]
        for r in order["refunds"]
        for rli in r["refund_line_items"]
        if rli["line_item_id"] == line_id
    )


def _checked_line(
    shop: Shop, order: dict[str, Any], wanted: Any, claimed: dict[int, int]
) -> tuple[dict[str, Any], int, str, int | None]:
    if not isinstance(wanted, dict):
        raise unprocessable("refund_line_items", "is invalid")
    line = next((li for li in order["line_items"] if li["id"] == wanted.get("line_item_id")), None)
    if line is None:
        raise unprocessable("refund_line_items", f"line item {wanted.get('line_item_id')} does not exist")
    quantity = wanted.get("quantity")
    if not isinstance(quantity, int) or quantity < 1:
        raise unprocessable("refund_line_items.quantity", "must be greater than 0")
    claimed[line["id"]] = claimed.get(line["id"], 0) + quantity
    if claimed[line["id"]] + refunded_quantity(order, line["id"]) > line["quantity"]:
        raise unprocessable("refund_line_items.quantity", "cannot refund more items than were purchased")
    restock_type = wanted.get("restock_type") or "no_restock"
    if restock_type not in RESTOCK_TYPES:
        raise unprocessable("refund_line_items.restock_type", "is not included in the list")
    location_id = wanted.get("location_id")
    if restock_type in RESTOCKING:
        # location_id: "Required when restock_type has the value return or cancel."
        if location_id is None:
            raise unprocessable("refund_line_items.location_id", "can't be blank")
        if location_id not in shop.locations:
            raise unprocessable("refund_line_items.location_id", "Location does not exist")
    return line, quantity, restock_type, location_id if restock_type in RESTOCKING else None


def checked_lines(
    shop: Shop, order: dict[str, Any], payload: dict[str, Any]
) -> list[tuple[dict[str, Any], int, str, int | None]]:
    claimed: dict[int, int] = {}
    return [_checked_line(shop, order, wanted, claimed) for wanted in payload.get("refund_line_items") or []]


def _line_money(line: dict[str, Any], quantity: int) -> Decimal:
    # Per-line discounts are not emulated (orders carry order-level discount codes only).
    return Decimal(line["price"]) * quantity


def _shipping_amount(order: dict[str, Any], payload: dict[str, Any]) -> Decimal:
    shipping = payload.get("shipping") or {}
    total = sum((Decimal(s["price"]) for s in order["shipping_lines"]), Decimal("0"))
    if shipping.get("full_refund"):
        return total
    amount = Decimal(str(shipping.get("amount") or 0))
    if amount < 0 or amount > total:
        raise unprocessable("shipping.amount", "is invalid")
    return amount


# -- calculate --------------------------------------------------------------------------------------
def calculate(shop: Shop, order: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    """The suggested refund: lines priced, one ``suggested_refund`` transaction on the sale."""
    lines = checked_lines(shop, order, payload)
    shipping = _shipping_amount(order, payload)
    wanted = sum((_line_money(line, qty) for line, qty, _, _ in lines), Decimal("0")) + shipping
    refundable = refundable_amount(order)
    suggested = min(wanted, refundable)
    transactions = []
    if refundable > 0:
        transactions.append(
            {
                "order_id": order["id"],
                "kind": "suggested_refund",
                "gateway": (order["payment_gateway_names"] or ["manual"])[0],
                "parent_id": sale_transaction_id(shop, order),
                "amount": money(suggested),
                "currency": order["currency"],
                "maximum_refundable": money(refundable),
            }
        )
    return {
        "shipping": {"amount": money(shipping), "tax": "0.00", "maximum_refundable": money(shipping)},
        "duties": [],
        "refund_line_items": [
            {
                "quantity": qty,
                "line_item_id": line["id"],
                "location_id": location_id,
                "restock_type": restock_type,
                "price": line["price"],
                "subtotal": money(_line_money(line, qty)),
                "total_tax": "0.00",
                "discounted_price": line["price"],
                "discounted_total_price": money(_line_money(line, qty)),
                "total_cart_discount_amount": "0.00",
            }
            for line, qty, restock_type, location_id in lines
        ],
        "transactions": transactions,
        "currency": order["currency"],
    }


# -- create -----------------------------------------------------------------------------------------
def _checked_transactions(shop: Shop, order: dict[str, Any], payload: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for t in payload.get("transactions") or []:
        if not isinstance(t, dict) or t.get("kind") != "refund":
            raise unprocessable("transactions", "kind must be refund")
        if t.get("parent_id") != sale_transaction_id(shop, order):
            raise unprocessable("transactions", "parent_id is invalid")
        amount = Decimal(str(t.get("amount") or 0))
        if amount <= 0:
            raise unprocessable("transactions", "amount must be greater than 0")
        found.append({"amount": amount, "gateway": t.get("gateway") or "manual"})
    total = sum((t["amount"] for t in found), Decimal("0"))
    if total > refundable_amount(order):
        raise unprocessable("base", f"Refund amount {money(total)} exceeds the refundable amount")
    return found


def create_refund(shop: Shop, order: dict[str, Any], payload: dict[str, Any]) -> tuple[dict[str, Any], list]:
    """Record a refund; returns it with the (inventory item, location) levels it restocked."""
    lines = checked_lines(shop, order, payload)
    transactions = _checked_transactions(shop, order, payload)
    refund_id = shop.next_id()
    restocked = _apply_lines(shop, lines)
    refund = {
        "id": refund_id,
        "admin_graphql_api_id": gid("Refund", refund_id),
        "order_id": order["id"],
        "note": payload.get("note"),
        "user_id": None,
        "restock": bool(restocked),
        "duties": [],
        "total_duties_set": money_set(0, order["currency"]),
        "return": None,
        "order_adjustments": [],
        "refund_line_items": [_refund_line(shop, order, *entry) for entry in lines],
        "transactions": [_transaction(shop, order, t) for t in transactions],
        "processed_at": shop.now_iso(),
    }
    shop.stamp(refund, created=True)
    order["refunds"].append(refund)
    if transactions:
        order["financial_status"] = (
            "refunded" if refunded_amount(order) >= Decimal(order["total_price"]) else "partially_refunded"
        )
    shop.stamp(order)
    return refund, restocked


def _apply_lines(
    shop: Shop, lines: list[tuple[dict[str, Any], int, str, int | None]]
) -> list[tuple[int, int]]:
    restocked = []
    for line, quantity, restock_type, location_id in lines:
        line["current_quantity"] = max(line["current_quantity"] - quantity, 0)
        if restock_type == "cancel":
            # cancel: unfulfilled items, so the line has that much less left to fulfil.
            line["fulfillable_quantity"] = max(line["fulfillable_quantity"] - quantity, 0)
        item_id = line["_inventory_item_id"]
        if restock_type in RESTOCKING and item_id in shop.inventory_items and location_id is not None:
            adjust_level(shop, item_id, location_id, quantity)
            # What a later cancel-with-restock may still put back.
            line["_decremented"] = max(line["_decremented"] - quantity, 0)
            restocked.append((item_id, location_id))
    return restocked


def _refund_line(
    shop: Shop,
    order: dict[str, Any],
    line: dict[str, Any],
    quantity: int,
    restock_type: str,
    location_id: int | None,
) -> dict[str, Any]:
    subtotal = _line_money(line, quantity)
    return {
        "id": shop.next_id(),
        "line_item_id": line["id"],
        "quantity": quantity,
        "location_id": location_id,
        "restock_type": restock_type,
        "subtotal": money(subtotal),
        "total_tax": "0.00",
        "subtotal_set": money_set(subtotal, order["currency"]),
        "total_tax_set": money_set(0, order["currency"]),
        "line_item": dict(line),  # a snapshot of the line as refunded
    }


def _transaction(shop: Shop, order: dict[str, Any], t: dict[str, Any]) -> dict[str, Any]:
    transaction_id = shop.next_id()
    return {
        "id": transaction_id,
        "admin_graphql_api_id": gid("OrderTransaction", transaction_id),
        "order_id": order["id"],
        "kind": "refund",
        "gateway": t["gateway"],
        "status": "success",
        "message": "Refunded",
        "test": False,
        "authorization": None,
        "currency": order["currency"],
        "amount": money(t["amount"]),
        "parent_id": sale_transaction_id(shop, order),
        "created_at": shop.now_iso(),
        "processed_at": shop.now_iso(),
    }
