"""Seed catalogues: the shipped demo store (``make demo``) and generated ones for benchmarks.

The demo catalogue is original text written for ShopBridge (no third-party data). Images point
at the emulator's own ``/_sandbox/images/`` path, which serves a tiny generated PNG.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import random
import struct
import zlib
from decimal import Decimal
from typing import Any

from . import catalog
from .state import Shop


def _png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (236, 72, 153)) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PNG_BYTES = _png()


@functools.lru_cache(maxsize=512)
def product_png(name: str) -> bytes:
    """An 800x800 image whose colour depends on its name: real marketplaces reject thumbnails
    (TikTok wants 300-4000 px, ../shared/spec/tiktok-shop-api.md §8.6), and distinct images
    have distinct content, as in a real catalogue."""
    digest = hashlib.sha256(name.encode()).digest()
    return _png(800, 800, (digest[0], digest[1], digest[2]))

# (collection, title, product_type, vendor, tags, price, compare_at, weight, unit, options, description)
DemoRow = tuple[str, str, str, str, str, str, str | None, str, str, dict[str, list[str]], str]
DEMO: list[DemoRow] = [
    (
        "Apparel",
        "Harbour Crew Tee",
        "T-Shirts",
        "Northline",
        "cotton, summer",
        "18.00",
        None,
        "180",
        "g",
        {"Size": ["S", "M", "L", "XL"], "Color": ["Navy", "Chalk"]},
        "Heavyweight cotton tee with a relaxed fit and a ribbed crew neck.",
    ),
    (
        "Apparel",
        "Ridge Fleece Hoodie",
        "Hoodies",
        "Northline",
        "fleece, winter",
        "54.00",
        "64.00",
        "620",
        "g",
        {"Size": ["S", "M", "L"], "Color": ["Moss", "Charcoal"]},
        "Brushed-back fleece hoodie with a double-layer hood and kangaroo pocket.",
    ),
    (
        "Apparel",
        "Canal Chino Trousers",
        "Trousers",
        "Northline",
        "cotton",
        "48.00",
        None,
        "0.55",
        "kg",
        {"Waist": ["30", "32", "34", "36"], "Length": ["30", "32"]},
        "Garment-dyed stretch chinos with a tapered leg.",
    ),
    (
        "Apparel",
        "Tidewater Rain Jacket",
        "Jackets",
        "Saltmarsh",
        "waterproof, sale",
        "89.00",
        "119.00",
        "1.1",
        "lb",
        {"Size": ["S", "M", "L", "XL"]},
        "Seam-sealed shell that packs into its own chest pocket.",
    ),
    (
        "Apparel",
        "Lattice Knit Beanie",
        "Hats",
        "Saltmarsh",
        "wool, winter",
        "22.00",
        None,
        "3",
        "oz",
        {"Color": ["Rust", "Ink", "Oat"]},
        "Merino blend beanie knitted in a lattice rib.",
    ),
    (
        "Apparel",
        "Everyday Ankle Socks 3-Pack",
        "Socks",
        "Northline",
        "cotton, basics",
        "14.00",
        None,
        "120",
        "g",
        {"Size": ["S/M", "L/XL"]},
        "Cushioned ankle socks with a reinforced heel, three pairs per pack.",
    ),
    (
        "Apparel",
        "Meadow Linen Dress",
        "Dresses",
        "Fieldnote",
        "linen, summer",
        "72.00",
        None,
        "340",
        "g",
        {"Size": ["XS", "S", "M", "L"], "Color": ["Sage", "Sand"]},
        "Washed linen midi dress with side pockets and a tie waist.",
    ),
    (
        "Apparel",
        "Trailhead Running Shorts",
        "Shorts",
        "Fieldnote",
        "running, sale",
        "28.00",
        "35.00",
        "110",
        "g",
        {"Size": ["S", "M", "L"]},
        "Lightweight shorts with a zipped back pocket and inner brief.",
    ),
    (
        "Home",
        "Stoneware Pour-Over Set",
        "Kitchen",
        "Kiln & Co",
        "coffee, ceramic",
        "46.00",
        None,
        "1.3",
        "kg",
        {},
        "Hand-glazed dripper and matching carafe for two cups.",
    ),
    (
        "Home",
        "Waffle Cotton Bath Towel",
        "Bath",
        "Kiln & Co",
        "cotton, bath",
        "26.00",
        None,
        "700",
        "g",
        {"Color": ["White", "Clay", "Slate"]},
        "Quick-drying waffle weave towel, 70 x 140 cm.",
    ),
    (
        "Home",
        "Beeswax Pillar Candle",
        "Candles",
        "Hearthside",
        "candle, gift",
        "16.00",
        None,
        "450",
        "g",
        {"Size": ["Small", "Large"]},
        "Pure beeswax pillar with a cotton wick; burns about 40 hours.",
    ),
    (
        "Home",
        "Oak Serving Board",
        "Kitchen",
        "Hearthside",
        "wood, gift",
        "38.00",
        None,
        "1.8",
        "lb",
        {},
        "Solid oak board with a juice groove, finished in food-safe oil.",
    ),
    (
        "Home",
        "Chunky Knit Throw",
        "Textiles",
        "Hearthside",
        "wool, winter, sale",
        "79.00",
        "99.00",
        "1.6",
        "kg",
        {"Color": ["Cream", "Forest"]},
        "Oversized hand-knitted throw in soft recycled wool.",
    ),
    (
        "Home",
        "Glass Herb Planter",
        "Garden",
        "Greenroom",
        "garden, glass",
        "24.00",
        None,
        "900",
        "g",
        {},
        "Three-pot windowsill planter with a bamboo tray.",
    ),
    (
        "Home",
        "Linen Napkins Set of 4",
        "Textiles",
        "Kiln & Co",
        "linen, table",
        "32.00",
        None,
        "260",
        "g",
        {"Color": ["Natural", "Indigo"]},
        "Stonewashed linen napkins that soften with every wash.",
    ),
    (
        "Home",
        "Enamel Camp Mug",
        "Kitchen",
        "Greenroom",
        "outdoor, mug",
        "12.00",
        None,
        "8",
        "oz",
        {"Color": ["White", "Blue", "Green"]},
        "Speckled enamel mug for the trail and the desk.",
    ),
    (
        "Beauty",
        "Oat Milk Face Cleanser",
        "Skincare",
        "Petal Lab",
        "skincare, vegan",
        "19.00",
        None,
        "220",
        "g",
        {"Size": ["100 ml", "200 ml"]},
        "Gentle cream cleanser with colloidal oat for sensitive skin.",
    ),
    (
        "Beauty",
        "Rosehip Facial Oil",
        "Skincare",
        "Petal Lab",
        "skincare, oil",
        "29.00",
        None,
        "90",
        "g",
        {},
        "Cold-pressed rosehip oil in a violet glass dropper bottle.",
    ),
    (
        "Beauty",
        "Mineral Sunscreen SPF 30",
        "Skincare",
        "Petal Lab",
        "sun, vegan",
        "24.00",
        None,
        "150",
        "g",
        {},
        "Zinc-based sunscreen that leaves no white cast.",
    ),
    (
        "Beauty",
        "Tinted Lip Balm",
        "Makeup",
        "Bloomwell",
        "lips, sale",
        "9.00",
        "12.00",
        "20",
        "g",
        {"Shade": ["Berry", "Nude", "Coral", "Clear"]},
        "Shea butter balm with a sheer wash of color.",
    ),
    (
        "Beauty",
        "Clay Hair Pomade",
        "Haircare",
        "Bloomwell",
        "hair",
        "17.00",
        None,
        "3.5",
        "oz",
        {},
        "Matte-finish pomade with kaolin clay and a light cedar scent.",
    ),
    (
        "Beauty",
        "Bamboo Makeup Brush Set",
        "Tools",
        "Bloomwell",
        "tools, gift",
        "34.00",
        None,
        "210",
        "g",
        {},
        "Five synthetic brushes with bamboo handles and a cotton roll.",
    ),
    (
        "Beauty",
        "Lavender Bath Salts",
        "Bath",
        "Petal Lab",
        "bath, gift",
        "15.00",
        None,
        "0.5",
        "kg",
        {"Size": ["250 g", "500 g"]},
        "Magnesium flakes and sea salt with lavender oil.",
    ),
    (
        "Beauty",
        "Charcoal Sheet Mask 5-Pack",
        "Skincare",
        "Petal Lab",
        "skincare",
        "14.00",
        None,
        "110",
        "g",
        {},
        "Detoxifying sheet masks with bamboo charcoal, five per box.",
    ),
    (
        "Electronics",
        "Pulse Wireless Earbuds",
        "Audio",
        "Voltaic",
        "audio, bluetooth",
        "79.00",
        "99.00",
        "60",
        "g",
        {"Color": ["Black", "White"]},
        "Bluetooth 5.3 earbuds with 28 hours of playback including the case.",
    ),
    (
        "Electronics",
        "Braided USB-C Cable 2 m",
        "Cables",
        "Voltaic",
        "charging",
        "15.00",
        None,
        "70",
        "g",
        {"Color": ["Graphite", "Sand"]},
        "100 W braided cable with aluminium connectors.",
    ),
    (
        "Electronics",
        "Pocket Power Bank 10000",
        "Charging",
        "Voltaic",
        "charging, travel",
        "39.00",
        None,
        "210",
        "g",
        {},
        "Slim 10,000 mAh power bank with USB-C fast charge.",
    ),
    (
        "Electronics",
        "Desk Lamp with Wireless Charger",
        "Lighting",
        "Lumen Works",
        "desk, charging",
        "64.00",
        None,
        "1.9",
        "lb",
        {"Color": ["Black", "White"]},
        "Dimmable LED lamp with a 15 W charging pad in the base.",
    ),
    (
        "Electronics",
        "Mini Bluetooth Speaker",
        "Audio",
        "Lumen Works",
        "audio, outdoor, sale",
        "45.00",
        "59.00",
        "320",
        "g",
        {"Color": ["Red", "Teal", "Black"]},
        "Splash-proof speaker with a fabric grille and a carry loop.",
    ),
    (
        "Electronics",
        "Smart Plug Twin Pack",
        "Smart Home",
        "Lumen Works",
        "smart home",
        "29.00",
        None,
        "240",
        "g",
        {},
        "Wi-Fi plugs with energy monitoring and schedules, two per pack.",
    ),
    (
        "Electronics",
        "Phone Stand Aluminium",
        "Accessories",
        "Voltaic",
        "desk",
        "21.00",
        None,
        "5",
        "oz",
        {"Color": ["Silver", "Space Grey"]},
        "Adjustable stand that fits phones and small tablets.",
    ),
    (
        "Electronics",
        "Mechanical Keyboard 75%",
        "Computer",
        "Voltaic",
        "keyboard, desk",
        "119.00",
        None,
        "0.9",
        "kg",
        {"Switch": ["Linear", "Tactile"]},
        "Hot-swappable 75% keyboard with PBT keycaps.",
    ),
    (
        "Jewellery",
        "Sterling Bar Necklace",
        "Necklaces",
        "Aurum Studio",
        "silver, gift",
        "42.00",
        None,
        "8",
        "g",
        {"Length": ["40 cm", "45 cm"]},
        "Recycled sterling silver bar on a fine cable chain.",
    ),
    (
        "Jewellery",
        "Gold Vermeil Hoops",
        "Earrings",
        "Aurum Studio",
        "gold, earrings",
        "36.00",
        None,
        "6",
        "g",
        {"Size": ["Small", "Medium"]},
        "Lightweight hoops in 18k vermeil over silver.",
    ),
    (
        "Jewellery",
        "Freshwater Pearl Studs",
        "Earrings",
        "Aurum Studio",
        "pearl, gift",
        "29.00",
        None,
        "4",
        "g",
        {},
        "Button pearls on hypoallergenic posts.",
    ),
    (
        "Jewellery",
        "Signet Ring",
        "Rings",
        "Marlowe",
        "silver, rings",
        "58.00",
        None,
        "0.4",
        "oz",
        {"Size": ["5", "6", "7", "8", "9"]},
        "Oval signet ring cast in recycled silver, ready to engrave.",
    ),
    (
        "Jewellery",
        "Beaded Friendship Bracelet",
        "Bracelets",
        "Marlowe",
        "beads, sale",
        "12.00",
        "16.00",
        "10",
        "g",
        {"Color": ["Ocean", "Sunset", "Forest"]},
        "Glass seed beads on stretch cord; one size fits most.",
    ),
    (
        "Jewellery",
        "Birthstone Charm",
        "Charms",
        "Marlowe",
        "gift, charms",
        "24.00",
        None,
        "3",
        "g",
        {"Month": ["January", "April", "July", "October"]},
        "Faceted crystal charm that clips onto any chain.",
    ),
    (
        "Jewellery",
        "Layered Chain Anklet",
        "Anklets",
        "Aurum Studio",
        "gold, summer",
        "27.00",
        None,
        "5",
        "g",
        {},
        "Two fine chains joined at the clasp for a layered look.",
    ),
    (
        "Jewellery",
        "Men's Leather Cuff",
        "Bracelets",
        "Marlowe",
        "leather, mens",
        "33.00",
        None,
        "30",
        "g",
        {"Color": ["Tan", "Black"]},
        "Vegetable-tanned leather cuff with a brass snap.",
    ),
]


def _variants(row: DemoRow, rng: random.Random, sku_prefix: str) -> list[dict[str, Any]]:
    _, _, _, _, _, price, compare_at, weight, unit, options, _ = row
    combos = list(itertools.product(*options.values())) or [()]
    variants = []
    for index, combo in enumerate(combos, start=1):
        variant: dict[str, Any] = {
            "sku": f"{sku_prefix}-{index:02d}",
            "price": price,
            "compare_at_price": compare_at,
            "weight": weight,
            "weight_unit": unit,
            "barcode": f"0{rng.randrange(10**11, 10**12)}",
            "inventory_policy": "continue" if "gift" in row[4] else "deny",
            "inventory_quantities": None,
        }
        for position, value in enumerate(combo, start=1):
            variant[f"option{position}"] = value
        variants.append(variant)
    return variants


def seed_demo(shop: Shop) -> list[dict[str, Any]]:
    """The demo store: 40 products in five collections, stock split over both locations."""
    rng = random.Random(20240401)
    location_ids = sorted(shop.locations)
    created = []
    for number, row in enumerate(DEMO, start=1):
        collection, title, product_type, vendor, tags, *_rest, options, description = row
        handle = catalog.slugify(title)
        variants = _variants(row, rng, f"SB{number:03d}")
        for variant in variants:
            variant["inventory_quantities"] = {loc: rng.randrange(0, 25) for loc in location_ids}
        product = catalog.create_product(
            shop,
            {
                "title": title,
                "body_html": f"<p>{description}</p>",
                "vendor": vendor,
                "product_type": product_type,
                "tags": tags,
                "handle": handle,
                "status": "draft" if number % 13 == 0 else "active",
                "options": [{"name": name} for name in options] or None,
                "variants": variants,
                "images": [
                    {"src": f"/_sandbox/images/{handle}-{i}.png", "alt": f"{title} view {i}"} for i in (1, 2)
                ],
            },
        )
        catalog.add_collect(shop, product["id"], catalog.create_custom_collection(shop, collection)["id"])
        created.append(product)
    catalog.create_smart_collection(
        shop, "Under $25", [{"column": "variant_price", "relation": "less_than", "condition": "25"}], False
    )
    catalog.create_smart_collection(
        shop, "On Sale", [{"column": "tag", "relation": "equals", "condition": "sale"}], False
    )
    return created


def seed_generated(shop: Shop, products: int, variants: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """``products`` synthetic products with ``variants`` sizes each (benchmarks)."""
    rng = random.Random(seed)
    sizes = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL"]
    sizes += [f"Size {n}" for n in range(len(sizes) + 1, max(variants, len(sizes)) + 1)]
    created = []
    start = len(shop.products)
    for n in range(start + 1, start + products + 1):
        price = Decimal(rng.randrange(500, 15000)) / 100
        created.append(
            catalog.create_product(
                shop,
                {
                    "title": f"Generated Product {n:06d}",
                    "body_html": f"<p>Synthetic product number {n}.</p>",
                    "vendor": "Bench Co",
                    "product_type": rng.choice(["Shirts", "Mugs", "Cables", "Rings"]),
                    "tags": "generated",
                    "options": [{"name": "Size"}],
                    "variants": [
                        {
                            "sku": f"GEN-{n:06d}-{i:02d}",
                            "price": str(price),
                            "option1": sizes[i],
                            "grams": rng.randrange(50, 2000),
                            "inventory_quantity": rng.randrange(0, 100),
                        }
                        for i in range(max(1, variants))
                    ],
                    "images": [{"src": f"/_sandbox/images/generated-{n}.png"}],
                },
            )
        )
    return created
