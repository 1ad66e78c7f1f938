"""Products, variants, images, inventory and collections, with Shopify's validation rules.

Shared by the REST handlers and the merchant control API, so both change the store the same way.
Sources: spec/stores/shopify.md §4 (catalogue) and §5 (inventory).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .state import Shop, ShopifyError, gid, money, not_found, unprocessable

# Grams per weight unit (spec §4.2: weight_unit is one of g, kg, oz, lb).
GRAMS_PER_UNIT = {
    "g": Decimal("1"),
    "kg": Decimal("1000"),
    "oz": Decimal("28.349523125"),
    "lb": Decimal("453.59237"),
}
STATUSES = ("active", "draft", "archived")  # spec §4.1 (enum list UNCONFIRMED; active/draft seen)
MAX_OPTIONS = 3  # option1..option3 (spec §2 "Other limits")
MAX_VARIANTS = 100  # REST variants per product (spec §2, UNCONFIRMED)
INVENTORY_POLICIES = ("deny", "continue")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "product"


def tags_string(value: Any) -> str:
    """Tags go out as one comma-separated string; input may be a string or a list (spec §4.1)."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    cleaned = {str(t).strip() for t in items if str(t).strip()}
    return ", ".join(sorted(cleaned, key=str.lower))


def decimal_field(payload: dict[str, Any], key: str, *, required: bool = False) -> Decimal | None:
    raw = payload.get(key)
    if raw is None or raw == "":
        if required:
            raise unprocessable(key, "can't be blank")
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise unprocessable(key, "is not a number") from None
    if value < 0:
        raise unprocessable(key, "must be greater than or equal to 0")
    return value


# -- inventory ----------------------------------------------------------------------------------
def create_inventory_item(shop: Shop, variant: dict[str, Any], tracked: bool) -> dict[str, Any]:
    item_id = shop.next_id()
    item = {
        "id": item_id,
        "sku": variant.get("sku") or "",
        "cost": None,
        "tracked": tracked,
        "requires_shipping": variant.get("requires_shipping", True),
        "country_code_of_origin": None,
        "province_code_of_origin": None,
        "harmonized_system_code": None,
        "country_harmonized_system_codes": [],
        "admin_graphql_api_id": gid("InventoryItem", item_id),
    }
    shop.stamp(item, created=True)
    shop.inventory_items[item_id] = item
    return item


def set_level(shop: Shop, item_id: int, location_id: int, available: int) -> dict[str, Any]:
    if item_id not in shop.inventory_items:
        raise unprocessable("inventory_item_id", "Inventory item does not exist")
    if location_id not in shop.locations:
        raise unprocessable("location_id", "Location does not exist")
    level = shop.levels.setdefault(
        (item_id, location_id), {"inventory_item_id": item_id, "location_id": location_id, "available": 0}
    )
    level["available"] = int(available)
    level["updated_at"] = shop.now_iso()
    level["_updated_ts"] = shop.now()
    level["admin_graphql_api_id"] = f"gid://shopify/InventoryLevel/{location_id}?inventory_item_id={item_id}"
    touch_variant_of_item(shop, item_id)
    return level


def adjust_level(shop: Shop, item_id: int, location_id: int, delta: int) -> dict[str, Any]:
    current = shop.levels.get((item_id, location_id), {}).get("available", 0)
    return set_level(shop, item_id, location_id, current + delta)


def touch_variant_of_item(shop: Shop, item_id: int) -> None:
    for product in shop.products.values():
        for variant in product["variants"]:
            if variant["inventory_item_id"] == item_id:
                shop.stamp(variant)
                shop.stamp(product)


# -- products -----------------------------------------------------------------------------------
def unique_handle(shop: Shop, wanted: str, own_id: int | None = None) -> str:
    taken = {p["handle"] for p in shop.products.values() if p["id"] != own_id}
    handle, n = slugify(wanted), 1
    while handle in taken:
        n += 1
        handle = f"{slugify(wanted)}-{n}"
    return handle


def option_names(payload: dict[str, Any]) -> list[str]:
    names = [str(o.get("name") or "").strip() for o in payload.get("options") or [] if isinstance(o, dict)]
    names = [n for n in names if n]
    if not names:
        used = max(
            (i for v in payload.get("variants") or [] for i in (1, 2, 3) if v.get(f"option{i}")), default=0
        )
        names = ["Title"] if used == 0 else [f"Option{i}" for i in range(1, used + 1)]
        if used == 0:
            return names
    if len(names) > MAX_OPTIONS:
        raise unprocessable("options", f"Product can have a maximum of {MAX_OPTIONS} options")
    return names


