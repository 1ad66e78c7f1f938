"""Products, variations, categories and tags: write rules and their REST representation.

Field names and enums: ../shared/spec/stores/woocommerce.md §3-§5 (W-PROD, W-VAR, W-CAT).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import WooError, invalid_id, validate_body
from .store import WooStore, iso, parse_iso

STOCK_STATUSES = ["instock", "outofstock", "onbackorder"]
BACKORDERS = ["no", "notify", "yes"]
POST_STATUSES = ["draft", "pending", "private", "publish"]
IMAGE = ("object", {"id": "integer", "src": "string", "name": "string", "alt": "string"})
META = ("array", ("object", {"id": "integer", "key": "string", "value": "any"}))
DIMENSIONS = ("object", {"length": "string", "width": "string", "height": "string"})
TERM_REF = ("array", ("object", {"id": "integer", "name": "string", "slug": "string"}))

COMMON_FIELDS: dict[str, Any] = {
    "description": "string",
    "sku": "string",
    "regular_price": "string",
    "sale_price": "string",
    "date_on_sale_from": "string",
    "date_on_sale_to": "string",
    "status": ("enum", POST_STATUSES),
    "virtual": "boolean",
    "downloadable": "boolean",
    "tax_status": ("enum", ["taxable", "shipping", "none"]),
    "tax_class": "string",
    "manage_stock": "boolean",
    "stock_quantity": "integer",
    "stock_status": ("enum", STOCK_STATUSES),
    "backorders": ("enum", BACKORDERS),
    "weight": "string",
    "dimensions": DIMENSIONS,
    "shipping_class": "string",
    "menu_order": "integer",
    "meta_data": META,
}
PRODUCT_FIELDS: dict[str, Any] = {
    **COMMON_FIELDS,
    "name": "string",
    "slug": "string",
    "type": ("enum", ["simple", "grouped", "external", "variable"]),
    "featured": "boolean",
    "catalog_visibility": ("enum", ["visible", "catalog", "search", "hidden"]),
    "short_description": "string",
    "external_url": "string",
    "button_text": "string",
    "sold_individually": "boolean",
    "reviews_allowed": "boolean",
    "parent_id": "integer",
    "purchase_note": "string",
    "categories": TERM_REF,
    "tags": TERM_REF,
    "images": ("array", IMAGE),
    "attributes": (
        "array",
        (
            "object",
            {
                "id": "integer",
                "name": "string",
                "position": "integer",
                "visible": "boolean",
                "variation": "boolean",
                "options": ("array", "string"),
            },
        ),
    ),
    "default_attributes": ("array", ("object", {"id": "integer", "name": "string", "option": "string"})),
    "grouped_products": ("array", "integer"),
    "upsell_ids": ("array", "integer"),
    "cross_sell_ids": ("array", "integer"),
}
VARIATION_FIELDS: dict[str, Any] = {
    **COMMON_FIELDS,
    "image": IMAGE,
    "attributes": ("array", ("object", {"id": "integer", "name": "string", "option": "string"})),
}
CATEGORY_FIELDS: dict[str, Any] = {
    "name": "string",
    "slug": "string",
    "parent": "integer",
    "description": "string",
    "display": ("enum", ["default", "products", "subcategories", "both"]),
    "menu_order": "integer",
}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


def unique_slug(existing: set[str], wanted: str) -> str:
    slug, n = wanted, 2
    while slug in existing:
        slug, n = f"{wanted}-{n}", n + 1
    return slug


def _money(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value not in ("", None) else None
    except InvalidOperation:
        return None


# -- shared product/variation rules ------------------------------------------------------------
def base_record(store: WooStore, kind: str) -> dict[str, Any]:
    now = store.now()
    return {
        "id": store.next_post_id(),
        "kind": kind,
        "date_created": now,
        "date_modified": now,
        "description": "",
        "sku": "",
        "regular_price": "",
        "sale_price": "",
        "date_on_sale_from": None,
        "date_on_sale_to": None,
        "status": "publish",
        "virtual": False,
        "downloadable": False,
        "tax_status": "taxable",
        "tax_class": "",
        "manage_stock": False,
        "stock_quantity": None,
        "stock_status": "instock",
        "backorders": "no",
        "weight": "",
        "dimensions": {"length": "", "width": "", "height": ""},
        "shipping_class": "",
        "menu_order": 0,
        "meta_data": [],
        "total_sales": 0,
    }


def check_sku(store: WooStore, sku: str, own_id: int) -> None:
    # Duplicate SKU: 400 product_invalid_sku (spec §1 table, UNCONFIRMED code).
    if not sku:
        return
    for record in [*store.products.values(), *store.variations.values()]:
        if record["sku"] == sku and record["id"] != own_id:
            raise WooError(
                "product_invalid_sku", "Invalid or duplicated SKU.", 400, {"resource_id": record["id"]}
            )


def apply_common(store: WooStore, record: dict[str, Any], body: dict[str, Any]) -> None:
    if "sku" in body:
        check_sku(store, body["sku"], record["id"])
    for key in COMMON_FIELDS:
        if key in body and key not in ("meta_data", "dimensions"):
            record[key] = body[key]
    if "dimensions" in body:
        record["dimensions"] = {**record["dimensions"], **body["dimensions"]}
    if "meta_data" in body:
        apply_meta(store, record["meta_data"], body["meta_data"])
    normalise_stock(record)
    record["date_modified"] = store.now()


def apply_meta(store: WooStore, current: list[dict[str, Any]], posted: list[dict[str, Any]]) -> None:
    """Meta items update by ``id`` (or by key when unique), else are added (WC_Data::set_meta_data)."""
    for item in posted:
        match = next((m for m in current if item.get("id") and m["id"] == item["id"]), None)
        match = match or next((m for m in current if m["key"] == item.get("key")), None)
        if match:
            match["value"] = item.get("value")
        elif item.get("key"):
            current.append(store.meta(item["key"], item.get("value")))


def normalise_stock(record: dict[str, Any]) -> None:
    """WC_Product::validate_props: an unmanaged item has no quantity and no backorders; a managed
    one derives its status from the quantity (spec §3 "Stock rule", §10 item 3)."""
    if not record["manage_stock"]:
        record["stock_quantity"] = None
        record["backorders"] = "no"
        return
    quantity = record["stock_quantity"] or 0
    record["stock_quantity"] = quantity
    if quantity > 0:
        record["stock_status"] = "instock"
    elif record["backorders"] != "no":
        record["stock_status"] = "onbackorder"
    else:
        record["stock_status"] = "outofstock"


def on_sale(store: WooStore, record: dict[str, Any]) -> bool:
    sale, regular = _money(record["sale_price"]), _money(record["regular_price"])
    if sale is None or (regular is not None and sale >= regular):
        return False
    now = store.now()
    start, end = record.get("date_on_sale_from"), record.get("date_on_sale_to")
    if start and parse_iso(start) > now:
        return False
    return not (end and parse_iso(end) < now)


def active_price(store: WooStore, record: dict[str, Any]) -> str:
    return record["sale_price"] if on_sale(store, record) else record["regular_price"]


def _image_json(store: WooStore, attachment_id: int) -> dict[str, Any]:
    a = store.attachments[attachment_id]
    stamp = iso(a["date_created"])
    return {
        "id": a["id"],
        "date_created": stamp,
        "date_created_gmt": stamp,
        "date_modified": stamp,
        "date_modified_gmt": stamp,
        "src": a["src"],
        "name": a["name"],
        "alt": a["alt"],
    }


def resolve_images(store: WooStore, posted: list[dict[str, Any]]) -> list[int]:
    ids = []
    for image in posted:
        if image.get("id"):
            if image["id"] not in store.attachments:
                # WC_REST_Products_V2::set_product_images
                raise WooError(
                    "woocommerce_product_invalid_image_id", f"#{image['id']} is an invalid image ID.", 400
                )
            ids.append(image["id"])
        elif image.get("src"):
            ids.append(
                store.sideload_image(image["src"], name=image.get("name", ""), alt=image.get("alt", ""))["id"]
            )
    return ids


def _dates(record: dict[str, Any]) -> dict[str, Any]:
    created, modified = iso(record["date_created"]), iso(record["date_modified"])
    return {
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": modified,
        "date_modified_gmt": modified,
    }


def _sale_dates(record: dict[str, Any]) -> dict[str, Any]:
    start, end = record.get("date_on_sale_from"), record.get("date_on_sale_to")
    return {
        "date_on_sale_from": start,
        "date_on_sale_from_gmt": start,
        "date_on_sale_to": end,
        "date_on_sale_to_gmt": end,
    }


def _links(base: str, path: str, up: str | None = None) -> dict[str, Any]:
    links: dict[str, Any] = {
        "self": [{"href": f"{base}/wp-json/wc/v3/{path}"}],
        "collection": [{"href": f"{base}/wp-json/wc/v3/{path.rsplit('/', 1)[0]}"}],
    }
    if up:
        links["up"] = [{"href": f"{base}/wp-json/wc/v3/{up}"}]
    return links


# -- products ----------------------------------------------------------------------------------
def create_product(store: WooStore, body: Any) -> dict[str, Any]:
    data = validate_body(body, PRODUCT_FIELDS)
    if data.get("id"):
        raise WooError("woocommerce_rest_product_exists", "Cannot create existing product.", 400)
    record = base_record(store, "product")
    record.update(
        {
            "name": "",
            "slug": "",
            "type": "simple",
            "featured": False,
            "catalog_visibility": "visible",
            "short_description": "",
            "external_url": "",
            "button_text": "",
            "sold_individually": False,
            "reviews_allowed": True,
            "parent_id": 0,
            "purchase_note": "",
            "categories": [],
            "tags": [],
            "images": [],
            "attributes": [],
            "default_attributes": [],
            "grouped_products": [],
            "upsell_ids": [],
            "cross_sell_ids": [],
        }
    )
    store.products[record["id"]] = record
    try:
        apply_product(store, record, data)
    except WooError:
        del store.products[record["id"]]
        raise
    store.emit("product", "created", record["id"])
    return record


def apply_product(store: WooStore, record: dict[str, Any], data: dict[str, Any]) -> None:
    apply_common(store, record, data)
    for key in ("name", "type", "featured", "catalog_visibility", "short_description", "external_url"):
        if key in data:
            record[key] = data[key]
    for key in ("button_text", "sold_individually", "reviews_allowed", "parent_id", "purchase_note"):
        if key in data:
            record[key] = data[key]
    for key in ("default_attributes", "grouped_products", "upsell_ids", "cross_sell_ids"):
        if key in data:
            record[key] = data[key]
    if "slug" in data or not record["slug"]:
        taken = {p["slug"] for p in store.products.values() if p["id"] != record["id"]}
        record["slug"] = unique_slug(taken, slugify(data.get("slug") or record["name"] or str(record["id"])))
    if "categories" in data:
        record["categories"] = [c["id"] for c in data["categories"] if c.get("id") in store.categories]
    if "tags" in data:
        record["tags"] = [t["id"] for t in data["tags"] if t.get("id") in store.tags]
    if "images" in data:
        record["images"] = resolve_images(store, data["images"])
    if "attributes" in data:
        record["attributes"] = [_product_attribute(store, a, i) for i, a in enumerate(data["attributes"])]


def _product_attribute(store: WooStore, posted: dict[str, Any], position: int) -> dict[str, Any]:
    attribute_id = posted.get("id") or 0
    name = posted.get("name", "")
    if attribute_id:
        name = next((n for n, i in store.global_attributes.items() if i == attribute_id), name)
    return {
        "id": attribute_id,
        "name": name,
        "position": posted.get("position", position),
        "visible": posted.get("visible", False),
        "variation": posted.get("variation", False),
        "options": list(posted.get("options", [])),
    }


def update_product(store: WooStore, record: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, PRODUCT_FIELDS)
    apply_product(store, record, data)
    store.emit("product", "updated", record["id"])
    return record


def get_product(store: WooStore, product_id: int, status: int = 404) -> dict[str, Any]:
    record = store.products.get(product_id)
    if record is None:
        raise invalid_id("product", status)
    return record


def delete_product(store: WooStore, product_id: int, force: bool) -> dict[str, Any]:
    """Without ``force`` a product goes to the trash (status ``trash``); with it, it and its
    variations are gone (spec §3, §9). Both fire ``product.deleted`` (wp_trash_post / delete_post)."""
    record = get_product(store, product_id)
    if not force:
        record["status"] = "trash"
        record["date_modified"] = store.now()
    else:
        for variation_id in children(store, product_id):
            del store.variations[variation_id]
        del store.products[product_id]
    store.emit("product", "deleted", product_id)
    return record


def children(store: WooStore, product_id: int) -> list[int]:
    ids = [v["id"] for v in store.variations.values() if v["parent_id"] == product_id]
    return sorted(ids, key=lambda i: (store.variations[i]["menu_order"], i))


def variable_stock_status(store: WooStore, record: dict[str, Any]) -> str:
    # WC_Product_Variable::sync_stock_status: in stock when any child is.
    statuses = {variation_stock(store, store.variations[i])[2] for i in children(store, record["id"])}
    for status in STOCK_STATUSES:
        if status in statuses:
            return status
    return "outofstock"


def product_json(store: WooStore, record: dict[str, Any], base: str) -> dict[str, Any]:
    variations = children(store, record["id"]) if record["type"] == "variable" else []
    price = active_price(store, record)
    stock_status = record["stock_status"]
    if record["type"] == "variable":
        prices = [_money(active_price(store, store.variations[i])) for i in variations]
        known = sorted(p for p in prices if p is not None)
        price = str(known[0]) if known else ""
        if not record["manage_stock"]:
            stock_status = variable_stock_status(store, record)
    payload = {
        "id": record["id"],
        "name": record["name"],
        "slug": record["slug"],
        "permalink": f"{base}/product/{record['slug']}/",
        **_dates(record),
        "type": record["type"],
        "status": record["status"],
        "featured": record["featured"],
        "catalog_visibility": record["catalog_visibility"],
        "description": record["description"],
        "short_description": record["short_description"],
        "sku": record["sku"],
        "price": price,
        "regular_price": record["regular_price"],
        "sale_price": record["sale_price"],
        **_sale_dates(record),
        "price_html": f'<span class="woocommerce-Price-amount amount">{price}</span>' if price else "",
        "on_sale": on_sale(store, record),
        "purchasable": price != "" and record["status"] == "publish",
        "total_sales": record["total_sales"],
        "virtual": record["virtual"],
        "downloadable": record["downloadable"],
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "external_url": record["external_url"],
        "button_text": record["button_text"],
        "tax_status": record["tax_status"],
        "tax_class": record["tax_class"],
        "manage_stock": record["manage_stock"],
        "stock_quantity": record["stock_quantity"],
        "stock_status": stock_status,
        "backorders": record["backorders"],
        "backorders_allowed": record["backorders"] != "no",
        "backordered": False,
        "low_stock_amount": None,
        "sold_individually": record["sold_individually"],
        "weight": record["weight"],
        "dimensions": dict(record["dimensions"]),
        "shipping_required": not record["virtual"],
        "shipping_taxable": record["tax_status"] in ("taxable", "shipping"),
        "shipping_class": record["shipping_class"],
        "shipping_class_id": 0,
        "reviews_allowed": record["reviews_allowed"],
        "average_rating": "0.00",
        "rating_count": 0,
        "related_ids": [],
        "upsell_ids": list(record["upsell_ids"]),
        "cross_sell_ids": list(record["cross_sell_ids"]),
        "parent_id": record["parent_id"],
        "purchase_note": record["purchase_note"],
        "categories": [_term_ref(store.categories[c]) for c in record["categories"] if c in store.categories],
        "tags": [_term_ref(store.tags[t]) for t in record["tags"] if t in store.tags],
        "images": [_image_json(store, i) for i in record["images"] if i in store.attachments],
        "attributes": [dict(a, options=list(a["options"])) for a in record["attributes"]],
        "default_attributes": list(record["default_attributes"]),
        "variations": variations,
        "grouped_products": list(record["grouped_products"]),
        "menu_order": record["menu_order"],
        "meta_data": [dict(m) for m in record["meta_data"]],
        "_links": _links(base, f"products/{record['id']}"),
    }
    return payload


def _term_ref(term: dict[str, Any]) -> dict[str, Any]:
    return {"id": term["id"], "name": term["name"], "slug": term["slug"]}


# -- variations --------------------------------------------------------------------------------
def create_variation(store: WooStore, parent: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, VARIATION_FIELDS)
    if data.get("id"):
        raise WooError(
            "woocommerce_rest_product_variation_exists", "Cannot create existing product_variation.", 400
        )
    record = base_record(store, "variation")
    record.update({"parent_id": parent["id"], "image": None, "attributes": []})
    store.variations[record["id"]] = record
    try:
        apply_variation(store, record, data)
    except WooError:
        del store.variations[record["id"]]
        raise
    # WC-WEBHOOK: woocommerce_new_product_variation fires product.created with the variation id.
    store.emit("product", "created", record["id"])
    return record


def apply_variation(store: WooStore, record: dict[str, Any], data: dict[str, Any]) -> None:
    apply_common(store, record, data)
    if "image" in data:
        image = data["image"]
        ids = resolve_images(store, [image]) if image else []
        record["image"] = ids[0] if ids else None
    if "attributes" in data:
        record["attributes"] = [
            {"id": a.get("id", 0), "name": a.get("name", ""), "option": a.get("option", "")}
            for a in data["attributes"]
        ]


def update_variation(store: WooStore, record: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, VARIATION_FIELDS)
    apply_variation(store, record, data)
    store.emit("product", "updated", record["id"])
    return record


def get_variation(store: WooStore, product_id: int, variation_id: int, status: int = 404) -> dict[str, Any]:
    record = store.variations.get(variation_id)
    if record is None or record["parent_id"] != product_id:
        raise invalid_id("product_variation", status)
    return record


def delete_variation(store: WooStore, record: dict[str, Any]) -> None:
    del store.variations[record["id"]]
    store.emit("product", "deleted", record["id"])


def variation_stock(store: WooStore, record: dict[str, Any]) -> tuple[bool | str, int | None, str]:
    """(manage_stock, stock_quantity, stock_status) as the REST API shows them: a variation that
    does not manage stock inherits a managing parent's (``"parent"``, spec §4 UNCONFIRMED)."""
    parent = store.products.get(record["parent_id"])
    if not record["manage_stock"] and parent and parent["manage_stock"]:
        return "parent", parent["stock_quantity"], parent["stock_status"]
    return record["manage_stock"], record["stock_quantity"], record["stock_status"]


