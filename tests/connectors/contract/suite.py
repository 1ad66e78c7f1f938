"""The store contract suite: what every StoreConnector must do, checked against its emulator.

A platform's test module subclasses ``StoreContract`` and provides a ``store_env`` fixture
(a fresh, empty store per test is expected)::

    from connectors.contract.suite import StoreContract

    class TestShopifyContract(StoreContract):
        @pytest.fixture
        def store_env(self) -> StoreEnv: ...

The class has no ``Test`` prefix so pytest only collects it through the subclasses. Every test
speaks DTOs only; the merchant's side is played by the ``StoreDriver`` (the emulator's control
API), never by the connector under test.
"""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from shopbridge.connectors.base.dto import (
    MarketplaceOrderIn,
    OrderLineIn,
    RefundLineIn,
    StoreOrder,
    StoreProduct,
    StoreVariant,
    WebhookTopic,
    WeightUnit,
)
from shopbridge.connectors.base.protocol import StoreConnector
from shopbridge.core.errors import NotFoundError, TerminalError, ValidationFailed

from .driver import StoreEnv

HOOK_ADDRESS = "https://shopbridge.example.test/webhooks/store"
GRAMS_PER_UNIT = {
    WeightUnit.G: Decimal("1"),
    WeightUnit.KG: Decimal("1000"),
    WeightUnit.LB: Decimal("453.59237"),
    WeightUnit.OZ: Decimal("28.349523125"),
}


# -- helpers -------------------------------------------------------------------------------------
def unique_sku(prefix: str = "SKU") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8].upper()}"


def two_size_variants(*, price: Decimal = Decimal("19.99"), inventory: int = 5) -> list[dict[str, Any]]:
    return [
        {
            "sku": unique_sku(),
            "price": price,
            "options": {"Size": "M"},
            "inventory": inventory,
            "weight_g": 250,
        },
        {
            "sku": unique_sku(),
            "price": price,
            "options": {"Size": "L"},
            "inventory": inventory,
            "weight_g": 250,
        },
    ]


def create_product(env: StoreEnv, title: str = "Contract Tee", **kwargs: Any) -> StoreProduct:
    kwargs.setdefault("variants", two_size_variants())
    product_id = env.driver.create_product(title=title, **kwargs)
    return env.connector.get_product(product_id)


def order_for(
    env: StoreEnv,
    product: StoreProduct,
    variant: StoreVariant,
    *,
    quantity: int = 1,
    marketplace_order_id: str | None = None,
) -> MarketplaceOrderIn:
    return MarketplaceOrderIn(
        marketplace_order_id=marketplace_order_id or str(576460752303423488 + uuid.uuid4().int % 10**9),
        currency=env.currency,
        lines=[
            OrderLineIn(
                product_external_id=product.external_id,
                variant_external_id=variant.external_id,
                sku=variant.sku,
                title=product.title,
                quantity=quantity,
                unit_price=variant.price,
                marketplace_line_id="577000000000000001",
            )
        ],
        total=variant.price * quantity,
        buyer_email="buyer@example.test",
        buyer_name="Ada Lovelace",
    )


def stock_of(connector: StoreConnector, variant: StoreVariant) -> int:
    item_id = variant.inventory_item_id or variant.external_id
    return sum(level.available for level in connector.inventory_levels([item_id]))


def grams(variant: StoreVariant) -> Decimal:
    assert variant.weight is not None and variant.weight_unit is not None
    return variant.weight * GRAMS_PER_UNIT[variant.weight_unit]


def deliveries_to(env: StoreEnv, address: str) -> list[dict[str, Any]]:
    return [d for d in env.driver.webhook_deliveries() if d["url"] == address]


def parsed_events(env: StoreEnv, address: str) -> list[tuple[dict[str, Any], Any]]:
    events = []
    for delivery in deliveries_to(env, address):
        body = delivery["body"].encode("utf-8")
        events.append((delivery, env.connector.parse_webhook(delivery["headers"], body)))
    return events


