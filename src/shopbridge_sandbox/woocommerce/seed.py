"""A small catalogue written for the sandbox (no third-party data), used when a store starts
without a CSV: one variable product with variations, two simple products, a grouped and an
external product so every product type a connector meets is present."""

from __future__ import annotations

from . import catalog
from .store import WooStore

IMAGE_BASE = "https://sandbox.shopbridge.test/wp-content/uploads/2024/05"


def seed_default_catalogue(store: WooStore) -> None:
    apparel = catalog.ensure_category_path(store, ["Apparel", "Tops"])
    home = catalog.ensure_category_path(store, ["Home"])
    tee = catalog.create_product(
        store,
        {
            "name": "Sandbox Organic Tee",
            "type": "variable",
            "description": "<p>Soft organic cotton tee, cut for everyday wear.</p>",
            "short_description": "Organic cotton tee.",
            "sku": "SBX-TEE",
            "weight": "0.2",
            "dimensions": {"length": "30", "width": "25", "height": "2"},
            "categories": [{"id": apparel}],
            "images": [{"src": f"{IMAGE_BASE}/tee-front.jpg"}, {"src": f"{IMAGE_BASE}/tee-back.jpg"}],
            "attributes": [
                {"name": "Color", "options": ["Sand", "Ink"], "variation": True, "visible": True},
                {"name": "Size", "options": ["S", "M", "L"], "variation": True, "visible": True},
            ],
        },
    )
    for color in ("Sand", "Ink"):
        for size, quantity in (("S", 4), ("M", 10), ("L", 0)):
            catalog.create_variation(
                store,
                tee,
                {
                    "sku": f"SBX-TEE-{color[:3].upper()}-{size}",
                    "regular_price": "24.00",
                    "manage_stock": True,
                    "stock_quantity": quantity,
                    "backorders": "notify" if size == "L" else "no",
                    "weight": "0.2",
                    "attributes": [{"name": "Color", "option": color}, {"name": "Size", "option": size}],
                },
            )
    mug = catalog.create_product(
        store,
        {
            "name": "Sandbox Enamel Mug",
            "sku": "SBX-MUG",
            "regular_price": "15.00",
            "sale_price": "12.50",
            "manage_stock": True,
            "stock_quantity": 25,
            "weight": "0.35",
            "dimensions": {"length": "12", "width": "9", "height": "9"},
            "categories": [{"id": home}],
            "images": [{"src": f"{IMAGE_BASE}/mug.jpg"}],
        },
    )
    poster = catalog.create_product(
        store,
        {
            "name": "Sandbox Poster",
            "sku": "SBX-POSTER",
            "regular_price": "9.00",
            "stock_status": "instock",
            "weight": "0.1",
            "categories": [{"id": home}],
        },
    )
    catalog.create_product(
        store,
        {"name": "Sandbox Starter Set", "type": "grouped", "grouped_products": [mug["id"], poster["id"]]},
    )
    catalog.create_product(
        store,
        {
            "name": "Sandbox Gift Card (partner site)",
            "type": "external",
            "regular_price": "25.00",
            "external_url": "https://partner.shopbridge.test/gift-card",
            "button_text": "Buy on partner site",
        },
    )
    store.pending.clear()  # seeding is not a merchant action: no webhooks