def stock_owner(store: WooStore, record: dict[str, Any]) -> dict[str, Any] | None:
    """The record whose quantity an order line moves, or None when nothing manages stock."""
    if record["manage_stock"]:
        return record
    parent = store.products.get(record.get("parent_id") or 0) if record["kind"] == "variation" else None
    return parent if parent and parent["manage_stock"] else None


def variation_json(store: WooStore, record: dict[str, Any], base: str) -> dict[str, Any]:
    parent = store.products.get(record["parent_id"], {})
    manage, quantity, status = variation_stock(store, record)
    price = active_price(store, record)
    query = "&".join(
        f"attribute_{slugify(a['name'])}={a['option']}" for a in record["attributes"] if a["option"]
    )
    return {
        "id": record["id"],
        **_dates(record),
        "description": record["description"],
        "permalink": f"{base}/product/{parent.get('slug', '')}/?{query}",
        "sku": record["sku"],
        "price": price,
        "regular_price": record["regular_price"],
        "sale_price": record["sale_price"],
        **_sale_dates(record),
        "on_sale": on_sale(store, record),
        "status": record["status"],
        "purchasable": price != "" and record["status"] == "publish",
        "virtual": record["virtual"],
        "downloadable": record["downloadable"],
        "downloads": [],
        "download_limit": -1,
        "download_expiry": -1,
        "tax_status": record["tax_status"],
        "tax_class": record["tax_class"],
        "manage_stock": manage,
        "stock_quantity": quantity,
        "stock_status": status,
        "backorders": record["backorders"],
        "backorders_allowed": record["backorders"] != "no",
        "backordered": False,
        "low_stock_amount": None,
        # WC_Product_Variation getters in "view" context fall back to the parent's weight/dimensions.
        "weight": record["weight"] or parent.get("weight", ""),
        "dimensions": {
            axis: value or parent.get("dimensions", {}).get(axis, "")
            for axis, value in record["dimensions"].items()
        },
        "shipping_class": record["shipping_class"],
        "shipping_class_id": 0,
        "image": _image_json(store, record["image"]) if record["image"] in store.attachments else None,
        "attributes": [dict(a) for a in record["attributes"] if a["option"]],
        "menu_order": record["menu_order"],
        "meta_data": [dict(m) for m in record["meta_data"]],
        "_links": _links(
            base,
            f"products/{record['parent_id']}/variations/{record['id']}",
            f"products/{record['parent_id']}",
        ),
    }


