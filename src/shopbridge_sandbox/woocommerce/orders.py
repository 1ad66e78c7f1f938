"""Orders, order notes and Shipment Tracking items: the rules of the v2/v3 orders controller.

Sources: ../shared/spec/stores/woocommerce.md §7 (W-ORD, WC-ORDV2, W-NOTE) and §7.4 (Shipment
Tracking extension, UNCONFIRMED field set; shapes from the fluxc fixtures
``wc-order-shipment-trackings-success.json``).
"""

from __future__ import annotations

import time
from decimal import Decimal
from typing import Any

from . import catalog, refunds
from .errors import WooError, invalid_id, validate_body
from .store import WooStore, iso

ORDER_STATUSES = ["pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "trash"]
STATUS_LABELS = {
    "pending": "Pending payment",
    "processing": "Processing",
    "on-hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
    "refunded": "Refunded",
    "failed": "Failed",
    "trash": "Trash",
}
# Statuses that hold stock (wc_maybe_reduce_stock_levels hooks) and that give it back
# (wc_maybe_increase_stock_levels on cancelled/pending). Spec §7.1-7.2: UNCONFIRMED nuance.
REDUCING = {"processing", "completed", "on-hold"}
RESTORING = {"cancelled", "pending"}
# WC_Order::payment_complete only moves an order out of these statuses.
PAYABLE = {"on-hold", "pending", "failed", "cancelled"}

ADDRESS_FIELDS = [
    "first_name",
    "last_name",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "postcode",
    "country",
]
ADDRESS = ("object", {name: "string" for name in [*ADDRESS_FIELDS, "email", "phone"]})
META = catalog.META
ORDER_FIELDS: dict[str, Any] = {
    "parent_id": "integer",
    "status": ("enum", ORDER_STATUSES),
    "currency": "string",
    "customer_id": "integer",
    "customer_note": "string",
    "billing": ADDRESS,
    "shipping": ADDRESS,
    "payment_method": "string",
    "payment_method_title": "string",
    "transaction_id": "string",
    "meta_data": META,
    "set_paid": "boolean",
    "line_items": (
        "array",
        (
            "object",
            {
                "id": "integer",
                "name": "string",
                "product_id": "integer",
                "variation_id": "integer",
                "quantity": "integer",
                "tax_class": "string",
                "subtotal": "string",
                "total": "string",
                "sku": "string",
                "meta_data": META,
            },
        ),
    ),
    "shipping_lines": (
        "array",
        (
            "object",
            {
                "id": "integer",
                "method_title": "string",
                "method_id": "string",
                "total": "string",
                "meta_data": META,
            },
        ),
    ),
    "fee_lines": (
        "array",
        (
            "object",
            {
                "id": "integer",
                "name": "string",
                "tax_class": "string",
                "tax_status": ("enum", ["taxable", "none"]),
                "total": "string",
                "meta_data": META,
            },
        ),
    ),
    "coupon_lines": ("array", ("object", {"code": "string"})),
}
NOTE_FIELDS: dict[str, Any] = {"note": "string", "customer_note": "boolean", "added_by_user": "boolean"}
TRACKING_FIELDS: dict[str, Any] = {
    "tracking_provider": "string",
    "custom_tracking_provider": "string",
    "custom_tracking_link": "string",
    "tracking_number": "string",
    "date_shipped": "string",
}
# Facts from the Shipment Tracking provider table (fluxc wc-order-shipment-providers-success.json):
# provider name -> tracking URL template; %1$s is the tracking number.
PROVIDER_LINKS = {
    "UPS": "https://www.ups.com/track?loc=en_US&tracknum=%1$s",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction_input?qtc_tLabels1=%1$s",
    "FedEx": "https://www.fedex.com/apps/fedextrack/?action=track&action=track&tracknumbers=%1$s",
    "DHL US": "https://www.logistics.dhl/us-en/home/tracking/tracking-ecommerce.html?tracking-id=%1$s",
    "Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/%1$s",
}
TRACKING_META = "_wc_shipment_tracking_items"


def _money(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def _dec(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal("0")
    except ArithmeticError:
        return Decimal("0")


# -- create ------------------------------------------------------------------------------------
def create_order(store: WooStore, body: Any) -> dict[str, Any]:
    data = validate_body(body, ORDER_FIELDS)
    if data.get("id"):
        raise WooError("woocommerce_rest_shop_order_exists", "Cannot create existing shop_order.", 400)
    if data.get("customer_id"):
        # WC-ORDV2: a customer id must exist; the emulated site has no customers.
        raise WooError("woocommerce_rest_invalid_customer_id", "Customer ID is invalid.", 400)
    now = store.now()
    order_id = store.next_post_id()
    order: dict[str, Any] = {
        "id": order_id,
        "parent_id": data.get("parent_id", 0),
        "number": str(order_id),
        "order_key": f"wc_order_{store.wp_hash(str(order_id))[:13]}",
        "created_via": "rest-api",
        "status": "pending",
        "currency": data.get("currency", store.settings["general"]["woocommerce_currency"]),
        "date_created": now,
        "date_modified": now,
        "date_paid": None,
        "date_completed": None,
        "customer_id": 0,
        "customer_note": data.get("customer_note", ""),
        "billing": _address(data.get("billing"), with_email=True),
        "shipping": _address(data.get("shipping"), with_email=False),
        "payment_method": data.get("payment_method", ""),
        "payment_method_title": data.get("payment_method_title", ""),
        "transaction_id": data.get("transaction_id", ""),
        "meta_data": [],
        "line_items": [_line_item(store, line) for line in data.get("line_items", [])],
        "shipping_lines": [_shipping_line(store, line) for line in data.get("shipping_lines", [])],
        "fee_lines": [_fee_line(store, line) for line in data.get("fee_lines", [])],
        "stock_reduced": False,
    }
    catalog.apply_meta(store, order["meta_data"], data.get("meta_data", []))
    store.orders[order_id] = order
    store.notes[order_id] = []
    # WC-ORDV2 create: totals, then status, then set_paid -> payment_complete().
    if data.get("status"):
        set_status(store, order, data["status"])
    if data.get("set_paid"):
        payment_complete(store, order)
    store.emit("order", "created", order_id)
    return order


def _address(posted: dict[str, Any] | None, *, with_email: bool) -> dict[str, str]:
    fields = [*ADDRESS_FIELDS, "email", "phone"] if with_email else [*ADDRESS_FIELDS, "phone"]
    return {name: (posted or {}).get(name, "") for name in fields}


def _line_item(store: WooStore, posted: dict[str, Any]) -> dict[str, Any]:
    """WC-ORDV2 prepare_line_items: sku wins, else variation_id, else product_id; none -> 400.
    An unknown id is NOT an error: the line is saved unlinked with only the posted props."""
    product = None
    if posted.get("sku"):
        product = next(
            (r for r in [*store.products.values(), *store.variations.values()] if r["sku"] == posted["sku"]),
            None,
        )
    elif posted.get("variation_id"):
        product = store.variations.get(posted["variation_id"])
    elif posted.get("product_id"):
        product = store.products.get(posted["product_id"])
    else:
        raise WooError("woocommerce_rest_required_product_reference", "Product ID or SKU is required.", 400)
    quantity = posted.get("quantity", 1)
    item: dict[str, Any] = {
        "id": store.next_meta_id(),
        "name": posted.get("name", ""),
        "product_id": 0,
        "variation_id": 0,
        "quantity": quantity,
        "tax_class": posted.get("tax_class", ""),
        "subtotal": posted.get("subtotal", ""),
        "total": posted.get("total", ""),
        "sku": "",
        "meta_data": [
            store.meta(m["key"], m.get("value")) for m in posted.get("meta_data", []) if m.get("key")
        ],
    }
    if product is not None:
        unit = _dec(catalog.active_price(store, product))
        is_variation = product["kind"] == "variation"
        item.update(
            {
                "product_id": product["parent_id"] if is_variation else product["id"],
                "variation_id": product["id"] if is_variation else 0,
                "sku": product["sku"],
                "name": item["name"] or _product_name(store, product),
                "subtotal": item["subtotal"] or _money(unit * quantity),
                "total": item["total"] or _money(unit * quantity),
            }
        )
    item["subtotal"] = _money(_dec(item["subtotal"]))
    item["total"] = _money(_dec(item["total"]))
    return item


def _product_name(store: WooStore, record: dict[str, Any]) -> str:
    if record["kind"] == "variation":
        parent = store.products.get(record["parent_id"], {})
        options = [a["option"] for a in record["attributes"] if a["option"]]
        return " - ".join([parent.get("name", ""), ", ".join(options)]) if options else parent.get("name", "")
    return record["name"]


def _shipping_line(store: WooStore, posted: dict[str, Any]) -> dict[str, Any]:
    if not posted.get("method_id"):
        raise WooError("woocommerce_rest_invalid_shipping_item", "Shipping method ID is required.", 400)
    return {
        "id": store.next_meta_id(),
        "method_title": posted.get("method_title", ""),
        "method_id": posted["method_id"],
        "instance_id": "",
        "total": _money(_dec(posted.get("total"))),
        "meta_data": [],
    }


def _fee_line(store: WooStore, posted: dict[str, Any]) -> dict[str, Any]:
    if not posted.get("name"):
        raise WooError("woocommerce_rest_invalid_fee_item", "Fee name is required.", 400)
    return {
        "id": store.next_meta_id(),
        "name": posted["name"],
        "tax_class": posted.get("tax_class", ""),
        "tax_status": posted.get("tax_status", "taxable"),
        "total": _money(_dec(posted.get("total"))),
        "meta_data": [],
    }


# -- status and stock --------------------------------------------------------------------------
def set_status(store: WooStore, order: dict[str, Any], status: str, note: str = "") -> None:
    old = order["status"]
    if old == status:
        return
    order["status"] = status
    order["date_modified"] = store.now()
    if status == "completed":
        order["date_completed"] = store.now()
    add_note(
        store,
        order,
        f"{note}Order status changed from {STATUS_LABELS[old]} to {STATUS_LABELS[status]}.",
        author="system",
    )
    if status in REDUCING:
        reduce_stock(store, order)
    elif status in RESTORING:
        restore_stock(store, order)


def payment_complete(store: WooStore, order: dict[str, Any]) -> None:
    order["date_paid"] = order["date_paid"] or store.now()
    if order["status"] in PAYABLE:
        set_status(store, order, "processing")
    reduce_stock(store, order)  # woocommerce_payment_complete -> wc_maybe_reduce_stock_levels


def _stock_changes(store: WooStore, order: dict[str, Any], sign: int) -> list[str]:
    changes = []
    for item in order["line_items"]:
        record = store.variations.get(item["variation_id"]) or store.products.get(item["product_id"])
        owner = catalog.stock_owner(store, record) if record else None
        if owner is None:
            continue
        # Stock a refund already put back is not restored twice (``_reduced_stock`` item meta).
        quantity = item["quantity"] - (refunds.restocked_quantity(order, item["id"]) if sign > 0 else 0)
        if quantity <= 0:
            continue
        before = owner["stock_quantity"] or 0
        owner["stock_quantity"] = before + sign * quantity
        catalog.normalise_stock(owner)
        owner["date_modified"] = store.now()
        store.emit("product", "updated", owner["id"])
        changes.append(
            f"{_product_name(store, owner)} ({owner['sku'] or owner['id']}) {before}&rarr;"
            f"{owner['stock_quantity']}"
        )
    return changes


def reduce_stock(store: WooStore, order: dict[str, Any]) -> None:
    if order["stock_reduced"]:
        return
    order["stock_reduced"] = True
    changes = _stock_changes(store, order, -1)
    if changes:
        add_note(store, order, "Stock levels reduced: " + ", ".join(changes), author="system")


def restore_stock(store: WooStore, order: dict[str, Any]) -> None:
    if not order["stock_reduced"]:
        return
    order["stock_reduced"] = False
    changes = _stock_changes(store, order, +1)
    if changes:
        add_note(store, order, "Stock levels increased: " + ", ".join(changes), author="system")


def update_order(store: WooStore, order: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, ORDER_FIELDS)
    for key in ("customer_note", "payment_method", "payment_method_title", "transaction_id", "currency"):
        if key in data:
            order[key] = data[key]
    for key in ("billing", "shipping"):
        if key in data:
            order[key].update({k: v for k, v in data[key].items() if k in order[key]})
    if "meta_data" in data:
        catalog.apply_meta(store, order["meta_data"], data["meta_data"])
    if "status" in data:
        set_status(store, order, data["status"])
    if data.get("set_paid"):
        payment_complete(store, order)
    order["date_modified"] = store.now()
    store.emit("order", "updated", order["id"])
    return order


def get_order(store: WooStore, order_id: int, status: int = 404) -> dict[str, Any]:
    order = store.orders.get(order_id)
    if order is None:
        raise invalid_id("shop_order", status)
    return order


def order_matches_search(order: dict[str, Any], term: str) -> bool:
    """Order search covers the id, billing/shipping address index and item names (WC order data
    store ``search_orders``); meta values are not searched."""
    term = term.lower()
    haystack = [str(order["id"]), *order["billing"].values(), *order["shipping"].values()]
    haystack += [item["name"] for item in order["line_items"]]
    return any(term in str(value).lower() for value in haystack)


def order_totals(order: dict[str, Any]) -> dict[str, Decimal]:
    lines = sum((_dec(i["total"]) for i in order["line_items"]), Decimal("0"))
    subtotals = sum((_dec(i["subtotal"]) for i in order["line_items"]), Decimal("0"))
    shipping = sum((_dec(s["total"]) for s in order["shipping_lines"]), Decimal("0"))
    fees = sum((_dec(f["total"]) for f in order["fee_lines"]), Decimal("0"))
    return {"discount": subtotals - lines, "shipping": shipping, "total": lines + shipping + fees}


def order_json(store: WooStore, order: dict[str, Any], base: str) -> dict[str, Any]:
    totals = order_totals(order)
    created, modified = iso(order["date_created"]), iso(order["date_modified"])
    paid, completed = iso(order["date_paid"]), iso(order["date_completed"])
    return {
        "id": order["id"],
        "parent_id": order["parent_id"],
        "number": order["number"],
        "order_key": order["order_key"],
        "created_via": order["created_via"],
        "version": "8.9.0",
        "status": order["status"],
        "currency": order["currency"],
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": modified,
        "date_modified_gmt": modified,
        "discount_total": _money(totals["discount"]),
        "discount_tax": "0.00",
        "shipping_total": _money(totals["shipping"]),
        "shipping_tax": "0.00",
        "cart_tax": "0.00",
        "total": _money(totals["total"]),
        "total_tax": "0.00",
        "prices_include_tax": store.settings["general"]["woocommerce_prices_include_tax"] == "yes",
        "customer_id": order["customer_id"],
        "customer_ip_address": "",
        "customer_user_agent": "",
        "customer_note": order["customer_note"],
        "billing": dict(order["billing"]),
        "shipping": dict(order["shipping"]),
        "payment_method": order["payment_method"],
        "payment_method_title": order["payment_method_title"],
        "transaction_id": order["transaction_id"],
        "date_paid": paid,
        "date_paid_gmt": paid,
        "date_completed": completed,
        "date_completed_gmt": completed,
        "cart_hash": "",
        "meta_data": [dict(m) for m in order["meta_data"]],
        "line_items": [_line_json(i) for i in order["line_items"]],
        "tax_lines": [],
        "shipping_lines": [dict(s, total_tax="0.00", taxes=[]) for s in order["shipping_lines"]],
        "fee_lines": [dict(f, total_tax="0.00", taxes=[]) for f in order["fee_lines"]],
        "coupon_lines": [],
        "refunds": refunds.order_refunds_json(order),
        "payment_url": f"{base}/checkout/order-pay/{order['id']}/?pay_for_order=true&key={order['order_key']}",
        "is_editable": order["status"] in ("pending", "on-hold"),
        "needs_payment": order["status"] in ("pending", "failed"),
        "needs_processing": True,
        "_links": {
            "self": [{"href": f"{base}/wp-json/wc/v3/orders/{order['id']}"}],
            "collection": [{"href": f"{base}/wp-json/wc/v3/orders"}],
        },
    }


def _line_json(item: dict[str, Any]) -> dict[str, Any]:
    quantity = item["quantity"] or 1
    price = _dec(item["total"]) / quantity
    return {
        **{k: v for k, v in item.items() if k != "meta_data"},
        "subtotal_tax": "0.00",
        "total_tax": "0.00",
        "taxes": [],
        "meta_data": [dict(m) for m in item["meta_data"]],
        # The line price is a JSON number (fluxc wc-fetch-order-response-success.json).
        "price": int(price) if price == price.to_integral_value() else float(price),
    }


# -- notes -------------------------------------------------------------------------------------
def add_note(
    store: WooStore,
    order: dict[str, Any],
    text: str,
    *,
    author: str = "system",
    customer_note: bool = False,
    added_by_user: bool = False,
) -> dict[str, Any]:
    note = {
        "id": next(store.comments),
        "author": author,
        "date_created": store.now(),
        "note": text,
        "customer_note": customer_note,
        "added_by_user": added_by_user,
    }
    store.notes.setdefault(order["id"], []).append(note)
    return note


def create_note(store: WooStore, order: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, NOTE_FIELDS)
    if not data.get("note"):
        # W-NOTE: note is required; WP core's missing-argument answer.
        raise WooError("rest_missing_callback_param", "Missing parameter(s): note", 400, {"params": ["note"]})
    return add_note(
        store,
        order,
        data["note"],
        author="ShopBridge" if data.get("added_by_user") else "system",
        customer_note=data.get("customer_note", False),
        added_by_user=data.get("added_by_user", False),
    )


def note_json(order_id: int, note: dict[str, Any], base: str) -> dict[str, Any]:
    stamp = iso(note["date_created"])
    return {
        "id": note["id"],
        "author": note["author"],
        "date_created": stamp,
        "date_created_gmt": stamp,
        "note": note["note"],
        "customer_note": note["customer_note"],
        "_links": {
            "self": [{"href": f"{base}/wp-json/wc/v3/orders/{order_id}/notes/{note['id']}"}],
            "collection": [{"href": f"{base}/wp-json/wc/v3/orders/{order_id}/notes"}],
            "up": [{"href": f"{base}/wp-json/wc/v3/orders/{order_id}"}],
        },
    }


# -- shipment tracking (extension) -------------------------------------------------------------
def tracking_items(order: dict[str, Any]) -> list[dict[str, Any]]:
    meta = next((m for m in order["meta_data"] if m["key"] == TRACKING_META), None)
    return meta["value"] if meta else []


def add_tracking(store: WooStore, order: dict[str, Any], body: Any) -> dict[str, Any]:
    """The extension stores items in order meta ``_wc_shipment_tracking_items`` (spec §7.4)."""
    data = validate_body(body, TRACKING_FIELDS)
    if not data.get("tracking_number"):
        raise WooError(
            "rest_missing_callback_param",
            "Missing parameter(s): tracking_number",
            400,
            {"params": ["tracking_number"]},
        )
    shipped = data.get("date_shipped") or time.strftime("%Y-%m-%d", time.gmtime(store.now()))
    item = {
        "tracking_provider": data.get("tracking_provider", ""),
        "custom_tracking_provider": data.get("custom_tracking_provider", ""),
        "custom_tracking_link": data.get("custom_tracking_link", ""),
        "tracking_number": data["tracking_number"],
        "date_shipped": str(int(time.mktime(time.strptime(shipped[:10], "%Y-%m-%d")) - time.timezone)),
        "tracking_id": store.wp_hash(f"{order['id']}:{data['tracking_number']}:{store.now()}"),
    }
    items = [*tracking_items(order), item]
    catalog.apply_meta(store, order["meta_data"], [{"key": TRACKING_META, "value": items}])
    order["date_modified"] = store.now()
    store.emit("order", "updated", order["id"])
    return item


def delete_tracking(store: WooStore, order: dict[str, Any], tracking_id: str) -> bool:
    items = tracking_items(order)
    kept = [i for i in items if i["tracking_id"] != tracking_id]
    if len(kept) == len(items):
        return False
    catalog.apply_meta(store, order["meta_data"], [{"key": TRACKING_META, "value": kept}])
    store.emit("order", "updated", order["id"])
    return True


def tracking_json(order_id: int, item: dict[str, Any], base: str) -> dict[str, Any]:
    provider = item["custom_tracking_provider"] or item["tracking_provider"]
    template = item["custom_tracking_link"] or PROVIDER_LINKS.get(item["tracking_provider"], "")
    href = f"{base}/wp-json/wc-shipment-tracking/v3/orders/{order_id}/shipment-trackings"
    return {
        "tracking_id": item["tracking_id"],
        "tracking_provider": provider,
        "tracking_link": template.replace("%1$s", item["tracking_number"]),
        "tracking_number": item["tracking_number"],
        "date_shipped": time.strftime("%Y-%m-%d", time.gmtime(int(item["date_shipped"]))),
        "_links": {
            "self": [{"href": f"{href}/{item['tracking_id']}"}],
            "collection": [{"href": href}],
            "up": [{"href": f"{base}/wp-json/wc/v3/orders/{order_id}"}],
        },
    }
