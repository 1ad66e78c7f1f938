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
    return httpx.WSGITransport(app=get_wsgi_application())


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
