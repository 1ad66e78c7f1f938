"""Import a generated catalogue from the Shopify emulator at its standard rate limit.

Prints products_per_s, rate_budget_utilisation (requests per second over the allowed rate) and
peak_rss_mb, one ``name: value`` per line. Usage: python bench/catalog_import.py [--products N]
"""

from __future__ import annotations

import argparse
import time

from _setup import django_in_tempdir, peak_rss_mb, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--variants", type=int, default=3)
    args = parser.parse_args()
    django_in_tempdir("sb-bench-import-")

    import httpx

    from shopbridge.accounts.services import merchant_create_with_owner
    from shopbridge.catalog.importer import import_store
    from shopbridge.catalog.models import Product, Variant
    from shopbridge.connections.models import StoreConnection
    from shopbridge.sync.clients import RATES, mount_transport, store_connector
    from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator
    from shopbridge_sandbox.shopify.seeds import seed_generated

    url = "https://bench.myshopify.com"
    emulator = ShopifyEmulator(catalog="empty", webhook_mode="manual", public_url=url)
    seed_generated(emulator.default_shop, args.products, args.variants)
    mount_transport(url, httpx.WSGITransport(app=emulator))
    merchant, _, _ = merchant_create_with_owner(name="Bench", username="bench", password="bench-pass-123")
    store = StoreConnection.objects.create(
        merchant=merchant, platform="shopify", name="Bench", base_url=url, external_id=DEFAULT_SHOP,
        credentials={"access_token": DEFAULT_TOKEN, "api_secret": DEFAULT_SECRET},
    )
    started = time.monotonic()
    import_store(store, store_connector(store), full=True)
    elapsed = time.monotonic() - started
    requests = len([r for r in emulator.request_log if not r["path"].startswith("/_sandbox")])
    allowed = RATES["shopify"][""]
    allowed_per_s = allowed.limit / allowed.seconds
    report(
        products=Product.objects.count(),
        variants=Variant.objects.count(),
        seconds=elapsed,
        requests=requests,
        products_per_s=Product.objects.count() / elapsed,
        rate_budget_utilisation=(requests / elapsed) / allowed_per_s,
        rate_limited_responses=len([r for r in emulator.request_log if r["status"] == 429]),
        peak_rss_mb=peak_rss_mb(),
    )


if __name__ == "__main__":
    main()
