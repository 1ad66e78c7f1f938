"""Every product of every public WooCommerce sample CSV (../shared/data/woocommerce-sample-data) goes
WooCommerce emulator -> import -> mapping (top suggestion) -> pre-flight -> TikTok emulator, and ends
Under review, or Failed to sync with field-level reasons and fixes."""

import re
from pathlib import Path

import httpx
import pytest

from shopbridge.listings.models import ListingStatus
from shopbridge.sync.models import JobState, SyncJob

CSV_FILES = [
    "woocommerce-sample-data/sample_products.csv",
    "woocommerce-sample-data/importer-tests/sample.csv",
    "woocommerce-sample-data/wc-7.9.0-plugin-copy/experimental_fashion_sample_9_products.csv",
    "woocommerce-sample-data/wc-7.9.0-plugin-copy/experimental_sample_9_products.csv",
]
WOOCOMMERCE_URL = "https://woo.sandbox.test"  # where tests/e2e/conftest.py mounts the emulator


def image_hosts(text: str) -> set[str]:
    return set(re.findall(r"https?://[^/\"',\s]+", text))


@pytest.mark.parametrize("csv_file", CSV_FILES)
def test_every_product_of_the_csv_is_listed_or_says_why(
    csv_file, shared_data: Path, empty_woocommerce, connect_store, us_shop, cdn, tiktok, sync_every_product
):
    from shopbridge.catalog.models import ImportRun, Product
    from shopbridge.connections.services import channel_create

    text = (shared_data / csv_file).read_text(encoding="utf-8-sig")
    cdn.serve(*image_hosts(text))  # product images live on real sites
    report = _import(empty_woocommerce, text)
    store = connect_store("woocommerce", empty_woocommerce)
    channel = channel_create(merchant=store.merchant, store=store, shop=us_shop)

    listings, unexplained = sync_every_product(channel)

    assert report["skipped"] == [], "the emulated store took every row"
    # Grouped, external and unpurchasable products are not sellable items: the import names each with why.
    not_sellable = ImportRun.objects.get(store=store).skipped
    assert all(s["external_id"] and s["reason"] for s in not_sellable)
    imported = Product.objects.filter(store=store, deleted_at__isnull=True).count()
    assert len(listings) == imported == report["products"] - len(not_sellable)
    assert unexplained == {}
    assert not SyncJob.objects.filter(state=JobState.FAILED, last_error__code="internal_error").exists()
    listed = [t for t, listing in listings.items() if listing.status == ListingStatus.UNDER_REVIEW]
    assert len(tiktok.driver.control("products")["products"]) == len(listed)


def _import(emulator, text: str) -> dict:
    http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=WOOCOMMERCE_URL)
    response = http.post("/_sandbox/import_csv", json={"csv": text})
    assert response.status_code == 200, response.text
    return response.json()
