"""Every configurable product of Magento 2's Luma sample catalogue
(../shared/data/magento2-sample-data/ConfigurableSampleData/products.csv: 147 configurables, 1,847
simple children) goes through the whole listing path. There is no Magento connector yet, so the test
rewrites the file as a Shopify product CSV (one product per configurable, one variant per child) and
loads it into the Shopify emulator; from there it is the real import, mapping (top suggestion),
pre-flight and TikTok emulator. Each product ends Under review, or Failed to sync with field-level
reasons and fixes."""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from shopbridge.listings.models import Listing, ListingSku, ListingStatus
from shopbridge.listings.services import listing_sync_request
from shopbridge.sync.models import JobState, SyncJob

MEDIA = "https://luma-sample.magento.test/media/catalog/product"  # relative image paths live here
MATERIAL = "100157"  # TikTok's Material attribute, required by apparel leaves
GRAMS_PER_LB = Decimal("453.59237")  # Luma weights are in pounds (the sample store's weight unit)
SHOPIFY_COLUMNS = [
    "Handle",
    "Title",
    "Body (HTML)",
    "Vendor",
    "Type",
    "Tags",
    "Published",
    "Status",
    "Option1 Name",
    "Option1 Value",
    "Option2 Name",
    "Option2 Value",
    "Option3 Name",
    "Option3 Value",
    "Variant SKU",
    "Variant Grams",
    "Variant Inventory Tracker",
    "Variant Inventory Qty",
    "Variant Inventory Policy",
    "Variant Fulfillment Service",
    "Variant Price",
    "Variant Requires Shipping",
    "Variant Taxable",
    "Image Src",
    "Image Position",
    "Image Alt Text",
    "Variant Image",
    "Variant Weight Unit",
]


def _pairs(text: str) -> dict[str, str]:
    """Magento's "a=1,b=2" cells (values never contain '=', some contain '|')."""
    out: dict[str, str] = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def _category(paths: str) -> tuple[str, list[str]]:
    """("Hoodies & Sweatshirts", every category name) from "Default Category/Men/Tops/Hoodies & ..."."""
    names = [p.split("/") for p in paths.split(",") if p.strip()]
    deepest = max(names, key=len)
    return deepest[-1], sorted({n for path in names for n in path[1:]})


def _rows_for(parent: dict[str, str], children: dict[str, dict[str, str]]) -> list[dict[str, str]]:
    handle = parent["url_key"] or parent["sku"].lower()  # the sample's configurables have no url_key
    variations = [_pairs(v) for v in parent["configurable_variations"].split("|")]
    labels = [k for k in variations[0] if k != "sku"][:3]
    kind, tags = _category(parent["categories"])
    images = [parent["base_image"]] + [i for i in parent["additional_images"].split(",") if i]
    images = list(dict.fromkeys(i for i in images if i))
    rows = []
    for index, variation in enumerate(variations):
        child = children[variation["sku"]]
        row = dict.fromkeys(SHOPIFY_COLUMNS, "")
        if index == 0:
            row.update(
                {
                    "Title": parent["name"],
                    "Body (HTML)": parent["description"],
                    "Vendor": "Luma",
                    "Type": kind,
                    "Tags": ", ".join(tags),
                    "Published": "TRUE",
                    "Status": "active",
                }
            )
        for n, label in enumerate(labels, start=1):
            row[f"Option{n} Name"] = label.title() if index == 0 else ""
            row[f"Option{n} Value"] = variation[label]
        row.update(
            {
                "Handle": handle,
                "Variant SKU": child["sku"],
                "Variant Grams": str(round(Decimal(child["weight"] or "0") * GRAMS_PER_LB)),
                "Variant Inventory Tracker": "shopify",
                "Variant Inventory Qty": str(int(float(child["qty"] or 0))),
                "Variant Inventory Policy": "deny",
                "Variant Fulfillment Service": "manual",
                "Variant Price": child["price"],
                "Variant Requires Shipping": "TRUE",
                "Variant Taxable": "TRUE",
                "Variant Image": f"{MEDIA}{child['base_image']}" if child["base_image"] else "",
                "Variant Weight Unit": "lb",
            }
        )
        if index < len(images):
            row.update({"Image Src": f"{MEDIA}{images[index]}", "Image Position": str(index + 1)})
        rows.append(row)
    for position in range(len(variations), len(images)):  # image-only rows, as Shopify exports them
        rows.append(
            {
                **dict.fromkeys(SHOPIFY_COLUMNS, ""),
                "Handle": handle,
                "Image Src": f"{MEDIA}{images[position]}",
                "Image Position": str(position + 1),
            }
        )
    return rows


