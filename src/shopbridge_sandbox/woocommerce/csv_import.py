"""Import WooCommerce's product CSV format (the core importer's columns) into an emulated store.

Parsed generically from the header row, so any export/sample in this format loads: BOM and CRLF
tolerated, header names matched case-insensitively ("Attribute 1 Name" / "Attribute 1 name"),
units read from "Weight (lbs)" / "Length (cm)" headers. Variations name their parent in
``Parent`` by SKU or as ``id:<ID column value>``; grouped children by SKU. Like the core importer,
a variation whose parent is missing is refused with a reason (kept in ``store.skipped_rows``).
Source of the format: ../shared/data/woocommerce-sample-data (WooCommerce sample data, GPL-3.0).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from . import catalog
from .errors import WooError
from .store import WooStore

PUBLISHED = {"1": "publish", "0": "draft", "-1": "private"}
IN_STOCK = {"1": "instock", "0": "outofstock", "backorder": "onbackorder"}
BACKORDERS = {"1": "yes", "0": "no", "notify": "notify", "": "no"}
WEIGHT_UNITS = {"lbs": "lbs", "lb": "lbs", "kg": "kg", "g": "g", "oz": "oz"}
DIMENSION_UNITS = {"in": "in", "cm": "cm", "mm": "mm", "m": "m", "yd": "yd"}


def split_list(value: str) -> list[str]:
    """Comma lists with ``\\,`` as an escaped comma (the core importer's explode_values)."""
    parts = re.split(r"(?<!\\),", value or "")
    return [p.replace("\\,", ",").strip() for p in parts if p.strip()]


class Row:
    """One CSV row with case-insensitive column access."""

    def __init__(self, raw: dict[str, str], number: int) -> None:
        self.values = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items()}
        self.number = number

    def get(self, column: str) -> str:
        return self.values.get(column.lower(), "")

    def flag(self, column: str, default: bool = False) -> bool:
        value = self.get(column)
        return default if value == "" else value == "1"

    def unit_column(self, prefix: str) -> tuple[str, str | None]:
        for key, value in self.values.items():
            match = re.fullmatch(rf"{prefix} \((\w+)\)", key)
            if match:
                return value, match.group(1)
        return self.get(prefix), None

    @property
    def types(self) -> list[str]:
        return [t.lower() for t in split_list(self.get("Type"))]

    def attributes(self) -> list[dict[str, Any]]:
        found = []
        for n in range(1, 20):
            name = self.get(f"Attribute {n} name")
            if not name:
                continue
            found.append(
                {
                    "name": name,
                    "values": split_list(self.get(f"Attribute {n} value(s)")),
                    "visible": self.flag(f"Attribute {n} visible", default=True),
                    "global": self.flag(f"Attribute {n} global"),
                    "default": self.get(f"Attribute {n} default"),
                }
            )
        return found


def read_rows(text: str) -> list[Row]:
    text = text.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [Row(raw, i + 2) for i, raw in enumerate(reader)]


def import_csv(store: WooStore, text: str, *, adopt_units: bool = True) -> dict[str, Any]:
    """Import every row; returns ``{"products", "variations", "skipped"}`` counts and reasons."""
    rows = read_rows(text)
    if rows and adopt_units:
        _adopt_units(store, rows[0])
    ids: dict[str, int] = {}
    report: dict[str, Any] = {"products": 0, "variations": 0, "skipped": []}
    for row in rows:
        if "variation" not in row.types:
            _import_product(store, row, ids, report)
    for row in rows:
        if "variation" in row.types:
            _import_variation(store, row, ids, report)
    _link_grouped(store, rows, ids)
    store.skipped_rows.extend(report["skipped"])
    return report


def _adopt_units(store: WooStore, row: Row) -> None:
    _, weight_unit = row.unit_column("weight")
    _, dimension_unit = row.unit_column("length")
    if weight_unit in WEIGHT_UNITS:
        store.settings["products"]["woocommerce_weight_unit"] = WEIGHT_UNITS[weight_unit]
    if dimension_unit in DIMENSION_UNITS:
        store.settings["products"]["woocommerce_dimension_unit"] = DIMENSION_UNITS[dimension_unit]


def _skip(report: dict[str, Any], row: Row, reason: str) -> None:
    report["skipped"].append(
        {"row": row.number, "sku": row.get("SKU"), "name": row.get("Name"), "reason": reason}
    )


