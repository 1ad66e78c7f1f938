"""Shopify product CSVs imported into the emulator read back through the connector, nothing lost.

Counts are computed here from the CSV independently of the emulator's importer.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from connectors.shopify.shopify_env import ShopifyDriver, make_connector, make_emulator
from shopbridge.connectors.base.dto import ProductStatus, StoreProduct, WeightUnit
from shopbridge.connectors.shopify import ShopifyConnector

SAMPLE_CSVS = [
    "shopify-product-csvs/apparel.csv",
    "shopify-product-csvs/home-and-garden.csv",
    "shopify-product-csvs/jewelery.csv",
    "shopify-product-template-csv/GoncharIV-Shopify-training/product_template.csv",
    "shopify-product-template-csv/kcohen1997-Forward-Fill/product_template.csv",
    "shopify-product-template-csv/Text-Connects-DemoProducts/product_template.csv",
]


def expected_counts(path: Path) -> tuple[int, int, int]:
    """(products, variants, distinct images) straight from the CSV rows."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    handles = {r["Handle"] for r in rows if r["Title"].strip()}
    variants = sum(1 for r in rows if r["Option1 Value"].strip())
    images = 0
    for handle_name in handles:
        urls = {
            u.strip()
            for r in rows
            if r["Handle"] == handle_name
            for u in (r["Image Src"], r.get("Variant Image") or "")
        }
        images += len(urls - {""})
    return len(handles), variants, images


def read_all(connector: ShopifyConnector) -> list[StoreProduct]:
    products, cursor = [], None
    while True:
        page = connector.list_products(cursor=cursor, page_size=7)
        assert page.skipped == []
        products += page.products
        cursor = page.next_cursor
        if cursor is None:
            return products


def imported(csv_path: Path) -> tuple[dict, list[StoreProduct]]:
    emulator = make_emulator()
    report = ShopifyDriver(emulator).control("seed_csv", {"path": str(csv_path)})
    return report, read_all(make_connector(emulator))


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", SAMPLE_CSVS)
def test_every_sample_csv_reads_back_complete(shared_data: Path, relative: str) -> None:
    path = shared_data / relative
    products_n, variants_n, images_n = expected_counts(path)

    report, products = imported(path)

    assert report["skipped"] == []
    assert (report["products"], report["variants"], report["images"]) == (products_n, variants_n, images_n)
    assert len(products) == products_n
    assert sum(len(p.variants) for p in products) == variants_n
    assert sum(len(p.images) for p in products) == images_n


@pytest.mark.shared_data
def test_template_csv_keeps_statuses_weights_and_options(shared_data: Path) -> None:
    _, products = imported(shared_data / SAMPLE_CSVS[3])
    by_handle = {p.handle: p for p in products}

    shirt, jeans, beanie = by_handle["example-shirt"], by_handle["example-pants"], by_handle["example-hat"]

    assert (shirt.status, jeans.status, beanie.status) == (
        ProductStatus.ACTIVE,
        ProductStatus.DRAFT,
        ProductStatus.ARCHIVED,
    )
    assert [o.name for o in shirt.options] == ["Color", "Size"]
    assert len(shirt.variants) == 12
    assert shirt.variants[0].barcode == "365275101829"
    assert (jeans.variants[0].weight, jeans.variants[0].weight_unit) == (Decimal("8.0"), WeightUnit.OZ)
    assert jeans.variants[0].compare_at_price == Decimal("64.95")
    assert beanie.options == []
    assert beanie.tags == ["Hat Tag"]


@pytest.mark.shared_data
def test_excel_mangled_barcodes_are_dropped_with_a_warning(shared_data: Path) -> None:
    report, products = imported(shared_data / SAMPLE_CSVS[4])

    barcodes = [v.barcode for p in products for v in p.variants]

    assert barcodes.count(None) == 16
    assert len(report["warnings"]) == 16
    assert {w["field"] for w in report["warnings"]} == {"Variant Barcode"}


@pytest.mark.shared_data
def test_apostrophe_barcode_and_quoted_option_survive(shared_data: Path) -> None:
    _, products = imported(shared_data / SAMPLE_CSVS[5])
    by_handle = {p.handle: p for p in products}

    assert by_handle["black-t-shirt-os"].variants[0].barcode == "3212483"
    assert by_handle["example-t-shirt"].variants[0].options == {
        "Size": 'Lithograph - Height: 9" x Width: 12"'
    }


def test_rows_that_cannot_be_imported_are_reported_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        "Handle,Title,Option1 Name,Option1 Value,Variant SKU,Variant Price,Image Src\n"
        "mug,Mug,Color,Red,M-R,8.00,\n"
        "mug,,,Red,M-R2,8.00,\n"  # duplicate option combination
        "mug,,,Blue,M-B,,\n"  # no price
        ",Orphan,Title,Default Title,O-1,5.00,\n"  # no handle
        "ghost,,Title,Default Title,G-1,5.00,\n"  # first row has no title
        "mug,,,,,,\n",  # nothing at all
        encoding="utf-8",
    )

    report, products = imported(path)

    assert [(s["row"], s["reason"]) for s in report["skipped"]] == [
        (5, "row has no Handle"),
        (3, "duplicate option combination ('Red',)"),
        (4, "variant row has no Variant Price"),
        (7, "row has neither variant data nor an image"),
        (6, "the first row of this handle has no Title"),
    ]
    assert [(p.handle, [v.sku for v in p.variants]) for p in products] == [("mug", ["M-R"])]