def weight_fields(payload: dict[str, Any], default_unit: str) -> tuple[float, str, int]:
    """(weight, weight_unit, grams): Shopify keeps both the merchant's unit and grams."""
    unit = str(payload.get("weight_unit") or default_unit)
    if unit not in GRAMS_PER_UNIT:
        raise unprocessable("weight_unit", "is not included in the list")
    weight = decimal_field(payload, "weight")
    if weight is None:
        grams = decimal_field(payload, "grams") or Decimal("0")
        weight = grams / GRAMS_PER_UNIT[unit]
    grams_value = weight * GRAMS_PER_UNIT[unit]
    return float(round(weight, 4)), unit, int(grams_value.quantize(Decimal("1"), rounding="ROUND_HALF_UP"))


def build_variant(
    shop: Shop, product: dict[str, Any], payload: dict[str, Any], position: int
) -> dict[str, Any]:
    price = decimal_field(payload, "price")
    compare_at = decimal_field(payload, "compare_at_price")
    policy = payload.get("inventory_policy") or "deny"
    if policy not in INVENTORY_POLICIES:
        raise unprocessable("inventory_policy", "is not included in the list")
    weight, unit, grams = weight_fields(payload, shop.weight_unit)
    options = [payload.get(f"option{i}") for i in (1, 2, 3)]
    if not any(options):
        options[0] = "Default Title"
    variant_id = shop.next_id()
    tracked = payload.get("inventory_management", "shopify") == "shopify"
    variant = {
        "id": variant_id,
        "product_id": product["id"],
        "title": " / ".join(str(o) for o in options if o),
        "price": money(price if price is not None else 0),
        "sku": str(payload.get("sku") or ""),
        "position": position,
        "inventory_policy": policy,
        "compare_at_price": money(compare_at) if compare_at is not None else None,
        "fulfillment_service": "manual",
        "inventory_management": "shopify" if tracked else None,
        "option1": options[0],
        "option2": options[1],
        "option3": options[2],
        "taxable": bool(payload.get("taxable", True)),
        "barcode": payload.get("barcode") or None,
        "grams": grams,
        "image_id": None,
        "weight": weight,
        "weight_unit": unit,
        "requires_shipping": bool(payload.get("requires_shipping", True)),
        "admin_graphql_api_id": gid("ProductVariant", variant_id),
    }
    shop.stamp(variant, created=True)
    item = create_inventory_item(shop, variant, tracked)
    variant["inventory_item_id"] = item["id"]
    stock = payload.get("inventory_quantities") or {}
    for location_id in shop.locations:
        # A new variant is stocked at every location; "inventory_quantity" lands at the primary one.
        quantity = stock.get(location_id, stock.get(str(location_id), 0))
        if location_id == shop.primary_location_id and not stock:
            quantity = int(payload.get("inventory_quantity") or 0)
        set_level(shop, item["id"], location_id, int(quantity))
    return variant


def check_unique_options(variants: list[dict[str, Any]]) -> None:
    seen: set[tuple[Any, ...]] = set()
    for v in variants:
        combo = (v["option1"], v["option2"], v["option3"])
        if combo in seen:
            # spec §4.2: 422 {"errors":{"base":["The variant 'Default Title' already exists."]}}
            raise unprocessable("base", f"The variant '{v['title']}' already exists.")
        seen.add(combo)


def build_image(
    shop: Shop, product: dict[str, Any], payload: dict[str, Any], position: int
) -> dict[str, Any]:
    src = str(payload.get("src") or "")
    if not src:
        raise unprocessable("image", "src can't be blank")
    image_id = shop.next_id()
    image = {
        "id": image_id,
        "product_id": product["id"],
        "position": position,
        "alt": payload.get("alt") or None,
        "width": int(payload.get("width") or 800),
        "height": int(payload.get("height") or 800),
        "src": src,
        "variant_ids": [],
        "admin_graphql_api_id": gid("ProductImage", image_id),
    }
    shop.stamp(image, created=True)
    return image


def link_variant_images(product: dict[str, Any], variant_srcs: dict[int, str]) -> None:
    by_src = {img["src"]: img for img in product["images"]}
    for variant in product["variants"]:
        src = variant_srcs.get(variant["id"])
        if src and src in by_src:
            variant["image_id"] = by_src[src]["id"]
            by_src[src]["variant_ids"].append(variant["id"])