def variation_as_product_json(store: WooStore, record: dict[str, Any], base: str) -> dict[str, Any]:
    """``GET /products/{variation_id}`` resolves a variation as type ``variation`` (spec §4; this is
    what ``product.*`` webhooks fired by variation hooks carry)."""
    parent = store.products.get(record["parent_id"], {})
    payload = variation_json(store, record, base)
    payload.update(
        {
            "name": " - ".join(
                [parent.get("name", "")] + [a["option"] for a in record["attributes"] if a["option"]]
            ),
            "type": "variation",
            "parent_id": record["parent_id"],
            "images": [payload["image"]] if payload["image"] else [],
            "categories": [],
            "tags": [],
            "variations": [],
            "_links": _links(base, f"products/{record['id']}", f"products/{record['parent_id']}"),
        }
    )
    del payload["image"]
    return payload


# -- terms -------------------------------------------------------------------------------------
def create_term(store: WooStore, taxonomy: str, body: Any) -> dict[str, Any]:
    data = validate_body(body, CATEGORY_FIELDS)
    terms = store.categories if taxonomy == "product_cat" else store.tags
    name = data.get("name", "").strip()
    if not name:
        raise WooError("rest_missing_callback_param", "Missing parameter(s): name", 400, {"params": ["name"]})
    parent = data.get("parent", 0) if taxonomy == "product_cat" else 0
    slug = data.get("slug") or slugify(name)
    for term in terms.values():
        if term["slug"] == slug or (term["name"] == name and term.get("parent", 0) == parent):
            # wp_insert_term refuses a duplicate name under the same parent.
            raise WooError(
                "term_exists",
                "A term with the name provided already exists with this parent.",
                400,
                {"resource_id": term["id"]},
            )
    term = {
        "id": store.next_term_id(),
        "name": name,
        "slug": slug,
        "description": data.get("description", ""),
    }
    if taxonomy == "product_cat":
        term.update(
            {"parent": parent, "display": data.get("display", "default"), "menu_order": 0, "image": None}
        )
    terms[term["id"]] = term
    return term


