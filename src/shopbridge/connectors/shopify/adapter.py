"""Shopify REST payloads <-> ShopBridge DTOs. Pure functions, no I/O.

Field names from ../shared/spec/stores/shopify.md §4 (products, variants, images), §6 (orders)
and §7 (fulfillments).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from shopbridge.connectors.base.dto import (
    Address,
    InventoryLevel,
    Location,
    MarketplaceOrderIn,
    ProductOption,
    ProductStatus,
    RefundLineIn,
    StoreFulfillment,
    StoreImage,
    StoreOrder,
    StoreProduct,
    StoreRefund,
    StoreVariant,
    WeightUnit,
)
from shopbridge.connectors.base.refunds import RefundableLine, allocate_refund
from shopbridge.core.errors import FieldError, ValidationFailed

DEFAULT_TITLE = "Default Title"  # a product without options has one option "Title" = "Default Title"
# Marketplace -> the note attribute that carries its order id (spec §6.2 example: tiktok_order_id).
REFERENCE_ATTRIBUTES = {"tiktok_shop": "tiktok_order_id"}
MARKETPLACE_TAGS = {"tiktok_shop": "TikTok"}


def reference_attribute(marketplace: str) -> str:
    return REFERENCE_ATTRIBUTES.get(marketplace, f"{marketplace}_order_id")


def when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


def dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def real_options(product: dict[str, Any]) -> list[dict[str, Any]]:
    options = product.get("options") or []
    if (
        len(options) == 1
        and options[0].get("name") == "Title"
        and options[0].get("values") in ([DEFAULT_TITLE], None)
    ):
        return []
    return options


def variant_from_rest(
    variant: dict[str, Any], option_names: list[str], images: dict[int, str]
) -> StoreVariant:
    weight = dec(variant.get("weight"))
    has_weight = bool(weight) or bool(variant.get("grams"))  # Shopify stores 0 for "not set"
    return StoreVariant(
        external_id=str(variant["id"]),
        sku=variant.get("sku") or None,
        barcode=variant.get("barcode") or None,
        title=None if variant.get("title") == DEFAULT_TITLE else variant.get("title"),
        options={
            name: variant[f"option{i}"]
            for i, name in enumerate(option_names, start=1)
            if variant.get(f"option{i}")
        },
        price=Decimal(str(variant["price"])),
        compare_at_price=dec(variant.get("compare_at_price")),
        weight=weight if has_weight else None,
        weight_unit=WeightUnit(variant["weight_unit"]) if has_weight and variant.get("weight_unit") else None,
        inventory_item_id=str(variant["inventory_item_id"]) if variant.get("inventory_item_id") else None,
        inventory_quantity=variant.get("inventory_quantity"),
        tracks_inventory=variant.get("inventory_management") == "shopify",
        # inventory_policy "continue" = keep selling when out of stock (spec §4.2).
        continue_selling_when_out_of_stock=variant.get("inventory_policy") == "continue",
        image_url=images.get(variant["image_id"]) if variant.get("image_id") else None,
        position=variant.get("position") or 1,
        requires_shipping=variant.get("requires_shipping", True),
    )


def product_from_rest(
    product: dict[str, Any], *, shop_domain: str, collection_ids: list[str]
) -> StoreProduct:
    options = real_options(product)
    names = [o["name"] for o in options]
    images = product.get("images") or []
    tags = [t.strip() for t in (product.get("tags") or "").split(",") if t.strip()]
    categories = list(collection_ids)
    if product.get("product_type"):
        categories.append(f"product_type:{product['product_type']}")
    categories += [f"tag:{t}" for t in tags]
    return StoreProduct(
        external_id=str(product["id"]),
        title=product["title"],
        description_html=product.get("body_html") or "",
        handle=product.get("handle"),
        url=f"https://{shop_domain}/products/{product['handle']}" if product.get("handle") else None,
        vendor=product.get("vendor") or None,
        product_type=product.get("product_type") or None,
        tags=tags,
        status=ProductStatus(product.get("status") or "active"),
        category_ids=categories,
        options=[ProductOption(name=o["name"], values=list(o.get("values") or [])) for o in options],
        variants=[
            variant_from_rest(v, names, {i["id"]: i["src"] for i in images})
            for v in product.get("variants") or []
        ],
        images=[
            StoreImage(
                external_id=str(i["id"]),
                url=i["src"],
                position=i.get("position") or n,
                alt=i.get("alt") or None,
                variant_ids=[str(v) for v in i.get("variant_ids") or []],
            )
            for n, i in enumerate(images, start=1)
        ],
        created_at=when(product.get("created_at")),
        updated_at=when(product.get("updated_at")),
        extra={
            "published_at": product.get("published_at"),
            "admin_graphql_api_id": product.get("admin_graphql_api_id"),
        },
    )


def location_from_rest(location: dict[str, Any]) -> Location:
    return Location(
        external_id=str(location["id"]), name=location["name"], active=location.get("active", True)
    )


def level_from_rest(level: dict[str, Any]) -> InventoryLevel:
    return InventoryLevel(
        inventory_item_id=str(level["inventory_item_id"]),
        location_id=str(level["location_id"]),
        available=level.get("available") or 0,  # null = not tracked at this location
        updated_at=when(level.get("updated_at")),
    )


def fulfillment_from_rest(fulfillment: dict[str, Any]) -> StoreFulfillment:
    return StoreFulfillment(
        external_id=str(fulfillment["id"]),
        order_external_id=str(fulfillment["order_id"]),
        tracking_company=fulfillment.get("tracking_company"),
        tracking_number=fulfillment.get("tracking_number"),
        tracking_url=fulfillment.get("tracking_url"),
        status=fulfillment.get("status") or "success",
        line_variant_ids=[
            str(li["variant_id"]) for li in fulfillment.get("line_items") or [] if li.get("variant_id")
        ],
        created_at=when(fulfillment.get("created_at")),
    )


def marketplace_reference(order: dict[str, Any], marketplace: str = "tiktok_shop") -> str | None:
    attribute = reference_attribute(marketplace)
    for note in order.get("note_attributes") or []:
        if note.get("name") == attribute:
            return str(note.get("value"))
    return order.get("source_identifier") if order.get("source_name") == marketplace else None


def order_from_rest(order: dict[str, Any], *, shop_domain: str) -> StoreOrder:
    status = "cancelled" if order.get("cancelled_at") else ("closed" if order.get("closed_at") else "open")
    return StoreOrder(
        external_id=str(order["id"]),
        name=order.get("name"),
        marketplace_order_id=marketplace_reference(order),
        status=status,
        financial_status=order.get("financial_status"),
        fulfillment_status=order.get("fulfillment_status"),
        currency=order.get("currency"),
        total=dec(order.get("total_price")),
        admin_url=f"https://{shop_domain}/admin/orders/{order['id']}",
        fulfillments=[fulfillment_from_rest(f) for f in order.get("fulfillments") or []],
        refunds=[refund_from_rest(r) for r in order.get("refunds") or []],
        created_at=when(order.get("created_at")),
        cancelled_at=when(order.get("cancelled_at")),
    )


def address_to_rest(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    first, last = address.first_name, address.last_name
    if not (first or last) and address.name:
        first, _, last = address.name.partition(" ")
    return {
        "first_name": first,
        "last_name": last or None,
        "name": address.name,
        "phone": address.phone,
        "company": address.company,
        "address1": address.address1,
        "address2": address.address2,
        "city": address.city,
        "province": address.province,
        "province_code": address.province_code,
        "zip": address.postal_code,
        "country_code": address.country_code,
    }


def order_to_rest(order: MarketplaceOrderIn) -> dict[str, Any]:
    """The REST order create body for a marketplace order (spec §6.2)."""
    reference = order.marketplace_order_id
    tags = [MARKETPLACE_TAGS.get(order.marketplace, order.marketplace), *order.tags]
    payload: dict[str, Any] = {
        "line_items": [
            {
                "variant_id": int(line.variant_external_id),
                "quantity": line.quantity,
                "price": str(line.unit_price),
            }
            if line.variant_external_id.isdigit()
            else {
                "variant_id": line.variant_external_id,
                "quantity": line.quantity,
                "price": str(line.unit_price),
            }
            for line in order.lines
        ],
        "currency": order.currency,
        "financial_status": "paid" if order.paid else "pending",
        # No emails to the buyer: the marketplace owns the customer relationship (spec §6.2).
        "send_receipt": False,
        "send_fulfillment_receipt": False,
        # The sale already happened on the marketplace: take stock even when it goes negative.
        "inventory_behaviour": "decrement_ignoring_policy" if order.deduct_inventory else "bypass",
        "source_name": order.marketplace,
        "source_identifier": reference,
        "tags": ", ".join(dict.fromkeys(tags)),
        "note": order.note
        or f"{MARKETPLACE_TAGS.get(order.marketplace, order.marketplace)} order {reference}",
        "note_attributes": [{"name": reference_attribute(order.marketplace), "value": reference}],
        "shipping_lines": [
            {"title": s.title, "price": str(s.amount), "code": s.title} for s in order.shipping_lines
        ],
        "tax_lines": [{"title": t.title, "price": str(t.amount)} for t in order.tax_lines],
    }
    if order.buyer_email:
        payload["email"] = order.buyer_email
    if order.shipping_address is not None:
        payload["shipping_address"] = address_to_rest(order.shipping_address)
    if order.discount_total:
        payload["discount_codes"] = [
            {"code": "MARKETPLACE", "amount": str(order.discount_total), "type": "fixed_amount"}
        ]
    if order.placed_at is not None:
        payload["processed_at"] = order.placed_at.isoformat()
    if order.paid:
        payload["transactions"] = [{"kind": "sale", "status": "success", "amount": str(order.total)}]
    if order.order_number:
        # The merchant chose TikTok's id as the order name. UNCONFIRMED in ../shared/spec/stores/
        # shopify.md: the REST order create accepts ``name`` as far as known; without it Shopify
        # numbers the order itself and the TikTok id stays in the note and note attributes.
        payload["name"] = order.order_number
    return {"order": payload}


# -- refunds (REST Refund resource; not in ../shared/spec/stores/shopify.md, which stops at §6.3
# cancel: shapes follow shopify.dev "REST Admin API > Refund", UNCONFIRMED against the spec) --------
RESTOCKING_TYPES = ("return", "cancel", "legacy_restock")  # restock_type values that put stock back


def refund_from_rest(refund: dict[str, Any]) -> StoreRefund:
    """Money = the successful ``kind: refund`` transactions; restocked = any line put back in stock."""
    transactions = [
        t
        for t in refund.get("transactions") or []
        if t.get("kind") == "refund" and t.get("status", "success") == "success"
    ]
    amount = sum((dec(t.get("amount")) or Decimal("0") for t in transactions), Decimal("0"))
    return StoreRefund(
        external_id=str(refund["id"]),
        order_external_id=str(refund["order_id"]),
        amount=amount,
        restocked=any(
            line.get("restock_type") in RESTOCKING_TYPES for line in refund.get("refund_line_items") or []
        ),
    )


def refunded_quantities(order: dict[str, Any]) -> dict[int, int]:
    """line item id -> quantity already refunded by the order's earlier refunds."""
    done: dict[int, int] = {}
    for refund in order.get("refunds") or []:
        for line in refund.get("refund_line_items") or []:
            done[int(line["line_item_id"])] = done.get(int(line["line_item_id"]), 0) + int(line["quantity"])
    return done