def refresh_options(product: dict[str, Any], names: list[str]) -> None:
    options = []
    for index, name in enumerate(names, start=1):
        values: list[str] = []
        for v in product["variants"]:
            value = v.get(f"option{index}")
            if value is not None and value not in values:
                values.append(value)
        options.append(
            {
                "id": product["id"] * 10 + index,
                "product_id": product["id"],
                "name": name,
                "position": index,
                "values": values,
            }
        )
    product["options"] = options


def create_product(shop: Shop, payload: dict[str, Any]) -> dict[str, Any]:
    title = str(payload.get("title") or "").strip()
    if not title:
        raise unprocessable("title", "can't be blank")
    status = payload.get("status") or "active"
    if status not in STATUSES:
        raise unprocessable("status", "is not included in the list")
    variant_payloads = payload.get("variants") or [{}]
    if len(variant_payloads) > MAX_VARIANTS:
        raise unprocessable("variants", f"Exceeded maximum number of variants allowed ({MAX_VARIANTS})")
    names = option_names(payload)
    product_id = shop.next_id()
    product: dict[str, Any] = {
        "id": product_id,
        "title": title,
        "body_html": payload.get("body_html") or "",
        "vendor": payload.get("vendor") or shop.name,
        "product_type": payload.get("product_type") or "",
        "handle": unique_handle(shop, payload.get("handle") or title),
        "published_at": None,
        "template_suffix": None,
        "published_scope": "web",
        "tags": tags_string(payload.get("tags")),
        "status": status,
        "admin_graphql_api_id": gid("Product", product_id),
        "variants": [],
        "options": [],
        "images": [],
        "image": None,
    }
    shop.stamp(product, created=True)
    if status == "active" and payload.get("published", True):
        product["published_at"] = product["created_at"]
    variants = [build_variant(shop, product, vp, i) for i, vp in enumerate(variant_payloads, start=1)]
    product["variants"] = variants
    try:
        check_unique_options(variants)
    except ShopifyError:
        drop_inventory(shop, variants)
        raise
    images = [build_image(shop, product, ip, i) for i, ip in enumerate(payload.get("images") or [], start=1)]
    product["images"] = images
    product["image"] = images[0] if images else None
    link_variant_images(
        product, {v["id"]: vp.get("image_src") for v, vp in zip(variants, variant_payloads, strict=True)}
    )
    refresh_options(product, names)
    shop.products[product_id] = product
    return product


def drop_inventory(shop: Shop, variants: list[dict[str, Any]]) -> None:
    for variant in variants:
        item_id = variant["inventory_item_id"]
        shop.inventory_items.pop(item_id, None)
        for key in [k for k in shop.levels if k[0] == item_id]:
            del shop.levels[key]


def get_product(shop: Shop, product_id: int) -> dict[str, Any]:
    product = shop.products.get(product_id)
    if product is None:
        raise not_found()
    return product


