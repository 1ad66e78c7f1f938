"""Parity: the emulator's payloads have the keys and JSON types of real WooCommerce responses
(WooCommerce mobile app fixtures, ../shared/data/woocommerce-fluxc-fixtures, GPL-2.0), compared
recursively for every key the fixture has. Most fixtures are wrapped in ``{"data": ...}``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator

SITE = "https://woo.sandbox.test"
FIXTURES = "woocommerce-fluxc-fixtures"
# Keys some fixtures carry that WooCommerce core does not produce, with who adds them.
NOT_CORE = {
    "jetpack_publicize_connections": "added by the Jetpack plugin",
    "jetpack_likes_enabled": "added by the Jetpack plugin",
    "jetpack_sharing_enabled": "added by the Jetpack plugin",
}

pytestmark = pytest.mark.shared_data


def kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def shape_differences(fixture: Any, actual: Any, path: str = "$") -> list[str]:
    """Every place where ``actual`` lacks a fixture key or has another JSON type. A fixture null
    says nothing about the type; an empty list on either side says nothing about the items."""
    if fixture is None:
        return []
    if kind(fixture) != kind(actual):
        return [f"{path}: fixture {kind(fixture)}, emulator {kind(actual)}"]
    problems: list[str] = []
    if isinstance(fixture, dict):
        for key, value in fixture.items():
            if key in NOT_CORE:
                continue
            if key not in actual:
                problems.append(f"{path}.{key}: missing")
            else:
                problems += shape_differences(value, actual[key], f"{path}.{key}")
    elif isinstance(fixture, list) and fixture and actual:
        for i, item in enumerate(actual):
            problems += shape_differences(fixture[0], item, f"{path}[{i}]")
    return problems


def load(shared_data: Path, relative: str) -> Any:
    payload = json.loads((shared_data / FIXTURES / relative).read_text(encoding="utf-8"))
    return payload["data"] if isinstance(payload, dict) and set(payload) == {"data"} else payload


@pytest.fixture
def http() -> httpx.Client:
    emulator = WooCommerceEmulator(catalogue="default")
    return httpx.Client(
        transport=httpx.WSGITransport(app=emulator),
        base_url=SITE,
        auth=(emulator.consumer_key, emulator.consumer_secret),
    )


def _product(http: httpx.Client, sku: str) -> dict[str, Any]:
    return http.get("/wp-json/wc/v3/products", params={"sku": sku}).json()[0]


def _paid_order(http: httpx.Client) -> dict[str, Any]:
    mug = _product(http, "SBX-MUG")
    body = {
        "set_paid": True,
        "billing": {"first_name": "Ada", "email": "ada@example.test"},
        "line_items": [{"product_id": mug["id"], "quantity": 2}],
        "shipping_lines": [{"method_id": "flat_rate", "method_title": "Flat rate", "total": "4.00"}],
        "meta_data": [{"key": "_tiktok_order_id", "value": "576460752303423488"}],
    }
    response = http.post("/wp-json/wc/v3/orders", json=body)
    assert response.status_code == 201
    return response.json()


@pytest.mark.parametrize(
    "relative",
    [
        "androidTest/wc-fetch-product-response-success.json",
        "androidTest/wc-fetch-products-response-success.json",
    ],
)
def test_product_has_the_fixture_shape(shared_data: Path, http: httpx.Client, relative: str) -> None:
    fixture = load(shared_data, relative)
    fixture = fixture[0] if isinstance(fixture, list) else fixture

    assert shape_differences(fixture, _product(http, "SBX-MUG")) == []


def test_variation_has_the_fixture_shape(shared_data: Path, http: httpx.Client) -> None:
    fixture = load(shared_data, "androidTest/wc-fetch-product-variations-response-success.json")
    tee = _product(http, "SBX-TEE")

    variations = http.get(f"/wp-json/wc/v3/products/{tee['id']}/variations").json()

    assert len(variations) == 6
    assert shape_differences(fixture, variations) == []


@pytest.mark.parametrize(
    "relative",
    ["androidTest/wc-fetch-order-response-success.json", "androidTest/wc-orders-response-success.json"],
)
def test_order_has_the_fixture_shape(shared_data: Path, http: httpx.Client, relative: str) -> None:
    fixture = load(shared_data, relative)
    fixture = fixture[0] if isinstance(fixture, list) else fixture

    assert shape_differences(fixture, _paid_order(http)) == []


@pytest.mark.parametrize(
    "relative",
    [
        "androidTest/wc-order-note-post-response-success.json",
        "androidTest/wc-order-notes-response-success.json",
        "test-wc/order_notes.json",
    ],
)
def test_order_note_has_the_fixture_shape(shared_data: Path, http: httpx.Client, relative: str) -> None:
    fixture = load(shared_data, relative)
    order = _paid_order(http)
    http.post(f"/wp-json/wc/v3/orders/{order['id']}/notes", json={"note": "Packed", "customer_note": True})

    notes = http.get(f"/wp-json/wc/v3/orders/{order['id']}/notes").json()

    assert len(notes) >= 2  # the status change note and ours
    assert shape_differences(fixture if isinstance(fixture, list) else [fixture], notes) == []


@pytest.mark.parametrize(
    "relative",
    [
        "androidTest/wc-order-shipment-trackings-success.json",
        "androidTest/wc-post-order-shipment-tracking-success.json",
        "androidTest/wc-post-order-shipment-tracking-custom-success.json",
        "test-wc/order-shipment-trackings-multiple.json",
    ],
)
def test_shipment_tracking_has_the_fixture_shape(
    shared_data: Path, http: httpx.Client, relative: str
) -> None:
    fixture = load(shared_data, relative)
    order = _paid_order(http)
    path = f"/wp-json/wc-shipment-tracking/v3/orders/{order['id']}/shipment-trackings"
    created = http.post(path, json={"tracking_provider": "USPS", "tracking_number": "9400100000000000000000"})

    listed = http.get(path).json()

    assert created.status_code == 201
    assert (
        shape_differences(fixture if isinstance(fixture, list) else [fixture], [created.json(), *listed])
        == []
    )
    assert listed[0]["tracking_link"].endswith("9400100000000000000000")


def test_shape_comparison_reports_a_missing_key_and_a_wrong_type() -> None:
    fixture = {"id": 1, "price": "1.00", "meta": [{"key": "k"}]}

    problems = shape_differences(fixture, {"id": "1", "meta": [{"value": 2}]})

    assert problems == ["$.id: fixture number, emulator string", "$.price: missing", "$.meta[0].key: missing"]