def _common_body(store: WooStore, row: Row) -> dict[str, Any]:
    weight, _ = row.unit_column("weight")
    body: dict[str, Any] = {
        "description": row.get("Description"),
        "sku": row.get("SKU"),
        "regular_price": row.get("Regular price"),
        "sale_price": row.get("Sale price"),
        "status": PUBLISHED.get(row.get("Published"), "publish"),
        "virtual": "virtual" in row.types,
        "downloadable": "downloadable" in row.types,
        "tax_status": row.get("Tax status") or "taxable",
        "tax_class": row.get("Tax class"),
        "stock_status": IN_STOCK.get(row.get("In stock?"), "instock"),
        "backorders": BACKORDERS.get(row.get("Backorders allowed?"), "no"),
        "weight": weight,
        "dimensions": {axis: row.unit_column(axis)[0] for axis in ("length", "width", "height")},
        "shipping_class": row.get("Shipping class"),
        "menu_order": int(row.get("Position") or 0),
        "meta_data": [
            {"key": key[len("meta: ") :], "value": value}
            for key, value in row.values.items()
            if key.startswith("meta: ") and value
        ],
    }
    if row.get("Stock"):
        body.update({"manage_stock": True, "stock_quantity": int(float(row.get("Stock")))})
    for field, column in (
        ("date_on_sale_from", "Date sale price starts"),
        ("date_on_sale_to", "Date sale price ends"),
    ):
        if row.get(column):
            body[field] = row.get(column).split(" ")[0][:10] + "T00:00:00"
    return body


def _images(store: WooStore, urls: list[str]) -> list[dict[str, int]]:
    # The importer reuses an attachment already sideloaded from the same URL (_wc_attachment_source).
    return [{"id": store.sideload_image(url, reuse=True)["id"]} for url in urls]


def _import_product(store: WooStore, row: Row, ids: dict[str, int], report: dict[str, Any]) -> None:
    kind = next((t for t in row.types if t in ("simple", "variable", "grouped", "external")), "simple")
    body = _common_body(store, row)
    body.update(
        {
            "name": row.get("Name"),
            "type": kind,
            "featured": row.flag("Is featured?"),
            "catalog_visibility": row.get("Visibility in catalog") or "visible",
            "short_description": row.get("Short description"),
            "sold_individually": row.flag("Sold individually?"),
            "reviews_allowed": row.flag("Allow customer reviews?", default=True),
            "purchase_note": row.get("Purchase note"),
            "external_url": row.get("External URL"),
            "button_text": row.get("Button text"),
            "categories": [
                {"id": catalog.ensure_category_path(store, [p.strip() for p in path.split(">")])}
                for path in split_list(row.get("Categories"))
            ],
            "tags": [{"id": catalog.ensure_tag(store, name)} for name in split_list(row.get("Tags"))],
            "images": _images(store, split_list(row.get("Images"))),
            "attributes": [_product_attribute(store, a, kind, i) for i, a in enumerate(row.attributes())],
            "default_attributes": [
                {"name": a["name"], "option": a["default"]} for a in row.attributes() if a["default"]
            ],
        }
    )
    try:
        record = catalog.create_product(store, body)
    except WooError as exc:
        _skip(report, row, f"{exc.code}: {exc.message}")
        return
    report["products"] += 1
    if row.get("SKU"):
        ids[row.get("SKU")] = record["id"]
    if row.get("ID"):
        ids[f"id:{row.get('ID')}"] = record["id"]


def _product_attribute(
    store: WooStore, attribute: dict[str, Any], kind: str, position: int
) -> dict[str, Any]:
    attribute_id = 0
    if attribute["global"]:
        attribute_id = store.global_attributes.setdefault(attribute["name"], len(store.global_attributes) + 1)
    return {
        "id": attribute_id,
        "name": attribute["name"],
        "position": position,
        "visible": attribute["visible"],
        "variation": kind == "variable",
        "options": attribute["values"],
    }


def _import_variation(store: WooStore, row: Row, ids: dict[str, int], report: dict[str, Any]) -> None:
    parent_id = ids.get(row.get("Parent"))
    parent = store.products.get(parent_id or 0)
    if parent is None or parent["type"] != "variable":
        _skip(report, row, "Variation cannot be imported: Missing parent ID or parent does not exist yet.")
        return
    body = _common_body(store, row)
    images = _images(store, split_list(row.get("Images"))[:1])
    body["image"] = images[0] if images else {}
    body["attributes"] = [
        {
            "id": store.global_attributes.get(a["name"], 0) if a["global"] else 0,
            "name": a["name"],
            "option": a["values"][0] if a["values"] else "",
        }
        for a in row.attributes()
    ]
    try:
        record = catalog.create_variation(store, parent, body)
    except WooError as exc:
        _skip(report, row, f"{exc.code}: {exc.message}")
        return
    report["variations"] += 1
    if row.get("SKU"):
        ids[row.get("SKU")] = record["id"]


def _link_grouped(store: WooStore, rows: list[Row], ids: dict[str, int]) -> None:
    for row in rows:
        record = store.products.get(ids.get(row.get("SKU"), 0)) if row.get("SKU") else None
        if record and record["type"] == "grouped":
            record["grouped_products"] = [ids[s] for s in split_list(row.get("Grouped products")) if s in ids]