def refund_line_items(order: dict[str, Any], lines: list[RefundLineIn]) -> list[dict[str, Any]]:
    """Our lines -> ``refund_line_items`` (line_item_id, quantity), spread over the order lines of the
    same variant. Checked here, before any write, so a bad request never half-refunds."""
    refunded = refunded_quantities(order)
    order_lines = [
        RefundableLine(
            int(line["id"]),
            str(line.get("variant_id")),
            int(line["quantity"]) - refunded.get(int(line["id"]), 0),
        )
        for line in order.get("line_items") or []
    ]
    picked = allocate_refund(lines, order_lines, order_id=order["id"], platform="shopify")
    return [{"line_item_id": line_id, "quantity": quantity} for line_id, quantity in picked.items()]


def refund_transactions(suggested: list[dict[str, Any]], amount: Decimal | None) -> list[dict[str, Any]]:
    """The create body's ``transactions``: the calculated ones (kind ``suggested_refund`` becomes
    ``refund``) when no amount is given, else one transaction of ``amount`` on the same parent."""
    if amount is None:
        return [
            {
                "parent_id": t["parent_id"],
                "amount": t["amount"],
                "kind": "refund",
                "gateway": t.get("gateway"),
            }
            for t in suggested
            if dec(t.get("amount"))
        ]
    if amount == 0:
        return []
    if not suggested:
        raise ValidationFailed(
            f"cannot refund {amount}: Shopify suggests no transaction to refund against on this order",
            platform="shopify",
            code="nothing_to_refund",
            field_errors=[
                FieldError(
                    field="amount",
                    code="nothing_to_refund",
                    reason="the order has no refundable payment",
                    fix="Refund with amount=0 (stock only) or record the payment first.",
                )
            ],
        )
    first = suggested[0]
    return [
        {
            "parent_id": first["parent_id"],
            "amount": f"{amount:.2f}",
            "kind": "refund",
            "gateway": first.get("gateway"),
        }
    ]
