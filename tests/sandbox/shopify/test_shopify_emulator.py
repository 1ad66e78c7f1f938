"""The Shopify emulator answers like Shopify: auth, rate limit, pagination, validation, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import httpx
import pytest

from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.shopify.app import (
    DEFAULT_SECRET,
    DEFAULT_SHOP,
    DEFAULT_TOKEN,
    ShopifyEmulator,
    create_emulator,
    manifest_entry,
)

API = "/admin/api/2024-10"
INVALID_TOKEN = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}
THROTTLED = {
    "errors": "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
}


# -- auth --------------------------------------------------------------------------------------------
def test_wrong_token_gets_shopifys_401(shopify: ShopifyEmulator) -> None:
    client = httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url=f"https://{DEFAULT_SHOP}")

    wrong = client.get(f"{API}/products.json", headers={"X-Shopify-Access-Token": "shpat_wrong"})
    missing = client.get(f"{API}/products.json")

    assert (wrong.status_code, wrong.json()) == (401, INVALID_TOKEN)
    assert (missing.status_code, missing.json()) == (401, INVALID_TOKEN)
    assert shopify.default_shop.bucket.level == 0  # unauthenticated calls do not fill the bucket


def test_unknown_api_version_is_not_found(http: httpx.Client) -> None:
    response = http.get("/admin/api/1999-01/products.json")

    assert (response.status_code, response.json()) == (404, {"errors": "Not Found"})


# -- leaky bucket ----------------------------------------------------------------------------------
def test_the_41st_request_of_a_burst_is_throttled_with_retry_after(http: httpx.Client) -> None:
    burst = [http.get(f"{API}/shop.json") for _ in range(40)]

    over = http.get(f"{API}/shop.json")

    assert [r.status_code for r in burst] == [200] * 40
    assert [r.headers["X-Shopify-Shop-Api-Call-Limit"] for r in burst[:2]] == ["1/40", "2/40"]
    assert burst[-1].headers["X-Shopify-Shop-Api-Call-Limit"] == "40/40"
    assert over.status_code == 429
    assert over.json() == THROTTLED
    assert over.headers["Retry-After"] == "2.0"


def test_the_bucket_leaks_two_requests_per_second(http: httpx.Client, clock: Clock) -> None:
    for _ in range(40):
        http.get(f"{API}/shop.json")

    clock.advance(1.0)
    allowed = [http.get(f"{API}/shop.json").status_code for _ in range(3)]

    assert allowed == [200, 200, 429]


# -- pagination ------------------------------------------------------------------------------------
def _page_info(link: str) -> str:
    return httpx.URL(link.split(";")[0].strip("<>")).params["page_info"]


def test_link_pagination_walks_every_product_once(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    seen, response = [], http.get(f"{API}/products.json", params={"limit": 15, "fields": "id"})
    while True:
        seen += [p["id"] for p in response.json()["products"]]
        link = response.headers.get("Link")
        if not link or 'rel="next"' not in link:
            break
        next_link = next(part for part in link.split(", ") if 'rel="next"' in part)
        response = http.get(f"{API}/products.json", params={"limit": 15, "page_info": _page_info(next_link)})

    assert sorted(seen) == sorted(shopify.default_shop.products)
    assert len(seen) == 40


def test_the_last_page_has_no_next_link_and_links_back(http: httpx.Client) -> None:
    first = http.get(f"{API}/products.json", params={"limit": 30})
    second = http.get(
        f"{API}/products.json", params={"limit": 30, "page_info": _page_info(first.headers["Link"])}
    )

    assert len(second.json()["products"]) == 10
    assert 'rel="next"' not in second.headers["Link"]
    assert 'rel="previous"' in second.headers["Link"]


def test_a_page_past_the_end_is_empty_without_links(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    from shopbridge_sandbox.shopify.pagination import encode_page_info

    beyond = encode_page_info({}, max(shopify.default_shop.products), "next")

    response = http.get(f"{API}/products.json", params={"page_info": beyond})

    assert response.status_code == 200
    assert response.json() == {"products": []}
    assert "Link" not in response.headers


def test_invalid_page_info_gets_shopifys_400(http: httpx.Client) -> None:
    response = http.get(f"{API}/products.json", params={"page_info": "not-a-cursor"})

    assert (response.status_code, response.json()) == (400, {"errors": {"page_info": "Invalid value."}})


def test_filters_next_to_page_info_are_rejected(http: httpx.Client) -> None:
    first = http.get(f"{API}/products.json", params={"limit": 5, "status": "active"})

    response = http.get(
        f"{API}/products.json", params={"page_info": _page_info(first.headers["Link"]), "status": "active"}
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]


def test_limit_is_capped_at_250(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    http.post("/_sandbox/seed_generated", json={"products": 260, "variants": 1})

    response = http.get(f"{API}/products.json", params={"limit": 1000, "fields": "id"})

    assert len(response.json()["products"]) == 250
    assert len(shopify.default_shop.products) == 300


# -- validation -------------------------------------------------------------------------------------
def test_product_without_title_gets_422_in_shopifys_shape(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    before = len(shopify.default_shop.products)

    response = http.post(f"{API}/products.json", json={"product": {"body_html": "x"}})

    assert (response.status_code, response.json()) == (422, {"errors": {"title": ["can't be blank"]}})
    assert len(shopify.default_shop.products) == before


def test_duplicate_variant_option_is_rejected(http: httpx.Client) -> None:
    product = {
        "title": "Dup",
        "variants": [{"option1": "Red", "price": "1.00"}, {"option1": "Red", "price": "2.00"}],
    }

    response = http.post(f"{API}/products.json", json={"product": product})

    assert (response.status_code, response.json()) == (
        422,
        {"errors": {"base": ["The variant 'Red' already exists."]}},
    )


def test_order_for_unknown_variant_is_rejected_without_side_effects(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    order = {"line_items": [{"variant_id": 123, "quantity": 1}]}

    response = http.post(f"{API}/orders.json", json={"order": order})

    assert response.status_code == 422
    assert response.json() == {
        "errors": {"line_items": ["product variant 123 not found, `price` must provided."]}
    }
    assert shopify.default_shop.orders == {}


def test_missing_resource_wrapper_is_a_400(http: httpx.Client) -> None:
    response = http.post(f"{API}/orders.json", json={"line_items": []})

    assert (response.status_code, response.json()) == (
        400,
        {"errors": {"order": "Required parameter missing or invalid"}},
    )


def test_deleted_product_is_not_found(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    product_id = min(shopify.default_shop.products)

    deleted = http.delete(f"{API}/products/{product_id}.json")
    response = http.get(f"{API}/products/{product_id}.json")

    assert (deleted.status_code, deleted.json()) == (200, {})
    assert (response.status_code, response.json()) == (404, {"errors": "Not Found"})


# -- inventory and orders --------------------------------------------------------------------------
def _first_variant(shopify: ShopifyEmulator) -> dict:
    product = shopify.default_shop.products[min(shopify.default_shop.products)]
    return product["variants"][0]


def test_bypass_orders_leave_stock_alone_and_decrementing_orders_take_it(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    variant = _first_variant(shopify)
    item = variant["inventory_item_id"]
    start = shopify.default_shop.available(item)

    http.post(
        f"{API}/orders.json", json={"order": {"line_items": [{"variant_id": variant["id"], "quantity": 2}]}}
    )
    after_bypass = shopify.default_shop.available(item)
    http.post(
        f"{API}/orders.json",
        json={
            "order": {
                "line_items": [{"variant_id": variant["id"], "quantity": 2}],
                "inventory_behaviour": "decrement_ignoring_policy",
            }
        },
    )

    assert after_bypass == start
    assert shopify.default_shop.available(item) == start - 2


def test_fulfilment_with_a_bare_ups_number_infers_carrier_and_url(
    http: httpx.Client, shopify: ShopifyEmulator
) -> None:
    variant = _first_variant(shopify)
    order = http.post(
        f"{API}/orders.json", json={"order": {"line_items": [{"variant_id": variant["id"], "quantity": 1}]}}
    ).json()["order"]
    fo = http.get(f"{API}/orders/{order['id']}/fulfillment_orders.json").json()["fulfillment_orders"][0]

    created = http.post(
        f"{API}/fulfillments.json",
        json={
            "fulfillment": {
                "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]}],
                "tracking_info": {"number": "1Z001985YW99744790"},
            }
        },
    )
    after = http.get(f"{API}/orders/{order['id']}.json").json()["order"]

    fulfillment = created.json()["fulfillment"]
    assert created.status_code == 201
    assert fulfillment["tracking_company"] == "UPS"
    assert fulfillment["tracking_url"].startswith("https://www.ups.com/WebTracking")
    assert after["fulfillment_status"] == "fulfilled"
    assert http.post(f"{API}/orders/{order['id']}/cancel.json", json={}).status_code == 422


# -- webhooks -------------------------------------------------------------------------------------
def test_webhooks_are_signed_with_the_app_secret(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    http.post(
        f"{API}/webhooks.json",
        json={"webhook": {"topic": "products/update", "address": "https://hook.test/x"}},
    )
    variant = _first_variant(shopify)

    http.put(f"{API}/variants/{variant['id']}.json", json={"variant": {"price": "9.99"}})

    (delivery,) = shopify.webhooks.deliveries
    expected = base64.b64encode(
        hmac.new(DEFAULT_SECRET.encode(), delivery.body, hashlib.sha256).digest()
    ).decode()
    assert delivery.headers["X-Shopify-Hmac-Sha256"] == expected
    assert delivery.headers["X-Shopify-Topic"] == "products/update"
    assert delivery.headers["X-Shopify-Shop-Domain"] == DEFAULT_SHOP
    assert delivery.headers["X-Shopify-API-Version"] == "2024-10"
    assert delivery.headers["X-Shopify-Webhook-Id"] and delivery.headers["X-Shopify-Event-Id"]
    assert json.loads(delivery.body)["variants"][0]["price"] == "9.99"


def test_duplicate_subscription_is_rejected(http: httpx.Client) -> None:
    hook = {"webhook": {"topic": "orders/create", "address": "https://hook.test/x"}}

    first = http.post(f"{API}/webhooks.json", json=hook)
    second = http.post(f"{API}/webhooks.json", json=hook)

    assert first.status_code == 201
    assert (second.status_code, second.json()) == (
        422,
        {"errors": {"address": ["for this topic has already been taken"]}},
    )


def test_nothing_is_sent_without_a_subscription(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    variant = _first_variant(shopify)

    http.put(f"{API}/variants/{variant['id']}.json", json={"variant": {"price": "9.99"}})

    assert shopify.webhooks.deliveries == []


# -- shops, seeds, images, manifest ----------------------------------------------------------------
def test_state_is_per_shop(shopify: ShopifyEmulator) -> None:
    other = httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url="https://other.myshopify.com")
    other.post("/_sandbox/shops", json={"shop_domain": "other.myshopify.com", "access_token": "shpat_other"})

    products = other.get(f"{API}/products.json", headers={"X-Shopify-Access-Token": "shpat_other"}).json()[
        "products"
    ]

    assert products == []
    assert len(shopify.default_shop.products) == 40


def test_demo_catalogue_spans_five_collections_with_stock_at_two_locations(shopify: ShopifyEmulator) -> None:
    shop = shopify.default_shop

    titles = sorted(c["title"] for c in shop.custom_collections.values())
    stocked_locations = {loc for (_, loc), level in shop.levels.items() if level["available"] > 0}

    assert titles == ["Apparel", "Beauty", "Electronics", "Home", "Jewellery"]
    assert stocked_locations == set(shop.locations)
    assert len(shop.locations) == 2
    assert {p["status"] for p in shop.products.values()} == {"active", "draft"}


def test_demo_images_are_served_as_png(http: httpx.Client, shopify: ShopifyEmulator) -> None:
    product = http.get(f"{API}/products/{min(shopify.default_shop.products)}.json").json()["product"]

    image = http.get(product["images"][0]["src"])

    assert product["images"][0]["src"].startswith(f"https://{DEFAULT_SHOP}/_sandbox/images/")
    assert image.headers["content-type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")


def test_generated_catalogue_has_the_requested_shape(shopify: ShopifyEmulator) -> None:
    client = httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url="https://x")

    client.post("/_sandbox/seed_generated", json={"products": 25, "variants": 3})

    generated = [p for p in shopify.default_shop.products.values() if p["vendor"] == "Bench Co"]
    assert len(generated) == 25
    assert {len(p["variants"]) for p in generated} == {3}


def test_manifest_entry_has_exactly_the_documented_keys() -> None:
    emulator = create_emulator()

    entry = manifest_entry(emulator, "http://127.0.0.1:8701")

    assert entry == {
        "base_url": "http://127.0.0.1:8701",
        "shop_domain": DEFAULT_SHOP,
        "api_version": "2024-10",
        "access_token": DEFAULT_TOKEN,
        "api_secret": DEFAULT_SECRET,
    }


@pytest.mark.parametrize("kind", ["5xx", "rate_limit"])
def test_injected_faults_answer_in_shopifys_shape(http: httpx.Client, kind: str) -> None:
    status = 500 if kind == "5xx" else 429
    http.post("/_sandbox/faults", json={"tenant": DEFAULT_SHOP, "fail_next": [status]})

    faulted = http.get(f"{API}/shop.json")
    healthy = http.get(f"{API}/shop.json")

    assert faulted.status_code == status
    assert "errors" in faulted.json()
    assert healthy.status_code == 200
