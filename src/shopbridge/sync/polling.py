"""Polling backstops, run by beat: webhooks get lost, so every connection is also polled.

- TikTok orders by update time (per shop, from its cursor, with an overlap);
- listings under review past their deadline; blocked orders (they sync once the cause is fixed);
- pushed SKUs whose store value changed without a webhook (the periodic diff);
- access tokens close to expiry.
Every step only enqueues idempotent jobs.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from django.db.models import F
from django.utils import timezone

from shopbridge.connections.models import ConnectionStatus, ShopConnection, StoreConnection

from .engine import enqueue_job
from .reconciler import register_sweep

log = logging.getLogger(__name__)
ORDER_CURSOR_OVERLAP = 300  # seconds re-read at each poll: TikTok's update_time is not strictly ordered


def poll_shop_orders(shop: ShopConnection) -> int:
    from shopbridge.orders.jobs import enqueue_order_import
    from shopbridge.sync.clients import tiktok_client

    since = max(0, shop.orders_cursor - ORDER_CURSOR_OVERLAP)
    now = int(time.time())
    newest = shop.orders_cursor
    count = 0
    for order in tiktok_client(shop).orders.search_updated(update_time_ge=since):
        enqueue_order_import(shop=shop, tiktok_order_id=str(order.id))
        newest = max(newest, order.update_time or 0)
        count += 1
    # No order yet: start from now (the first poll already covered everything before).
    ShopConnection.objects.filter(pk=shop.pk).update(orders_cursor=newest or now, last_success_at=timezone.now())
    return count


def poll_all() -> dict[str, int]:
    """Enqueue one poll job per connection that is due."""
    now = timezone.now()
    due = 0
    for shop in ShopConnection.objects.filter(status=ConnectionStatus.ACTIVE):
        last = shop.last_success_at
        if last is None or now - last >= timedelta(seconds=shop.poll_interval_seconds):
            enqueue_job("shop.poll", f"shop-poll:{shop.pk}", payload={"shop_id": shop.pk}, merchant_id=shop.merchant_id)
            due += 1
        if shop.access_token_expires_at and shop.access_token_expires_at - now < timedelta(days=1):
            enqueue_job("shop.refresh_token", f"shop-token:{shop.pk}", payload={"shop_id": shop.pk},
                        merchant_id=shop.merchant_id)
    for store in StoreConnection.objects.filter(status=ConnectionStatus.ACTIVE):
        last = store.last_import_at
        if last is None or now - last >= timedelta(seconds=store.poll_interval_seconds):
            from shopbridge.catalog.jobs import catalog_import_enqueue

            if not store.import_runs.filter(state="running", created_at__gte=now - timedelta(hours=1)).exists():
                catalog_import_enqueue(store=store, full=False)
                due += 1
    return {"polls_enqueued": due}


def sweep_blocked_orders() -> int:
    from shopbridge.orders.jobs import enqueue_order_import
    from shopbridge.orders.models import Order, OrderSyncState

    stale = timezone.now() - timedelta(minutes=2)
    count = 0
    for order in Order.objects.filter(
        sync_state__in=[OrderSyncState.BLOCKED, OrderSyncState.PENDING, OrderSyncState.CREATING], updated_at__lt=stale
    ).select_related("channel__shop")[:500]:
        enqueue_order_import(shop=order.channel.shop, tiktok_order_id=order.tiktok_order_id)
        count += 1
    return count


def sweep_reviews() -> int:
    from shopbridge.listings.models import Listing, ListingStatus

    stale = timezone.now() - timedelta(minutes=5)
    count = 0
    for listing in Listing.objects.filter(status=ListingStatus.UNDER_REVIEW, updated_at__lt=stale).select_related(
        "channel"
    )[:500]:
        enqueue_job("listing.refresh_status", f"listing-status:{listing.pk}", payload={"listing_id": listing.pk},
                    merchant_id=listing.channel.merchant_id)
        count += 1
    return count


def sweep_sku_drift() -> int:
    """The store always wins: re-push listings whose pushed inventory differs from what the store says."""
    from shopbridge.listings.models import ListingSku

    ids = set(
        ListingSku.objects.filter(tiktok_sku_id__isnull=False, selected=True, variant__isnull=False)
        .filter(variant__updated_at__gt=F("pushed_at"))
        .values_list("listing_id", flat=True)[:1000]
    )
    from shopbridge.listings.models import Listing

    for listing in Listing.objects.filter(pk__in=ids).select_related("channel"):
        enqueue_job("sku.push", f"skupush:{listing.pk}", payload={"listing_id": listing.pk},
                    merchant_id=listing.channel.merchant_id)
    return len(ids)


register_sweep("blocked_orders", sweep_blocked_orders)
register_sweep("reviews", sweep_reviews)
register_sweep("sku_drift", sweep_sku_drift)
register_sweep("polls", lambda: poll_all()["polls_enqueued"])


def run_shop_poll(shop_id: int) -> None:
    poll_shop_orders(ShopConnection.objects.get(pk=shop_id))
