"""Test helper: small builders for store products, categories and listing settings."""

from __future__ import annotations

import hashlib
from decimal import Decimal
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
from shopbridge.mapping.types import (
    AttributeValue,
    CategoryAttribute,
    CategoryInfo,
    ChannelDefaults,
    CurrencyRule,
    ListingSettings,
)

WAREHOUSE = "7068517275539719942"

COLOUR = CategoryAttribute(
    id="100000",
    name="Colour",
    is_sales=True,
    values=(AttributeValue("1001", "Red"), AttributeValue("1002", "Blue")),
)
SIZE = CategoryAttribute(id="100007", name="Size", is_sales=True)
MATERIAL = CategoryAttribute(
    id="100157",
    name="Material",
    is_required=True,
    values=(AttributeValue("2001", "Cotton"), AttributeValue("2002", "Silk")),
)

TSHIRTS = CategoryInfo(
    id="601302",
    path="Womenswear & Underwear>Women's Tops>T-shirts",
    attributes=(COLOUR, SIZE, MATERIAL),
)


def variant(vid: str = "v1", **kwargs: Any) -> StoreVariant:
    values: dict[str, Any] = {
        "external_id": vid,
        "sku": f"SKU-{vid}",
        "price": Decimal("19.99"),
        "weight": Decimal("250"),
        "weight_unit": WeightUnit.G,
        "dimensions": Dimensions(
            length=Decimal("30"), width=Decimal("20"), height=Decimal("2.5"), unit=DimensionUnit.CM
        ),
        "inventory_quantity": 10,
    }
    values.update(kwargs)
    return StoreVariant(**values)


def product(variants: list[StoreVariant] | None = None, **kwargs: Any) -> StoreProduct:
    variants = variants if variants is not None else [variant()]
    names = list(dict.fromkeys(n for v in variants for n in v.options))
    values: dict[str, Any] = {
        "external_id": "8001",
        "title": "Organic Cotton Crew Neck T-shirt for Women",
        "description_html": "<p>Soft organic cotton.</p>",
        "options": [
            ProductOption(
                name=n, values=list(dict.fromkeys(v.options[n] for v in variants if n in v.options))
            )
            for n in names
        ],
        "variants": variants,
        "images": [StoreImage(url="https://cdn.example.com/a.jpg", position=1)],
    }
    values.update(kwargs)
    return StoreProduct(**values)


def settings(**kwargs: Any) -> ListingSettings:
    values: dict[str, Any] = {
        "warehouse_id": WAREHOUSE,
        "currency": CurrencyRule(store_currency="GBP"),
        "defaults": ChannelDefaults(product_attributes={"100157": ("Cotton",)}),
    }
    values.update(kwargs)
    return ListingSettings(**values)


def all_uploaded(item: StoreProduct) -> dict[str, str]:
    """Pretend every image of the product was uploaded (store URL -> TikTok uri)."""
    urls = [i.url for i in item.images] + [v.image_url for v in item.variants if v.image_url]
    return {u: "tos-maliva-i-o3syd03w52-us/" + hashlib.sha1(u.encode()).hexdigest()[:24] for u in urls}
