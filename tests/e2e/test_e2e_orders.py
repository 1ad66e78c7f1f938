"""TikTok orders into the store, exactly once; fulfilment back to TikTok; cancellations; returns."""

from shopbridge.listings.models import ListingSku
from shopbridge.orders.models import Cancellation, Fulfillment, Order, Return


def _store_orders(shopify):
    return list(shopify.default_shop.orders.values())


def test_paid_order_becomes_one_store_order_then_ships_cancel_and_return(channel, tiktok, shopify, run_jobs, make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()

    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    assert order.sync_state == "synced", (order.blocked_code, order.blocked_reason)
    store_orders = [o for o in _store_orders(shopify) if "TikTok" in (o.get("tags") or "")]
    assert len(store_orders) == 1
    assert str(store_orders[0]["id"]) == order.store_order_id
    assert tiktok_id in (store_orders[0].get("note") or "")

    # The store ships inside the hour: held, then sent once TikTok accepts shipments.
    shopify_driver = shopify_control(shopify)
    shopify_driver("orders/fulfil", {"order_id": int(order.store_order_id), "tracking_company": "USPS",
                                     "tracking_number": "9400111206206406260787"})
    shopify.webhooks.deliver_due(force=True)
    run_jobs()
    fulfilment = Fulfillment.objects.get(order=order)
    assert fulfilment.state == "held", fulfilment.error_reason
    tiktok.driver.advance(3601)
    _run_due_now(run_jobs)
    fulfilment.refresh_from_db()
    assert fulfilment.state == "pushed", (fulfilment.error_code, fulfilment.error_reason)
    tt = tiktok.driver.control("orders", {"shop_id": channel.shop.shop_id})
    view = next(o for o in tt["orders"] if str(o["id"]) == tiktok_id)
    assert view["status"] in ("AWAITING_COLLECTION", "IN_TRANSIT")

    # Duplicate webhooks and a re-import create nothing new.
    from shopbridge.orders.jobs import enqueue_order_import

    enqueue_order_import(shop=channel.shop, tiktok_order_id=tiktok_id)
    run_jobs()
    assert len([o for o in _store_orders(shopify) if "TikTok" in (o.get("tags") or "")]) == 1


def test_buyer_cancellation_cancels_the_store_order(channel, tiktok, shopify, run_jobs, make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    assert order.store_order_id

    tiktok.driver.control("buyer_cancel", {"order_id": tiktok_id, "reason": "Changed my mind"})
    run_jobs()

    order.refresh_from_db()
    assert order.store_cancelled_at is not None
    store_order = shopify.default_shop.orders[int(order.store_order_id)]
    assert store_order.get("cancelled_at")
    assert Cancellation.objects.get(order=order).store_action == "cancelled"


def test_fbt_order_is_created_marked_and_its_return_is_recorded_not_pushed(
    channel, tiktok, shopify, run_jobs, make_active_listing
):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id], fbt=True)
    run_jobs()
    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    assert order.fulfillment_type == "fbt" and order.sync_state == "synced"
    assert "TikTok shipped" in shopify.default_shop.orders[int(order.store_order_id)]["tags"]
    tiktok.driver.control("advance_order", {"order_id": tiktok_id, "to": "DELIVERED"})
    run_jobs()

    tiktok.driver.control("request_return", {"order_id": tiktok_id, "return_type": "RETURN_AND_REFUND",
                                             "reason": "Damaged"})
    run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    ret = Return.objects.get(order=order)
    assert ret.return_type == "RETURN_AND_REFUND"
    assert ret.needs_action is True
    assert not shopify.default_shop.orders[int(order.store_order_id)].get("cancelled_at")


def shopify_control(shopify):
    import httpx

    http = httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url="https://shopbridge-demo.myshopify.com")

    def call(action, body):
        r = http.post(f"/_sandbox/{action}", json=body)
        assert r.status_code < 300, r.text
        return r.json()

    return call


def _run_due_now(run_jobs):
    """Jobs delayed by the emulator's hour are due now in TikTok's time: make them due here too."""
    from django.utils import timezone

    from shopbridge.sync.models import SyncJob

    SyncJob.objects.filter(state="pending").update(run_after=timezone.now())
    run_jobs()


def test_order_named_with_the_tiktok_id_when_the_channel_asks(channel, tiktok, shopify, run_jobs, make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    channel.settings = {**channel.settings, "orders": {"numbering": "tiktok", "prefix": "TT-"}}
    channel.save()

    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    assert order.store_order_name == f"TT-{tiktok_id}"
    assert shopify.default_shop.orders[int(order.store_order_id)]["name"] == f"TT-{tiktok_id}"


def test_sample_orders_skip_when_the_channel_says_so(channel, tiktok, shopify, run_jobs, make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    channel.settings = {**channel.settings, "orders": {"sync_samples": False}}
    channel.save()

    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id], sample=True)
    run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    assert order.is_sample and order.sync_state == "skipped" and order.blocked_fix
    assert order.store_order_id is None


def test_fbt_order_tracking_follows_tiktok_into_the_store(channel, tiktok, shopify, run_jobs, make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id], fbt=True)
    run_jobs()

    tiktok.driver.advance(13 * 3600)  # TikTok's warehouse dispatches the parcel
    run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    fulfilment = Fulfillment.objects.get(order=order)
    assert fulfilment.tracking_number and fulfilment.state == "pushed" and fulfilment.provider_resolution == "tiktok"
    store_order = shopify.default_shop.orders[int(order.store_order_id)]
    assert store_order.get("fulfillment_status") == "fulfilled" or store_order.get("fulfillments")


def test_completed_tiktok_refund_is_refunded_in_the_store_when_the_channel_asks(
    channel, tiktok, shopify, run_jobs, make_active_listing
):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).first()
    channel.settings = {**channel.settings, "orders": {"refund_in_store": True}}
    channel.save()
    tiktok_id = tiktok.driver.place_order(channel, [sku.tiktok_sku_id], fbt=True)
    run_jobs()
    tiktok.driver.control("advance_order", {"order_id": tiktok_id, "to": "DELIVERED"})
    run_jobs()

    tiktok.driver.control("request_return", {"order_id": tiktok_id, "return_type": "REFUND", "reason": "Broken"})
    for _ in range(3):  # nobody answers: TikTok approves after 48 h, then pays the buyer
        tiktok.driver.advance(49 * 3600)
        run_jobs()

    order = Order.objects.get(channel=channel, tiktok_order_id=tiktok_id)
    ret = Return.objects.get(order=order)
    assert ret.status == "RETURN_OR_REFUND_REQUEST_COMPLETE", ret.status
    assert ret.store_refund_id, ret.store_refund_error
    store_order = shopify.default_shop.orders[int(order.store_order_id)]
    assert store_order.get("refunds")
