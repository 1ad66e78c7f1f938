"""JSON views of emulator state, shaped like the official response samples (tiktok-examples/official/)."""

from __future__ import annotations

import base64
from typing import Any

from . import seeds
from .state import Image, Order, Package, Product, Shop, WorldState

IMAGE_HOST = "https://p16-oec-va.ibyteimg.com"  # §15.2 image URL shape


def image_view(world: WorldState, uri: str) -> dict[str, Any]:
    image: Image | None = world.images.get(uri)
    url = image.url if image else f"{IMAGE_HOST}/{uri}~tplv-o3syd03w52-origin-jpeg.jpeg"
    thumb = f"{IMAGE_HOST}/{uri}~tplv-o3syd03w52-resize-jpeg:300:300.jpeg"
    return {
        "uri": uri,
        "urls": [url],
        "thumb_urls": [thumb],
        "height": image.height if image else 600,
        "width": image.width if image else 600,
    }


def page_token(offset: int, total: int) -> str:
    """§15.2: the official sample token is base64 of ``offset=N\\n``; "" on the last page."""
    return base64.b64encode(f"offset={offset}\n".encode()).decode() if offset < total else ""


def read_page_token(token: str) -> int | None:
    if not token:
        return 0
    try:
        text = base64.b64decode(token.encode(), validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    if not text.startswith("offset=") or not text[7:].strip().isdigit():
        return None
    return int(text[7:].strip())


def sku_price_view(sku: dict[str, Any]) -> dict[str, Any]:
    price = sku.get("price") or {}
    amount = str(price.get("amount", "0"))
    # §8.11: sale_price = display price; tax_exclusive_price equals it for local sellers.
    return {
        "tax_exclusive_price": amount,
        "sale_price": str(price.get("sale_price") or amount),
        "currency": price.get("currency", ""),
        "unit_price": amount,
    }


def sku_status_info(product: Product) -> dict[str, Any]:
    if product.status in ("SELLER_DEACTIVATED", "PLATFORM_DEACTIVATED"):
        source = "SELLER" if product.status == "SELLER_DEACTIVATED" else "PLATFORM"
        return {"status": "DEACTIVATED", "deactivation_source": source}
    return {"status": "NORMAL", "deactivation_source": ""}


def sku_view(world: WorldState, product: Product, sku: dict[str, Any], *, full: bool) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": sku["id"],
        "seller_sku": sku.get("seller_sku", ""),
        "price": sku_price_view(sku),
        "inventory": [
            {
                "warehouse_id": inv["warehouse_id"],
                "quantity": inv["quantity"],
                "backorder_quantity": inv.get("backorder_quantity", 0),
                "handling_time": inv.get("handling_time", 0),
            }
            for inv in sku.get("inventory", [])
        ],
        "status_info": sku_status_info(product),
        "external_list_prices": list(sku.get("external_list_prices") or []),
        "fees": list(sku.get("fees") or []),
    }
    if sku.get("list_price"):
        view["list_price"] = dict(sku["list_price"])
    if sku.get("pre_sale"):
        view["pre_sale"] = dict(sku["pre_sale"])
    if not full:
        return view
    view["sales_attributes"] = [
        {
            "id": a["id"],
            "name": a.get("name", ""),
            "value_id": a["value_id"],
            "value_name": a.get("value_name", ""),
            **({"sku_img": image_view(world, a["sku_img"]["uri"])} if a.get("sku_img") else {}),
            "supplementary_sku_images": [
                image_view(world, i["uri"]) for i in a.get("supplementary_sku_images") or []
            ],
        }
        for a in sku.get("sales_attributes", [])
    ]
    view["external_sku_id"] = sku.get("external_sku_id", "")
    view["identifier_code"] = dict(sku.get("identifier_code") or {"code": "", "type": ""})
    view["combined_skus"] = list(sku.get("combined_skus") or [])
    view["sku_unit_count"] = sku.get("sku_unit_count", "")
    view["external_urls"] = list(sku.get("external_urls") or [])
    view["extra_identifier_codes"] = list(sku.get("extra_identifier_codes") or [])
    view["global_listing_policy"] = {
        "price_sync": False,
        "inventory_type": "EXCLUSIVE",
        "replicate_source": {"product_id": "", "shop_id": "", "sku_id": ""},
    }
    return view


