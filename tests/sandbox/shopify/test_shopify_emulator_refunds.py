"""The Shopify emulator's refunds: calculate, create, validation in Shopify's 422 shape, restock."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from shopbridge_sandbox.shopify.app import ShopifyEmulator

API = "/admin/api/2024-10"
HOOK = "https://hooks.example.test/shopify"


def _decrementing_order(http: httpx.Client, shopify: ShopifyEmulator, quantity: int = 3) -> dict[str, Any]:
    product = shopify.default_shop.products[min(shopify.default_shop.products)]
    variant = product["variants"][0]
    body = {
        "order": {
            "line_items": [{"variant_id": variant["id"], "quantity": quantity}],
            "inventory_behaviour": "decrement_ignoring_policy",
        }
    }
    return http.post(f"{API}/orders.json", json=body).json()["order"]


def _location_of(shopify: ShopifyEmulator, order: dict[str, Any]) -> int:
    return shopify.default_shop.orders[order["id"]]["line_items"][0]["_location_id"]


def _level(shopify: ShopifyEmulator, order: dict[str, Any]) -> int:
    line = shopify.default_shop.orders[order["id"]]["line_items"][0]
    return shopify.default_shop.levels[(line["_inventory_item_id"], line["_location_id"])]["available"]


def _refund(
    order: dict[str, Any], quantity: int, restock_type: str, location_id: int | None
) -> dict[str, Any]:
    line = {"line_item_id": order["line_items"][0]["id"], "quantity": quantity, "restock_type": restock_type}
    if location_id is not None:
        line["location_id"] = location_id
    return {"refund_line_items": [line], "shipping": {"amount": "0.00"}}


def test_calculate_suggests_a_refund_on_the_sale_and_records_nothing(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    order = _decrementing_order(http, shopify)
    stock = _level(shopify, order)

    response = http.post(
        f"{API}/orders/{order['id']}/refunds/calculate.json",
        json={"refund": _refund(order, 2, "return", _location_of(shopify, order))},
    )

    suggested = response.json()["refund"]["transactions"]
    price = order["line_items"][0]["price"]
    assert response.status_code == 200
    assert [(t["kind"], t["gateway"], t["amount"]) for t in suggested] == [
        ("suggested_refund", "manual", str(Decimal(price) * 2))
    ]
    assert shopify.default_shop.orders[order["id"]]["refunds"] == []
    assert _level(shopify, order) == stock


def test_a_return_restocks_the_location_records_the_money_and_sends_refunds_create(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    http.post("/_sandbox/webhooks/subscribe", json={"address": HOOK, "topics": ["refunds/create"]})
    order = _decrementing_order(http, shopify)
    stock = _level(shopify, order)
    body = _refund(order, 2, "return", _location_of(shopify, order))
    suggested = http.post(f"{API}/orders/{order['id']}/refunds/calculate.json", json={"refund": body}).json()
    body["transactions"] = [{**t, "kind": "refund"} for t in suggested["refund"]["transactions"]]

    response = http.post(f"{API}/orders/{order['id']}/refunds.json", json={"refund": body})

    refund = response.json()["refund"]
    hooks = http.get("/_sandbox/webhooks/deliveries").json()["deliveries"]
    assert response.status_code == 201
    assert [(r["quantity"], r["restock_type"]) for r in refund["refund_line_items"]] == [(2, "return")]
    assert [t["kind"] for t in refund["transactions"]] == ["refund"]
    assert _level(shopify, order) == stock + 2
    assert http.get(f"{API}/orders/{order['id']}.json").json()["order"]["financial_status"] == (
        "partially_refunded"
    )
    assert [h["topic"] for h in hooks if h["url"] == HOOK] == ["refunds/create"]


def test_no_restock_leaves_the_stock_alone(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    order = _decrementing_order(http, shopify)
    stock = _level(shopify, order)

    response = http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 1, "no_restock", None)}
    )

    assert response.status_code == 201
    assert response.json()["refund"]["restock"] is False
    assert _level(shopify, order) == stock


def test_refunding_more_than_was_ordered_is_a_422_and_changes_nothing(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    order = _decrementing_order(http, shopify, quantity=2)
    stock = _level(shopify, order)
    location = _location_of(shopify, order)
    http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 1, "return", location)}
    )

    response = http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 2, "return", location)}
    )

    assert (response.status_code, response.json()) == (
        422,
        {"errors": {"refund_line_items.quantity": ["cannot refund more items than were purchased"]}},
    )
    assert len(shopify.default_shop.orders[order["id"]]["refunds"]) == 1
    assert _level(shopify, order) == stock + 1


def test_an_unknown_line_or_a_return_without_location_is_a_422(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    order = _decrementing_order(http, shopify)
    unknown = {"refund_line_items": [{"line_item_id": 1, "quantity": 1, "restock_type": "no_restock"}]}

    no_line = http.post(f"{API}/orders/{order['id']}/refunds.json", json={"refund": unknown})
    no_location = http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 1, "return", None)}
    )

    assert (no_line.status_code, no_line.json()) == (
        422,
        {"errors": {"refund_line_items": ["line item 1 does not exist"]}},
    )
    assert (no_location.status_code, no_location.json()) == (
        422,
        {"errors": {"refund_line_items.location_id": ["can't be blank"]}},
    )
    assert shopify.default_shop.orders[order["id"]]["refunds"] == []


def test_cancel_after_a_restocking_refund_puts_back_only_the_rest(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    order = _decrementing_order(http, shopify, quantity=3)
    stock = _level(shopify, order)
    location = _location_of(shopify, order)
    http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 1, "return", location)}
    )

    http.post(f"{API}/orders/{order['id']}/cancel.json", json={"restock": True})

    assert _level(shopify, order) == stock + 3


def test_refunds_are_listed_and_read_back(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    order = _decrementing_order(http, shopify)
    created = http.post(
        f"{API}/orders/{order['id']}/refunds.json", json={"refund": _refund(order, 1, "no_restock", None)}
    ).json()["refund"]

    listed = http.get(f"{API}/orders/{order['id']}/refunds.json").json()["refunds"]
    one = http.get(f"{API}/orders/{order['id']}/refunds/{created['id']}.json")
    missing = http.get(f"{API}/orders/{order['id']}/refunds/1.json")

    assert [r["id"] for r in listed] == [created["id"]]
    assert one.json()["refund"] == created
    assert (missing.status_code, missing.json()) == (404, {"errors": "Not Found"})
