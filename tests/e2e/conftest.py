"""End-to-end fixtures: the service wired to in-process emulators.

Each emulator is mounted at its platform URL (``sync.clients.mount_transport``), so the service's
real connectors talk to it exactly as to the real platform; the emulators' webhooks are delivered
into the Django app through a WSGI transport, as the platforms would POST them.
"""

from __future__ import annotations

import httpx
import pytest
from django.core.wsgi import get_wsgi_application

from shopbridge.sync.clients import mount_transport

SHOPIFY_URL = "https://shopbridge-demo.myshopify.com"
TIKTOK_URL = "https://open-api.tiktokglobalshop.com"


@pytest.fixture
def django_transport():
    """Deliver HTTP into the Django app in-process. Like Django's test client, keep the test's DB
    connection open across requests (the handler would otherwise close it at request end)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield httpx.WSGITransport(app=get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def shopify(django_transport, settings):
    from shopbridge_sandbox.shopify.app import ShopifyEmulator

    emulator = ShopifyEmulator(catalog="demo", webhook_mode="manual", public_url=SHOPIFY_URL)
    emulator.webhooks.set_transport(django_transport)
    mount_transport(SHOPIFY_URL, httpx.WSGITransport(app=emulator))
    yield emulator
    mount_transport(SHOPIFY_URL, None)


@pytest.fixture
def shopify_store(merchant, shopify, run_jobs):
    """A connected Shopify store with its catalogue imported."""
    from shopbridge.connections.services import store_connect
    from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN

    store = store_connect(
        merchant=merchant, platform="shopify", base_url=SHOPIFY_URL, external_id=DEFAULT_SHOP,
        credentials={"access_token": DEFAULT_TOKEN, "api_secret": DEFAULT_SECRET, "api_version": "2024-10"},
    )
    run_jobs()
    store.refresh_from_db()
    return store


class TikTokDriver:
    """Plays TikTok's buyers and reviewers through the emulator's control API."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=TIKTOK_URL)

    def control(self, action: str, body: dict | None = None) -> dict:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def advance(self, seconds: float) -> None:
        self.control("clock/advance", {"seconds": seconds})
        self.control("webhooks/flush", {"force": True})


@pytest.fixture
def tiktok(django_transport):
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry

    emulator = TikTokShopEmulator(webhook_mode="immediate")
    emulator.webhooks.set_transport(django_transport)
    mount_transport(TIKTOK_URL, httpx.WSGITransport(app=emulator))
    emulator.manifest = manifest_entry(emulator, TIKTOK_URL)
    emulator.driver = TikTokDriver(emulator)
    yield emulator
    mount_transport(TIKTOK_URL, None)


def connect_shop(merchant, tiktok, region: str):
    from shopbridge.connections.services import shop_connect_with_tokens

    m = tiktok.manifest
    entry = next(s for s in m["shops"] if s["region"] == region)
    (shop,) = shop_connect_with_tokens(
        merchant=merchant, app_key=m["app_key"], app_secret=m["app_secret"], api_base_url=m["api_base_url"],
        auth_base_url=m["auth_base_url"], access_token=entry["access_token"], refresh_token=entry["refresh_token"],
        shop_ids=[entry["shop_id"]],
    )
    return shop


@pytest.fixture
def us_shop(merchant, tiktok):
    return connect_shop(merchant, tiktok, "US")


@pytest.fixture
def channel(merchant, shopify_store, us_shop):
    from shopbridge.connections.services import channel_create

    return channel_create(merchant=merchant, store=shopify_store, shop=us_shop)