def audit_view(product: Product) -> dict[str, Any]:
    return {"status": product.audit_status, "pre_approved_reasons": []}


def product_status_only(product: Product) -> str:
    """§8.11 ``product_status``: the status without the audit part."""
    if product.status in ("PENDING", "FAILED"):
        return "ACTIVATE" if product.live is not None else "INITIAL"
    return product.status


def category_chain_view(shop: Shop, category_id: str) -> list[dict[str, Any]]:
    region = seeds.REGIONS[shop.region]
    return [
        {"id": n.id, "parent_id": n.parent_id, "local_name": n.local_name, "is_leaf": n.is_leaf}
        for n in seeds.category_chain(region.category_tree, category_id)
    ]


def product_view(world: WorldState, shop: Shop, product: Product, snapshot: dict[str, Any]) -> dict[str, Any]:
    brand = world.brands.get(snapshot.get("brand_id") or "")
    options = {o.id: o for o in shop.delivery_options}
    chosen = snapshot.get("delivery_option_ids") or [o.id for o in shop.delivery_options]
    size_chart = snapshot.get("size_chart") or {}
    return {
        "id": product.id,
        "status": product.status,
        "product_status": product_status_only(product),
        "title": snapshot["title"],
        "description": snapshot["description"],
        "category_chains": category_chain_view(shop, snapshot["category_id"]),
        "brand": {"id": brand["id"], "name": brand["name"]} if brand else {"id": "", "name": ""},
        "main_images": [image_view(world, img["uri"]) for img in snapshot["main_images"]],
        "video": dict(snapshot.get("video") or {}),
        "package_dimensions": dict(snapshot.get("package_dimensions") or {}),
        "package_weight": dict(snapshot["package_weight"]),
        "skus": [sku_view(world, product, sku, full=True) for sku in snapshot["skus"]],
        "certifications": [
            {
                "id": str(c.get("id", "")),
                "title": str(c.get("id", "")),
                "files": [dict(f, urls=[]) for f in c.get("files") or []],
                "images": [image_view(world, i["uri"]) for i in c.get("images") or []],
                "expiration_date": int(c.get("expiration_date") or 0),
            }
            for c in snapshot.get("certifications") or []
        ],
        "size_chart": {
            **({"image": image_view(world, size_chart["image"]["uri"])} if size_chart.get("image") else {}),
            **({"template": dict(size_chart["template"])} if size_chart.get("template") else {}),
        },
        "is_cod_allowed": bool(snapshot.get("is_cod_allowed", False)),
        "product_attributes": [
            {
                "id": str(a.get("id", "")),
                "name": _attribute_name(str(a.get("id", ""))),
                "values": [
                    {"id": str(v.get("id", "")), "name": str(v.get("name", ""))}
                    for v in a.get("values") or []
                ],
            }
            for a in snapshot.get("product_attributes") or []
        ],
        "audit_failed_reasons": [
            dict(r, listing_platform="TIKTOK_SHOP") for r in product.audit_failed_reasons
        ],
        "update_time": product.update_time,
        "create_time": product.create_time,
        "delivery_options": [
            {"id": oid, "name": options[oid].name, "is_available": True} for oid in chosen if oid in options
        ],
        "external_product_id": snapshot.get("external_product_id", ""),
        "product_types": [],
        "is_not_for_sale": bool(snapshot.get("is_not_for_sale", False)),
        "recommended_categories": [],
        "manufacturer_ids": list(snapshot.get("manufacturer_ids") or []),
        "responsible_person_ids": list(snapshot.get("responsible_person_ids") or []),
        "listing_quality_tier": "GOOD" if shop.region == "US" else "",
        "integrated_platform_statuses": [],
        "shipping_insurance_requirement": snapshot.get("shipping_insurance_requirement", "OPTIONAL"),
        "minimum_order_quantity": int(snapshot.get("minimum_order_quantity") or 1),
        "is_pre_owned": bool(snapshot.get("is_pre_owned", False)),
        "audit": audit_view(product),
        "prescription_requirement": {"needs_prescription": False},
        "product_families": [],
        "has_draft": product.draft is not None and product.live is not None,
        "primary_combined_product_id": snapshot.get("primary_combined_product_id", ""),
        "is_replicated": False,
        "shipping_template_id": snapshot.get("shipping_template_id", ""),
    }