def update_product(shop: Shop, product_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    product = get_product(shop, product_id)
    for key in ("title", "body_html", "vendor", "product_type"):
        if key in payload:
            product[key] = payload[key] or ""
    if "title" in payload and not product["title"]:
        raise unprocessable("title", "can't be blank")
    if "tags" in payload:
        product["tags"] = tags_string(payload["tags"])
    if "status" in payload:
        if payload["status"] not in STATUSES:
            raise unprocessable("status", "is not included in the list")
        product["status"] = payload["status"]
        if product["status"] == "active" and product["published_at"] is None:
            product["published_at"] = shop.now_iso()
    if "variants" in payload:
        replace_variants(shop, product, payload["variants"] or [])
    shop.stamp(product)
    return product


def replace_variants(shop: Shop, product: dict[str, Any], payloads: list[dict[str, Any]]) -> None:
    """``variants`` on PUT replaces the set: items matched by id, omitted ones removed (spec §4.1)."""
    existing = {v["id"]: v for v in product["variants"]}
    kept: list[dict[str, Any]] = []
    for position, vp in enumerate(payloads, start=1):
        if vp.get("id") in existing:
            variant = update_variant_fields(shop, existing[vp["id"]], vp)
        else:
            variant = build_variant(shop, product, vp, position)
        variant["position"] = position
        kept.append(variant)
    check_unique_options(kept)
    drop_inventory(shop, [v for v in product["variants"] if v["id"] not in {k["id"] for k in kept}])
    product["variants"] = kept
    refresh_options(product, [o["name"] for o in product["options"]] or ["Title"])


def update_variant_fields(shop: Shop, variant: dict[str, Any], payload: dict[str, Any]) -> dict[str, Any]:
    if "price" in payload:
        variant["price"] = money(decimal_field(payload, "price", required=True))
    if "compare_at_price" in payload:
        value = decimal_field(payload, "compare_at_price")
        variant["compare_at_price"] = money(value) if value is not None else None
    for key in ("sku", "barcode", "taxable", "requires_shipping", "option1", "option2", "option3"):
        if key in payload:
            variant[key] = payload[key]
    if variant.get("sku") is None:
        variant["sku"] = ""
    if "inventory_policy" in payload:
        if payload["inventory_policy"] not in INVENTORY_POLICIES:
            raise unprocessable("inventory_policy", "is not included in the list")
        variant["inventory_policy"] = payload["inventory_policy"]
    if {"weight", "weight_unit", "grams"} & payload.keys():
        merged = {"weight": variant["weight"], "weight_unit": variant["weight_unit"], **payload}
        if "grams" in payload and "weight" not in payload:
            merged.pop("weight")
        variant["weight"], variant["weight_unit"], variant["grams"] = weight_fields(
            merged, variant["weight_unit"]
        )
    variant["title"] = " / ".join(str(variant[f"option{i}"]) for i in (1, 2, 3) if variant[f"option{i}"])
    shop.inventory_items[variant["inventory_item_id"]]["sku"] = variant["sku"]
    # inventory_quantity is read-only since 2019-10 (spec §4.2): a written value is ignored.
    shop.stamp(variant)
    return variant


def update_variant(
    shop: Shop, variant_id: int, payload: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    found = shop.find_variant(variant_id)
    if found is None:
        raise not_found()
    product, variant = found
    update_variant_fields(shop, variant, payload)
    check_unique_options(product["variants"])
    refresh_options(product, [o["name"] for o in product["options"]])
    shop.stamp(product)
    return product, variant


def add_variant(shop: Shop, product_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    product = get_product(shop, product_id)
    if len(product["variants"]) >= MAX_VARIANTS:
        raise unprocessable("base", f"Exceeded maximum number of variants allowed ({MAX_VARIANTS})")
    variant = build_variant(shop, product, payload, len(product["variants"]) + 1)
    try:
        check_unique_options([*product["variants"], variant])
    except ShopifyError:
        drop_inventory(shop, [variant])
        raise
    product["variants"].append(variant)
    refresh_options(product, [o["name"] for o in product["options"]])
    shop.stamp(product)
    return variant


def delete_variant(shop: Shop, product_id: int, variant_id: int) -> dict[str, Any]:
    product = get_product(shop, product_id)
    variant = next((v for v in product["variants"] if v["id"] == variant_id), None)
    if variant is None:
        raise not_found()
    product["variants"].remove(variant)
    drop_inventory(shop, [variant])
    for position, v in enumerate(product["variants"], start=1):
        v["position"] = position
    for image in product["images"]:
        if variant_id in image["variant_ids"]:
            image["variant_ids"].remove(variant_id)
    refresh_options(product, [o["name"] for o in product["options"]])
    shop.stamp(product)
    return product


def delete_product(shop: Shop, product_id: int) -> dict[str, Any]:
    product = get_product(shop, product_id)
    del shop.products[product_id]
    drop_inventory(shop, product["variants"])
    for collect_id in [c for c, collect in shop.collects.items() if collect["product_id"] == product_id]:
        del shop.collects[collect_id]
    return product


def add_image(shop: Shop, product_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    product = get_product(shop, product_id)
    image = build_image(shop, product, payload, len(product["images"]) + 1)
    product["images"].append(image)
    product["image"] = product["images"][0]
    shop.stamp(product)
    return image


def render_product(shop: Shop, product: dict[str, Any]) -> dict[str, Any]:
    """The REST product: derived stock filled in, relative image paths made absolute."""
    out = dict(product)
    out["variants"] = [render_variant(shop, v) for v in product["variants"]]
    out["images"] = [render_image(shop, i) for i in product["images"]]
    out["image"] = out["images"][0] if out["images"] else None
    return out


def render_variant(shop: Shop, variant: dict[str, Any]) -> dict[str, Any]:
    out = dict(variant)
    # variant.inventory_quantity is derived: the sum over locations (spec §10 item 6).
    out["inventory_quantity"] = shop.available(variant["inventory_item_id"])
    out["old_inventory_quantity"] = out["inventory_quantity"]
    return out


def render_image(shop: Shop, image: dict[str, Any]) -> dict[str, Any]:
    out = dict(image)
    out["variant_ids"] = list(image["variant_ids"])
    if out["src"].startswith("/"):
        out["src"] = shop.public_url + out["src"]
    return out


# -- collections --------------------------------------------------------------------------------
def create_custom_collection(shop: Shop, title: str) -> dict[str, Any]:
    for existing in shop.custom_collections.values():
        if existing["title"] == title:
            return existing
    collection_id = shop.next_id()
    collection = {
        "id": collection_id,
        "handle": slugify(title),
        "title": title,
        "body_html": "",
        "published_at": shop.now_iso(),
        "sort_order": "manual",
        "template_suffix": None,
        "published_scope": "web",
        "image": None,
        "admin_graphql_api_id": gid("Collection", collection_id),
    }
    shop.stamp(collection, created=True)
    shop.custom_collections[collection_id] = collection
    return collection


def add_collect(shop: Shop, product_id: int, collection_id: int) -> dict[str, Any]:
    get_product(shop, product_id)
    if collection_id not in shop.custom_collections:
        raise unprocessable("collection_id", "does not exist")
    for collect in shop.collects.values():
        if collect["product_id"] == product_id and collect["collection_id"] == collection_id:
            raise unprocessable("product_id", "already exists in this collection")
    position = 1 + sum(1 for c in shop.collects.values() if c["collection_id"] == collection_id)
    collect_id = shop.next_id()
    collect = {
        "id": collect_id,
        "collection_id": collection_id,
        "product_id": product_id,
        "position": position,
        "sort_value": f"{position:010d}",  # spec §4.4: sort_value "0000000002"
    }
    shop.stamp(collect, created=True)
    shop.collects[collect_id] = collect
    return collect


def create_smart_collection(
    shop: Shop, title: str, rules: list[dict[str, str]], disjunctive: bool
) -> dict[str, Any]:
    collection = create_custom_collection(shop, title)  # same base fields
    del shop.custom_collections[collection["id"]]
    collection.update({"rules": rules, "disjunctive": disjunctive, "sort_order": "best-selling"})
    shop.smart_collections[collection["id"]] = collection
    return collection


def _rule_values(product: dict[str, Any], column: str) -> list[Any]:
    variants = product["variants"]
    columns: dict[str, list[Any]] = {
        "title": [product["title"]],
        "type": [product["product_type"]],
        "vendor": [product["vendor"]],
        "tag": [t.strip() for t in product["tags"].split(",") if t.strip()],
        "variant_price": [Decimal(v["price"]) for v in variants],
        "variant_compare_at_price": [
            Decimal(v["compare_at_price"]) for v in variants if v["compare_at_price"]
        ],
        "variant_weight": [Decimal(str(v["weight"])) for v in variants],
        "variant_title": [v["title"] for v in variants],
    }
    return columns.get(column, [])


def _rule_matches(value: Any, relation: str, condition: str) -> bool:
    if isinstance(value, Decimal):
        try:
            target = Decimal(condition)
        except InvalidOperation:
            return False
        return {
            "equals": value == target,
            "not_equals": value != target,
            "greater_than": value > target,
            "less_than": value < target,
        }.get(relation, False)
    text, cond = str(value).lower(), condition.lower()
    return {
        "equals": text == cond,
        "not_equals": text != cond,
        "starts_with": text.startswith(cond),
        "ends_with": text.endswith(cond),
        "contains": cond in text,
        "not_contains": cond not in text,
    }.get(relation, False)


def in_smart_collection(product: dict[str, Any], collection: dict[str, Any]) -> bool:
    """Smart-collection rules (spec §4.4; column/relation lists UNCONFIRMED)."""
    results = [
        any(_rule_matches(v, r["relation"], str(r["condition"])) for v in _rule_values(product, r["column"]))
        for r in collection["rules"]
    ]
    if not results:
        return False
    return any(results) if collection["disjunctive"] else all(results)


def collection_product_ids(shop: Shop, collection_id: int) -> set[int]:
    if collection_id in shop.smart_collections:
        collection = shop.smart_collections[collection_id]
        return {p["id"] for p in shop.products.values() if in_smart_collection(p, collection)}
    return {c["product_id"] for c in shop.collects.values() if c["collection_id"] == collection_id}
