"""The WooCommerce emulator answers as WooCommerce does: auth, paging, validation, limits, webhooks."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest

from shopbridge.connectors.woocommerce import oauth
from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator, create_emulator, manifest_entry

HTTPS_SITE = "https://woo.sandbox.test"
HTTP_SITE = "http://woo.sandbox.test"
PRODUCTS = "/wp-json/wc/v3/products"


@pytest.fixture
def emulator() -> WooCommerceEmulator:
    emulator = WooCommerceEmulator(catalogue="default")
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    return emulator


def client(
    emulator: WooCommerceEmulator, site: str = HTTPS_SITE, auth: tuple[str, str] | None = None
) -> httpx.Client:
    return httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=site, auth=auth)


def keys(emulator: WooCommerceEmulator) -> tuple[str, str]:
    return emulator.consumer_key, emulator.consumer_secret


def signed_url(
    emulator: WooCommerceEmulator, method: str, path: str, params: dict[str, str] | None = None
) -> str:
    url = f"{HTTP_SITE}{path}"
    signed = oauth.signed_params(
        method,
        url,
        params or {},
        consumer_key=emulator.consumer_key,
        consumer_secret=emulator.consumer_secret,
        now=emulator.clock.now,
    )
    return f"{url}?" + "&".join(f"{oauth.rfc3986(k)}={oauth.rfc3986(v)}" for k, v in signed.items())


# -- registry / manifest ---------------------------------------------------------------------------
def test_manifest_entry_has_exactly_the_documented_keys() -> None:
    emulator = create_emulator(seed=3)

    entry = manifest_entry(emulator, "http://127.0.0.1:8702")

    assert set(entry) == {"base_url", "consumer_key", "consumer_secret", "webhook_secret"}
    assert entry["base_url"] == "http://127.0.0.1:8702"
    assert entry["consumer_key"].startswith("ck_") and entry["consumer_secret"].startswith("cs_")


# -- authentication --------------------------------------------------------------------------------
def test_unknown_consumer_key_is_refused_by_the_permission_check(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=("ck_unknown", "cs_unknown")).get(PRODUCTS)

    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_cannot_view",
        "message": "Sorry, you cannot list resources.",
        "data": {"status": 401},
    }


def test_right_key_with_wrong_secret_is_an_authentication_error(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=(emulator.consumer_key, "cs_wrong")).get(PRODUCTS)

    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_error"
    assert response.json()["message"] == "Consumer secret is invalid."


def test_basic_auth_over_plain_http_is_ignored(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, site=HTTP_SITE, auth=keys(emulator)).post(PRODUCTS, json={"name": "Sneaky"})

    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_cannot_create"
    assert len(emulator.store.products) == 5  # the default catalogue only: nothing was created


def test_query_string_credentials_work_over_https(emulator: WooCommerceEmulator) -> None:
    key, secret = keys(emulator)

    response = client(emulator).get(PRODUCTS, params={"consumer_key": key, "consumer_secret": secret})

    assert response.status_code == 200


def test_oauth1_signed_request_over_http_is_accepted(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, site=HTTP_SITE).get(signed_url(emulator, "GET", PRODUCTS, {"per_page": "2"}))

    assert response.status_code == 200
    assert len(response.json()) == 2


def test_bad_oauth_signature_is_rejected(emulator: WooCommerceEmulator) -> None:
    url = signed_url(emulator, "GET", PRODUCTS, {"per_page": "2"}).replace("per_page=2", "per_page=3")

    response = client(emulator, site=HTTP_SITE).get(url)

    assert response.status_code == 401
    assert response.json() == {
        "code": "woocommerce_rest_authentication_error",
        "message": "Invalid signature - provided signature does not match.",
        "data": {"status": 401},
    }


def test_replayed_oauth_nonce_is_rejected(emulator: WooCommerceEmulator) -> None:
    url = signed_url(emulator, "GET", PRODUCTS)
    http = client(emulator, site=HTTP_SITE)

    first, replay = http.get(url), http.get(url)

    assert first.status_code == 200
    assert replay.status_code == 401
    assert replay.json()["message"] == "Invalid nonce - nonce has already been used."


def test_stale_oauth_timestamp_is_rejected(emulator: WooCommerceEmulator) -> None:
    url = signed_url(emulator, "GET", PRODUCTS)

    emulator.clock.advance(16 * 60)
    response = client(emulator, site=HTTP_SITE).get(url)

    assert response.status_code == 401
    assert response.json()["message"] == "Invalid timestamp."


def test_partial_oauth_parameters_name_the_missing_ones(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, site=HTTP_SITE).get(
        PRODUCTS, params={"oauth_consumer_key": emulator.consumer_key}
    )

    assert response.status_code == 401
    assert response.json()["code"] == "woocommerce_rest_authentication_missing_parameter"
    assert response.json()["message"] == (
        "Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method"
    )


def test_read_only_key_cannot_write(emulator: WooCommerceEmulator) -> None:
    http = client(emulator, auth=keys(emulator))
    http.post("/_sandbox/keys", json={"permissions": "read"})

    response = http.post(PRODUCTS, json={"name": "Blocked"})

    assert response.status_code == 401
    assert response.json()["message"] == "The API key provided does not have write permissions."
    assert http.get(PRODUCTS).status_code == 200


# -- pagination ------------------------------------------------------------------------------------
def test_pages_carry_totals_and_links(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).get(PRODUCTS, params={"per_page": 2, "page": 2})

    assert response.status_code == 200
    assert len(response.json()) == 2
    assert response.headers["X-WP-Total"] == "5"
    assert response.headers["X-WP-TotalPages"] == "3"
    assert 'rel="prev"' in response.headers["Link"] and 'rel="next"' in response.headers["Link"]


def test_a_page_past_the_end_is_an_empty_list_with_the_real_totals(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).get(PRODUCTS, params={"per_page": 2, "page": 9})

    assert response.status_code == 200
    assert response.json() == []
    assert response.headers["X-WP-Total"] == "5"
    assert response.headers["X-WP-TotalPages"] == "3"


def test_per_page_above_100_is_an_invalid_parameter(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).get(PRODUCTS, params={"per_page": 101})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "rest_invalid_param"
    assert body["message"] == "Invalid parameter(s): per_page"
    assert body["data"]["params"] == {
        "per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)"
    }


# -- validation and errors -------------------------------------------------------------------------
def test_a_price_sent_as_a_number_is_rejected_and_nothing_is_created(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).post(
        PRODUCTS, json={"name": "Cheap", "regular_price": 9.99}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "rest_invalid_param"
    assert response.json()["data"]["params"] == {"regular_price": "regular_price is not of type string."}
    assert len(emulator.store.products) == 5


def test_missing_product_is_404_on_get_and_400_on_put(emulator: WooCommerceEmulator) -> None:
    http = client(emulator, auth=keys(emulator))

    got, put = http.get(f"{PRODUCTS}/99999"), http.put(f"{PRODUCTS}/99999", json={"name": "x"})

    assert (got.status_code, got.json()["code"]) == (404, "woocommerce_rest_product_invalid_id")
    assert (put.status_code, put.json()["code"]) == (400, "woocommerce_rest_product_invalid_id")


def test_unknown_route_is_rest_no_route(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).get("/wp-json/wc/v3/nothing-here")

    assert response.status_code == 404
    assert response.json()["code"] == "rest_no_route"


def test_batch_over_100_objects_is_413_and_changes_nothing(emulator: WooCommerceEmulator) -> None:
    body = {"create": [{"name": f"P{i}"} for i in range(101)]}

    response = client(emulator, auth=keys(emulator)).post(f"{PRODUCTS}/batch", json=body)

    assert response.status_code == 413
    assert response.json()["code"] == "woocommerce_rest_request_entity_too_large"
    assert len(emulator.store.products) == 5


def test_batch_item_failures_do_not_fail_the_batch(emulator: WooCommerceEmulator) -> None:
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")
    body = {"update": [{"id": mug["id"], "regular_price": "16.00"}, {"id": 99999, "regular_price": "1.00"}]}

    response = client(emulator, auth=keys(emulator)).post(f"{PRODUCTS}/batch", json=body)

    assert response.status_code == 200
    updated, failed = response.json()["update"]
    assert updated["regular_price"] == "16.00"
    assert failed == {
        "id": 99999,
        "error": {
            "code": "woocommerce_rest_product_invalid_id",
            "message": "Invalid ID.",
            "data": {"status": 400},
        },
    }


def test_order_line_for_an_unknown_product_is_saved_unlinked(emulator: WooCommerceEmulator) -> None:
    body = {"line_items": [{"product_id": 99999, "quantity": 1}], "set_paid": True}

    response = client(emulator, auth=keys(emulator)).post("/wp-json/wc/v3/orders", json=body)

    assert response.status_code == 201
    line = response.json()["line_items"][0]
    assert (line["product_id"], line["variation_id"], line["name"], line["total"]) == (0, 0, "", "0.00")
    assert response.json()["status"] == "processing"


def test_order_line_without_product_reference_is_rejected(emulator: WooCommerceEmulator) -> None:
    response = client(emulator, auth=keys(emulator)).post(
        "/wp-json/wc/v3/orders", json={"line_items": [{"quantity": 1}]}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "woocommerce_rest_required_product_reference"
    assert emulator.store.orders == {}


def test_set_paid_reduces_stock_and_cancel_restores_it(emulator: WooCommerceEmulator) -> None:
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")
    http = client(emulator, auth=keys(emulator))

    order = http.post(
        "/wp-json/wc/v3/orders",
        json={"line_items": [{"product_id": mug["id"], "quantity": 3}], "set_paid": True},
    ).json()
    after_sale = http.get(f"{PRODUCTS}/{mug['id']}").json()["stock_quantity"]
    http.put(f"/wp-json/wc/v3/orders/{order['id']}", json={"status": "cancelled"})
    after_cancel = http.get(f"{PRODUCTS}/{mug['id']}").json()["stock_quantity"]

    assert (order["status"], order["date_paid"] is not None, order["total"]) == ("processing", True, "37.50")
    assert (after_sale, after_cancel) == (22, 25)


# -- optional host rate limit ----------------------------------------------------------------------
def test_over_limit_burst_gets_429_with_retry_after(emulator: WooCommerceEmulator) -> None:
    http = client(emulator, auth=keys(emulator))
    http.post("/_sandbox/rate_limit", json={"requests": 3, "per_seconds": 10})

    statuses = [http.get(PRODUCTS).status_code for _ in range(4)]
    limited = http.get(PRODUCTS)

    assert statuses == [200, 200, 200, 429]
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "4"
    assert limited.json()["code"] == "rate_limit_exceeded"
    assert limited.json()["data"] == {"status": 429}


def test_no_rate_limit_by_default(emulator: WooCommerceEmulator) -> None:
    http = client(emulator, auth=keys(emulator))

    statuses = {http.get(PRODUCTS).status_code for _ in range(30)}

    assert statuses == {200}


# -- webhooks --------------------------------------------------------------------------------------
def _hook(emulator: WooCommerceEmulator, topic: str, secret: str = "s3cret") -> None:
    response = client(emulator, auth=keys(emulator)).post(
        "/wp-json/wc/v3/webhooks",
        json={"topic": topic, "delivery_url": "https://hooks.test/in", "secret": secret},
    )
    assert response.status_code == 201


def test_webhook_creation_pings_then_state_changes_are_signed(emulator: WooCommerceEmulator) -> None:
    _hook(emulator, "product.updated")
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")

    client(emulator, auth=keys(emulator)).put(f"{PRODUCTS}/{mug['id']}", json={"regular_price": "14.00"})
    ping, update = emulator.webhooks.deliveries

    assert ping.body == b"webhook_id=1" and "X-WC-Webhook-Signature" not in ping.headers
    expected = base64.b64encode(hmac.new(b"s3cret", update.body, hashlib.sha256).digest()).decode()
    assert update.headers["X-WC-Webhook-Signature"] == expected
    assert update.headers["X-WC-Webhook-Topic"] == "product.updated"
    assert update.headers["X-WC-Webhook-Resource"] == "product"
    assert update.headers["X-WC-Webhook-Event"] == "updated"
    assert json.loads(update.body)["regular_price"] == "14.00"


def test_deleted_event_carries_only_the_id(emulator: WooCommerceEmulator) -> None:
    _hook(emulator, "product.deleted")
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")

    client(emulator, auth=keys(emulator)).delete(f"{PRODUCTS}/{mug['id']}", params={"force": "true"})

    assert json.loads(emulator.webhooks.deliveries[-1].body) == {"id": mug["id"]}


def test_webhook_is_disabled_after_more_than_five_failures(emulator: WooCommerceEmulator) -> None:
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(500)))
    _hook(emulator, "product.updated")
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")
    http = client(emulator, auth=keys(emulator))

    for price in range(6):
        http.put(f"{PRODUCTS}/{mug['id']}", json={"regular_price": f"{10 + price}.00"})
    sent_before = len(emulator.webhooks.deliveries)
    http.put(f"{PRODUCTS}/{mug['id']}", json={"regular_price": "30.00"})

    assert emulator.store.webhooks[1]["status"] == "disabled"
    assert len(emulator.webhooks.deliveries) == sent_before  # a disabled webhook sends nothing


def test_delivery_id_repeats_within_one_second_as_woocommerce_does() -> None:
    emulator = WooCommerceEmulator(catalogue="default")
    emulator.clock.freeze(time.time())
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    _hook(emulator, "product.updated")
    mug = next(p for p in emulator.store.products.values() if p["sku"] == "SBX-MUG")
    http = client(emulator, auth=keys(emulator))

    http.put(f"{PRODUCTS}/{mug['id']}", json={"regular_price": "11.00"})
    http.put(f"{PRODUCTS}/{mug['id']}", json={"regular_price": "12.00"})
    first, second = emulator.webhooks.deliveries[-2:]

    assert first.headers["X-WC-Webhook-Delivery-ID"] == second.headers["X-WC-Webhook-Delivery-ID"]
    assert first.body != second.body
