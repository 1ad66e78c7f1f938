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
from shopbridge_sandbox.kit.ratelimit import LeakyBucket

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
    # A Shopify Plus store (bucket 400, leak 20/s): the same 20 s window as the standard plan, so
    # the budget logic is the same, and end-to-end tests are not paced at 2 requests a second.
    emulator.default_shop.bucket = LeakyBucket(size=400, leak_rate=20.0, clock=emulator.clock)
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

    def place_order(self, channel, sku_ids: list[str], *, quantity: int = 1, **extra) -> str:
        """A buyer orders (and pays for) ``quantity`` of each SKU; returns the TikTok order id."""
        body = {"shop_id": channel.shop.shop_id, "items": [{"sku_id": s, "quantity": quantity} for s in sku_ids],
                **extra}
        placed = self.control("place_order", body)
        return str(placed.get("order_id") or placed.get("order", {}).get("id"))

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


@pytest.fixture
def make_active_listing(channel, tiktok, run_jobs):
    return lambda title: _make_active_listing(channel, tiktok, run_jobs, title)


def _make_active_listing(channel, tiktok, run_jobs, title: str):
    """Map (top suggestion), sync and let TikTok approve one demo product. Returns the listing."""
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import Listing
    from shopbridge.listings.services import listing_sync_request, mapping_set
    from shopbridge.listings.suggestions import suggest_for_product

    product = Product.objects.get(store=channel.store, title=title)
    best = suggest_for_product(shop=channel.shop, product=product)[0]
    mapping_set(channel=channel, products=[product], category_id=best["category_id"], source="suggestion")
    listing_sync_request(channel=channel, products=[product])
    run_jobs()
    tiktok.driver.force_due_reviews()
    run_jobs()
    listing = Listing.objects.get(channel=channel, product=product)
    assert listing.status == "active", (listing.status, listing.error_reason, listing.field_errors)
    return listing


def _force_due_reviews(self) -> None:
    self.advance(61)


TikTokDriver.force_due_reviews = _force_due_reviews


# -- listings (issue 5) ------------------------------------------------------------------------


