"""Seed a shop from a Shopify product CSV (the admin's Products > Import format).

Format rules followed (data/README.md "shopify-product-csvs", "shopify-product-template-csv"):
- rows sharing a ``Handle`` are one product; product fields come from the first row;
- a row with option values (or a price/SKU) is a variant; a row with only ``Image Src`` adds an image;
- ``Option1 Name`` = ``Title`` with ``Default Title`` means "no options";
- ``Variant Grams`` is the weight in grams, ``Variant Weight Unit`` the unit the merchant sees;
- ``Status`` (2023+ template) is active/draft/archived; the older format has none (active);
- barcodes: a leading apostrophe (Excel's "keep as text") is dropped; scientific notation such
  as ``3.65275E+11`` means Excel already lost digits, so the barcode is not imported (warning).
Nothing is dropped silently: every row not imported is in ``skipped`` with its reason.
"""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from . import catalog
from .state import Shop, ShopifyError, money

SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE][+-]?\d+$")
TRUE = {"true", "yes", "1"}


def _truthy(value: str, default: bool = True) -> bool:
    return default if not value.strip() else value.strip().lower() in TRUE


def clean_barcode(raw: str) -> tuple[str | None, str | None]:
    """(barcode, warning)."""
    value = raw.strip().lstrip("'")
    if not value:
        return None, None
    if SCIENTIFIC.match(value):
        return (
            None,
            f"barcode {raw!r} was mangled into scientific notation by a spreadsheet; digits are lost, not imported",
        )
    return value, None


def _is_variant_row(row: dict[str, str]) -> bool:
    keys = ("Option1 Value", "Option2 Value", "Option3 Value", "Variant Price", "Variant SKU")
    return any((row.get(k) or "").strip() for k in keys)


def _group(
    rows: list[tuple[int, dict[str, str]]], skipped: list[dict[str, Any]]
) -> dict[str, list[tuple[int, dict[str, str]]]]:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        handle = (row.get("Handle") or "").strip()
        if not handle:
            skipped.append({"row": line, "handle": None, "reason": "row has no Handle"})
            continue
        groups.setdefault(handle, []).append((line, row))
    return groups


def _variant_payload(row: dict[str, str], names: list[str]) -> dict[str, Any]:
    price = (row.get("Variant Price") or "").strip()
    if not price:
        raise ValueError("variant row has no Variant Price")
    try:
        Decimal(price)
    except InvalidOperation:
        raise ValueError(f"Variant Price {price!r} is not a number") from None
    grams = (row.get("Variant Grams") or "0").strip() or "0"
    payload: dict[str, Any] = {
        "sku": (row.get("Variant SKU") or "").strip(),
        "price": price,
        "compare_at_price": (row.get("Variant Compare At Price") or "").strip() or None,
        "grams": grams,
        "weight_unit": (row.get("Variant Weight Unit") or "").strip() or "kg",
        "inventory_management": "shopify"
        if (row.get("Variant Inventory Tracker") or "").strip() == "shopify"
        else None,
        "inventory_quantity": int(Decimal((row.get("Variant Inventory Qty") or "0").strip() or "0")),
        "inventory_policy": (row.get("Variant Inventory Policy") or "").strip() or "deny",
        "requires_shipping": _truthy(row.get("Variant Requires Shipping") or ""),
        "taxable": _truthy(row.get("Variant Taxable") or ""),
        "image_src": (row.get("Variant Image") or "").strip() or None,
        "_cost": (row.get("Cost per item") or "").strip() or None,
    }
    for index in range(1, len(names) + 1):
        payload[f"option{index}"] = (row.get(f"Option{index} Value") or "").strip() or None
    return payload


def _option_names(first: dict[str, str]) -> list[str]:
    names = [(first.get(f"Option{i} Name") or "").strip() for i in (1, 2, 3)]
    names = [n for n in names if n]
    if names == ["Title"] and (first.get("Option1 Value") or "").strip() == "Default Title":
        return []
    return names


