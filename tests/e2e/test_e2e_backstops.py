"""Polling backstop when webhooks are lost, the oversell guard, and the optional push of store
cancellations to TikTok."""

import httpx

from shopbridge.catalog.models import InventoryLevel
from shopbridge.listings.models import ListingSku
from shopbridge.orders.models import Order
from shopbridge.sync.polling import poll_all


def _tiktok_quantity(tiktok, channel, sku_id) -> int:
    products = tiktok.driver.control("products", {"shop_id": channel.shop.shop_id})["products"]
    return next(sum(i["quantity"] for i in s["inventory"]) for p in products for s in p["skus"] if s["id"] == sku_id)


def test_lost_order_webhooks_are_caught_by_polling(channel, tiktok, shopify, run_jobs, make_active_listing):
    sku = ListingSku.objects.filter(listing=make_active_listing("Enamel Camp Mug")).first()
    tiktok.driver.control("faults", {"tenant": channel.shop.shop_id, "webhook_drop_rate": 1.0})

    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    assert not Order.objects.filter(tiktok_order_id=oid).exists()  # the webhook never came

    poll_all()
    run_jobs()

    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"


def test_units_of_orders_not_yet_in_the_store_are_held_back(channel, tiktok, shopify, run_jobs, make_active_listing):
    sku = ListingSku.objects.filter(listing=make_active_listing("Enamel Camp Mug")).select_related("variant").first()
    channel.order_hold = "wait_hold"
    channel.save()
    store_units = sum(InventoryLevel.objects.filter(variant=sku.variant).values_list("available", flat=True))

    tiktok.driver.place_order(channel, [sku.tiktok_sku_id], quantity=2)
    run_jobs()
    # The store's stock changes (another sale in the store): what goes to TikTok must still
    # keep back the 2 units sold on TikTok that the store does not know about yet.
    InventoryLevel.objects.filter(variant=sku.variant).update(available=0)
    first = InventoryLevel.objects.filter(variant=sku.variant).first()
    InventoryLevel.objects.filter(pk=first.pk).update(available=store_units - 1)
    from shopbridge.listings.services import listings_request_price_inventory_push

    listings_request_price_inventory_push(variant_ids=[sku.variant_id])
    run_jobs()

    assert _tiktok_quantity(tiktok, channel, sku.tiktok_sku_id) == store_units - 1 - 2


def test_store_cancellation_is_pushed_only_when_the_channel_asks(
    channel, tiktok, shopify, run_jobs, make_active_listing
):
    sku = ListingSku.objects.filter(listing=make_active_listing("Enamel Camp Mug")).first()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    order = Order.objects.get(tiktok_order_id=oid)
    http = httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url="https://shopbridge-demo.myshopify.com")

    def tiktok_status():
        orders = tiktok.driver.control("orders", {"shop_id": channel.shop.shop_id})["orders"]
        return next(o["status"] for o in orders if str(o["id"]) == oid)

    http.post("/_sandbox/orders/cancel", json={"order_id": int(order.store_order_id), "reason": "customer"})
    shopify.webhooks.deliver_due(force=True)
    run_jobs()
    assert tiktok_status() != "CANCELLED"  # off by default: the store's cancel stays in the store

    oid2 = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    order2 = Order.objects.get(tiktok_order_id=oid2)
    channel.push_store_cancellations = True
    channel.save()
    http.post("/_sandbox/orders/cancel", json={"order_id": int(order2.store_order_id), "reason": "customer"})
    shopify.webhooks.deliver_due(force=True)
    run_jobs()
    orders = tiktok.driver.control("orders", {"shop_id": channel.shop.shop_id})["orders"]
    assert next(o["status"] for o in orders if str(o["id"]) == oid2) == "CANCELLED"