# -- the suite -----------------------------------------------------------------------------------
class StoreContract:
    """Subclass with a ``store_env`` fixture returning a ``StoreEnv`` on a fresh, empty store."""

    # shop ---------------------------------------------------------------------------------------
    def test_connector_implements_the_store_protocol(self, store_env: StoreEnv) -> None:
        assert isinstance(store_env.connector, StoreConnector)
        assert store_env.connector.platform

    def test_shop_info_reports_the_store_currency(self, store_env: StoreEnv) -> None:
        info = store_env.connector.shop_info()

        assert info.currency == store_env.currency
        assert info.name

    # catalogue ----------------------------------------------------------------------------------
    def test_a_merchant_product_reads_back_with_its_variants(self, store_env: StoreEnv) -> None:
        variants = two_size_variants(price=Decimal("24.50"))
        product_id = store_env.driver.create_product(
            title="Linen Shirt", variants=variants, description_html="<p>Breathable linen.</p>"
        )

        product = store_env.connector.get_product(product_id)

        assert product.external_id == product_id
        assert product.title == "Linen Shirt"
        assert "Breathable linen." in product.description_html
        assert sorted(v.sku for v in product.variants) == sorted(v["sku"] for v in variants)
        assert {v.price for v in product.variants} == {Decimal("24.50")}
        assert sorted(v.options["Size"] for v in product.variants) == ["L", "M"]
        assert [o.name for o in product.options] == ["Size"]
        assert all(abs(grams(v) - 250) < Decimal("0.5") for v in product.variants)

    def test_product_pages_cover_every_product_exactly_once(self, store_env: StoreEnv) -> None:
        created = {
            store_env.driver.create_product(title=f"Paged {i}", variants=two_size_variants())
            for i in range(5)
        }

        seen: list[str] = []
        cursor: str | None = None
        pages = 0
        while True:
            page = store_env.connector.list_products(cursor=cursor, page_size=2)
            pages += 1
            assert len(page.products) <= 2
            seen.extend(p.external_id for p in page.products)
            cursor = page.next_cursor
            if cursor is None:
                break
            assert pages < 50, "pagination never ends"

        assert len(seen) == len(set(seen))
        assert created <= set(seen)
        assert pages >= 3

    def test_list_product_ids_omits_deleted_products(self, store_env: StoreEnv) -> None:
        kept = create_product(store_env, "Kept")
        gone = create_product(store_env, "Gone")

        store_env.driver.delete_product(gone.external_id)
        ids = store_env.connector.list_product_ids()

        assert kept.external_id in ids
        assert gone.external_id not in ids

    def test_get_product_of_a_deleted_product_raises_not_found(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)

        store_env.driver.delete_product(product.external_id)

        with pytest.raises(NotFoundError):
            store_env.connector.get_product(product.external_id)

    def test_a_price_change_by_the_merchant_is_read_back(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        changed, untouched = product.variants

        store_env.driver.set_price(product.external_id, changed.external_id, Decimal("12.34"))
        after = {
            v.external_id: v.price for v in store_env.connector.get_product(product.external_id).variants
        }

        assert after == {changed.external_id: Decimal("12.34"), untouched.external_id: untouched.price}

    def test_a_product_category_is_listed_and_linked(self, store_env: StoreEnv) -> None:
        product = create_product(store_env, category="Summer Sale")

        categories = store_env.connector.list_categories()
        matching = [c for c in categories if c.name == "Summer Sale"]

        assert len(matching) == 1
        assert matching[0].external_id in product.category_ids

    def test_images_read_back_in_order(self, store_env: StoreEnv) -> None:
        product = create_product(
            store_env, images=["https://img.example.test/front.png", "https://img.example.test/back.png"]
        )

        assert [i.position for i in product.images] == [1, 2]
        assert all(i.url.startswith(("http://", "https://")) for i in product.images)

    # inventory ----------------------------------------------------------------------------------
    def test_locations_are_listed(self, store_env: StoreEnv) -> None:
        locations = store_env.connector.list_locations()

        assert locations
        assert all(loc.external_id and loc.name for loc in locations)

    def test_inventory_set_by_the_merchant_is_read_back(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        variant, other = product.variants

        store_env.driver.set_inventory(product.external_id, variant.external_id, 17)

        assert stock_of(store_env.connector, variant) == 17
        assert stock_of(store_env.connector, other) == 5

    # orders -------------------------------------------------------------------------------------
    def test_created_order_carries_the_marketplace_reference(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        order_in = order_for(store_env, product, product.variants[0], quantity=2)

        order = store_env.connector.create_order(order_in)

        assert isinstance(order, StoreOrder)
        assert order.external_id
        assert order.marketplace_order_id == order_in.marketplace_order_id
        assert order.status == "open"
        assert order.total == order_in.total
        assert store_env.connector.get_order(order.external_id).external_id == order.external_id

    def test_find_order_by_reference_finds_only_that_order(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        first = store_env.connector.create_order(order_for(store_env, product, product.variants[0]))
        second_in = order_for(store_env, product, product.variants[1])
        second = store_env.connector.create_order(second_in)

        found = store_env.connector.find_order_by_reference("tiktok_shop", second_in.marketplace_order_id)
        missing = store_env.connector.find_order_by_reference("tiktok_shop", "999000111222333")

        assert found is not None
        assert found.external_id == second.external_id != first.external_id
        assert missing is None

    def test_an_order_deducts_stock_of_its_variant_only(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        sold, other = product.variants

        store_env.connector.create_order(order_for(store_env, product, sold, quantity=2))

        assert stock_of(store_env.connector, sold) == 3
        assert stock_of(store_env.connector, other) == 5

    def test_an_order_for_an_unknown_variant_is_rejected_and_nothing_is_created(
        self, store_env: StoreEnv
    ) -> None:
        product = create_product(store_env)
        ghost = product.variants[0].model_copy(update={"external_id": "999999999999"})
        order_in = order_for(store_env, product, ghost)

        with pytest.raises(TerminalError):
            store_env.connector.create_order(order_in)

        assert (
            store_env.connector.find_order_by_reference("tiktok_shop", order_in.marketplace_order_id) is None
        )
        assert stock_of(store_env.connector, product.variants[0]) == 5

    def test_cancel_with_restock_returns_the_stock(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        variant = product.variants[0]
        order = store_env.connector.create_order(order_for(store_env, product, variant, quantity=2))

        cancelled = store_env.connector.cancel_order(
            order.external_id, restock=True, reason="buyer cancelled"
        )

        assert cancelled.status == "cancelled"
        assert cancelled.cancelled_at is not None
        assert stock_of(store_env.connector, variant) == 5

    def test_merchant_fulfilment_is_read_back_with_tracking(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        order = store_env.connector.create_order(order_for(store_env, product, product.variants[0]))

        fulfilment_id = store_env.driver.fulfil_order(
            order.external_id, tracking_company="UPS", tracking_number="1Z999AA10123456784"
        )
        fulfilments = store_env.connector.list_fulfillments(order.external_id)

        assert [f.external_id for f in fulfilments] == [fulfilment_id]
        assert fulfilments[0].order_external_id == order.external_id
        assert fulfilments[0].tracking_company == "UPS"
        assert fulfilments[0].tracking_number == "1Z999AA10123456784"

    def test_an_order_without_fulfilments_lists_none(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        order = store_env.connector.create_order(order_for(store_env, product, product.variants[0]))

        assert store_env.connector.list_fulfillments(order.external_id) == []

    # refunds ------------------------------------------------------------------------------------
    def test_refund_with_restock_returns_only_the_refunded_quantity_to_stock(
        self, store_env: StoreEnv
    ) -> None:
        product = create_product(store_env)
        variant, other = product.variants
        order = store_env.connector.create_order(order_for(store_env, product, variant, quantity=3))

        refund = store_env.connector.refund_order(
            order.external_id,
            lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=2)],
            restock=True,
            amount=None,
            reason="returned on TikTok Shop",
        )
        after = store_env.connector.get_order(order.external_id)

        assert refund.external_id
        assert refund.order_external_id == order.external_id
        assert refund.restocked is True
        assert refund.amount == variant.price * 2
        assert stock_of(store_env.connector, variant) == 5 - 3 + 2
        assert stock_of(store_env.connector, other) == 5
        assert [(r.external_id, r.amount, r.restocked) for r in after.refunds] == [
            (refund.external_id, variant.price * 2, True)
        ]

    def test_refund_without_restock_records_the_amount_and_leaves_stock_alone(
        self, store_env: StoreEnv
    ) -> None:
        product = create_product(store_env)
        variant = product.variants[0]
        order = store_env.connector.create_order(order_for(store_env, product, variant, quantity=2))

        refund = store_env.connector.refund_order(
            order.external_id,
            lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=1)],
            restock=False,
            amount=Decimal("5.00"),
        )
        after = store_env.connector.get_order(order.external_id)

        assert refund.restocked is False
        assert refund.amount == Decimal("5.00")
        assert stock_of(store_env.connector, variant) == 3
        assert [(r.external_id, r.amount, r.restocked) for r in after.refunds] == [
            (refund.external_id, Decimal("5.00"), False)
        ]

    def test_refund_of_a_variant_not_on_the_order_is_rejected_and_changes_nothing(
        self, store_env: StoreEnv
    ) -> None:
        product = create_product(store_env)
        sold, not_sold = product.variants
        order = store_env.connector.create_order(order_for(store_env, product, sold, quantity=1))

        with pytest.raises(ValidationFailed) as raised:
            store_env.connector.refund_order(
                order.external_id,
                lines=[RefundLineIn(variant_external_id=not_sold.external_id, quantity=1)],
                restock=True,
                amount=None,
            )

        assert [fe.code for fe in raised.value.field_errors] == ["unknown_order_line"]
        assert store_env.connector.get_order(order.external_id).refunds == []
        assert stock_of(store_env.connector, sold) == 4
        assert stock_of(store_env.connector, not_sold) == 5

    def test_refunding_more_than_is_left_on_the_line_is_rejected(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        variant = product.variants[0]
        order = store_env.connector.create_order(order_for(store_env, product, variant, quantity=2))
        line = RefundLineIn(variant_external_id=variant.external_id, quantity=2)
        first = store_env.connector.refund_order(order.external_id, lines=[line], restock=True, amount=None)

        with pytest.raises(ValidationFailed) as raised:
            store_env.connector.refund_order(
                order.external_id,
                lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=1)],
                restock=True,
                amount=None,
            )

        assert [fe.code for fe in raised.value.field_errors] == ["quantity_above_refundable"]
        assert [r.external_id for r in store_env.connector.get_order(order.external_id).refunds] == [
            first.external_id
        ]
        assert stock_of(store_env.connector, variant) == 5

    # webhooks -----------------------------------------------------------------------------------
    def test_register_webhooks_returns_one_registration_per_topic(self, store_env: StoreEnv) -> None:
        topics = [WebhookTopic.PRODUCT_CREATED, WebhookTopic.PRODUCT_UPDATED, WebhookTopic.ORDER_CREATED]

        registrations = store_env.connector.register_webhooks(HOOK_ADDRESS, topics)

        assert sorted(r.topic for r in registrations) == sorted(topics)
        assert {r.address for r in registrations} == {HOOK_ADDRESS}
        assert len({r.external_id for r in registrations}) == len(topics)

    def test_product_webhook_verifies_and_parses(self, store_env: StoreEnv) -> None:
        store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])
        product_id = store_env.driver.create_product(title="Hooked", variants=two_size_variants())

        deliveries = deliveries_to(store_env, HOOK_ADDRESS)
        assert deliveries, "the store sent no webhook for a new product"
        verified = [
            store_env.connector.verify_webhook(d["headers"], d["body"].encode("utf-8")) for d in deliveries
        ]
        events = [e for _, e in parsed_events(store_env, HOOK_ADDRESS)]

        assert all(verified)
        created = [e for e in events if e.topic == WebhookTopic.PRODUCT_CREATED]
        assert [e.resource_id for e in created] == [product_id]
        assert created[0].event_id
        assert created[0].platform_topic

    def test_webhook_header_names_are_case_insensitive(self, store_env: StoreEnv) -> None:
        store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])
        store_env.driver.create_product(title="Hooked", variants=two_size_variants())
        delivery = deliveries_to(store_env, HOOK_ADDRESS)[0]

        lowered = {k.lower(): v for k, v in delivery["headers"].items()}

        assert store_env.connector.verify_webhook(lowered, delivery["body"].encode("utf-8")) is True

    def test_tampered_webhook_fails_verification(self, store_env: StoreEnv) -> None:
        store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])
        store_env.driver.create_product(title="Hooked", variants=two_size_variants())
        delivery = deliveries_to(store_env, HOOK_ADDRESS)[0]
        payload = json.loads(delivery["body"])
        payload["title"] = "Tampered"

        tampered = json.dumps(payload).encode("utf-8")

        assert store_env.connector.verify_webhook(delivery["headers"], tampered) is False
        assert store_env.connector.verify_webhook({}, delivery["body"].encode("utf-8")) is False

    def test_signature_of_one_webhook_does_not_verify_another(self, store_env: StoreEnv) -> None:
        store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.PRODUCT_CREATED])
        store_env.driver.create_product(title="First", variants=two_size_variants())
        store_env.driver.create_product(title="Second", variants=two_size_variants())
        first, second = deliveries_to(store_env, HOOK_ADDRESS)[:2]

        assert store_env.connector.verify_webhook(first["headers"], second["body"].encode("utf-8")) is False

    def test_inventory_webhook_names_what_to_reread(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        variant = product.variants[0]
        store_env.driver.subscribe_webhooks(HOOK_ADDRESS)

        store_env.driver.set_inventory(product.external_id, variant.external_id, 9)
        events = [
            e for _, e in parsed_events(store_env, HOOK_ADDRESS) if e.topic == WebhookTopic.INVENTORY_UPDATED
        ]

        assert events
        allowed = {variant.inventory_item_id, variant.external_id, product.external_id}
        assert all(e.resource_id in allowed for e in events)

    def test_order_webhook_follows_order_creation(self, store_env: StoreEnv) -> None:
        product = create_product(store_env)
        store_env.connector.register_webhooks(HOOK_ADDRESS, [WebhookTopic.ORDER_CREATED])

        order = store_env.connector.create_order(order_for(store_env, product, product.variants[0]))
        events = [e for _, e in parsed_events(store_env, HOOK_ADDRESS)]

        assert [(e.topic, e.resource_id) for e in events] == [(WebhookTopic.ORDER_CREATED, order.external_id)]
