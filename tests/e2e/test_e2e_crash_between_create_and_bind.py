"""A worker killed with SIGKILL after the store created the order but before the binding was
committed: after recovery there is still exactly one store order, now bound.

Real processes and real HTTP: the emulators run as threaded servers on loopback, the job runs in
a forked child that kills itself the instant the store's create call returns.
"""

import os
import signal
import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from werkzeug.serving import make_server

from shopbridge.catalog.models import Product
from shopbridge.connections.services import channel_create, shop_connect_with_tokens, store_connect
from shopbridge.listings.models import ListingSku
from shopbridge.listings.services import listing_sync_request, mapping_set
from shopbridge.listings.suggestions import suggest_for_product
from shopbridge.orders.jobs import enqueue_order_import
from shopbridge.orders.models import Order
from shopbridge.sync.engine import run_due_jobs, run_job
from shopbridge.sync.models import SyncJob, SyncLock
from shopbridge.sync.reconciler import requeue_stuck_jobs

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")]


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.socket.getsockname()[1]}"


@pytest.mark.django_db(transaction=True)
def test_sigkill_between_store_create_and_binding_still_gives_one_order(merchant, settings):
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry

    shopify = ShopifyEmulator(catalog="demo", webhook_mode="manual")
    shopify.default_shop.bucket = LeakyBucket(size=400, leak_rate=20.0, clock=shopify.clock)
    tiktok = TikTokShopEmulator(webhook_mode="manual")
    s_server, s_url = _serve(shopify)
    t_server, t_url = _serve(tiktok)
    shopify.set_public_url(s_url)
    try:
        store = store_connect(merchant=merchant, platform="shopify", base_url=s_url, external_id=DEFAULT_SHOP,
                              credentials={"access_token": DEFAULT_TOKEN, "api_secret": DEFAULT_SECRET},
                              register_webhooks=False)
        run_due_jobs()
        m = manifest_entry(tiktok, t_url)
        us = next(s for s in m["shops"] if s["region"] == "US")
        (shop,) = shop_connect_with_tokens(
            merchant=merchant, app_key=m["app_key"], app_secret=m["app_secret"], api_base_url=t_url,
            auth_base_url=t_url, access_token=us["access_token"], refresh_token=us["refresh_token"],
            shop_ids=[us["shop_id"]], register_webhooks=False)
        channel = channel_create(merchant=merchant, store=store, shop=shop)
        product = Product.objects.get(store=store, title="Enamel Camp Mug")
        best = suggest_for_product(shop=shop, product=product)[0]
        mapping_set(channel=channel, products=[product], category_id=best["category_id"])
        listing_sync_request(channel=channel, products=[product])
        run_due_jobs()
        sku = ListingSku.objects.filter(listing__product=product, tiktok_sku_id__isnull=False).first()
        import httpx

        control = httpx.Client(base_url=t_url)
        control.post("/_sandbox/force_review", json={"product_id": sku.listing.tiktok_product_id,
                                                      "outcome": "APPROVED", "now": True}).raise_for_status()
        placed = control.post("/_sandbox/place_order", json={"shop_id": shop.shop_id,
                                                             "items": [{"sku_id": sku.tiktok_sku_id, "quantity": 1}]})
        placed.raise_for_status()
        tiktok_id = str(placed.json().get("order_id") or placed.json()["order"]["id"])
        enqueue_order_import(shop=shop, tiktok_order_id=tiktok_id)
        job = SyncJob.objects.get(kind="order.import")

        connections.close_all()
        pid = os.fork()
        if pid == 0:  # the worker: dies right after the store answered the create
            try:
                from shopbridge.connectors.shopify import ShopifyConnector

                original = ShopifyConnector.create_order

                def create_then_die(self, order):
                    original(self, order)
                    os.kill(os.getpid(), signal.SIGKILL)

                ShopifyConnector.create_order = create_then_die
                run_job(job.pk)
            finally:
                os._exit(3)  # never reached when the kill happens
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

        def tiktok_orders_in_store():
            return [o for o in shopify.default_shop.orders.values() if tiktok_id in (o.get("note") or "")]

        assert len(tiktok_orders_in_store()) == 1  # the store created it...
        assert Order.objects.get(tiktok_order_id=tiktok_id).store_order_id is None  # ...but we never bound it

        # Recovery: the dead worker's job lease and record lock run out (time passes); the reconciler
        # re-sends the job; a worker runs it.
        past = timezone.now() - timedelta(seconds=1)
        SyncJob.objects.filter(pk=job.pk).update(lease_expires_at=past)
        SyncLock.objects.update(expires_at=past)
        settings.SYNC_INLINE_JOBS = True
        requeue_stuck_jobs()
        run_due_jobs()

        order = Order.objects.get(tiktok_order_id=tiktok_id)
        assert len(tiktok_orders_in_store()) == 1
        assert order.sync_state == "synced"
        assert order.store_order_id == str(tiktok_orders_in_store()[0]["id"])
        assert SyncJob.objects.get(pk=job.pk).state == "done"
    finally:
        s_server.shutdown()
        t_server.shutdown()
