"""Each Blocked reason blocks the order with that reason and fix, and the order syncs by itself
once the cause is fixed (the reconciler's sweep re-imports blocked orders)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shopbridge.catalog.models import InventoryLevel
from shopbridge.listings.models import ListingSku
from shopbridge.orders.models import Order
from shopbridge.sync.reconciler import reconcile


def _sweep(run_jobs):
    """Time passes: the reconciler finds blocked orders and retries them."""
    Order.objects.update(updated_at=timezone.now() - timedelta(minutes=5))
    reconcile()
    run_jobs()


def _store_order_count(shopify):
    return len([o for o in shopify.default_shop.orders.values() if "TikTok" in (o.get("tags") or "")])


@pytest.fixture
def sku(make_active_listing):
    listing = make_active_listing("Enamel Camp Mug")
    return ListingSku.objects.filter(listing=listing).select_related("variant").first()


def _assert_blocked(order_id, code):
    order = Order.objects.get(tiktok_order_id=order_id)
    assert order.sync_state == "blocked", (order.sync_state, order.blocked_code)
    assert order.blocked_code == code
    assert order.blocked_reason and order.blocked_fix
    return order


def test_order_sync_off(channel, tiktok, shopify, run_jobs, sku):
    channel.order_sync_enabled = False
    channel.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    _assert_blocked(oid, "order_sync_off")
    assert _store_order_count(shopify) == 0

    channel.order_sync_enabled = True
    channel.save()
    _sweep(run_jobs)
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"
    assert _store_order_count(shopify) == 1


def test_placed_before_connection(channel, tiktok, shopify, run_jobs, sku):
    channel.orders_since = timezone.now() + timedelta(days=1)
    channel.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    _assert_blocked(oid, "placed_before_connection")

    channel.orders_since = timezone.now() - timedelta(days=1)
    channel.save()
    _sweep(run_jobs)
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"


def test_line_not_linked(channel, tiktok, shopify, run_jobs, sku):
    from shopbridge.listings.services import listing_link

    listing = sku.listing
    variant = sku.variant
    ListingSku.objects.filter(pk=sku.pk).update(tiktok_sku_id=None)
    variant.sku = "RENAMED-IN-STORE"
    variant.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    _assert_blocked(oid, "line_not_linked")
    assert _store_order_count(shopify) == 0

    listing_link(channel=channel, product=listing.product, tiktok_product_id=listing.tiktok_product_id,
                 sku_links={variant.pk: sku.tiktok_sku_id})
    _sweep(run_jobs)
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"


def test_variant_deleted(channel, tiktok, shopify, run_jobs, sku):
    variant = sku.variant
    variant.deleted_at = timezone.now()
    variant.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    _assert_blocked(oid, "variant_deleted")

    variant.deleted_at = None
    variant.save()
    _sweep(run_jobs)
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"


def test_out_of_stock_in_store(channel, tiktok, shopify, run_jobs, sku):
    channel.order_hold = "wait_hold"
    channel.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "on_hold"
    InventoryLevel.objects.filter(variant=sku.variant).update(available=0)  # sold out elsewhere meanwhile

    tiktok.driver.advance(3601)
    _sweep(run_jobs)
    _assert_blocked(oid, "out_of_stock")

    InventoryLevel.objects.filter(variant=sku.variant).update(available=5)
    _sweep(run_jobs)
    assert Order.objects.get(tiktok_order_id=oid).sync_state == "synced"


def test_required_address_waits_for_the_hold_to_end(channel, tiktok, shopify, run_jobs, sku):
    channel.settings = {**channel.settings, "orders": {"require_address": True}}
    channel.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    _assert_blocked(oid, "store_field_missing")

    tiktok.driver.advance(3601)  # ON_HOLD ends; TikTok now sends the address
    _sweep(run_jobs)
    order = Order.objects.get(tiktok_order_id=oid)
    assert order.sync_state == "synced"
    assert order.shipping_address


def test_cancelled_before_sync_never_reaches_the_store(channel, tiktok, shopify, run_jobs, sku):
    channel.order_hold = "wait_hold"
    channel.save()
    oid = tiktok.driver.place_order(channel, [sku.tiktok_sku_id])
    run_jobs()
    tiktok.driver.control("buyer_cancel", {"order_id": oid, "reason": "Ordered by mistake"})
    run_jobs()
    _sweep(run_jobs)

    order = Order.objects.get(tiktok_order_id=oid)
    assert order.sync_state == "cancelled"
    assert order.store_order_id is None
    assert _store_order_count(shopify) == 0