def _attribute_name(attr_id: str) -> str:
    return next((a["name"] for a in seeds.gb_attributes() if a["id"] == attr_id), "")


def product_summary(world: WorldState, shop: Shop, product: Product) -> dict[str, Any]:
    snapshot = product.current()
    return {
        "id": product.id,
        "title": snapshot["title"],
        "status": product.status,
        "skus": [sku_view(world, product, sku, full=False) for sku in snapshot["skus"]],
        "sales_regions": [shop.region],
        "create_time": product.create_time,
        "update_time": product.update_time,
        "product_sync_fail_reasons": [],
        "is_not_for_sale": bool(snapshot.get("is_not_for_sale", False)),
        "recommended_categories": [],
        "listing_quality_tier": "GOOD" if shop.region == "US" else "",
        "integrated_platform_statuses": [],
        "audit": audit_view(product),
        "product_families": [],
        "has_draft": product.draft is not None and product.live is not None,
    }


# -- orders ----------------------------------------------------------------------------------------
def _mask_name(name: str) -> str:
    return " ".join(part[:1] + "***" for part in name.split())


def _mask_phone(phone: str) -> str:
    # §10.1 example: (+1)213-***-1234
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"(+{digits[:1] or '1'}){digits[1:4]}-***-{digits[-4:]}"


def recipient_view(order: Order, region: str) -> dict[str, Any]:
    buyer = order.buyer
    # §10.1: PII is desensitized for FBT orders and for TikTok-shipping orders.
    masked = order.fulfillment_type == "FULFILLMENT_BY_TIKTOK" or order.shipping_type == "TIKTOK"
    name = _mask_name(buyer["name"]) if masked else buyer["name"]
    first, _, last = buyer["name"].partition(" ")
    return {
        "full_address": buyer["address_line1"] + ", " + buyer["city"] + " " + buyer["postal_code"],
        "phone_number": _mask_phone(buyer["phone"]) if masked else buyer["phone"],
        "name": name,
        "first_name": first[:1] + "***" if masked else first,
        "last_name": last[:1] + "***" if masked else last,
        "first_name_local_script": "",
        "last_name_local_script": "",
        "region_code": region,
        "postal_code": buyer["postal_code"],
        "post_town": buyer["city"] if region == "GB" else "",
        "address_line1": buyer["address_line1"],
        "address_line2": "",
        "address_line3": "",
        "address_line4": "",
        "district_info": [
            {"address_level_name": "Country", "address_name": buyer["country"], "address_level": "L0"},
            {"address_level_name": "City", "address_name": buyer["city"], "address_level": "L2"},
        ],
        "delivery_preferences": {"drop_off_location": "Front Door" if region == "US" else ""},
        "address_detail": "",
    }


