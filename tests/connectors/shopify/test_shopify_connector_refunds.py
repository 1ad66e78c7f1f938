"""Shopify specifics of refund_order: the restock location, the webhook it causes, stock-only refunds."""

from __future__ import annotations

from decimal import Decimal

from connectors.contract.driver import StoreEnv
from connectors.contract.suite import HOOK_ADDRESS, create_product, order_for, parsed_events
from shopbridge.connectors.base.dto import RefundLineIn, WebhookTopic
from shopbridge_sandbox.shopify.app import ShopifyEmulator


def test_a_restocking_refund_goes_back_to_the_location_the_stock_left(
    store_env: StoreEnv, emulator: ShopifyEmulator
) -> None:
    product = create_product(store_env)
    variant = product.variants[0]
    order = store_env.connector.create_order(order_for(store_env, product, variant, quantity=2))
    line = emulator.default_shop.orders[int(order.external_id)]["line_items"][0]
    taken_from = line["_location_id"]
    other = next(loc for loc in emulator.default_shop.locations if loc != taken_from)
    before_other = emulator.default_shop.levels.get((line["_inventory_item_id"], other), {}).get("available")

    store_env.connector.refund_order(
        order.external_id,
        lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=2)],
        restock=True,
        amount=None,
    )

    refund = emulator.default_shop.orders[int(order.external_id)]["refunds"][0]
    assert [(r["restock_type"], r["location_id"]) for r in refund["refund_line_items"]] == [
        ("return", taken_from)
    ]
    assert emulator.default_shop.levels[(line["_inventory_item_id"], taken_from)]["available"] == 5
    assert emulator.default_shop.levels.get((line["_inventory_item_id"], other), {}).get("available") == (
        before_other
    )


def test_a_stock_only_refund_moves_no_money(store_env: StoreEnv, emulator: ShopifyEmulator) -> None:
    product = create_product(store_env)
    variant = product.variants[0]
    order = store_env.connector.create_order(order_for(store_env, product, variant))

    refund = store_env.connector.refund_order(
        order.external_id,
        lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=1)],
        restock=True,
        amount=Decimal("0"),
    )

    assert refund.amount == Decimal("0")
    assert emulator.default_shop.orders[int(order.external_id)]["refunds"][0]["transactions"] == []
    assert store_env.connector.get_order(order.external_id).financial_status == "paid"


def test_the_refund_webhook_names_the_order_to_reread(store_env: StoreEnv) -> None:
    product = create_product(store_env)
    variant = product.variants[0]
    order = store_env.connector.create_order(order_for(store_env, product, variant))
    store_env.driver.subscribe_webhooks(HOOK_ADDRESS)

    store_env.connector.refund_order(
        order.external_id,
        lines=[RefundLineIn(variant_external_id=variant.external_id, quantity=1)],
        restock=False,
        amount=None,
    )
    events = [(d["topic"], e.topic, e.resource_id) for d, e in parsed_events(store_env, HOOK_ADDRESS)]

    assert ("refunds/create", WebhookTopic.ORDER_UPDATED, order.external_id) in events
    assert ("orders/updated", WebhookTopic.ORDER_UPDATED, order.external_id) in events