def magento_as_shopify_csv(source: Path, target: Path) -> int:
    """Write ``source`` as a Shopify product CSV; returns how many configurable products it holds."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    children = {r["sku"]: r for r in rows if r["product_type"] == "simple"}
    parents = [r for r in rows if r["product_type"] == "configurable"]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=SHOPIFY_COLUMNS)
        writer.writeheader()
        for parent in parents:
            writer.writerows(_rows_for(parent, children))
    return len(parents)


@pytest.fixture
def unthrottled_store(monkeypatch):
    """Importing 1,847 variants at Shopify's 2 requests/s would take minutes; store-side throttling
    is covered by the catalogue tests, so here the store answers as fast as it can (TikTok's limits
    stay standard)."""
    from shopbridge.sync.clients import RATES
    from shopbridge.sync.ratebudget import RateSpec

    monkeypatch.setitem(RATES, "shopify", {"": RateSpec(100_000, 1.0)})


def _size_chart_uri(channel) -> str:
    from shopbridge.sync.clients import tiktok_client
    from shopbridge_sandbox.shopify.seeds import product_png

    return (
        tiktok_client(channel.shop)
        .products.upload_image(
            product_png("size-chart"),
            use_case="SIZE_CHART_IMAGE",
            filename="size-chart.png",
            mime_type="image/png",
        )
        .uri
    )


def test_every_configurable_product_is_listed_or_says_why(
    shared_data,
    tmp_path,
    unthrottled_store,
    empty_shopify,
    connect_store,
    us_shop,
    cdn,
    tiktok,
    sync_every_product,
    explain,
    run_jobs,
):
    from shopbridge.catalog.models import Variant
    from shopbridge.connections.models import ShopConnection
    from shopbridge.connections.services import channel_create
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify.csv_import import import_csv

    expected = magento_as_shopify_csv(
        shared_data / "magento2-sample-data/ConfigurableSampleData/products.csv", tmp_path / "luma.csv"
    )
    cdn.serve(MEDIA.rsplit("/media", 1)[0])  # the media host: "the internet's CDN" stand-in
    shop = empty_shopify.default_shop
    shop.bucket = LeakyBucket(size=100_000, leak_rate=100_000.0, clock=empty_shopify.clock)
    report = import_csv(shop, tmp_path / "luma.csv")
    store = connect_store("shopify", empty_shopify)
    channel = channel_create(merchant=store.merchant, store=store, shop=us_shop)
    # A shop past TikTok's probation: the daily listing cap (100 for new shops) has its own tests.
    ShopConnection.objects.filter(pk=us_shop.pk).update(daily_listing_quota=1000)
    tiktok.driver.control("set_quota", {"shop_id": us_shop.shop_id, "daily_listing_quota": 1000})

    listings, unexplained = sync_every_product(channel)

    assert report["skipped"] == []
    assert expected == 147 and report["products"] == 147
    assert report["variants"] == Variant.objects.filter(store=store).count() == 1847
    assert len(listings) == 147
    assert unexplained == {}
    assert not SyncJob.objects.filter(state=JobState.FAILED, last_error__code="internal_error").exists()
    listed = [t for t, listing in listings.items() if listing.status == ListingStatus.UNDER_REVIEW]
    assert len(tiktok.driver.control("products")["products"]) == len(listed)

    # Apparel needs a material and a size chart (category rules): once the merchant sets channel
    # defaults, the whole catalogue goes to TikTok: 147 products, 1,847 SKUs, their images.
    failed = [
        listing.product for listing in listings.values() if listing.status == ListingStatus.FAILED_TO_SYNC
    ]
    channel.settings = {
        "defaults": {
            "product_attributes": {MATERIAL: ["Polyester"]},
            "size_chart_image_uri": _size_chart_uri(channel),
        }
    }
    channel.save()
    listing_sync_request(channel=channel, products=failed)
    run_jobs(limit=100_000)

    after = {listing.product.title: listing for listing in Listing.objects.filter(channel=channel)}
    unexplained = {t: why for t, listing in after.items() if (why := explain(listing))}
    assert unexplained == {}
    on_tiktok = tiktok.driver.control("products")["products"]
    under_review = [listing for listing in after.values() if listing.status == ListingStatus.UNDER_REVIEW]
    assert len(on_tiktok) == len(under_review) > 140
    assert (
        sum(len(p["skus"]) for p in on_tiktok)
        == ListingSku.objects.filter(listing__in=under_review, tiktok_sku_id__isnull=False).count()
    )
