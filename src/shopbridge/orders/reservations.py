"""Oversell guard: units sold on TikTok whose order is not yet in the store (so the store's stock
does not show them yet). Subtracted from what is pushed, for every channel fed by that store."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Sum

from .models import OrderLine, OrderSyncState

NOT_YET_IN_STORE = [OrderSyncState.PENDING, OrderSyncState.ON_HOLD, OrderSyncState.BLOCKED, OrderSyncState.CREATING]


def reserved_by_variant(variant_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        OrderLine.objects.filter(variant_id__in=list(variant_ids), order__sync_state__in=NOT_YET_IN_STORE)
        .exclude(order__tiktok_status__in=["CANCELLED", "UNPAID"])
        .exclude(order__fulfillment_type="fbt")
        .values("variant_id")
        .annotate(units=Sum("quantity"))
    )
    reserved: dict[int, int] = defaultdict(int)
    for row in rows:
        reserved[row["variant_id"]] = int(row["units"] or 0)
    return dict(reserved)
