"""Every sample catalogue in ../shared/data imported into the canonical model through the real
importer: exact product, variant and image counts, nothing dropped silently (skips have reasons)."""

from __future__ import annotations

import pytest

from connectors.shopify.test_shopify_csv_import import SAMPLE_CSVS, expected_counts
from shopbridge.catalog.importer import import_store
from shopbridge.catalog.models import Image, ImportRun, Product, Variant
from shopbridge.connections.models import StoreConnection
from shopbridge.sync.clients import store_connector

pytestmark = pytest.mark.shared_data


@pytest.mark.parametrize("relative", SAMPLE_CSVS)
def test_shopify_sample_csv_imports_completely(relative, shared_data, merchant, shopify):
    path = shared_data / relative
    shopify.default_shop.products.clear()
    from shopbridge_sandbox.shopify.csv_import import import_csv

    import_csv(shopify.default_shop, path)
    store = StoreConnection.objects.create(
        merchant=merchant, platform="shopify", name="Samples", base_url="https://shopbridge-demo.myshopify.com",
        external_id="shopbridge-demo.myshopify.com",
        credentials={"access_token": "shpat_sandbox0demo0000000000000000",
                     "api_secret": "shpss_sandbox0app0secret000000000"},
    )

    run = import_store(store, store_connector(store), full=True)

    products, variants, images = expected_counts(path)
    assert Product.objects.filter(store=store).count() == products
    assert Variant.objects.filter(store=store).count() == variants
    assert Image.objects.filter(product__store=store).count() == images
    assert run.state == ImportRun.State.DONE and run.skipped == []
    # A second import changes nothing.
    again = import_store(store, store_connector(store), full=True)
    assert again.products_changed == 0 and again.products_deleted == 0


@pytest.mark.parametrize("relative", ["sample_products.csv", "importer-tests/sample.csv",
                                      "wc-7.9.0-plugin-copy/experimental_sample_9_products.csv",
                                      "wc-7.9.0-plugin-copy/experimental_fashion_sample_9_products.csv"])
def test_woocommerce_sample_csv_imports_with_every_skip_explained(relative, shared_data, merchant):
    import httpx

    from connectors.woocommerce.test_woocommerce_csv_import import expected_from_csv
    from shopbridge.sync.clients import mount_transport
    from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator, manifest_entry

    site = "https://woo.sandbox.test"
    emulator = WooCommerceEmulator(catalogue="empty")
    mount_transport(site, httpx.WSGITransport(app=emulator))
    try:
        text = (shared_data / "woocommerce-sample-data" / relative).read_text(encoding="utf-8")
        report = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=site).post(
            "/_sandbox/import_csv", json={"csv": text})
        assert report.status_code == 200, report.text
        m = manifest_entry(emulator, site)
        store = StoreConnection.objects.create(
            merchant=merchant, platform="woocommerce", name="Woo samples", base_url=site, external_id=site,
            credentials={"consumer_key": m["consumer_key"], "consumer_secret": m["consumer_secret"],
                         "webhook_secret": m["webhook_secret"]},
        )

        run = import_store(store, store_connector(store), full=True)

        expected = expected_from_csv(text)
        assert Product.objects.filter(store=store).count() == expected.products
        assert Variant.objects.filter(store=store).count() == expected.variants
        assert Image.objects.filter(product__store=store).count() == expected.images
        assert len(run.skipped) >= len(expected.skipped_kinds)
        assert all(s["reason"] for s in run.skipped)
    finally:
        mount_transport(site, None)
