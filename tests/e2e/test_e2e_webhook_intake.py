"""Forged, replayed and malformed webhooks are rejected and recorded, and nothing else happens;
duplicated and out-of-order deliveries still give one store order and equal stock everywhere."""

import base64
import hashlib
import hmac
import json

from shopbridge.listings.models import ListingSku
from shopbridge.orders.models import Order
from shopbridge.sync.models import SyncJob
from shopbridge.webhooks.models import InboundEvent, RejectedWebhook


def _tiktok_sig(shop, body: bytes) -> str:
    creds = shop.credentials
    return hmac.new(creds["app_secret"].encode(), creds["app_key"].encode() + body, hashlib.sha256).hexdigest()


def _order_event(shop, order_id="576461413038785752", notification_id="n-1") -> bytes:
    return json.dumps({
        "type": 1, "tts_notification_id": notification_id, "shop_id": shop.shop_id, "timestamp": 1700000000,
        "data": {"order_id": order_id, "order_status": "AWAITING_SHIPMENT", "update_time": 1700000000},
    }).encode()


def _post_tiktok(client, shop, body, signature):
    return client.post(f"/webhooks/tiktok/{shop.webhook_token}/", data=body, content_type="application/json",
                       HTTP_AUTHORIZATION=signature)


def test_forged_tiktok_webhook_is_rejected_and_recorded(client, us_shop):
    body = _order_event(us_shop)

    response = _post_tiktok(client, us_shop, body, "0" * 64)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "bad_signature"
    rejected = RejectedWebhook.objects.get()
    assert (rejected.code, rejected.platform, rejected.connection_id) == ("bad_signature", "tiktok_shop", us_shop.pk)
    assert "authorization" not in {k.lower() for k in rejected.headers}  # signatures are not kept
    assert InboundEvent.objects.count() == 0
    assert SyncJob.objects.filter(kind="event.handle").count() == 0


def test_missing_signature_and_unknown_url_are_rejected(client, us_shop):
    body = _order_event(us_shop)
    assert client.post(f"/webhooks/tiktok/{us_shop.webhook_token}/", data=body,
                       content_type="application/json").status_code == 401
    assert _post_tiktok(client, us_shop, body, _tiktok_sig(us_shop, body)).status_code == 200
    assert client.post("/webhooks/tiktok/not-a-token/", data=body, content_type="application/json").status_code == 404
    assert set(RejectedWebhook.objects.values_list("code", flat=True)) == {"bad_signature", "unknown_connection"}
    assert InboundEvent.objects.count() == 1


def test_replayed_webhook_is_stored_and_handled_once(client, us_shop, run_jobs):
    body = _order_event(us_shop, order_id="999", notification_id="replay-1")
    signature = _tiktok_sig(us_shop, body)

    first = _post_tiktok(client, us_shop, body, signature)
    second = _post_tiktok(client, us_shop, body, signature)

    assert (first.json()["duplicate"], second.json()["duplicate"]) == (False, True)
    assert InboundEvent.objects.count() == 1
    assert SyncJob.objects.filter(kind="event.handle").count() == 1
    assert SyncJob.objects.filter(kind="order.import").count() == 0  # handled later, by a worker


def test_malformed_webhook_is_rejected_with_its_reason(client, us_shop):
    for body in (b"{not json", json.dumps({"type": "x", "data": []}).encode()):
        response = _post_tiktok(client, us_shop, body, _tiktok_sig(us_shop, body))
        assert response.status_code == 400
    assert RejectedWebhook.objects.filter(code="malformed").count() == 2
    assert all(r.reason for r in RejectedWebhook.objects.all())
    assert InboundEvent.objects.count() == 0


def test_forged_shopify_webhook_is_rejected(client, shopify_store):
    body = json.dumps({"id": 1, "title": "x"}).encode()
    wrong = base64.b64encode(hmac.new(b"not-the-secret", body, hashlib.sha256).digest()).decode()

    response = client.post(
        f"/webhooks/store/{shopify_store.webhook_token}/", data=body, content_type="application/json",
        HTTP_X_SHOPIFY_HMAC_SHA256=wrong, HTTP_X_SHOPIFY_TOPIC="products/update",
        HTTP_X_SHOPIFY_WEBHOOK_ID="b54557e4", HTTP_X_SHOPIFY_SHOP_DOMAIN="shopbridge-demo.myshopify.com",
    )

    assert response.status_code == 401
    assert RejectedWebhook.objects.filter(code="bad_signature", platform="shopify").count() == 1
    assert InboundEvent.objects.filter(connection_kind="store").count() == 0


def test_triplicated_out_of_order_webhooks_give_one_order_and_equal_stock(
    channel, tiktok, shopify, run_jobs, make_active_listing
):
    listing = make_active_listing("Enamel Camp Mug")
    skus = list(ListingSku.objects.filter(listing=listing).select_related("variant"))
    tiktok.driver.control("faults", {"tenant": channel.shop.shop_id, "webhook_duplicates": 2,
                                     "webhook_out_of_order": True})
    shopify.faults.set("*", webhook_duplicates=2, webhook_out_of_order=True)

    placed = tiktok.driver.control("place_order", {"shop_id": channel.shop.shop_id,
                                                   "items": [{"sku_id": skus[0].tiktok_sku_id, "quantity": 2}]})
    tiktok_id = str(placed.get("order_id") or placed.get("order", {}).get("id"))
    # Stock changes in the store meanwhile, several times per SKU.
    for sku in skus:
        for qty in (7, 3, 11):
            shopify_inventory_set(shopify, sku.variant, qty)
    for _ in range(3):
        tiktok.webhooks.deliver_due(force=True)
        shopify.webhooks.deliver_due(force=True)
        run_jobs()

    assert Order.objects.filter(tiktok_order_id=tiktok_id).count() == 1
    store_orders = [o for o in shopify.default_shop.orders.values() if tiktok_id in (o.get("note") or "")]
    assert len(store_orders) == 1
    assert InboundEvent.objects.filter(topic="ORDER_STATUS_CHANGE").count() >= 1
    tiktok_products = tiktok.driver.control("products", {"shop_id": channel.shop.shop_id})["products"]
    tiktok_qty = {s["id"]: sum(i["quantity"] for i in s["inventory"]) for p in tiktok_products for s in p["skus"]}
    for sku in skus:
        store_qty = shopify_inventory(shopify, sku.variant)
        assert tiktok_qty[sku.tiktok_sku_id] == store_qty, (sku.seller_sku, tiktok_qty[sku.tiktok_sku_id], store_qty)


def _shopify_http(shopify):
    import httpx

    return httpx.Client(transport=httpx.WSGITransport(app=shopify), base_url="https://shopbridge-demo.myshopify.com")


def shopify_inventory_set(shopify, variant, qty):
    r = _shopify_http(shopify).post("/_sandbox/inventory/set", json={"variant_id": int(variant.external_id),
                                                                     "available": qty})
    assert r.status_code < 300, r.text


def shopify_inventory(shopify, variant) -> int:
    return shopify.default_shop.available(int(variant.inventory_item_id))
