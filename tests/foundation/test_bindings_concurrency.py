"""Unique bindings hold under concurrent upserts: atomic INSERT ... ON CONFLICT, no check-then-act."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from shopbridge.catalog.models import Product, Variant
from shopbridge.catalog.services import product_upsert
from shopbridge.connections.models import StoreConnection
from shopbridge.connectors.base.dto import StoreProduct, StoreVariant
from shopbridge.sync.engine import enqueue_job
from shopbridge.sync.models import SyncJob


def _run_concurrently(n, fn):
    barrier = threading.Barrier(n)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            fn(i)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_product_upserts_give_one_row(merchant):
    store = StoreConnection.objects.create(
        merchant=merchant, platform="shopify", name="S", base_url="https://s.example", external_id="s.example"
    )

    def upsert(i):
        dto = StoreProduct(
            external_id="632910392",
            title=f"Classic Tee v{i}",
            variants=[StoreVariant(external_id="808950810", sku="TEE-S", price=Decimal("19.99"))],
        )
        product_upsert(store=store, dto=dto)

    errors = _run_concurrently(6, upsert)

    assert errors == []
    assert Product.objects.filter(store=store, external_id="632910392").count() == 1
    assert Variant.objects.filter(store=store, external_id="808950810").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_enqueues_give_one_active_job(merchant):
    errors = _run_concurrently(
        6,
        lambda i: enqueue_job(
            "diagnostics.probe", "probe:same", payload={"token": "same"}, merchant_id=merchant.pk
        ),
    )

    assert errors == []
    assert SyncJob.objects.filter(key="probe:same").count() == 1


@pytest.mark.django_db(transaction=True)
def test_order_binding_is_unique_per_tiktok_order(merchant):
    from django.db import IntegrityError

    from shopbridge.connections.models import Channel, ShopConnection
    from shopbridge.orders.models import Order

    store = StoreConnection.objects.create(
        merchant=merchant, platform="shopify", name="S", base_url="https://s.example", external_id="s.example"
    )
    shop = ShopConnection.objects.create(
        merchant=merchant, region="GB", shop_id="1", name="UK", shop_cipher="c", currency="GBP"
    )
    channel = Channel.objects.create(merchant=merchant, store=store, shop=shop)

    def bind(i):
        Order.objects.bulk_create(
            [Order(channel=channel, tiktok_order_id="576461413038785752", tiktok_status="AWAITING_SHIPMENT")],
            ignore_conflicts=True,
        )

    assert _run_concurrently(6, bind) == []
    assert Order.objects.filter(channel=channel).count() == 1
    Order.objects.filter(channel=channel).update(store_order_id="450789469")
    other = Order.objects.create(channel=channel, tiktok_order_id="576461413038785999")
    with pytest.raises(IntegrityError):
        Order.objects.filter(pk=other.pk).update(store_order_id="450789469")
