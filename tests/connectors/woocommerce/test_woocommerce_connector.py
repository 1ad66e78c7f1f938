"""WooCommerce-specific connector behaviour beyond the shared contract."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from woocommerce_support import SITE, WooCommerceDriver, connector_for

from shopbridge.connectors.base.dto import Address, ChargeLine, MarketplaceOrderIn, OrderLineIn, WebhookTopic
from shopbridge.connectors.woocommerce.connector import VariantUpdate, WooCommerceConnector
from shopbridge.connectors.woocommerce.webhooks import is_ping
from shopbridge.core.errors import (
    AuthExpiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryableError,
    ValidationFailed,
)
from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator

HOOKS = "https://shopbridge.example.test/hooks"


class RecordingGate:
    """A request gate that remembers what it was told (the budget itself lives in sync/)."""

    def __init__(self) -> None:
        self.acquired: list[str] = []
        self.observed: list[dict[str, Any]] = []

    def acquire(self, key: str, weight: int = 1) -> None:
        self.acquired.append(key)

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        self.observed.append({"key": key, "remaining": remaining, "limit": limit, "retry_after": retry_after})


@pytest.fixture
def seeded() -> WooCommerceEmulator:
    emulator = WooCommerceEmulator(catalogue="default")
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    return emulator


def tee_and_variant(connector: WooCommerceConnector) -> tuple[Any, Any]:
    tee = next(p for p in connector.list_products(page_size=100).products if p.raw_kind == "variable")
    return tee, next(v for v in tee.variants if v.sku == "SBX-TEE-SAN-M")


def tiktok_order(product: Any, variant: Any, **extra: Any) -> MarketplaceOrderIn:
    return MarketplaceOrderIn(
        marketplace_order_id="576460752303423488",
        currency="USD",
        lines=[
            OrderLineIn(
                product_external_id=product.external_id,
                variant_external_id=variant.external_id,
                title=product.title,
                quantity=2,
                unit_price=Decimal("24.00"),
            )
        ],
        total=Decimal("55.00"),
        **extra,
    )


# -- auth ------------------------------------------------------------------------------------------
def test_plain_http_site_is_used_with_oauth1_signatures(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded, site="http://woo.sandbox.test")

    page = connector.list_products(page_size=100)
    tee, variant = tee_and_variant(connector)
    order = connector.create_order(tiktok_order(tee, variant))

    assert len(page.products) == 3
    assert order.marketplace_order_id == "576460752303423488"


def test_wrong_secret_is_auth_expired(seeded: WooCommerceEmulator) -> None:
    connector = WooCommerceConnector(
        SITE, seeded.consumer_key, "cs_wrong", webhook_secret="x", transport=httpx.WSGITransport(app=seeded)
    )

    with pytest.raises(AuthExpiredError) as caught:
        connector.list_products()

    assert caught.value.platform_code == "woocommerce_rest_authentication_error"


def test_read_only_key_writing_is_permission_denied(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)
    WooCommerceDriver(seeded).control("keys", {"permissions": "read"})

    with pytest.raises(PermissionDeniedError):
        connector.create_order(tiktok_order(tee, variant))

    assert seeded.store.orders == {}


# -- errors and the gate ---------------------------------------------------------------------------
def test_host_rate_limit_is_reported_to_the_gate_and_raised_with_its_wait(
    seeded: WooCommerceEmulator,
) -> None:
    gate = RecordingGate()
    connector = connector_for(seeded, gate=gate)
    WooCommerceDriver(seeded).control("rate_limit", {"requests": 1, "per_seconds": 5})

    connector.list_product_ids()
    with pytest.raises(RateLimitedError) as caught:
        connector.list_product_ids()

    assert caught.value.retry_after == 5.0
    assert gate.acquired == ["woocommerce:woo.sandbox.test"] * 2
    assert gate.observed[-1] == {
        "key": "woocommerce:woo.sandbox.test",
        "remaining": 0.0,
        "limit": 1.0,
        "retry_after": 5.0,
    }


def test_server_error_is_retryable(seeded: WooCommerceEmulator) -> None:
    WooCommerceDriver(seeded).control("faults", {"tenant": "woocommerce", "fail_next": [500]})

    with pytest.raises(RetryableError) as caught:
        connector_for(seeded).list_product_ids()

    assert not isinstance(caught.value, RateLimitedError)


def test_trashed_product_is_not_found(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, _ = tee_and_variant(connector)
    WooCommerceDriver(seeded).control("products/delete", {"id": tee.external_id, "force": False})

    with pytest.raises(NotFoundError):
        connector.get_product(tee.external_id)

    assert tee.external_id not in connector.list_product_ids()


# -- catalogue -------------------------------------------------------------------------------------
def test_grouped_and_external_products_are_skipped_with_reasons(seeded: WooCommerceEmulator) -> None:
    page = connector_for(seeded).list_products(page_size=100)

    assert sorted(p.title for p in page.products) == [
        "Sandbox Enamel Mug",
        "Sandbox Organic Tee",
        "Sandbox Poster",
    ]
    reasons = sorted(s.reason.split(":")[0] for s in page.skipped)
    assert reasons == ["external/affiliate product", "grouped product"]


def test_stock_rules_map_to_variant_inventory(seeded: WooCommerceEmulator) -> None:
    products = {p.title: p for p in connector_for(seeded).list_products(page_size=100).products}
    mug = products["Sandbox Enamel Mug"].variants[0]
    poster = products["Sandbox Poster"].variants[0]
    large = next(v for v in products["Sandbox Organic Tee"].variants if v.sku == "SBX-TEE-INK-L")

    assert (mug.inventory_quantity, mug.tracks_inventory, mug.price, mug.compare_at_price) == (
        25,
        True,
        Decimal("12.50"),
        Decimal("15.00"),
    )
    assert (poster.inventory_quantity, poster.tracks_inventory) == (None, False)
    assert (large.inventory_quantity, large.continue_selling_when_out_of_stock) == (0, True)


def test_categories_have_paths_and_parents(seeded: WooCommerceEmulator) -> None:
    categories = {c.name: c for c in connector_for(seeded).list_categories()}

    assert categories["Tops"].path == "Apparel > Tops"
    assert categories["Tops"].parent_id == categories["Apparel"].external_id
    assert categories["Apparel"].parent_id is None


def test_batch_update_changes_price_and_stock_and_reports_failures(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)

    failed = connector.update_variants(
        [
            VariantUpdate(
                product_id=tee.external_id,
                variant_id=variant.external_id,
                regular_price=Decimal("30"),
                stock_quantity=3,
            ),
            VariantUpdate(product_id=tee.external_id, variant_id="99999", stock_quantity=1),
        ]
    )
    after = next(v for v in connector.get_product(tee.external_id).variants if v.sku == variant.sku)

    assert failed == ["99999"]
    assert (after.price, after.inventory_quantity) == (Decimal("30.00"), 3)


# -- orders ----------------------------------------------------------------------------------------
def test_marketplace_order_is_created_paid_with_reference_note_and_charges(
    seeded: WooCommerceEmulator,
) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)
    order_in = tiktok_order(
        tee,
        variant,
        note="Gift wrap please",
        buyer_email="ada@example.test",
        buyer_name="Ada Lovelace",
        shipping_address=Address(
            first_name="Ada",
            last_name="Lovelace",
            address1="1 Loop",
            city="Leeds",
            postal_code="LS1 1AA",
            country_code="GB",
        ),
        shipping_lines=[ChargeLine(title="TikTok shipping", amount=Decimal("4.00"))],
        tax_lines=[ChargeLine(title="VAT", amount=Decimal("3.00"))],
    )

    order = connector.create_order(order_in)
    raw = seeded.store.orders[int(order.external_id)]

    assert (order.status, order.financial_status, order.total) == ("open", "paid", Decimal("55.00"))
    assert raw["status"] == "processing" and raw["customer_note"] == "Gift wrap please"
    assert {m["key"]: m["value"] for m in raw["meta_data"]}["_tiktok_order_id"] == "576460752303423488"
    assert raw["shipping"]["postcode"] == "LS1 1AA" and raw["billing"]["email"] == "ada@example.test"
    assert [(f["name"], f["total"]) for f in raw["fee_lines"]] == [("VAT", "3.00")]
    assert raw["line_items"][0]["variation_id"] == int(variant.external_id)


def test_cancel_records_the_reason_as_an_order_note(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)
    order = connector.create_order(tiktok_order(tee, variant))

    connector.cancel_order(order.external_id, reason="buyer changed their mind")
    again = connector.cancel_order(order.external_id)

    notes = [n["note"] for n in seeded.store.notes[int(order.external_id)]]
    assert "Cancelled on the marketplace: buyer changed their mind" in notes
    assert again.status == "cancelled"
    assert sum("to Cancelled" in n for n in notes) == 1  # the second cancel changed nothing


# -- webhooks --------------------------------------------------------------------------------------
def test_variation_stock_webhook_is_an_inventory_event_on_the_parent(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)
    connector.register_webhooks(HOOKS, [WebhookTopic.INVENTORY_UPDATED])

    WooCommerceDriver(seeded).set_inventory(tee.external_id, variant.external_id, 2)
    delivery = [d for d in seeded.webhooks.deliveries if d.topic == "product.updated"][-1]
    event = connector.parse_webhook(delivery.headers, delivery.body)

    assert connector.verify_webhook(delivery.headers, delivery.body)
    assert (event.topic, event.resource_id, event.platform_topic) == (
        WebhookTopic.INVENTORY_UPDATED,
        tee.external_id,
        "product.updated",
    )


def test_cancelled_order_webhook_is_an_order_cancelled_event(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    tee, variant = tee_and_variant(connector)
    order = connector.create_order(tiktok_order(tee, variant))
    connector.register_webhooks(HOOKS, [WebhookTopic.ORDER_CANCELLED])

    WooCommerceDriver(seeded).control("orders/cancel", {"order_id": order.external_id})
    delivery = [d for d in seeded.webhooks.deliveries if d.topic == "order.updated"][-1]

    event = connector.parse_webhook(delivery.headers, delivery.body)
    assert (event.topic, event.resource_id) == (WebhookTopic.ORDER_CANCELLED, order.external_id)


def test_registering_twice_reuses_the_webhooks(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    topics = [WebhookTopic.PRODUCT_UPDATED, WebhookTopic.INVENTORY_UPDATED]

    first = connector.register_webhooks(HOOKS, topics)
    second = connector.register_webhooks(HOOKS, topics)

    assert [r.external_id for r in first] == [r.external_id for r in second]
    assert len(seeded.store.webhooks) == 1  # both topics ride on product.updated


def test_ping_is_recognised_and_not_parsed_as_an_event(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    connector.register_webhooks(HOOKS, [WebhookTopic.ORDER_CREATED])
    ping = seeded.webhooks.deliveries[0]

    assert is_ping(ping.headers, ping.body)
    assert connector.verify_webhook(ping.headers, ping.body) is False
    with pytest.raises(ValidationFailed):
        connector.parse_webhook(ping.headers, ping.body)


def test_same_second_deliveries_get_distinct_event_ids(seeded: WooCommerceEmulator) -> None:
    connector = connector_for(seeded)
    headers = {"X-WC-Webhook-Topic": "product.updated", "X-WC-Webhook-Delivery-ID": "abc"}

    first = connector.parse_webhook(headers, json.dumps({"id": 1, "regular_price": "1"}).encode())
    second = connector.parse_webhook(headers, json.dumps({"id": 1, "regular_price": "2"}).encode())
    retry = connector.parse_webhook(headers, json.dumps({"id": 1, "regular_price": "2"}).encode())

    assert first.event_id != second.event_id
    assert second.event_id == retry.event_id
