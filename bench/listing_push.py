"""Push mapped products (5 images, 3 variants each) to the TikTok emulator at its standard limits.

The TikTok emulator enforces 50 QPS per API per shop (../shared/spec/tiktok-shop-api.md §5.4) and
ShopBridge's rate budget keeps under it; the store side (catalogue import, image downloads) is not
what is measured, so the store emulator is unthrottled. One worker runs the listing jobs in-process.

Prints, one ``name: value`` per line: products_per_s (products created on TikTok per second of push),
rate_budget_utilisation (requests per second on the busiest TikTok API over its 50 QPS),
rate_limited_failures (429 answers + jobs failed for throttling; must be 0),
transform_products_per_s_per_core (build_product_payload alone, CPU time), peak_rss_mb.
Usage: python bench/listing_push.py [--products N] [--images 5] [--variants 3]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from _setup import django_in_tempdir, peak_rss_mb, report

STORE_URL = "https://bench-listings.myshopify.com"
TIKTOK_URL = "https://open-api.tiktokglobalshop.com"
MATERIAL = "100157"  # apparel leaves require it (emulator rule, §8.2)


def seed_store(shop, products: int, images: int, variants: int) -> None:
    from shopbridge_sandbox.shopify import catalog

    for n in range(1, products + 1):
        catalog.create_product(
            shop,
            {
                "title": f"Bench Enamel Mug {n:05d}",
                "body_html": f"<p>Enamel mug number {n}.</p><ul><li>350 ml</li><li>Dishwasher safe</li></ul>",
                "vendor": "Bench Co",
                "product_type": "Mugs",
                "options": [{"name": "Color"}],
                "variants": [
                    {
                        "sku": f"BENCH-{n:05d}-{i}",
                        "price": "12.50",
                        "option1": f"Colour {i}",
                        "grams": 350,
                        "inventory_quantity": 20,
                    }
                    for i in range(1, variants + 1)
                ],
                "images": [{"src": f"/_sandbox/images/bench-{n}-{i}.png"} for i in range(1, images + 1)],
            },
        )


def connect(merchant, store_emulator, tiktok):
    from shopbridge.catalog.importer import import_store
    from shopbridge.connections.models import ShopConnection, StoreConnection
    from shopbridge.connections.services import channel_create, shop_connect_with_tokens
    from shopbridge.sync.clients import store_connector
    from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN
    from shopbridge_sandbox.tiktok_shop.app import manifest_entry

    store = StoreConnection.objects.create(
        merchant=merchant,
        platform="shopify",
        name="Bench",
        base_url=STORE_URL,
        external_id=DEFAULT_SHOP,
        credentials={"access_token": DEFAULT_TOKEN, "api_secret": DEFAULT_SECRET},
    )
    import_store(store, store_connector(store), full=True)
    store.refresh_from_db()
    manifest = manifest_entry(tiktok, TIKTOK_URL)
    entry = next(s for s in manifest["shops"] if s["region"] == "US")
    (shop,) = shop_connect_with_tokens(
        merchant=merchant,
        app_key=manifest["app_key"],
        app_secret=manifest["app_secret"],
        api_base_url=manifest["api_base_url"],
        auth_base_url=manifest["auth_base_url"],
        access_token=entry["access_token"],
        refresh_token=entry["refresh_token"],
        shop_ids=[entry["shop_id"]],
    )
    # A shop past probation: the 100-a-day cap for new shops is not what is measured.
    ShopConnection.objects.filter(pk=shop.pk).update(daily_listing_quota=1_000_000)
    tiktok.world.shops[entry["shop_id"]].daily_listing_quota = 1_000_000
    shop.refresh_from_db()
    return channel_create(merchant=merchant, store=store, shop=shop)


def map_everything(channel) -> str:
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import CategoryMapping, Listing
    from shopbridge.listings.suggestions import suggest_for_product

    products = list(Product.objects.filter(store=channel.store))
    leaf = suggest_for_product(shop=channel.shop, product=products[0], k=1)[0]
    from shopbridge.listings.services import mapping_set

    mapping_set(channel=channel, products=products[:1], category_id=leaf["category_id"])
    CategoryMapping.objects.bulk_create(
        CategoryMapping(
            channel=channel,
            product=p,
            tiktok_category_id=leaf["category_id"],
            tiktok_category_path=leaf["path"],
            source="suggestion",
        )
        for p in products[1:]
    )
    Listing.objects.bulk_create(Listing(channel=channel, product=p) for p in products[1:])
    return leaf["category_id"]


def transform_rate(channel, category_id: str) -> float:
    """Products per CPU second through build_product_payload alone (no I/O, images already uploaded)."""
    from shopbridge.catalog.convert import product_to_dto
    from shopbridge.catalog.models import Product
    from shopbridge.listings.categories import category_info
    from shopbridge.listings.rules import listing_settings
    from shopbridge.mapping.payload import build_product_payload
    from shopbridge.mapping.regions import region_rules

    dtos = [
        product_to_dto(p)
        for p in Product.objects.filter(store=channel.store).prefetch_related("variants", "images")
    ]
    category = category_info(channel.shop, category_id)
    settings = listing_settings(channel)
    region = region_rules(channel.shop.region)
    uris = [
        {i.url: f"tos-maliva-i-bench/{n}-{k}" for k, i in enumerate(d.images)} for n, d in enumerate(dtos)
    ]
    started = time.process_time()
    for dto, dto_uris in zip(dtos, uris, strict=True):
        build_product_payload(dto, category=category, region=region, settings=settings, image_uris=dto_uris)
    return len(dtos) / (time.process_time() - started)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=2_000)
    parser.add_argument("--images", type=int, default=5)
    parser.add_argument("--variants", type=int, default=3)
    args = parser.parse_args()
    django_in_tempdir("sb-bench-listings-")

    import httpx

    from shopbridge.accounts.services import merchant_create_with_owner
    from shopbridge.listings.models import Listing, ListingStatus
    from shopbridge.listings.services import listing_sync_request
    from shopbridge.sync.clients import RATES, mount_transport
    from shopbridge.sync.engine import run_due_jobs
    from shopbridge.sync.models import JobState, SyncJob
    from shopbridge.sync.ratebudget import RateSpec
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify.app import ShopifyEmulator
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator

    store_emulator = ShopifyEmulator(catalog="empty", webhook_mode="manual", public_url=STORE_URL)
    shop = store_emulator.default_shop
    shop.bucket = LeakyBucket(size=10**9, leak_rate=10**9, clock=store_emulator.clock)
    RATES["shopify"] = {"": RateSpec(10**9, 1.0)}
    seed_store(shop, args.products, args.images, args.variants)
    tiktok = TikTokShopEmulator(webhook_mode="manual")
    mount_transport(STORE_URL, httpx.WSGITransport(app=store_emulator))
    mount_transport(TIKTOK_URL, httpx.WSGITransport(app=tiktok))

    merchant, _, _ = merchant_create_with_owner(name="Bench", username="bench", password="bench-pass-123")
    channel = connect(merchant, store_emulator, tiktok)
    category_id = map_everything(channel)
    channel.settings = {"defaults": {"product_attributes": {MATERIAL: ["Ceramic"]}}}
    channel.save()
    listings = Listing.objects.filter(channel=channel)
    first_request = len(tiktok.request_log)

    started = time.monotonic()
    listing_sync_request(
        channel=channel, products=[listing.product for listing in listings.select_related("product")]
    )
    run_due_jobs(limit=10**7, kinds=["listing.push"])
    elapsed = time.monotonic() - started

    calls = [r for r in tiktok.request_log[first_request:] if not r["path"].startswith("/_sandbox")]
    per_api = Counter(
        r["path"].split("?")[0] if "/products/" not in r["path"] else "product-by-id" for r in calls
    )
    busiest, busiest_count = per_api.most_common(1)[0]
    created = listings.filter(tiktok_product_id__isnull=False).count()
    failed_throttled = SyncJob.objects.filter(state=JobState.FAILED, last_error__code="rate_limited").count()
    report(
        products=args.products,
        created_on_tiktok=created,
        failed_to_sync=listings.filter(status=ListingStatus.FAILED_TO_SYNC).count(),
        seconds=elapsed,
        tiktok_requests=len(calls),
        busiest_api=busiest,
        products_per_s=created / elapsed,
        rate_budget_utilisation=(busiest_count / elapsed) / RATES["tiktok_shop"][""].limit,
        rate_limited_failures=len([r for r in calls if r["status"] == 429]) + failed_throttled,
        transform_products_per_s_per_core=transform_rate(channel, category_id),
        peak_rss_mb=peak_rss_mb(),
    )


if __name__ == "__main__":
    main()
