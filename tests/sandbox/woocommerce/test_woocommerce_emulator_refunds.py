"""The WooCommerce emulator's order refunds: body rules, error envelopes, restock, order status."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator

SITE = "https://woo.sandbox.test"
PRODUCTS = "/wp-json/wc/v3/products"
ORDERS = "/wp-json/wc/v3/orders"


@pytest.fixture
def emulator() -> WooCommerceEmulator:
    emulator = WooCommerceEmulator(catalogue="default")
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    return emulator


@pytest.fixture
def http(emulator: WooCommerceEmulator) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=emulator),
        base_url=SITE,
        auth=(emulator.consumer_key, emulator.consumer_secret),
    )


@pytest.fixture
def mug(emulator: WooCommerceEmulator) -> dict[str, Any]:
    return next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")


def _paid_order(http: httpx.Client, mug: dict[str, Any], quantity: int = 3) -> dict[str, Any]:
    body = {"line_items": [{"product_id": mug["id"], "quantity": quantity}], "set_paid": True}
    return http.post(ORDERS, json=body).json()


def _stock(http: httpx.Client, mug: dict[str, Any]) -> int:
    return http.get(f"{PRODUCTS}/{mug['id']}").json()["stock_quantity"]


def _refund_body(order: dict[str, Any], quantity: int, **extra: Any) -> dict[str, Any]:
    line = {"id": order["line_items"][0]["id"], "quantity": quantity, "refund_total": "12.50"}
    return {"line_items": [line], "api_refund": False, **extra}


def test_a_restocking_refund_puts_the_quantity_back_and_shows_on_the_order(
    http: httpx.Client, mug: dict[str, Any]
) -> None:
    order = _paid_order(http, mug)

    response = http.post(f"{ORDERS}/{order['id']}/refunds", json=_refund_body(order, 1, amount="12.50"))
    after = http.get(f"{ORDERS}/{order['id']}").json()

    refund = response.json()
    assert response.status_code == 201
    assert (refund["amount"], refund["refunded_payment"]) == ("12.50", False)
    assert [(li["quantity"], li["total"]) for li in refund["line_items"]] == [(-1, "-12.50")]
    assert _stock(http, mug) == 25 - 3 + 1
    assert after["refunds"] == [{"id": refund["id"], "reason": "", "total": "-12.50"}]
    assert after["status"] == "processing"


def test_api_restock_false_leaves_the_stock_alone(http: httpx.Client, mug: dict[str, Any]) -> None:
    order = _paid_order(http, mug)

    response = http.post(f"{ORDERS}/{order['id']}/refunds", json=_refund_body(order, 1, api_restock=False))

    assert response.status_code == 201
    assert response.json()["amount"] == "12.50"  # amount omitted: the lines' refund_total
    assert _stock(http, mug) == 22


def test_api_refund_defaults_to_the_gateway_which_cannot_refund(
    http: httpx.Client, mug: dict[str, Any]
) -> None:
    order = _paid_order(http, mug)
    body = _refund_body(order, 1)
    del body["api_refund"]

    response = http.post(f"{ORDERS}/{order['id']}/refunds", json=body)

    assert response.status_code == 500
    assert response.json() == {
        "code": "woocommerce_rest_cannot_create_order_refund",
        "message": "The payment gateway for this order does not support automatic refunds.",
        "data": {"status": 500},
    }
    assert http.get(f"{ORDERS}/{order['id']}/refunds").json() == []
    assert _stock(http, mug) == 22


def _rejected(http: httpx.Client, order: dict[str, Any], line: dict[str, Any]) -> tuple[int, str, str]:
    body = {"line_items": [line], "amount": "0", "api_refund": False}
    response = http.post(f"{ORDERS}/{order['id']}/refunds", json=body)
    return response.status_code, response.json()["code"], response.json()["message"]


def test_an_unknown_line_is_rejected_without_side_effects(http: httpx.Client, mug: dict[str, Any]) -> None:
    order = _paid_order(http, mug, quantity=2)

    answer = _rejected(http, order, {"id": 1, "quantity": 1})

    assert answer == (500, "woocommerce_rest_cannot_create_order_refund", "Invalid line item ID 1.")
    assert http.get(f"{ORDERS}/{order['id']}/refunds").json() == []
    assert _stock(http, mug) == 23


def test_a_quantity_above_the_ordered_one_is_rejected_without_side_effects(
    http: httpx.Client, mug: dict[str, Any]
) -> None:
    order = _paid_order(http, mug, quantity=2)
    item_id = order["line_items"][0]["id"]

    answer = _rejected(http, order, {"id": item_id, "quantity": 3})

    assert answer == (
        500,
        "woocommerce_rest_cannot_create_order_refund",
        f"Invalid refund quantity for line item {item_id}.",
    )
    assert http.get(f"{ORDERS}/{order['id']}/refunds").json() == []
    assert _stock(http, mug) == 23


def test_an_unknown_order_and_a_negative_amount_get_woocommerces_errors(
    http: httpx.Client, mug: dict[str, Any]
) -> None:
    order = _paid_order(http, mug)

    unknown = http.post(f"{ORDERS}/999999/refunds", json={"amount": "1.00", "api_refund": False})
    negative = http.post(f"{ORDERS}/{order['id']}/refunds", json={"amount": "-1.00", "api_refund": False})

    assert (unknown.status_code, unknown.json()["code"]) == (404, "woocommerce_rest_invalid_order_id")
    assert (negative.status_code, negative.json()["code"]) == (400, "woocommerce_rest_invalid_order_refund")


def test_a_full_refund_marks_the_order_refunded_and_cancel_does_not_restock_twice(
    http: httpx.Client, mug: dict[str, Any]
) -> None:
    order = _paid_order(http, mug, quantity=2)
    line = {"id": order["line_items"][0]["id"], "quantity": 2, "refund_total": "25.00"}

    http.post(f"{ORDERS}/{order['id']}/refunds", json={"line_items": [line], "api_refund": False})
    refunded = http.get(f"{ORDERS}/{order['id']}").json()["status"]
    http.put(f"{ORDERS}/{order['id']}", json={"status": "cancelled"})

    assert refunded == "refunded"
    assert _stock(http, mug) == 25
