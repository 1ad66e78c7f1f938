"""Every WooCommerce sample catalogue CSV, imported into the emulator and read back through the
connector, gives the products, variants and images the CSV itself says it should.

The expectations are computed here straight from the CSV with the csv module, independently of
the emulator's importer: simple products are one variant; a variable product's variants are its
priced variation rows (linked by ``Parent`` = SKU); grouped and external products, variable products
without a priced variation and unpriced simple products are skipped with a reason; images are the
distinct URLs of the product's ``Images`` plus its sold variations' images.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from shopbridge.connectors.base.dto import Dimensions, DimensionUnit, SkippedRecord, StoreProduct, WeightUnit
from shopbridge.connectors.woocommerce.connector import WooCommerceConnector
from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator, manifest_entry

SITE = "https://woo.sandbox.test"
SAMPLE_DIR = "woocommerce-sample-data"
CSV_FILES = [
    "sample_products.csv",
    "importer-tests/sample.csv",
    "wc-7.9.0-plugin-copy/experimental_sample_9_products.csv",
    "wc-7.9.0-plugin-copy/experimental_fashion_sample_9_products.csv",
]


@dataclass
class Expected:
    products: int = 0
    variants: int = 0
    images: int = 0
    skipped_kinds: list[str] = field(default_factory=list)
    skipped_variations: int = 0


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    return [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]


def _urls(value: str) -> list[str]:
    return [u.strip() for u in value.split(",") if u.strip()]


def _priced(row: dict[str, str]) -> bool:
    return bool(row["regular price"] or row["sale price"])


def expected_from_csv(text: str) -> Expected:
    rows = _rows(text)
    kinds = [[t.strip() for t in row["type"].split(",")] for row in rows]
    variations: dict[str, list[dict[str, str]]] = {}
    for row, kind in zip(rows, kinds, strict=True):
        if "variation" in kind:
            variations.setdefault(row["parent"], []).append(row)
    expected = Expected()
    for row, kind in zip(rows, kinds, strict=True):
        if "variation" in kind:
            continue
        main = next(k for k in kind if k in ("simple", "variable", "grouped", "external"))
        children = variations.get(row["sku"], []) if main == "variable" and row["sku"] else []
        sold = [child for child in children if _priced(child)]
        expected.skipped_variations += len(children) - len(sold)
        if (
            main in ("grouped", "external")
            or (main == "variable" and not sold)
            or (main == "simple" and not _priced(row))
        ):
            expected.skipped_kinds.append(main)
            continue
        expected.products += 1
        expected.variants += len(sold) if main == "variable" else 1
        urls = set(_urls(row["images"])) | {
            _urls(child["images"])[0] for child in sold if _urls(child["images"])
        }
        expected.images += len(urls)
    return expected


def import_and_read(text: str) -> tuple[list[StoreProduct], list[SkippedRecord], WooCommerceConnector]:
    emulator = WooCommerceEmulator(catalogue="empty")
    http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=SITE)
    report = http.post("/_sandbox/import_csv", json={"csv": text})
    assert report.status_code == 200, report.text
    assert report.json()["skipped"] == []
    manifest = manifest_entry(emulator, SITE)
    connector = WooCommerceConnector(
        manifest["base_url"],
        manifest["consumer_key"],
        manifest["consumer_secret"],
        webhook_secret=manifest["webhook_secret"],
        transport=httpx.WSGITransport(app=emulator),
    )
    products: list[StoreProduct] = []
    skipped: list[SkippedRecord] = []
    cursor: str | None = None
    while True:
        page = connector.list_products(cursor=cursor, page_size=7)
        products += page.products
        skipped += page.skipped
        if page.next_cursor is None:
            return products, skipped, connector
        cursor = page.next_cursor


@pytest.mark.shared_data
@pytest.mark.parametrize("relative", CSV_FILES)
def test_sample_csv_reads_back_with_the_counts_the_csv_gives(shared_data: Path, relative: str) -> None:
    text = (shared_data / SAMPLE_DIR / relative).read_bytes().decode("utf-8")
    expected = expected_from_csv(text)

    products, skipped, _ = import_and_read(text)

    assert len(products) == expected.products
    assert sum(len(p.variants) for p in products) == expected.variants
    assert sum(len(p.images) for p in products) == expected.images
    product_skips = [s for s in skipped if not s.reason.startswith("variation of product")]
    assert len(product_skips) == len(expected.skipped_kinds)
    assert len(skipped) - len(product_skips) == expected.skipped_variations
    for kind in ("grouped", "external"):
        assert sum(kind in s.reason for s in product_skips) == expected.skipped_kinds.count(kind)
    assert all(s.reason for s in skipped)


@pytest.mark.shared_data
def test_every_product_csv_in_the_sample_folder_is_covered(shared_data: Path) -> None:
    found = {
        str(path.relative_to(shared_data / SAMPLE_DIR))
        for path in (shared_data / SAMPLE_DIR).rglob("*.csv")
        if "SKU" in path.read_text(encoding="utf-8-sig").splitlines()[0]
    }

    assert found == set(CSV_FILES)


@pytest.mark.shared_data
def test_sample_catalogue_details_survive_the_round_trip(shared_data: Path) -> None:
    text = (shared_data / SAMPLE_DIR / "sample_products.csv").read_text(encoding="utf-8")

    products, _, connector = import_and_read(text)
    by_sku = {v.sku: (p, v) for p in products for v in p.variants}
    vneck, red = by_sku["woo-vneck-tee-red"]
    _, beanie = by_sku["woo-beanie"]
    _, album = by_sku["woo-album"]

    # "Any Size" variations carry only the attribute they set.
    assert red.options == {"Color": "Red"}
    assert [o.name for o in vneck.options] == ["Color", "Size"]
    # Empty variation weight/dimensions inherit the parent's (".5" lbs, 24 x 1 x 2 in).
    assert (red.weight, red.weight_unit) == (Decimal("0.5"), WeightUnit.LB)
    assert red.dimensions == Dimensions(
        length=Decimal(24), width=Decimal(1), height=Decimal(2), unit=DimensionUnit.IN
    )
    # Sale price 18 on regular 20: the price is 18, the "was" price 20.
    assert (str(beanie.price), str(beanie.compare_at_price)) == ("18", "20")
    assert album.requires_shipping is False
    paths = {c.path for c in connector.list_categories() if c.kind == "category"}
    assert {"Clothing > Tshirts", "Clothing > Hoodies", "Music"} <= paths


@pytest.mark.shared_data
def test_importer_sample_keeps_stock_backorders_and_metric_units(shared_data: Path) -> None:
    text = (shared_data / SAMPLE_DIR / "importer-tests" / "sample.csv").read_text(encoding="utf-8")

    products, _, connector = import_and_read(text)
    logo = next(v for p in products for v in p.variants if v.sku == "WOOLOGO")
    idea = next(p for p in products if p.title == "Ship Your Idea")

    assert (logo.inventory_quantity, logo.tracks_inventory, logo.continue_selling_when_out_of_stock) == (
        5,
        True,
        True,
    )
    assert logo.weight_unit == WeightUnit.KG
    assert sorted(v.inventory_quantity for v in idea.variants) == [6, 10]
    assert sorted(str(v.price) for v in idea.variants) == ["17.99", "20"]
    assert connector.shop_info().weight_unit == WeightUnit.KG