def term_json(store: WooStore, taxonomy: str, term: dict[str, Any], base: str) -> dict[str, Any]:
    count = sum(
        1
        for p in store.products.values()
        if term["id"] in (p["categories"] if taxonomy == "product_cat" else p["tags"])
        and p["status"] != "trash"
    )
    path = "products/categories" if taxonomy == "product_cat" else "products/tags"
    return {**term, "count": count, "_links": _links(base, f"{path}/{term['id']}")}


def ensure_category_path(store: WooStore, path: list[str]) -> int:
    """Find or create ``Clothing > Tshirts`` as nested categories; returns the leaf id."""
    parent = 0
    for name in path:
        found = next(
            (c for c in store.categories.values() if c["name"] == name and c["parent"] == parent), None
        )
        if found is None:
            found = create_term(
                store,
                "product_cat",
                {"name": name, "parent": parent, "slug": _free_slug(store, slugify(name))},
            )
        parent = found["id"]
    return parent


def _free_slug(store: WooStore, slug: str) -> str:
    return unique_slug({c["slug"] for c in store.categories.values()}, slug)


def ensure_tag(store: WooStore, name: str) -> int:
    found = next((t for t in store.tags.values() if t["name"] == name), None)
    return found["id"] if found else create_term(store, "product_tag", {"name": name})["id"]
