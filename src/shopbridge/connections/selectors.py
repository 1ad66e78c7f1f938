"""Reads for connections, always scoped to one merchant.

``connection_health`` is what the dashboard's home shows: one row per store and shop with its
status reason and fix, token expiry and the last successful sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from shopbridge.accounts.models import Merchant

from .models import Channel, ConnectionStatus, ShopConnection, StoreConnection

# TikTok authorisations end when the refresh token expires; warn this long before
# (issue: "re-authorisation warning within 30 days of authorization_expires_at").
REAUTH_WARNING = timedelta(days=30)


def store_list(merchant: Merchant, *, status: str = "", search: str = "") -> QuerySet[StoreConnection]:
    qs = StoreConnection.objects.filter(merchant=merchant)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(external_id__icontains=search))
    return qs.order_by("id")


def store_get(merchant: Merchant, store_id: int) -> StoreConnection:
    """Raises StoreConnection.DoesNotExist for another merchant's id, exactly as for a missing one."""
    return StoreConnection.objects.get(merchant=merchant, pk=store_id)


def shop_list(merchant: Merchant, *, status: str = "", search: str = "") -> QuerySet[ShopConnection]:
    qs = ShopConnection.objects.filter(merchant=merchant)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(shop_id__icontains=search))
    return qs.order_by("id")


def shop_get(merchant: Merchant, shop_id: int) -> ShopConnection:
    return ShopConnection.objects.get(merchant=merchant, pk=shop_id)


def channel_list(
    merchant: Merchant, *, store_id: int | None = None, shop_id: int | None = None
) -> QuerySet[Channel]:
    qs = Channel.objects.filter(merchant=merchant).select_related("store", "shop")
    if store_id:
        qs = qs.filter(store_id=store_id)
    if shop_id:
        qs = qs.filter(shop_id=shop_id)
    return qs.order_by("id")


def channel_get(merchant: Merchant, channel_id: int) -> Channel:
    return Channel.objects.select_related("store", "shop").get(merchant=merchant, pk=channel_id)


def reauthorisation_due(shop: ShopConnection, *, now: datetime | None = None) -> bool:
    """True when the seller's authorisation ends within REAUTH_WARNING (or already ended)."""
    if shop.authorization_expires_at is None:
        return False
    return shop.authorization_expires_at - (now or timezone.now()) <= REAUTH_WARNING


@dataclass(frozen=True)
class ConnectionHealth:
    kind: str  # "store" | "shop"
    id: int
    name: str
    platform: str
    status: str
    status_label: str
    status_reason: str
    status_fix: str
    last_success_at: datetime | None
    token_expires_at: datetime | None
    authorization_expires_at: datetime | None
    reauthorise_soon: bool

    @property
    def healthy(self) -> bool:
        return self.status == ConnectionStatus.ACTIVE and not self.reauthorise_soon


def connection_health(merchant: Merchant, *, now: datetime | None = None) -> list[ConnectionHealth]:
    now = now or timezone.now()
    rows = [
        ConnectionHealth(
            kind="store",
            id=s.pk,
            name=s.name,
            platform=s.get_platform_display(),
            status=s.status,
            status_label=s.get_status_display(),
            status_reason=s.status_reason,
            status_fix=s.status_fix,
            last_success_at=s.last_success_at,
            token_expires_at=None,
            authorization_expires_at=None,
            reauthorise_soon=False,
        )
        for s in store_list(merchant)
    ]
    rows += [
        ConnectionHealth(
            kind="shop",
            id=s.pk,
            name=s.name,
            platform=f"TikTok Shop {s.region}",
            status=s.status,
            status_label=s.get_status_display(),
            status_reason=s.status_reason,
            status_fix=s.status_fix,
            last_success_at=s.last_success_at,
            token_expires_at=s.access_token_expires_at,
            authorization_expires_at=s.authorization_expires_at,
            reauthorise_soon=reauthorisation_due(s, now=now),
        )
        for s in shop_list(merchant)
    ]
    return rows
