"""Test helper: parse the public sample catalogues in ../shared/data into store DTOs.

Used by the mapping tests and by bench/category_suggest_accuracy.py. Only a thin parser: enough
fields for the listing transform (title, HTML, options, variants, prices, weights, images).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from shopbridge.connectors.base.dto import (
    Dimensions,
    DimensionUnit,
    ProductOption,
    StoreImage,
    StoreProduct,
    StoreVariant,
    WeightUnit,
)

SHOPIFY_FILES = ("apparel.csv", "home-and-garden.csv", "jewelery.csv")


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value.strip()) if value and value.strip() else None
    except InvalidOperation:
        return None


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value and value.strip() else None
    except ValueError:
        return None


# -- Shopify product CSV -----------------------------------------------------------------------


def _shopify_groups(path: Path) -> Iterator[list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        groups.setdefault(row["Handle"], []).append(row)
    yield from groups.values()


def _shopify_variant(handle: str, index: int, row: dict[str, str], option_names: list[str]) -> StoreVariant:
    options = {}
    for n, name in enumerate(option_names, start=1):
        value = row.get(f"Option{n} Value", "").strip()
        if name and value:
            options[name] = value
    grams = _decimal(row.get("Variant Grams"))
    tracked = bool(row.get("Variant Inventory Tracker", "").strip())
    return StoreVariant(
        external_id=f"{handle}-v{index}",
        sku=row.get("Variant SKU", "").strip() or None,
        barcode=row.get("Variant Barcode", "").strip() or None,
        options=options,
        price=_decimal(row.get("Variant Price")) or Decimal("0"),
        compare_at_price=_decimal(row.get("Variant Compare At Price")),
        # "Variant Grams" is always grams; "Variant Weight Unit" is only how the admin displays it.
        weight=grams,
        weight_unit=WeightUnit.G,
        inventory_quantity=_int(row.get("Variant Inventory Qty")),
        tracks_inventory=tracked or row.get("Variant Inventory Qty", "") != "",
        continue_selling_when_out_of_stock=row.get("Variant Inventory Policy", "").strip() == "continue",
        image_url=row.get("Variant Image", "").strip() or None,
        position=index,
    )


def parse_shopify_csv(path: Path) -> list[StoreProduct]:
    products = []
    for group in _shopify_groups(path):
        head = next((r for r in group if r.get("Title")), group[0])
        handle = head["Handle"]
        option_names = [head.get(f"Option{n} Name", "").strip() for n in (1, 2, 3)]
        variant_rows = [r for r in group if r.get("Variant Price", "").strip()]
        variants = [_shopify_variant(handle, i, r, option_names) for i, r in enumerate(variant_rows, start=1)]
        options = []
        for name in option_names:
            if name:
                values = list(dict.fromkeys(v.options[name] for v in variants if name in v.options))
                options.append(ProductOption(name=name, values=values))
        images = [
            StoreImage(
                url=r["Image Src"].strip(),
                position=_int(r.get("Image Position")) or 1,
                alt=r.get("Image Alt Text") or None,
            )
            for r in group
            if r.get("Image Src", "").strip()
        ]
        products.append(
            StoreProduct(
                external_id=handle,
                handle=handle,
                title=head.get("Title", ""),
                description_html=head.get("Body (HTML)", ""),
                vendor=head.get("Vendor") or None,
                product_type=head.get("Type") or None,
                tags=[t.strip() for t in head.get("Tags", "").split(",") if t.strip()],
                options=options,
                variants=variants,
                images=images,
            )
        )
    return products


def shopify_products(shared_data: Path) -> list[StoreProduct]:
    folder = shared_data / "shopify-product-csvs"
    return [p for name in SHOPIFY_FILES for p in parse_shopify_csv(folder / name)]


# -- WooCommerce product CSV ---------------------------------------------------------------------


def _woo_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _woo_attributes(row: dict[str, str]) -> dict[str, str]:
    out = {}
    for n in (1, 2, 3):
        name = row.get(f"Attribute {n} name", "").strip()
        value = row.get(f"Attribute {n} value(s)", "").strip()
        if name and value:
            out[name] = value
    return out


def _woo_variant(row: dict[str, str], options: dict[str, str], position: int) -> StoreVariant:
    regular, sale = _decimal(row.get("Regular price")), _decimal(row.get("Sale price"))
    dims = [_decimal(row.get(k)) for k in ("Length (in)", "Width (in)", "Height (in)")]
    stock = _int(row.get("Stock"))
    return StoreVariant(
        external_id=row.get("ID") or row["SKU"],
        sku=row.get("SKU") or None,
        options=options,
        price=sale or regular or Decimal("0"),
        compare_at_price=regular if sale else None,
        weight=_decimal(row.get("Weight (lbs)")),
        weight_unit=WeightUnit.LB,
        dimensions=Dimensions(length=dims[0], width=dims[1], height=dims[2], unit=DimensionUnit.IN)
        if all(dims)
        else None,
        inventory_quantity=stock,
        tracks_inventory=stock is not None,
        continue_selling_when_out_of_stock=row.get("Backorders allowed?", "0") == "1",
        position=position,
    )


def parse_woo_csv(path: Path) -> list[StoreProduct]:
    """Simple and variable products (variations attached to their parent by SKU); others skipped."""
    rows = _woo_rows(path)
    children: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        if row["Type"].strip() == "variation":
            children.setdefault(row.get("Parent", "").strip(), []).append(row)
    products = []
    for row in rows:
        kind = row["Type"].strip()
        if not (kind.startswith("simple") or kind == "variable"):
            continue
        if kind == "variable":
            kids = children.get(row["SKU"], []) + children.get(f"id:{row.get('ID', '')}", [])
            variants = [_woo_variant(k, _woo_attributes(k), i) for i, k in enumerate(kids, start=1)]
        else:
            variants = [_woo_variant(row, {}, 1)]
        names = list(dict.fromkeys(n for v in variants for n in v.options))
        options = [
            ProductOption(
                name=n, values=list(dict.fromkeys(v.options[n] for v in variants if n in v.options))
            )
            for n in names
        ]
        images = [
            StoreImage(url=u.strip(), position=i)
            for i, u in enumerate(row.get("Images", "").split(","), start=1)
            if u.strip()
        ]
        products.append(
            StoreProduct(
                external_id=row.get("ID") or row["SKU"],
                handle=row["SKU"],
                title=row["Name"],
                description_html=row.get("Description", ""),
                tags=[t.strip() for t in row.get("Tags", "").split(",") if t.strip()],
                options=options,
                variants=variants,
                images=images,
                raw_kind=kind,
                extra={"category_path": row.get("Categories", "").split(",")[0].strip()},
            )
        )
    return products


# -- Magento sample data -------------------------------------------------------------------------


def _magento_path(categories: str) -> str:
    first = categories.split(",")[0].replace("\n", "/")
    return ">".join(p for p in first.split("/") if p and p != "Default Category")


def parse_magento_configurable(path: Path) -> list[StoreProduct]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r.get("product_type") == "configurable"]
    return [
        StoreProduct(
            external_id=row["sku"],
            handle=row["sku"],
            title=row["name"],
            description_html=row.get("description", ""),
            variants=[
                StoreVariant(
                    external_id=row["sku"], sku=row["sku"], price=_decimal(row.get("price")) or Decimal("0")
                )
            ],
            extra={"category_path": _magento_path(row.get("categories", ""))},
        )
        for row in rows
    ]


def parse_magento_simple(path: Path) -> list[StoreProduct]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    products = []
    for row in rows:
        genders = [g for g in (row.get("gender") or "").split("\n") if g]
        # Only a single-audience product says something useful about the category (Men vs Women).
        gender = genders if len(genders) == 1 else []
        lines = [c for c in (row.get("category") or "").split("\n") if c]
        products.append(
            StoreProduct(
                external_id=row["sku"],
                handle=row["sku"],
                title=row["name"],
                description_html=row.get("description", ""),
                tags=gender,
                variants=[
                    StoreVariant(
                        external_id=row["sku"],
                        sku=row["sku"],
                        price=_decimal(row.get("price")) or Decimal("0"),
                    )
                ],
                extra={"category_path": ">".join(lines[:2])},  # "Gear\nBags\nCollections…": first two
            )
        )
    return products


# -- the labelled set ----------------------------------------------------------------------------


def catalogue(shared_data: Path) -> dict[tuple[str, str], StoreProduct]:
    """(source, handle/sku) -> product, for every catalogue the labelled set draws from."""
    woo = shared_data / "woocommerce-sample-data"
    magento = shared_data / "magento2-sample-data"
    sources: dict[str, list[StoreProduct]] = {
        "shopify": shopify_products(shared_data),
        "woo": parse_woo_csv(woo / "sample_products.csv"),
        "woo_fashion": parse_woo_csv(
            woo / "wc-7.9.0-plugin-copy" / "experimental_fashion_sample_9_products.csv"
        ),
        "magento": parse_magento_configurable(magento / "ConfigurableSampleData" / "products.csv"),
    }
    gear = magento / "CatalogSampleData" / "SimpleProduct"
    sources["magento_gear"] = [
        p for f in sorted(gear.glob("products_gear_*.csv")) for p in parse_magento_simple(f)
    ]
    return {(source, p.handle or p.external_id): p for source, products in sources.items() for p in products}


def product_text(product: StoreProduct) -> dict[str, Any]:
    return {
        "title": product.title,
        "product_type": product.product_type or "",
        "category_path": product.extra.get("category_path", ""),
        "tags": product.tags,
    }


def load_labels(path: Path) -> list[tuple[str, str, str]]:
    """(source, key, category_id) rows of the labelled CSV."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [(r["source"], r["key"], r["category_id"]) for r in csv.DictReader(handle)]


def uk_categories(shared_data: Path) -> list[dict[str, str]]:
    import json

    raw = json.loads(
        (shared_data / "tiktok-uk-categories-extracted" / "CategoryListData.tiktok_uk.json").read_text()
    )
    return [{"id": str(c["category_id"]), "path": c["category_path"]} for c in raw]
