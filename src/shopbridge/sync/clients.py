"""Build connectors for stored connections: credentials decrypted, audit on, rate budget shared.

The only place that turns a ``StoreConnection`` / ``ShopConnection`` row into a connector.
Transports can be overridden per base URL (``mount_transport``): tests and benchmarks route a
platform's URL to an in-process emulator this way, while production uses the network.
"""

from __future__ import annotations

import threading
from typing import Any

import httpx

from shopbridge.connections.models import ShopConnection, StoreConnection
from shopbridge.connectors.base.protocol import StoreConnector
from shopbridge.core.http import build_client

from .audit import AuditTransport
from .ratebudget import RateBudget, RateSpec

_mounts: dict[str, httpx.BaseTransport] = {}
_mounts_lock = threading.Lock()

# Published limits (../shared/spec): TikTok 50 QPS per API per (app, shop) (tiktok-shop-api.md §5.4);
# Shopify REST: leaky bucket of 40 leaking 2/s on the standard plan, 400 leaking 20/s on Plus
# (stores/shopify.md) — a quarter of the reported bucket per 5 s (see RateSpec); WooCommerce has no limit of
# its own, hosts often cap around 5-10/s: we stay at 5/s.
RATES: dict[str, dict[str, RateSpec]] = {
    "tiktok_shop": {"": RateSpec(50, 1.0)},
    "shopify": {"": RateSpec(10, 5.0, per_bucket=0.25)},
    "woocommerce": {"": RateSpec(5, 1.0)},
}
DEFAULT_RATE = {"": RateSpec(5, 1.0)}


def mount_transport(base_url: str, transport: httpx.BaseTransport | None) -> None:
    """Route requests for ``base_url`` (a prefix) through ``transport``; None removes the mount."""
    with _mounts_lock:
        if transport is None:
            _mounts.pop(base_url.rstrip("/"), None)
        else:
            _mounts[base_url.rstrip("/")] = transport


def transport_for(url: str) -> httpx.BaseTransport:
    with _mounts_lock:
        for prefix, transport in _mounts.items():
            if url.startswith(prefix):
                return transport
    return httpx.HTTPTransport(retries=0)


def budget_for(platform: str, *, max_wait: float = 5.0) -> RateBudget:
    """Workers wait at most ``max_wait`` for budget, then hand the job back to the queue (it is
    retried after the window), so a busy key never ties up workers other jobs need."""
    return RateBudget(RATES.get(platform, DEFAULT_RATE), max_wait=max_wait)


def _http(platform: str, base_url: str, *, merchant_id: int, kind: str, connection_id: int | None) -> httpx.Client:
    transport = AuditTransport(
        transport_for(base_url), platform=platform, merchant_id=merchant_id, connection_kind=kind,
        connection_id=connection_id,
    )
    return build_client(transport=transport)


def store_connector(store: StoreConnection, *, gate: Any | None = None) -> StoreConnector:
    creds = store.credentials or {}
    http = _http(store.platform, store.base_url, merchant_id=store.merchant_id, kind="store", connection_id=store.pk)
    gate = gate or budget_for(store.platform)
    if store.platform == "shopify":
        from shopbridge.connectors.shopify import ShopifyConnector

        return ShopifyConnector(
            store.external_id, creds["access_token"], api_secret=creds.get("api_secret", ""),
            api_version=creds.get("api_version") or "2024-10", base_url=store.base_url, http=http, gate=gate,
        )
    if store.platform == "woocommerce":
        from shopbridge.connectors.woocommerce.connector import WooCommerceConnector

        return WooCommerceConnector(
            store.base_url, creds["consumer_key"], creds["consumer_secret"],
            webhook_secret=creds.get("webhook_secret", ""), http=http, gate=gate,
        )
    raise LookupError(f"no connector for store platform {store.platform!r} yet")


def tiktok_client(shop: ShopConnection, *, gate: Any | None = None):
    from shopbridge.connectors.tiktok_shop.client import TikTokShopClient

    creds = shop.credentials or {}
    http = _http("tiktok_shop", shop.api_base_url, merchant_id=shop.merchant_id, kind="shop", connection_id=shop.pk)
    return TikTokShopClient(
        creds["app_key"], creds["app_secret"], api_base_url=shop.api_base_url, auth_base_url=shop.auth_base_url,
        access_token=creds.get("access_token"), shop_cipher=shop.shop_cipher, shop_id=shop.shop_id,
        http=http, gate=gate or budget_for("tiktok_shop"),
    )