def order_view(world: WorldState, order: Order) -> dict[str, Any]:
    shop = world.shops[order.shop_id]
    t = order.times
    view: dict[str, Any] = {
        "id": order.id,
        "status": order.status,
        "user_id": order.buyer["user_id"],
        "buyer_email": order.buyer["email"],
        "buyer_message": order.buyer_message,
        "seller_note": "",
        "create_time": t["create_time"],
        "update_time": t["update_time"],
        "payment": dict(order.payment),
        "line_items": [dict(li) for li in order.line_items],
        "packages": [{"id": pid} for pid in order.package_ids],
        "fulfillment_type": order.fulfillment_type,
        "shipping_type": order.shipping_type,
        "delivery_option_id": order.delivery_option.id,
        "delivery_option_name": order.delivery_option.name,
        "delivery_type": "HOME_DELIVERY",
        "warehouse_id": order.warehouse_id,
        "is_cod": order.is_cod,
        "is_sample_order": order.is_sample_order,
        "is_on_hold_order": order.is_on_hold_order,
        "is_buyer_request_cancel": order.is_buyer_request_cancel,
        "is_replacement_order": False,
        "is_exchange_order": False,
        "has_updated_recipient_address": order.has_updated_recipient_address,
        "cancel_reason": order.cancel_reason,
        "cancellation_initiator": order.cancellation_initiator,
        "payment_method_name": "CCDC",
        "payment_method_code": "pm_pi_ccdc_visa_c_d",
        "payment_card_type": "Credit",
        "commerce_platform": "TIKTOK_SHOP",
        "order_type": "NORMAL",
        "need_upload_invoice": "NO_NEED" if shop.region != "BR" else "NEED_INVOICE",
        "split_or_combine_tag": "",
        "replaced_order_id": "",
        "exchange_source_order_id": "",
    }
    for key in (
        "paid_time",
        "rts_time",
        "rts_sla_time",
        "tts_sla_time",
        "delivery_sla_time",
        "cancel_order_sla_time",
        "shipping_due_time",
        "collection_due_time",
        "delivery_due_time",
        "delivery_time",
        "collection_time",
        "cancel_time",
        "request_cancel_time",
    ):
        if key in t:
            view[key] = t[key]
    shipped = next((world.packages[p] for p in order.package_ids if world.packages[p].shipped), None)
    if shipped is not None:
        view["tracking_number"] = shipped.tracking_number
        view["shipping_provider"] = shipped.provider_name
        view["shipping_provider_id"] = shipped.provider_id
    # §10.1: recipient_address is not returned in UNPAID and ON_HOLD.
    if order.status not in ("UNPAID", "ON_HOLD"):
        view["recipient_address"] = recipient_view(order, shop.region)
    return view


def package_view(world: WorldState, package: Package) -> dict[str, Any]:
    order = world.orders[package.order_id]
    shop = world.shops[order.shop_id]
    items = [li for li in order.line_items if li["id"] in package.line_item_ids]
    skus: dict[str, dict[str, Any]] = {}
    for li in items:
        entry = skus.setdefault(
            li["sku_id"],
            {"id": li["sku_id"], "name": li["sku_name"], "image_url": li["sku_image"], "quantity": 0},
        )
        entry["quantity"] += 1
    recipient = recipient_view(order, shop.region)
    warehouse = next(w for w in shop.warehouses if w.id == order.warehouse_id)
    view = {
        "package_id": package.id,
        "orders": [{"id": order.id, "skus": list(skus.values())}],
        "package_status": package.status,
        "split_and_combine_tag": "DEFAULT",
        "has_multi_skus": len(skus) > 1,
        "note_tag": "BUYER_NOTED" if order.buyer_message else "BUYER_UNNOTED",
        "shipping_provider_name": package.provider_name,
        "shipping_provider_id": package.provider_id,
        "shipping_type": package.shipping_type,
        "delivery_option_name": package.delivery_option.name,
        "delivery_option_id": package.delivery_option.id,
        "tracking_number": package.tracking_number,
        "last_mile_tracking_number": "",
        "pickup_slot": dict(package.pickup_slot or {"start_time": 0, "end_time": 0}),
        "create_time": package.create_time,
        "update_time": package.update_time,
        "handover_method": package.handover_method,
        "order_line_item_ids": list(package.line_item_ids),
        "recipient_address": {
            k: recipient[k]
            for k in (
                "full_address",
                "phone_number",
                "name",
                "postal_code",
                "address_detail",
                "region_code",
                "address_line1",
                "address_line2",
                "address_line3",
                "address_line4",
            )
        },
        "sender_address": {
            "full_address": warehouse.address.get("full_address", ""),
            "phone_number": warehouse.address.get("phone_number", ""),
            "name": warehouse.address.get("contact_person", ""),
            "postal_code": warehouse.address.get("postal_code", ""),
            "region_code": shop.region,
            "address_detail": "",
            "address_line1": warehouse.address.get("address_line1", ""),
            "address_line2": "",
            "address_line3": "",
            "address_line4": "",
        },
        "weight": {"value": "500", "unit": "GRAM"},
        "dimension": {"length": "20", "width": "15", "height": "10", "unit": "CM"},
        "insurance": {
            "is_purchased": False,
            "coverage_amount": "0",
            "is_claim_eligible": False,
            "claim_status": "NOT_STARTED",
        },
    }
    return view
