"""Every product of every public Shopify sample CSV (../shared/data) goes store -> mapping (top
suggestion) -> pre-flight -> TikTok emulator, and ends Under review, or Failed to sync with
field-level reasons and fixes. No product fails without saying why."""

import re
from pathlib import Path

import pytest

from shopbridge.listings.models import ListingStatus
from shopbridge.sync.models import JobState, SyncJob

CSV_FILES = [
    "shopify-product-csvs/apparel.csv",
    "shopify-product-csvs/home-and-garden.csv",
    "shopify-product-csvs/jewelery.csv",
    "shopify-product-template-csv/GoncharIV-Shopify-training/product_template.csv",
    "shopify-product-template-csv/kcohen1997-Forward-Fill/product_template.csv",
    "shopify-product-template-csv/Text-Connects-DemoProducts/product_template.csv",
]


def image_hosts(text: str) -> set[str]:
    return set(re.findall(r"https?://[^/\"',\s]+", text))


@pytest.mark.parametrize("csv_file", CSV_FILES)
def test_every_product_of_the_csv_is_listed_or_says_why(
    csv_file, shared_data: Path, empty_shopify, connect_store, us_shop, cdn, tiktok, sync_every_product
):
    from shopbridge.connections.services import channel_create
    from shopbridge_sandbox.shopify.csv_import import import_csv

    path = shared_data / csv_file
    cdn.serve(*image_hosts(path.read_text(encoding="utf-8-sig")))  # product images live on real CDNs
    report = import_csv(empty_shopify.default_shop, path)
    store = connect_store("shopify", empty_shopify)
    channel = channel_create(merchant=store.merchant, store=store, shop=us_shop)

    listings, unexplained = sync_every_product(channel)

    handles = {p["handle"] for p in empty_shopify.default_shop.products.values()}
    assert report["skipped"] == [] and len(handles) == report["products"]
    assert len(listings) == len(handles), "every product of the CSV was mapped and synced"
    assert unexplained == {}
    assert not SyncJob.objects.filter(state=JobState.FAILED, last_error__code="internal_error").exists()
    listed = [t for t, listing in listings.items() if listing.status == ListingStatus.UNDER_REVIEW]
    on_tiktok = tiktok.driver.control("products")["products"]
    assert len(on_tiktok) == len(listed)
