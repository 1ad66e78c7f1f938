"""Reads for orders, fulfilments, cancellations and returns, always scoped to one merchant."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from shopbridge.accounts.models import Merchant

from .models import Cancellation, Order, OrderSyncState, Return

PROBLEM_STATES = (OrderSyncState.BLOCKED, OrderSyncState.FAILED)


def order_list(
    merchant: Merchant,
    *,
    channel_id: int | None = None,
    sync_state: str = "",
    tiktok_status: str = "",
    search: str = "",
) -> QuerySet[Order]:
    qs = Order.objects.filter(channel__merchant=merchant)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    if sync_state:
        qs = qs.filter(sync_state=sync_state)
    if tiktok_status:
        qs = qs.filter(tiktok_status=tiktok_status)
    if search:
        qs = qs.filter(
            Q(tiktok_order_id=search)
            | Q(store_order_id=search)
            | Q(store_order_name__icontains=search)
            | Q(lines__seller_sku__icontains=search)
        )
    return qs.distinct().select_related("channel", "channel__store").order_by("-id")


def order_get(merchant: Merchant, order_id: int) -> Order:
    """One order with lines, fulfilments, cancellations and returns.

    Raises Order.DoesNotExist for another merchant's id, exactly as for a missing one.
    """
    return (
        Order.objects.select_related("channel", "channel__store", "channel__shop")
        .prefetch_related("lines", "fulfillments", "cancellations", "returns")
        .get(channel__merchant=merchant, pk=order_id)
    )


def order_state_counts(merchant: Merchant) -> dict[str, int]:
    """Every sync state (zero included, in display order) -> number of orders."""
    found = dict(
        Order.objects.filter(channel__merchant=merchant)
        .values_list("sync_state")
        .annotate(n=Count("id"))
        .values_list("sync_state", "n")
    )
    return {state: found.get(state, 0) for state in OrderSyncState.values}


def order_problems(merchant: Merchant, *, limit: int = 10) -> QuerySet[Order]:
    """Blocked or failed orders, newest first (each carries blocked_reason and blocked_fix)."""
    return (
        Order.objects.filter(channel__merchant=merchant, sync_state__in=PROBLEM_STATES)
        .select_related("channel")
        .order_by("-updated_at", "-id")[:limit]
    )


def cancellations_needing_action(merchant: Merchant, *, limit: int = 20) -> QuerySet[Cancellation]:
    """Cancellations whose store side failed, or that reached an order already created in the store
    and have not been handled there yet."""
    return (
        Cancellation.objects.filter(order__channel__merchant=merchant)
        .filter(Q(store_action="failed") | Q(store_action="", order__store_order_id__isnull=False))
        .select_related("order", "order__channel__store")
        .order_by("-id")[:limit]
    )


def returns_needing_action(merchant: Merchant, *, limit: int = 20) -> QuerySet[Return]:
    """Returns and refunds TikTok says the seller must act on."""
    return (
        Return.objects.filter(order__channel__merchant=merchant, needs_action=True)
        .select_related("order", "order__channel__store")
        .order_by("-id")[:limit]
    )
