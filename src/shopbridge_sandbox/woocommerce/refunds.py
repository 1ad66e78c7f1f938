"""Order refunds: ``GET/POST /orders/{id}/refunds``, ``GET /orders/{id}/refunds/{refund_id}``.

../shared/spec/stores/woocommerce.md lists ``refunds[]`` (read-only) on the order (§7) but not the
refunds endpoint. This follows the WooCommerce REST docs ("Order refunds", wc/v3) and the v3
controller (``WC_REST_Order_Refunds_Controller`` + ``RestApiUtil::adjust_create_refund_request_parameters``),
UNCONFIRMED against the spec:

* body ``amount`` (string), ``reason``, ``line_items`` as a list ``[{id, quantity, refund_total}]``
  (converted to the legacy ``{item_id: {qty, refund_total}}`` map, which is also accepted),
  ``api_refund`` (default true: ask the payment gateway) and ``api_restock`` (default true:
  ``restock_items`` of ``wc_create_refund``); ``amount`` omitted = the sum of the lines' refund_total.
* errors: unknown order 404 ``woocommerce_rest_invalid_order_id``; negative amount 400
  ``woocommerce_rest_invalid_order_refund``; any ``wc_create_refund`` failure 500
  ``woocommerce_rest_cannot_create_order_refund`` with its message.

Deliberately stricter than WooCommerce: real ``wc_create_refund`` skips unknown line ids and does
not cap quantities; the emulator rejects both (same 500 envelope) so a connector that relies on
them fails in tests instead of silently over-restocking. All checks run before any state changes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from . import catalog
from .errors import WooError, validate_body
from .store import WooStore, iso

REFUND_FIELDS: dict[str, Any] = {
    "amount": "string",
    "reason": "string",
    "refunded_by": "integer",
    "meta_data": catalog.META,
    "api_refund": "boolean",
    "api_restock": "boolean",
}
CANNOT_CREATE = "woocommerce_rest_cannot_create_order_refund"


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal("0")
    except ArithmeticError:
        return Decimal("0")


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _cannot(message: str) -> WooError:
    return WooError(CANNOT_CREATE, message, 500)


# -- state ----------------------------------------------------------------------------------------
def refunds_of(order: dict[str, Any]) -> list[dict[str, Any]]:
    return order.setdefault("refund_records", [])


def refunded_quantity(order: dict[str, Any], item_id: int) -> int:
    return sum(line["qty"] for r in refunds_of(order) for line in r["lines"] if line["item_id"] == item_id)


def remaining_amount(order: dict[str, Any], total: Decimal) -> Decimal:
    return total - sum((r["amount"] for r in refunds_of(order)), Decimal("0"))


def restocked_quantity(order: dict[str, Any], item_id: int) -> int:
    """What refunds already put back for a line: a later cancel restores only the rest."""
    return order.get("restocked", {}).get(item_id, 0)


# -- request --------------------------------------------------------------------------------------
def _line_map(raw: Any) -> dict[int, dict[str, Any]]:
    """RestApiUtil: the documented list form -> ``{item_id: {qty, refund_total}}``."""
    if raw in (None, [], {}):
        return {}
    if isinstance(raw, dict):
        entries = [{"id": key, **value} for key, value in raw.items() if isinstance(value, dict)]
        entries = [{**e, "quantity": e.get("qty", e.get("quantity"))} for e in entries]
    elif isinstance(raw, list) and all(isinstance(e, dict) and "id" in e for e in raw):
        entries = raw
    else:
        raise WooError("rest_invalid_param", "Invalid parameter(s): line_items", 400)
    lines: dict[int, dict[str, Any]] = {}
    for entry in entries:
        try:
            item_id, qty = int(entry["id"]), int(entry.get("quantity") or 0)
        except (TypeError, ValueError):
            raise WooError("rest_invalid_param", "Invalid parameter(s): line_items", 400) from None
        lines[item_id] = {"qty": qty, "refund_total": entry.get("refund_total")}
    return lines


def _checked_lines(order: dict[str, Any], lines: dict[int, dict[str, Any]]) -> list[dict[str, Any]]:
    checked = []
    for item_id, wanted in lines.items():
        item = next((i for i in order["line_items"] if i["id"] == item_id), None)
        if item is None:
            raise _cannot(f"Invalid line item ID {item_id}.")  # stricter than WooCommerce (module doc)
        if wanted["qty"] < 0 or wanted["qty"] + refunded_quantity(order, item_id) > item["quantity"]:
            raise _cannot(f"Invalid refund quantity for line item {item_id}.")  # stricter, as above
        total = _dec(wanted["refund_total"])
        if total < 0:
            raise _cannot("Invalid refund amount.")
        checked.append({"item_id": item_id, "item": item, "qty": wanted["qty"], "total": total})
    return checked


def create_refund(store: WooStore, order: dict[str, Any], body: Any, order_total: Decimal) -> dict[str, Any]:
    data = validate_body(body, REFUND_FIELDS)
    lines = _checked_lines(order, _line_map(data.get("line_items")))
    if "amount" in data:
        amount = _dec(data["amount"])
    else:
        amount = sum((line["total"] for line in lines), Decimal("0"))
    if amount < 0:
        raise WooError(
            "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400
        )
    if amount > remaining_amount(order, order_total):
        raise _cannot("Invalid refund amount.")  # wc_create_refund
    if data.get("api_refund", True) and amount > 0:
        # wc_refund_payment: the emulated site has no gateway that supports automatic refunds.
        raise _cannot("The payment gateway for this order does not support automatic refunds.")
    refund = {
        "id": store.next_post_id(),
        "date_created": store.now(),
        "amount": amount,
        "reason": data.get("reason") or "",
        "refunded_by": data.get("refunded_by", 1),
        "meta_data": [],
        "lines": [{**line, "meta_id": store.next_meta_id()} for line in lines],
    }
    catalog.apply_meta(store, refund["meta_data"], data.get("meta_data", []))
    refunds_of(order).insert(0, refund)  # WC_Order::get_refunds(): newest first
    if data.get("api_restock", True):
        _restock(store, order, lines)
    if remaining_amount(order, order_total) <= 0 and all(
        refunded_quantity(order, item["id"]) >= item["quantity"] for item in order["line_items"]
    ):
        from .orders import set_status

        set_status(store, order, "refunded")  # wc_order_fully_refunded
    order["date_modified"] = store.now()
    store.emit("order", "updated", order["id"])
    return refund


def _restock(store: WooStore, order: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    """wc_restock_refunded_items: only stock the order had reduced goes back."""
    if not order["stock_reduced"]:
        return
    from .orders import add_note

    restocked = order.setdefault("restocked", {})
    for line in lines:
        item = line["item"]
        record = store.variations.get(item["variation_id"]) or store.products.get(item["product_id"])
        owner = catalog.stock_owner(store, record) if record else None
        if owner is None or line["qty"] <= 0:
            continue
        before = owner["stock_quantity"] or 0
        owner["stock_quantity"] = before + line["qty"]
        catalog.normalise_stock(owner)
        owner["date_modified"] = store.now()
        restocked[item["id"]] = restocked.get(item["id"], 0) + line["qty"]
        store.emit("product", "updated", owner["id"])
        add_note(
            store, order, f"Item #{owner['id']} stock increased from {before} to {owner['stock_quantity']}."
        )


# -- JSON -----------------------------------------------------------------------------------------
def refund_json(order: dict[str, Any], refund: dict[str, Any], base: str) -> dict[str, Any]:
    created = iso(refund["date_created"])
    href = f"{base}/wp-json/wc/v3/orders/{order['id']}/refunds"
    return {
        "id": refund["id"],
        "date_created": created,
        "date_created_gmt": created,
        "amount": _money(refund["amount"]),
        "reason": refund["reason"],
        "refunded_by": refund["refunded_by"],
        "refunded_payment": False,
        "meta_data": [dict(m) for m in refund["meta_data"]],
        "line_items": [_refund_line_json(line) for line in refund["lines"]],
        "shipping_lines": [],
        "tax_lines": [],
        "fee_lines": [],
        "_links": {
            "self": [{"href": f"{href}/{refund['id']}"}],
            "collection": [{"href": href}],
            "up": [{"href": f"{base}/wp-json/wc/v3/orders/{order['id']}"}],
        },
    }


def _refund_line_json(line: dict[str, Any]) -> dict[str, Any]:
    """Refund items mirror the order item with negative quantity and totals (W-ORD refund line)."""
    item, qty = line["item"], line["qty"]
    price = line["total"] / qty if qty else Decimal("0")
    return {
        "id": line["meta_id"],
        "name": item["name"],
        "product_id": item["product_id"],
        "variation_id": item["variation_id"],
        "quantity": -qty,
        "tax_class": item["tax_class"],
        "subtotal": _money(-line["total"]),
        "subtotal_tax": "0.00",
        "total": _money(-line["total"]),
        "total_tax": "0.00",
        "taxes": [],
        "meta_data": [{"id": line["meta_id"], "key": "_refunded_item_id", "value": str(item["id"])}],
        "sku": item["sku"],
        "price": float(-price),
    }


def order_refunds_json(order: dict[str, Any]) -> list[dict[str, Any]]:
    """The order's read-only ``refunds`` summary: ``{id, reason, total}`` with a negative total."""
    return [{"id": r["id"], "reason": r["reason"], "total": _money(-r["amount"])} for r in refunds_of(order)]
