"""Parity: emulator payloads have the keys and JSON types of Shopify's own fixtures.

Fixtures: ../shared/data/shopify_python_api-fixtures (MIT), read through the ``shared_data``
fixture. Deliberate differences are listed below with their reason; nothing else may differ.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from shopify_shapes import shape_mismatches

from shopbridge_sandbox.shopify.app import DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator

API = "/admin/api/2024-10"
ADDRESS = {
    "first_name": "Bob",
    "last_name": "Norman",
    "address1": "Chestnut Street 92",
    "address2": "Suite 1",
    "city": "Louisville",
    "province": "Kentucky",
    "province_code": "KY",
    "zip": "40202",
    "country": "United States",
    "country_code": "US",
    "phone": "555-625-1199",
    "company": None,
}
# Keys of the fixtures the emulator does not send, and why.
OMITTED = {
    # Deprecated/removed from REST Order since the fixture was written (superseded by
    # payment_gateway_names, transactions and presentment money sets).
    "order.gateway",
    "order.processing_method",
    "order.payment_details",
    "order.total_price_usd",
    # Payment-gateway receipts are gateway-specific free-form objects; the emulator has no gateway.
    "order.fulfillments[].receipt.testcase",
    "order.fulfillments[].receipt.authorization",
    "fulfillment.receipt.testcase",
    "fulfillment.receipt.authorization",
}
# Keys the emulator sends as null where the fixture shows a value, and why.
NULLABLE = {
    # An API-created order has no storefront session: no cart, checkout, browser or referrer.
    "order.cart_token",
    "order.checkout_token",
    "order.checkout_id",
    "order.landing_site",
    "order.landing_site_ref",
    "order.referring_site",
    "order.reference",
    "order.browser_ip",
    "order.client_details",
    "order.user_id",
    # Draft products are not published (the demo catalogue has drafts).
    "products[].published_at",
    # No geocoding in the emulator.
    "order.billing_address.latitude",
    "order.billing_address.longitude",
    "order.shipping_address.latitude",
    "order.shipping_address.longitude",
}


@pytest.fixture
def fixtures(shared_data: Path) -> Path:
    return shared_data / "shopify_python_api-fixtures"


@pytest.fixture
def api() -> tuple[ShopifyEmulator, httpx.Client]:
    emulator = ShopifyEmulator()
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    client = httpx.Client(
        transport=httpx.WSGITransport(app=emulator),
        base_url=f"https://{DEFAULT_SHOP}",
        headers={"X-Shopify-Access-Token": DEFAULT_TOKEN},
    )
    return emulator, client


def fixture_of(fixtures: Path, name: str) -> Any:
    return json.loads((fixtures / name).read_text())


def check(fixtures: Path, name: str, key: str, actual: Any) -> list[str]:
    data = fixture_of(fixtures, name)
    expected = data if isinstance(data, list) else data[key]  # products.json is a bare array
    return shape_mismatches(expected, actual, key, omitted=OMITTED, nullable=NULLABLE)


def fulfilled_order(client: httpx.Client, variant_id: int) -> tuple[dict[str, Any], dict[str, Any]]:
    order = {
        "line_items": [
            {"variant_id": variant_id, "quantity": 1, "properties": [{"name": "Engraving", "value": "Hi"}]}
        ],
        "email": "bob.norman@example.test",
        "customer": {"first_name": "Bob", "last_name": "Norman", "email": "bob.norman@example.test"},
        "billing_address": ADDRESS,
        "shipping_address": ADDRESS,
        "tax_lines": [{"title": "State Tax", "price": "11.94", "rate": 0.06}],
        "shipping_lines": [{"title": "Free Shipping", "price": "0.00", "code": "Free Shipping"}],
        "discount_codes": [{"code": "TENOFF", "amount": "10.00"}],
        "note_attributes": [{"name": "colour", "value": "green"}],
    }
    order_id = client.post(f"{API}/orders.json", json={"order": order}).json()["order"]["id"]
    fo = client.get(f"{API}/orders/{order_id}/fulfillment_orders.json").json()["fulfillment_orders"][0]
    body = {
        "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}],
        "tracking_info": {"number": "1Z2345", "company": "UPS"},
    }
    fulfillment = client.post(f"{API}/fulfillments.json", json={"fulfillment": body}).json()["fulfillment"]
    return client.get(f"{API}/orders/{order_id}.json").json()["order"], fulfillment


def test_product_variant_and_image_match_the_fixtures(
    fixtures: Path, api: tuple[ShopifyEmulator, httpx.Client]
) -> None:
    emulator, client = api
    product_id = min(emulator.default_shop.products)

    product = client.get(f"{API}/products/{product_id}.json").json()["product"]
    variant = client.get(f"{API}/variants/{product['variants'][0]['id']}.json").json()["variant"]
    image = client.get(f"{API}/products/{product_id}/images.json").json()["images"][0]

    assert check(fixtures, "product.json", "product", product) == []
    assert (
        check(fixtures, "products.json", "products", client.get(f"{API}/products.json").json()["products"])
        == []
    )
    assert check(fixtures, "variant.json", "variant", variant) == []
    assert check(fixtures, "image.json", "image", image) == []


def test_order_and_fulfillment_match_the_fixtures(
    fixtures: Path, api: tuple[ShopifyEmulator, httpx.Client]
) -> None:
    emulator, client = api
    product = emulator.default_shop.products[min(emulator.default_shop.products)]

    order, fulfillment = fulfilled_order(client, product["variants"][0]["id"])

    assert check(fixtures, "order.json", "order", order) == []
    assert check(fixtures, "fulfillment.json", "fulfillment", fulfillment) == []


def test_inventory_and_locations_match_the_fixtures(
    fixtures: Path, api: tuple[ShopifyEmulator, httpx.Client]
) -> None:
    emulator, client = api
    variant = emulator.default_shop.products[min(emulator.default_shop.products)]["variants"][0]
    item_id, location_id = variant["inventory_item_id"], emulator.default_shop.primary_location_id

    levels = client.get(f"{API}/inventory_levels.json", params={"inventory_item_ids": item_id}).json()[
        "inventory_levels"
    ]
    level = client.post(
        f"{API}/inventory_levels/set.json",
        json={"inventory_item_id": item_id, "location_id": location_id, "available": 6},
    ).json()
    locations = client.get(f"{API}/locations.json").json()["locations"]
    location = client.get(f"{API}/locations/{location_id}.json").json()["location"]
    item = client.get(f"{API}/inventory_items/{item_id}.json").json()["inventory_item"]

    assert len(levels) == 2
    assert check(fixtures, "inventory_levels.json", "inventory_levels", levels) == []
    assert check(fixtures, "inventory_level.json", "inventory_level", level["inventory_level"]) == []
    assert check(fixtures, "locations.json", "locations", locations) == []
    assert check(fixtures, "location.json", "location", location) == []
    assert check(fixtures, "inventory_item.json", "inventory_item", item) == []


def test_shop_matches_the_fixture(fixtures: Path, api: tuple[ShopifyEmulator, httpx.Client]) -> None:
    _, client = api

    shop = client.get(f"{API}/shop.json").json()["shop"]

    assert check(fixtures, "shop.json", "shop", shop) == []


def test_the_comparison_catches_a_wrong_type_and_a_missing_key() -> None:
    fixture = {"id": 1, "price": "1.00", "variants": [{"sku": "A"}]}

    problems = shape_mismatches(
        fixture, {"id": "1", "variants": [{"sku": 5}]}, "p", omitted=set(), nullable=set()
    )

    assert problems == [
        "p.id: string, fixture has number",
        "p.price: missing",
        "p.variants[].sku: number, fixture has string",
    ]
