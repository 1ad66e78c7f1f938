"""Orders, fulfillment orders and fulfillments (spec/stores/shopify.md §6 and §7)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from .catalog import adjust_level, decimal_field
from .state import Shop, ShopifyError, gid, money, money_set, not_found, unprocessable

# spec §6.2: REST names of OrderCreateInputsInventoryBehavior (lowercase of the GraphQL enum; UNCONFIRMED).
INVENTORY_BEHAVIOURS = ("bypass", "decrement_ignoring_policy", "decrement_obeying_policy")
CANCEL_REASONS = ("customer", "inventory", "fraud", "declined", "other", "staff")  # spec §6.3
FINANCIAL_STATUSES = (
    "pending",
    "authorized",
    "partially_paid",
    "paid",
    "partially_refunded",
    "refunded",
    "voided",
)

# spec §7.3: Shopify builds tracking URLs for known companies (names are case-sensitive).
TRACKING_URLS = {
    "UPS": "https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums={number}",
    "USPS": "https://tools.usps.com/go/TrackConfirmAction?tLabels={number}",
    "FedEx": "https://www.fedex.com/fedextrack/?trknbr={number}",
    "DHL Express": "https://www.dhl.com/en/express/tracking.html?AWB={number}&brand=DHL",
    "Canada Post": "https://www.canadapost-postescanada.ca/track-reperage/en#/details/{number}",
    "Royal Mail": "https://www.royalmail.com/track-your-item#/tracking-results/{number}",
    "Australia Post": "https://auspost.com.au/mypost/track/#/details/{number}",
}
# spec §7.2 (SJS-TEST test_7): a bare UPS-looking number gets its company inferred.
INFERRED_COMPANIES = ((re.compile(r"^1Z[0-9A-Z]{16}$"), "UPS"),)


# -- create ---------------------------------------------------------------------------------------
def _line_from_variant(shop: Shop, line: dict[str, Any]) -> dict[str, Any]:
    variant_id = line["variant_id"]
    found = shop.find_variant(int(variant_id)) if str(variant_id).isdigit() else None
    if found is None:
        # spec §6.2 "Missing / deleted variants" (ISS-735); error key UNCONFIRMED, emulated as line_items.
        raise unprocessable("line_items", f"product variant {variant_id} not found, `price` must provided.")
    product, variant = found
    price = decimal_field(line, "price")
    return {
        "variant_id": variant["id"],
        "product_id": product["id"],
        "title": line.get("title") or product["title"],
        "variant_title": None if variant["title"] == "Default Title" else variant["title"],
        "sku": variant["sku"],
        "vendor": product["vendor"],
        "price": money(price if price is not None else Decimal(variant["price"])),
        "grams": variant["grams"],
        "requires_shipping": variant["requires_shipping"],
        "taxable": variant["taxable"],
        "product_exists": True,
        "variant_inventory_management": variant["inventory_management"],
        "_inventory_item_id": variant["inventory_item_id"],
        "_policy": variant["inventory_policy"],
    }


def _custom_line(line: dict[str, Any]) -> dict[str, Any]:
    if not line.get("title"):
        raise unprocessable("line_items", "title can't be blank")
    return {
        "variant_id": None,
        "product_id": None,
        "title": line["title"],
        "variant_title": None,
        "sku": line.get("sku") or None,
        "vendor": None,
        "price": money(decimal_field(line, "price", required=True)),
        "grams": int(line.get("grams") or 0),
        "requires_shipping": bool(line.get("requires_shipping", True)),
        "taxable": bool(line.get("taxable", True)),
        "product_exists": False,
        "variant_inventory_management": None,
        "_inventory_item_id": None,
        "_policy": "continue",
    }


def build_line(shop: Shop, line: dict[str, Any]) -> dict[str, Any]:
    quantity = line.get("quantity")
    if not isinstance(quantity, int) or quantity < 1:
        raise unprocessable("line_items", "quantity must be greater than 0")
    base = _line_from_variant(shop, line) if line.get("variant_id") is not None else _custom_line(line)
    line_id = shop.next_id()
    name = base["title"] if not base["variant_title"] else f"{base['title']} - {base['variant_title']}"
    return {
        "id": line_id,
        "admin_graphql_api_id": gid("LineItem", line_id),
        **base,
        "name": name,
        "quantity": quantity,
        "current_quantity": quantity,
        "fulfillable_quantity": quantity,
        "fulfillment_service": "manual",
        "fulfillment_status": None,
        "gift_card": False,
        "properties": list(line.get("properties") or []),
        "price_set": money_set(base["price"], shop.currency),
        "total_discount": "0.00",
        "tax_lines": [],
        "discount_allocations": [],
        "duties": [],
        "_location_id": None,
        "_decremented": 0,
    }


def _reserve_stock(shop: Shop, lines: list[dict[str, Any]], behaviour: str) -> None:
    """Claim stock per ``inventory_behaviour`` (spec §6.2, §10 item 7); default bypass claims none."""
    if behaviour == "bypass":
        return
    for line in lines:
        item_id = line["_inventory_item_id"]
        if item_id is None or not shop.inventory_items[item_id]["tracked"]:
            continue
        location_id = _stocking_location(shop, item_id, line["quantity"])
        short = shop.levels[(item_id, location_id)]["available"] < line["quantity"]
        if behaviour == "decrement_obeying_policy" and line["_policy"] == "deny" and short:
            # Message UNCONFIRMED; the rule (policy deny blocks overselling) is documented (D-OCO).
            raise unprocessable("line_items", f"Unable to reserve inventory for {line['name']}")
        line["_location_id"] = location_id
    for line in lines:
        if line["_location_id"] is not None:
            adjust_level(shop, line["_inventory_item_id"], line["_location_id"], -line["quantity"])
            line["_decremented"] = line["quantity"]


def _stocking_location(shop: Shop, item_id: int, quantity: int) -> int:
    stocked = [loc for (item, loc) in shop.levels if item == item_id]
    for location_id in sorted(stocked):
        if shop.levels[(item_id, location_id)]["available"] >= quantity:
            return location_id
    return shop.primary_location_id if shop.primary_location_id in stocked else min(stocked)


def _address(data: Any) -> dict[str, Any] | None:
    if not isinstance(data, dict):
        return None
    keys = (
        "first_name",
        "last_name",
        "address1",
        "address2",
        "city",
        "province",
        "zip",
        "country",
        "company",
        "phone",
    )
    out: dict[str, Any] = {k: data.get(k) for k in keys}
    out["name"] = (
        data.get("name") or " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p) or None
    )
    out["country_code"] = data.get("country_code")
    out["province_code"] = data.get("province_code")
    out["latitude"] = None
    out["longitude"] = None
    return out


def _charge_lines(items: Any, currency: str) -> list[dict[str, Any]]:
    lines = []
    for item in items or []:
        price = money(item.get("price") or item.get("amount") or 0)
        lines.append(
            {
                "title": item.get("title") or "",
                "price": price,
                "price_set": money_set(price, currency),
                "code": item.get("code") or item.get("title"),
                "source": item.get("source") or "shopify",
                **({"rate": float(item["rate"])} if "rate" in item else {}),
            }
        )
    return lines


def create_order(shop: Shop, payload: dict[str, Any], *, via_api: bool = True) -> dict[str, Any]:
    raw_lines = payload.get("line_items") or []
    if not raw_lines:
        raise unprocessable("line_items", "must have at least one line item")
    behaviour = payload.get("inventory_behaviour") or "bypass"
    if behaviour not in INVENTORY_BEHAVIOURS:
        raise unprocessable("inventory_behaviour", "is not included in the list")
    financial_status = payload.get("financial_status") or "paid"
    if financial_status not in FINANCIAL_STATUSES:
        raise unprocessable("financial_status", "is not included in the list")
    currency = payload.get("currency") or shop.currency
    if currency != shop.currency:
        # The emulator's shops have one currency; presentment currencies are out of scope.
        raise unprocessable("currency", f"must be {shop.currency}")
    lines = [build_line(shop, line) for line in raw_lines]
    _reserve_stock(shop, lines, behaviour)
    return _store_order(shop, payload, lines, financial_status, via_api)


def _store_order(
    shop: Shop, payload: dict[str, Any], lines: list[dict[str, Any]], financial_status: str, via_api: bool
) -> dict[str, Any]:
    from .catalog import tags_string

    order_id, number = shop.next_id(), shop.next_order_number()
    shipping = _charge_lines(payload.get("shipping_lines"), shop.currency)
    taxes = _charge_lines(payload.get("tax_lines"), shop.currency)
    discounts = [
        {
            "code": d.get("code") or "",
            "amount": money(d.get("amount") or 0),
            "type": d.get("type") or "fixed_amount",
        }
        for d in payload.get("discount_codes") or []
    ]
    subtotal_items = sum(Decimal(line["price"]) * line["quantity"] for line in lines)
    total_discounts = sum((Decimal(d["amount"]) for d in discounts), Decimal("0"))
    total_tax = sum((Decimal(t["price"]) for t in taxes), Decimal("0"))
    total_shipping = sum((Decimal(s["price"]) for s in shipping), Decimal("0"))
    subtotal = subtotal_items - total_discounts
    total = subtotal + total_tax + total_shipping
    order: dict[str, Any] = {
        "id": order_id,
        "admin_graphql_api_id": gid("Order", order_id),
        # A name given on create is kept (API-created orders may carry their own, e.g. a
        # marketplace id); otherwise the shop's "#<number>".
        "name": str(payload.get("name") or f"#{number}"),
        "number": number - 1000,
        "order_number": number,
        "confirmation_number": f"SBX{order_id % 10**6:06d}",
        "token": f"{order_id:x}{number:x}",
        "email": payload.get("email") or (payload.get("customer") or {}).get("email") or "",
        "phone": payload.get("phone"),
        "currency": shop.currency,
        "presentment_currency": shop.currency,
        "financial_status": financial_status,
        "fulfillment_status": None,
        "confirmed": True,
        "test": False,
        "taxes_included": bool(payload.get("taxes_included", False)),
        "total_weight": sum(line["grams"] * line["quantity"] for line in lines),
        "buyer_accepts_marketing": bool(payload.get("buyer_accepts_marketing", False)),
        "cancel_reason": None,
        "cancelled_at": None,
        "closed_at": None,
        "processed_at": payload.get("processed_at") or shop.now_iso(),
        "source_name": payload.get("source_name") or "api",
        "source_identifier": payload.get("source_identifier"),
        "source_url": payload.get("source_url"),
        "tags": tags_string(payload.get("tags")),
        "note": payload.get("note"),
        "note_attributes": [
            {"name": str(a.get("name")), "value": str(a.get("value"))}
            for a in payload.get("note_attributes") or []
        ],
        "discount_codes": discounts,
        "tax_lines": taxes,
        "shipping_lines": shipping,
        "line_items": lines,
        "subtotal_price": money(subtotal),
        "total_line_items_price": money(subtotal_items),
        "total_discounts": money(total_discounts),
        "total_tax": money(total_tax),
        "total_price": money(total),
        "current_total_price": money(total),
        "total_outstanding": "0.00" if financial_status == "paid" else money(total),
        "subtotal_price_set": money_set(subtotal, shop.currency),
        "total_price_set": money_set(total, shop.currency),
        "total_tax_set": money_set(total_tax, shop.currency),
        "total_discounts_set": money_set(total_discounts, shop.currency),
        "total_shipping_price_set": money_set(total_shipping, shop.currency),
        "billing_address": _address(payload.get("billing_address")),
        "shipping_address": _address(payload.get("shipping_address")),
        "customer": _customer(shop, payload),
        "fulfillments": [],
        "refunds": [],
        "order_status_url": f"{shop.public_url}/{shop.shop_id}/orders/{order_id:x}/authenticate",
        # Storefront/checkout fields: an API-created order has no cart, checkout or browser session.
        "cart_token": None,
        "checkout_token": None,
        "checkout_id": None,
        "landing_site": None,
        "landing_site_ref": None,
        "referring_site": None,
        "reference": None,
        "source": None,
        "browser_ip": None,
        "client_details": None,
        "user_id": None,
        "location_id": None,
        "payment_gateway_names": ["manual"] if financial_status == "paid" else [],
        "_via_api": via_api,
        "_send_receipt": bool(payload.get("send_receipt", False)),
    }
    shop.stamp(order, created=True)
    shop.orders[order_id] = order
    _open_fulfillment_orders(shop, order)
    return order


def _customer(shop: Shop, payload: dict[str, Any]) -> dict[str, Any] | None:
    data = payload.get("customer")
    if not isinstance(data, dict):
        return None
    customer_id = shop.next_id()
    return {
        "id": customer_id,
        "email": data.get("email"),
        "first_name": data.get("first_name"),
        "last_name": data.get("last_name"),
        "phone": data.get("phone"),
        "state": "disabled",
        "tags": "",
        "note": None,
        "verified_email": False,
        "accepts_marketing": False,
        "orders_count": 1,
        "total_spent": "0.00",
        "last_order_id": None,
        "last_order_name": None,
        "multipass_identifier": None,
        "default_address": _default_address(
            customer_id, payload.get("shipping_address") or payload.get("billing_address")
        ),
        "created_at": shop.now_iso(),
        "updated_at": shop.now_iso(),
        "admin_graphql_api_id": gid("Customer", customer_id),
    }


def _default_address(customer_id: int, data: Any) -> dict[str, Any] | None:
    address = _address(data)
    if address is None:
        return None
    address.pop("latitude")
    address.pop("longitude")
    return {**address, "id": customer_id, "country_name": address["country"], "default": True}


# -- fulfillment orders ---------------------------------------------------------------------------
def _open_fulfillment_orders(shop: Shop, order: dict[str, Any]) -> None:
    """One fulfillment order per assigned location (spec §10 item 8)."""
    groups: dict[int, list[dict[str, Any]]] = {}
    for line in order["line_items"]:
        if line["requires_shipping"]:
            groups.setdefault(line["_location_id"] or shop.primary_location_id, []).append(line)
    for location_id, lines in groups.items():
        fo_id = shop.next_id()
        location = shop.locations[location_id]
        fo = {
            "id": fo_id,
            "shop_id": shop.shop_id,
            "order_id": order["id"],
            "assigned_location_id": location_id,
            "request_status": "unsubmitted",
            "status": "open",
            "supported_actions": ["create_fulfillment", "move", "hold"],
            "destination": order["shipping_address"],
            "line_items": [
                {
                    "id": shop.next_id(),
                    "shop_id": shop.shop_id,
                    "fulfillment_order_id": fo_id,
                    "quantity": line["quantity"],
                    "line_item_id": line["id"],
                    "inventory_item_id": line["_inventory_item_id"],
                    "fulfillable_quantity": line["quantity"],
                    "variant_id": line["variant_id"],
                }
                for line in lines
            ],
            "fulfill_at": None,
            "fulfill_by": None,
            "fulfillment_holds": [],
            "delivery_method": {"method_type": "shipping"},
            "assigned_location": {
                "location_id": location_id,
                "name": location["name"],
                "address1": location["address1"],
                "city": location["city"],
                "zip": location["zip"],
                "province": location["province"],
                "country_code": location["country_code"],
                "phone": None,
            },
            "merchant_requests": [],
        }
        shop.stamp(fo, created=True)
        shop.fulfillment_orders[fo_id] = fo


def fulfillment_orders_of(shop: Shop, order_id: int) -> list[dict[str, Any]]:
    get_order(shop, order_id)
    return [fo for fo in shop.fulfillment_orders.values() if fo["order_id"] == order_id]


# -- fulfillments ---------------------------------------------------------------------------------
def tracking_details(info: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    company, number, url = info.get("company") or None, info.get("number") or None, info.get("url") or None
    if company is None and number and url is None:
        company = next((name for pattern, name in INFERRED_COMPANIES if pattern.match(number)), None)
    if url is None and company in TRACKING_URLS and number:
        url = TRACKING_URLS[company].format(number=number)
    return company, number, url


def _fulfil_lines(
    shop: Shop, request: dict[str, Any]
) -> tuple[dict[str, Any], list[tuple[dict[str, Any], int]]]:
    fo = shop.fulfillment_orders.get(int(request.get("fulfillment_order_id") or 0))
    if fo is None:
        raise unprocessable("fulfillment_order_id", "Fulfillment order does not exist")
    if fo["status"] not in ("open", "in_progress"):
        raise unprocessable(
            "base", f"Fulfillment order {fo['id']} has an unfulfillable status= {fo['status']}."
        )
    wanted = request.get("fulfillment_order_line_items")
    picks: list[tuple[dict[str, Any], int]] = []
    if not wanted:
        # Omitting the line list fulfils everything still open on the FO (spec §7.2).
        picks = [
            (li, li["fulfillable_quantity"]) for li in fo["line_items"] if li["fulfillable_quantity"] > 0
        ]
    for entry in wanted or []:
        li = next((x for x in fo["line_items"] if x["id"] == entry.get("id")), None)
        quantity = int(entry.get("quantity") or 0)
        if li is None:
            raise unprocessable("fulfillment_order_line_items", f"line item {entry.get('id')} does not exist")
        if quantity < 1 or quantity > li["fulfillable_quantity"]:
            raise unprocessable("base", "Invalid fulfillment order line item quantity requested.")
        picks.append((li, quantity))
    return fo, picks


def create_fulfillment(shop: Shop, payload: dict[str, Any]) -> dict[str, Any]:
    groups = payload.get("line_items_by_fulfillment_order") or []
    if not groups:
        raise unprocessable("line_items_by_fulfillment_order", "can't be blank")
    selected = [_fulfil_lines(shop, group) for group in groups]
    order_ids = {fo["order_id"] for fo, _ in selected}
    if len(order_ids) != 1:
        raise unprocessable("base", "All fulfillment orders must belong to the same order")
    order = shop.orders[order_ids.pop()]
    if order["cancelled_at"]:
        raise unprocessable("base", "Cannot fulfill a cancelled order")
    company, number, url = tracking_details(payload.get("tracking_info") or {})
    fulfilled_lines = []
    for fo, picks in selected:
        for fo_line, quantity in picks:
            fo_line["fulfillable_quantity"] -= quantity
            order_line = next(line for line in order["line_items"] if line["id"] == fo_line["line_item_id"])
            order_line["fulfillable_quantity"] -= quantity
            order_line["fulfillment_status"] = (
                "fulfilled" if order_line["fulfillable_quantity"] == 0 else "partial"
            )
            fulfilled_lines.append({**order_line, "quantity": quantity})
        fo["status"] = (
            "closed" if all(li["fulfillable_quantity"] == 0 for li in fo["line_items"]) else "in_progress"
        )
        shop.stamp(fo)
    fulfillment_id = shop.next_id()
    fulfillment = {
        "id": fulfillment_id,
        "admin_graphql_api_id": gid("Fulfillment", fulfillment_id),
        "order_id": order["id"],
        "name": f"{order['name']}.{len(order['fulfillments']) + 1}",
        "status": "success",
        "service": "manual",
        "location_id": selected[0][0]["assigned_location_id"],
        "tracking_company": company,
        "tracking_number": number,
        "tracking_numbers": [number] if number else [],
        "tracking_url": url,
        "tracking_urls": [url] if url else [],
        "shipment_status": None,
        "origin_address": None,
        "receipt": {},
        "notify_customer": bool(payload.get("notify_customer", False)),
        "line_items": fulfilled_lines,
    }
    shop.stamp(fulfillment, created=True)
    shop.fulfillments[fulfillment_id] = fulfillment
    order["fulfillments"].append(fulfillment)
    _refresh_fulfillment_status(order)
    shop.stamp(order)
    return fulfillment


def _refresh_fulfillment_status(order: dict[str, Any]) -> None:
    shippable = [line for line in order["line_items"] if line["requires_shipping"]]
    if shippable and all(line["fulfillable_quantity"] == 0 for line in shippable):
        order["fulfillment_status"] = "fulfilled"
    elif any(line["fulfillment_status"] for line in shippable):
        order["fulfillment_status"] = "partial"


def update_tracking(shop: Shop, fulfillment_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    fulfillment = shop.fulfillments.get(fulfillment_id)
    if fulfillment is None:
        raise not_found()
    company, number, url = tracking_details(payload.get("tracking_info") or {})
    fulfillment.update(
        {
            "tracking_company": company,
            "tracking_number": number,
            "tracking_numbers": [number] if number else [],
            "tracking_url": url,
            "tracking_urls": [url] if url else [],
        }
    )
    shop.stamp(fulfillment)
    shop.stamp(shop.orders[fulfillment["order_id"]])
    return fulfillment


# -- read / cancel --------------------------------------------------------------------------------
def get_order(shop: Shop, order_id: int) -> dict[str, Any]:
    order = shop.orders.get(order_id)
    if order is None:
        raise not_found()
    return order


def cancel_order(shop: Shop, order_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    order = get_order(shop, order_id)
    reason = payload.get("reason") or "other"
    if reason not in CANCEL_REASONS:
        raise unprocessable("reason", "is not included in the list")
    # Preconditions (spec §6.3; messages UNCONFIRMED).
    if order["cancelled_at"]:
        raise ShopifyError(422, {"base": ["Cannot cancel an order that has already been cancelled"]})
    if any(f["status"] == "success" for f in order["fulfillments"]):
        raise ShopifyError(422, {"base": ["Cannot cancel an order that has fulfillments"]})
    if payload.get("restock", False):
        for line in order["line_items"]:
            if line["_decremented"] and line["_inventory_item_id"] in shop.inventory_items:
                adjust_level(shop, line["_inventory_item_id"], line["_location_id"], line["_decremented"])
                line["_decremented"] = 0
    for line in order["line_items"]:
        line["fulfillable_quantity"] = 0
        line["current_quantity"] = 0
    for fo in fulfillment_orders_of(shop, order_id):
        fo["status"] = "closed"
        for li in fo["line_items"]:
            li["fulfillable_quantity"] = 0
        shop.stamp(fo)
    order["cancelled_at"] = shop.now_iso()
    order["cancel_reason"] = reason
    order["closed_at"] = order["cancelled_at"]
    shop.stamp(order)
    return order


def update_order(shop: Shop, order_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    from .catalog import tags_string

    order = get_order(shop, order_id)
    # Editable fields on PUT (spec §6.1).
    for key in ("note", "email", "phone", "buyer_accepts_marketing"):
        if key in payload:
            order[key] = payload[key]
    if "tags" in payload:
        order["tags"] = tags_string(payload["tags"])
    if "note_attributes" in payload:
        order["note_attributes"] = [
            {"name": str(a["name"]), "value": str(a["value"])} for a in payload["note_attributes"]
        ]
    shop.stamp(order)
    return order
