"""Shopify-specific connector behaviour: error mapping, rate gate, field mapping, webhooks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from connectors.contract.driver import StoreEnv
from connectors.contract.suite import HOOK_ADDRESS, order_for, stock_of, two_size_variants
from connectors.shopify.shopify_env import ShopifyDriver, make_connector, make_emulator
from shopbridge.connectors.base.dto import ProductStatus, WebhookTopic, WeightUnit
from shopbridge.connectors.shopify import ShopifyConnector
from shopbridge.core.errors import (
    AuthExpiredError,
    NotFoundError,
    RateLimitedError,
    RetryableError,
    ValidationFailed,
)
from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.shopify.app import DEFAULT_SHOP, ShopifyEmulator


class RecordingGate:
    def __init__(self) -> None:
        self.acquired: list[str] = []
        self.observed: list[dict] = []

    def acquire(self, key: str, weight: int = 1) -> None:
        self.acquired.append(key)

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        self.observed.append({"key": key, "remaining": remaining, "limit": limit, "retry_after": retry_after})


# -- errors and rate limits ----------------------------------------------------------------------
def test_a_wrong_token_raises_auth_expired(emulator: ShopifyEmulator) -> None:
    connector = make_connector(emulator, access_token="shpat_revoked")

    with pytest.raises(AuthExpiredError) as caught:
        connector.shop_info()

    assert caught.value.platform_code == 401
    assert "Invalid API key or access token" in caught.value.reason


def test_every_request_passes_the_gate_and_reports_the_call_limit(emulator: ShopifyEmulator) -> None:
    gate = RecordingGate()
    connector = make_connector(emulator, gate=gate)

    connector.shop_info()
    connector.list_locations()

    assert gate.acquired == [f"shopify:{DEFAULT_SHOP}"] * 2
    assert [(o["remaining"], o["limit"], o["retry_after"]) for o in gate.observed] == [
        (39.0, 40.0, None),
        (38.0, 40.0, None),
    ]


def test_a_throttled_request_raises_rate_limited_with_shopifys_wait() -> None:
    emulator = make_emulator(clock=Clock(frozen_at=1_717_200_000.0))
    gate = RecordingGate()
    connector = make_connector(emulator, gate=gate)
    for _ in range(40):
        connector.list_locations()

    with pytest.raises(RateLimitedError) as caught:
        connector.list_locations()

    assert caught.value.retry_after == 2.0
    assert gate.observed[-1] == {
        "key": f"shopify:{DEFAULT_SHOP}",
        "remaining": 0.0,
        "limit": 40.0,
        "retry_after": 2.0,
    }


def test_server_errors_are_retryable(emulator: ShopifyEmulator, connector: ShopifyConnector) -> None:
    emulator.faults.set(DEFAULT_SHOP, fail_next=[500])

    with pytest.raises(RetryableError) as caught:
        connector.shop_info()

    assert not isinstance(caught.value, RateLimitedError)
    assert caught.value.platform_code == 500
    assert connector.shop_info().currency == "USD"


def test_network_failure_is_retryable() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    connector = ShopifyConnector(
        DEFAULT_SHOP, "shpat_x", api_secret="s", transport=httpx.MockTransport(refuse)
    )

    with pytest.raises(RetryableError):
        connector.shop_info()


def test_a_rejected_order_names_the_field(store_env: StoreEnv) -> None:
    with pytest.raises(ValidationFailed) as caught:
        store_env.connector.create_order(
            order_for(store_env, _product(store_env), _product(store_env).variants[0]).model_copy(
                update={"currency": "EUR"}
            )
        )

    assert [fe.field for fe in caught.value.field_errors] == ["currency"]
    assert caught.value.platform_code == 422


def test_an_unknown_order_is_not_found(connector: ShopifyConnector) -> None:
    with pytest.raises(NotFoundError):
        connector.get_order("8000000999999")


# -- mapping ----------------------------------------------------------------------------------------
def _product(env: StoreEnv):
    return env.connector.get_product(env.driver.create_product(title="Mapped", variants=two_size_variants()))


def test_every_variant_field_is_mapped(
    emulator: ShopifyEmulator, driver: ShopifyDriver, connector: ShopifyConnector
) -> None:
    created = driver.control(
        "products/create",
        {
            "title": "Wool Scarf",
            "status": "archived",
            "product_type": "Scarves",
            "tags": "wool, winter",
            "options": [{"name": "Color"}],
            "variants": [
                {
                    "option1": "Grey",
                    "sku": "SC-G",
                    "price": "30.00",
                    "compare_at_price": "40.00",
                    "barcode": "0123456789012",
                    "weight": "7.5",
                    "weight_unit": "oz",
                    "inventory_policy": "continue",
                    "inventory_quantity": 4,
                },
                {"option1": "Red", "sku": "", "price": "30", "inventory_management": None},
            ],
            "images": [{"src": "https://img.test/a.png", "alt": "Front"}],
        },
    )["product"]

    product = connector.get_product(str(created["id"]))
    grey, red = product.variants

    assert product.status == ProductStatus.ARCHIVED
    assert product.tags == ["winter", "wool"]
    assert set(product.category_ids) == {"product_type:Scarves", "tag:winter", "tag:wool"}
    assert [o.model_dump() for o in product.options] == [{"name": "Color", "values": ["Grey", "Red"]}]
    assert (grey.sku, grey.barcode, grey.price, grey.compare_at_price) == (
        "SC-G",
        "0123456789012",
        Decimal("30.00"),
        Decimal("40.00"),
    )
    assert (grey.weight, grey.weight_unit) == (Decimal("7.5"), WeightUnit.OZ)
    assert grey.continue_selling_when_out_of_stock is True
    assert grey.inventory_quantity == 4
    assert grey.tracks_inventory is True
    assert (red.sku, red.barcode, red.weight, red.compare_at_price) == (None, None, None, None)
    assert red.tracks_inventory is False
    assert red.continue_selling_when_out_of_stock is False
    assert [(i.url, i.alt) for i in product.images] == [("https://img.test/a.png", "Front")]


def test_a_product_without_options_has_no_default_title_option(
    driver: ShopifyDriver, connector: ShopifyConnector
) -> None:
    created = driver.control(
        "products/create", {"title": "Plain Mug", "variants": [{"price": "8.00", "sku": "MUG"}]}
    )["product"]

    product = connector.get_product(str(created["id"]))

    assert product.options == []
    assert product.variants[0].options == {}
    assert product.variants[0].title is None


def test_smart_collection_membership_is_a_category(
    driver: ShopifyDriver, connector: ShopifyConnector
) -> None:
    driver.control(
        "collections/smart",
        {
            "title": "Cheap",
            "rules": [{"column": "variant_price", "relation": "less_than", "condition": "10"}],
        },
    )
    cheap = driver.control("products/create", {"title": "Cheap Pen", "variants": [{"price": "2.00"}]})[
        "product"
    ]
    dear = driver.control("products/create", {"title": "Fancy Pen", "variants": [{"price": "90.00"}]})[
        "product"
    ]

    smart = next(c for c in connector.list_categories() if c.name == "Cheap")
    listed = {p.external_id: p for p in connector.list_products(page_size=10).products}

    assert smart.kind == "collection"
    assert smart.external_id in connector.get_product(str(cheap["id"])).category_ids
    assert smart.external_id in listed[str(cheap["id"])].category_ids
    assert smart.external_id not in listed[str(dear["id"])].category_ids


def test_updated_since_returns_only_recent_changes(
    emulator: ShopifyEmulator, driver: ShopifyDriver, connector: ShopifyConnector
) -> None:
    old = driver.create_product(title="Old", variants=two_size_variants())
    emulator.clock.advance(3600)
    cutoff = datetime.now(UTC) + timedelta(seconds=1800)
    new = driver.create_product(title="New", variants=two_size_variants())

    page = connector.list_products(updated_since=cutoff)

    assert [p.external_id for p in page.products] == [new]
    assert old not in [p.external_id for p in page.products]


# -- orders -----------------------------------------------------------------------------------------
def test_order_payload_carries_tiktok_markers(emulator: ShopifyEmulator, store_env: StoreEnv) -> None:
    product = _product(store_env)
    order_in = order_for(store_env, product, product.variants[0])

    order = store_env.connector.create_order(order_in)

    stored = emulator.default_shop.orders[int(order.external_id)]
    assert stored["source_name"] == "tiktok_shop"
    assert stored["tags"] == "TikTok"
    assert stored["note_attributes"] == [{"name": "tiktok_order_id", "value": order_in.marketplace_order_id}]
    assert stored["_send_receipt"] is False
    assert order.name == "#1001"


def test_an_order_that_does_not_deduct_stock_leaves_it(store_env: StoreEnv) -> None:
    product = _product(store_env)
    order_in = order_for(store_env, product, product.variants[0], quantity=3).model_copy(
        update={"deduct_inventory": False}
    )

    store_env.connector.create_order(order_in)

    assert stock_of(store_env.connector, product.variants[0]) == 5


def test_cancel_without_restock_keeps_stock_taken(store_env: StoreEnv) -> None:
    product = _product(store_env)
    order = store_env.connector.create_order(order_for(store_env, product, product.variants[0], quantity=2))

    cancelled = store_env.connector.cancel_order(order.external_id, restock=False, reason="out of stock")

    assert cancelled.status == "cancelled"
    assert stock_of(store_env.connector, product.variants[0]) == 3


def test_connector_fulfilment_sets_tracking(store_env: StoreEnv) -> None:
    connector = store_env.connector
    assert isinstance(connector, ShopifyConnector)
    product = _product(store_env)
    order = connector.create_order(order_for(store_env, product, product.variants[0]))

    fulfilment = connector.fulfil_order(
        order.external_id, tracking_company="USPS", tracking_number="9400100000000000000000"
    )

    assert (
        fulfilment.tracking_url
        == "https://tools.usps.com/go/TrackConfirmAction?tLabels=9400100000000000000000"
    )
    assert connector.get_order(order.external_id).fulfillment_status == "fulfilled"


# -- webhooks ---------------------------------------------------------------------------------------
def test_a_webhook_signed_with_another_secret_is_refused(
    emulator: ShopifyEmulator, store_env: StoreEnv
) -> None:
    store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])
    store_env.driver.create_product(title="Hooked", variants=two_size_variants())
    (delivery,) = store_env.driver.webhook_deliveries()
    impostor = make_connector(emulator, api_secret="shpss_someone_else")

    assert store_env.connector.verify_webhook(delivery["headers"], delivery["body"].encode()) is True
    assert impostor.verify_webhook(delivery["headers"], delivery["body"].encode()) is False


def test_registering_twice_creates_no_duplicate_subscriptions(
    emulator: ShopifyEmulator, connector: ShopifyConnector
) -> None:
    first = connector.register_webhooks(
        HOOK_ADDRESS, [WebhookTopic.ORDER_CREATED, WebhookTopic.APP_UNINSTALLED]
    )

    second = connector.register_webhooks(
        HOOK_ADDRESS, [WebhookTopic.ORDER_CREATED, WebhookTopic.APP_UNINSTALLED]
    )

    assert second == first
    assert len(emulator.default_shop.webhooks) == 2


def test_inventory_and_fulfilment_events_point_at_what_to_reread(store_env: StoreEnv) -> None:
    connector = store_env.connector
    product = _product(store_env)
    connector.register_webhooks(
        HOOK_ADDRESS, [WebhookTopic.INVENTORY_UPDATED, WebhookTopic.FULFILLMENT_CREATED]
    )
    order = connector.create_order(order_for(store_env, product, product.variants[0]))

    store_env.driver.fulfil_order(
        order.external_id, tracking_company="UPS", tracking_number="1Z999AA10123456784"
    )
    events = [
        connector.parse_webhook(d["headers"], d["body"].encode())
        for d in store_env.driver.webhook_deliveries()
    ]

    assert [(e.topic, e.resource_id) for e in events] == [
        (WebhookTopic.INVENTORY_UPDATED, product.variants[0].inventory_item_id),
        (WebhookTopic.FULFILLMENT_CREATED, order.external_id),
    ]
    assert all(e.occurred_at is not None for e in events)


def test_duplicate_deliveries_share_the_webhook_id(emulator: ShopifyEmulator, store_env: StoreEnv) -> None:
    emulator.faults.set(DEFAULT_SHOP, webhook_duplicates=1)
    store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])

    store_env.driver.create_product(title="Twice", variants=two_size_variants())
    events = [
        store_env.connector.parse_webhook(d["headers"], d["body"].encode())
        for d in store_env.driver.webhook_deliveries()
    ]

    assert len(events) == 2
    assert events[0].event_id == events[1].event_id


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"X-Shopify-Topic": "carts/create", "X-Shopify-Webhook-Id": "w1"}, b"{}"),
        ({"X-Shopify-Topic": "products/create"}, b'{"id": 1}'),
        ({"X-Shopify-Topic": "products/create", "X-Shopify-Webhook-Id": "w1"}, b"not json"),
        ({"X-Shopify-Topic": "products/create", "X-Shopify-Webhook-Id": "w1"}, json.dumps([1]).encode()),
    ],
)
def test_malformed_webhooks_raise_validation_failed(
    connector: ShopifyConnector, headers: dict, body: bytes
) -> None:
    with pytest.raises(ValidationFailed):
        connector.parse_webhook(headers, body)