def _images(group: list[tuple[int, dict[str, str]]]) -> list[dict[str, Any]]:
    """Distinct image URLs (Image Src and Variant Image), ordered by Image Position then appearance."""
    seen: dict[str, dict[str, Any]] = {}
    for order, (_, row) in enumerate(group):
        src = (row.get("Image Src") or "").strip()
        position = (row.get("Image Position") or "").strip()
        if src and src not in seen:
            seen[src] = {
                "src": src,
                "alt": (row.get("Image Alt Text") or "").strip() or None,
                "_key": (int(position) if position.isdigit() else 10**6, order),
            }
    for order, (_, row) in enumerate(group):
        src = (row.get("Variant Image") or "").strip()
        if src and src not in seen:
            seen[src] = {"src": src, "alt": None, "_key": (10**6, len(group) + order)}
    ordered = sorted(seen.values(), key=lambda image: image["_key"])
    return [{"src": image["src"], "alt": image["alt"]} for image in ordered]


def _product_payload(
    handle: str,
    group: list[tuple[int, dict[str, str]]],
    skipped: list[dict[str, Any]],
    warnings: list[dict[str, Any]],
) -> dict[str, Any] | None:
    first_line, first = group[0]
    title = (first.get("Title") or "").strip()
    if not title:
        for line, _ in group:
            skipped.append(
                {"row": line, "handle": handle, "reason": "the first row of this handle has no Title"}
            )
        return None
    names = _option_names(first)
    variants, combos = [], set()
    for line, row in group:
        if not _is_variant_row(row):
            if not (row.get("Image Src") or "").strip():
                skipped.append(
                    {"row": line, "handle": handle, "reason": "row has neither variant data nor an image"}
                )
            continue
        try:
            variant = _variant_payload(row, names)
        except ValueError as exc:
            skipped.append({"row": line, "handle": handle, "reason": str(exc)})
            continue
        combo = tuple(variant.get(f"option{i}") for i in range(1, len(names) + 1))
        if combo in combos:
            skipped.append({"row": line, "handle": handle, "reason": f"duplicate option combination {combo}"})
            continue
        if len(variants) >= catalog.MAX_VARIANTS:
            skipped.append(
                {"row": line, "handle": handle, "reason": f"more than {catalog.MAX_VARIANTS} variants"}
            )
            continue
        barcode, warning = clean_barcode(row.get("Variant Barcode") or "")
        if warning:
            warnings.append({"row": line, "handle": handle, "field": "Variant Barcode", "reason": warning})
        variant["barcode"] = barcode
        combos.add(combo)
        variants.append(variant)
    if not variants:
        skipped.append({"row": first_line, "handle": handle, "reason": "product has no variant row"})
        return None
    status = (first.get("Status") or "").strip().lower() or "active"
    return {
        "title": title,
        "handle": handle,
        "body_html": first.get("Body (HTML)") or "",
        "vendor": (first.get("Vendor") or "").strip(),
        "product_type": (first.get("Type") or "").strip(),
        "tags": first.get("Tags") or "",
        "status": status,
        "published": _truthy(first.get("Published") or ""),
        "options": [{"name": n} for n in names],
        "variants": variants,
        "images": _images(group),
    }


def import_csv(shop: Shop, path: Path) -> dict[str, Any]:
    """Create every product of the CSV in ``shop``; returns the import report."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(enumerate(csv.DictReader(handle), start=2))  # line 1 is the header
    skipped: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    created: list[dict[str, Any]] = []
    for handle_name, group in _group(rows, skipped).items():
        payload = _product_payload(handle_name, group, skipped, warnings)
        if payload is None:
            continue
        try:
            product = catalog.create_product(shop, payload)
        except ShopifyError as exc:
            skipped.append({"row": group[0][0], "handle": handle_name, "reason": f"rejected: {exc.errors}"})
            continue
        for variant, source in zip(product["variants"], payload["variants"], strict=True):
            if source.get("_cost"):
                shop.inventory_items[variant["inventory_item_id"]]["cost"] = money(source["_cost"])
        created.append(product)
    report = {
        "file": path.name,
        "products": len(created),
        "variants": sum(len(p["variants"]) for p in created),
        "images": sum(len(p["images"]) for p in created),
        "product_ids": [p["id"] for p in created],
        "skipped": skipped,
        "warnings": warnings,
    }
    shop.import_reports.append(report)
    return report