class ShopifyDriver:
    """Plays the merchant editing the Shopify store, through the emulator's control API; webhooks
    reach ShopBridge when flushed, as Shopify would POST them."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=SHOPIFY_URL)

    def control(self, action: str, body: dict | None = None) -> dict:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def flush_webhooks(self) -> None:
        self.control("webhooks/flush", {"force": True})


@pytest.fixture
def shopify_driver(shopify):
    return ShopifyDriver(shopify)


class CdnTransport(httpx.BaseTransport):
    """The internet's CDN: every image URL answers an 800x800 PNG (drawn per path), so product
    images of the sample catalogues, which point at real CDNs, download offline."""

    def __init__(self):
        self.requests: list[str] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        from shopbridge_sandbox.shopify.seeds import product_png

        self.requests.append(str(request.url))
        return httpx.Response(
            200, content=product_png(request.url.path), headers={"content-type": "image/png"}
        )


@pytest.fixture
def cdn():
    """Mount the CDN stand-in for given hosts (``cdn.serve("https://host", ...)``); unmounted after."""
    transport = CdnTransport()
    mounted: list[str] = []

    def serve(*base_urls: str) -> None:
        for url in base_urls:
            mount_transport(url, transport)
            mounted.append(url)

    transport.serve = serve
    yield transport
    for url in mounted:
        mount_transport(url, None)


@pytest.fixture
def gb_shop(merchant, tiktok):
    """A TikTok UK shop (sells in GBP)."""
    return connect_shop(merchant, tiktok, "GB")


WOOCOMMERCE_URL = "https://woo.sandbox.test"


@pytest.fixture
def empty_shopify(django_transport):
    """A Shopify store with no products yet (mounted where ``shopify`` would be: use one or the other)."""
    from shopbridge_sandbox.shopify.app import ShopifyEmulator

    emulator = ShopifyEmulator(catalog="empty", webhook_mode="manual", public_url=SHOPIFY_URL)
    emulator.webhooks.set_transport(django_transport)
    mount_transport(SHOPIFY_URL, httpx.WSGITransport(app=emulator))
    yield emulator
    mount_transport(SHOPIFY_URL, None)


@pytest.fixture
def empty_woocommerce(django_transport):
    """A WooCommerce site with no products yet, mounted at its HTTPS URL (Basic auth over TLS)."""
    from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator

    emulator = WooCommerceEmulator(catalogue="empty", webhook_mode="manual")
    emulator.webhooks.set_transport(django_transport)
    mount_transport(WOOCOMMERCE_URL, httpx.WSGITransport(app=emulator))
    yield emulator
    mount_transport(WOOCOMMERCE_URL, None)


@pytest.fixture
def connect_store(merchant, run_jobs):
    """Connect the mounted Shopify or WooCommerce emulator and import its catalogue."""
    from shopbridge.connections.services import store_connect

    def connect(platform: str, emulator):
        if platform == "shopify":
            from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN

            store = store_connect(
                merchant=merchant,
                platform="shopify",
                base_url=SHOPIFY_URL,
                external_id=DEFAULT_SHOP,
                credentials={
                    "access_token": DEFAULT_TOKEN,
                    "api_secret": DEFAULT_SECRET,
                    "api_version": "2024-10",
                },
            )
        else:
            from shopbridge_sandbox.woocommerce.app import manifest_entry

            entry = manifest_entry(emulator, WOOCOMMERCE_URL)
            store = store_connect(
                merchant=merchant,
                platform="woocommerce",
                base_url=WOOCOMMERCE_URL,
                external_id=WOOCOMMERCE_URL,
                credentials={k: entry[k] for k in ("consumer_key", "consumer_secret", "webhook_secret")},
            )
        run_jobs(limit=100_000)
        store.refresh_from_db()
        return store

    return connect


def _sync_every_product(channel, run_jobs):
    """Map every live product of the channel's store to its top suggestion, sync them all, let the
    jobs run. Returns {product title: listing}."""
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import Listing
    from shopbridge.listings.services import listing_sync_request, mapping_set
    from shopbridge.listings.suggestions import suggest_for_product

    products = list(Product.objects.filter(store=channel.store, deleted_at__isnull=True).order_by("pk"))
    for product in products:
        best = suggest_for_product(shop=channel.shop, product=product, k=1)[0]
        mapping_set(channel=channel, products=[product], category_id=best["category_id"], source="suggestion")
    listing_sync_request(channel=channel, products=products)
    run_jobs(limit=100_000)
    return {
        listing.product.title: listing
        for listing in Listing.objects.filter(channel=channel).select_related("product")
    }


def _unexplained(listing) -> str | None:
    """Why a listing's outcome is not acceptable, or None: it must be under review / active, or failed
    to sync with field-level errors that each carry a reason and a fix."""
    from shopbridge.listings.models import ListingStatus

    if listing.status in (ListingStatus.UNDER_REVIEW, ListingStatus.ACTIVE):
        return None if listing.tiktok_product_id else "no TikTok product id"
    if listing.status != ListingStatus.FAILED_TO_SYNC:
        return f"status {listing.status}: {listing.error_code} {listing.error_reason}"
    if not (listing.error_reason and listing.error_fix and listing.field_errors):
        return f"failed without field-level errors: {listing.error_code} {listing.error_reason!r}"
    bad = [e for e in listing.field_errors if not (e.get("field") and e.get("reason") and e.get("fix"))]
    return f"field errors without field/reason/fix: {bad}" if bad else None


@pytest.fixture
def sync_every_product(run_jobs):
    def sync(channel):
        listings = _sync_every_product(channel, run_jobs)
        return listings, {title: why for title, listing in listings.items() if (why := _unexplained(listing))}

    return sync


@pytest.fixture
def explain():
    """Why a listing's outcome is not acceptable (None when it is): see ``_unexplained``."""
    return _unexplained
