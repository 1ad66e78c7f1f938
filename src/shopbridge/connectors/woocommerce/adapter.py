"""WooCommerce payloads <-> ShopBridge DTOs. Pure functions, no I/O.

Field meanings: ../shared/spec/stores/woocommerce.md §3 (products), §4 (variations), §7 (orders),
§7.4 (Shipment Tracking meta ``_wc_shipment_tracking_items``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopbridge.connectors.base.dto import (
    Address,
    Dimensions,
    DimensionUnit,
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

# settings/products woocommerce_weight_unit / woocommerce_dimension_unit option values.
WEIGHT_UNITS = {"kg": WeightUnit.KG, "g": WeightUnit.G, "lbs": WeightUnit.LB, "oz": WeightUnit.OZ}
DIMENSION_UNITS = {
    "cm": DimensionUnit.CM,
    "mm": DimensionUnit.MM,
    "m": DimensionUnit.M,
    "in": DimensionUnit.IN,
}
YARD_IN_INCHES = Decimal(36)  # "yd" has no DTO unit: converted to inches
STATUS = {
    "publish": ProductStatus.ACTIVE,
    "draft": ProductStatus.DRAFT,
    "pending": ProductStatus.DRAFT,
    "private": ProductStatus.DRAFT,
    "trash": ProductStatus.ARCHIVED,
}
TRACKING_META = "_wc_shipment_tracking_items"
SELLABLE_TYPES = ("simple", "variable")
SKIP_REASONS = {
    # Grouped: a display container whose children are separate products (W-PROD type enum).
    "grouped": "grouped product: a container of other products, which are imported on their own",
    # External: bought on another site through external_url, never stocked or shipped by the store.
    "external": "external/affiliate product: sold on another site, the store cannot fulfil it",
}


def marketplace_meta_key(marketplace: str) -> str:
    # The spec's example key for TikTok Shop orders (§7.1); other marketplaces follow the pattern.
    return "_tiktok_order_id" if marketplace == "tiktok_shop" else f"_{marketplace}_order_id"


def money(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def money_str(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def parse_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


class Units:
    """The store's weight and dimension units (settings/products)."""

    def __init__(self, weight: str, dimension: str) -> None:
        self.weight = WEIGHT_UNITS.get(weight, WeightUnit.KG)
        self.dimension_factor = YARD_IN_INCHES if dimension == "yd" else Decimal(1)
        self.dimension = (
            DimensionUnit.IN if dimension == "yd" else DIMENSION_UNITS.get(dimension, DimensionUnit.CM)
        )

    def dimensions(self, raw: dict[str, Any] | None) -> Dimensions | None:
        values = {axis: money((raw or {}).get(axis)) for axis in ("length", "width", "height")}
        if all(v is None for v in values.values()):
            return None
        scaled = {axis: v * self.dimension_factor if v is not None else None for axis, v in values.items()}
        return Dimensions(**scaled, unit=self.dimension)


def skip_reason(product: dict[str, Any], variations: list[dict[str, Any]]) -> str | None:
    kind = product.get("type")
    if kind not in SELLABLE_TYPES:
        return SKIP_REASONS.get(kind, f"unsupported product type {kind!r}")
    if kind == "variable" and not variations:
        return "variable product without variations: nothing can be bought"
    return None


def unpriced_reason(item: dict[str, Any]) -> str | None:
    if money(item.get("price")) is None:
        return "no price set: WooCommerce does not sell it (purchasable=false)"
    return None


def _stock(item: dict[str, Any], parent: dict[str, Any] | None) -> tuple[bool, int | None]:
    managed = item.get("manage_stock")
    if managed == "parent" and parent is not None:
        return True, parent.get("stock_quantity")
    if managed is True:
        return True, item.get("stock_quantity")
    return False, None


def _variant(
    item: dict[str, Any], *, parent: dict[str, Any] | None, units: Units, title: str, position: int
) -> StoreVariant:
    price = money(item.get("price")) or Decimal(0)
    regular = money(item.get("regular_price"))
    tracks, quantity = _stock(item, parent)
    options = {a["name"]: a["option"] for a in item.get("attributes") or [] if "option" in a}
    image = item.get("image") or next(iter(item.get("images") or []), None)
    return StoreVariant(
        external_id=str(item["id"]),
        sku=item.get("sku") or None,
        title=" / ".join(options.values()) or title,
        options=options,
        price=price,
        # Woo's "was" price is the regular price while a sale price applies.
        compare_at_price=regular if item.get("on_sale") and regular and regular > price else None,
        weight=money(item.get("weight")),
        weight_unit=units.weight if money(item.get("weight")) is not None else None,
        dimensions=units.dimensions(item.get("dimensions")),
        inventory_item_id=str(item["id"]),
        inventory_quantity=quantity,
        tracks_inventory=tracks,
        # Backorders "notify"/"yes" let customers keep buying at zero stock.
        continue_selling_when_out_of_stock=item.get("backorders") in ("notify", "yes"),
        image_url=image["src"] if image else None,
        position=position,
        requires_shipping=not item.get("virtual", False),
    )


def _images(product: dict[str, Any], variations: list[dict[str, Any]]) -> list[StoreImage]:
    """Product gallery first (featured image at position 1), then variation images not already in
    it; one image per attachment id, listing the variations that use it."""
    images: list[StoreImage] = []
    by_key: dict[str, StoreImage] = {}
    for raw in product.get("images") or []:
        key = str(raw.get("id") or raw["src"])
        if key not in by_key:
            by_key[key] = StoreImage(
                external_id=str(raw.get("id") or "") or None,
                url=raw["src"],
                position=len(images) + 1,
                alt=raw.get("alt") or None,
            )
            images.append(by_key[key])
    for variation in variations:
        raw = variation.get("image")
        if not raw or not raw.get("src"):
            continue
        key = str(raw.get("id") or raw["src"])
        if key not in by_key:
            by_key[key] = StoreImage(
                external_id=str(raw.get("id") or "") or None,
                url=raw["src"],
                position=len(images) + 1,
                alt=raw.get("alt") or None,
            )
            images.append(by_key[key])
        by_key[key].variant_ids.append(str(variation["id"]))
    return images


def product_from_payloads(
    product: dict[str, Any], variations: list[dict[str, Any]], *, units: Units, base_url: str
) -> StoreProduct:
    """A simple product is its own single variant; a variable product's variations are its variants.
    Callers drop unpriced variations first (see ``unpriced_reason``)."""
    title = product.get("name") or ""
    if product.get("type") == "variable":
        variants = [
            _variant(v, parent=product, units=units, title=title, position=i + 1)
            for i, v in enumerate(variations)
        ]
    else:
        variants = [_variant(product, parent=None, units=units, title=title, position=1)]
    options = [
        ProductOption(name=a["name"], values=list(a.get("options") or []))
        for a in sorted(product.get("attributes") or [], key=lambda a: a.get("position", 0))
        if a.get("variation") and product.get("type") == "variable"
    ]
    return StoreProduct(
        external_id=str(product["id"]),
        title=title,
        description_html=product.get("description") or "",
        handle=product.get("slug") or None,
        url=product.get("permalink") or None,
        tags=[t["name"] for t in product.get("tags") or []],
        status=STATUS.get(product.get("status", "publish"), ProductStatus.DRAFT),
        category_ids=[str(c["id"]) for c in product.get("categories") or []],
        options=options,
        variants=variants,
        images=_images(product, variations if product.get("type") == "variable" else []),
        created_at=parse_date(product.get("date_created_gmt")),
        updated_at=parse_date(product.get("date_modified_gmt")),
        raw_kind=product.get("type"),
        extra={
            "admin_url": f"{base_url}/wp-admin/post.php?post={product['id']}&action=edit",
            "short_description": product.get("short_description") or "",
        },
    )


# -- orders --------------------------------------------------------------------------------------
def _split_name(name: str | None) -> tuple[str, str]:
    first, _, last = (name or "").strip().partition(" ")
    return first, last


def _address(address: Address | None, *, email: str | None, buyer_name: str | None) -> dict[str, str]:
    first, last = _split_name(buyer_name)
    payload = {
        "first_name": (address.first_name if address else None) or first,
        "last_name": (address.last_name if address else None) or last,
        "company": (address.company if address else None) or "",
        "address_1": (address.address1 if address else None) or "",
        "address_2": (address.address2 if address else None) or "",
        "city": (address.city if address else None) or "",
        "state": (address.province_code or address.province if address else None) or "",
        "postcode": (address.postal_code if address else None) or "",
        "country": (address.country_code if address else None) or "",
        "phone": (address.phone if address else None) or "",
    }
    if address and address.name and not (address.first_name or address.last_name):
        payload["first_name"], payload["last_name"] = _split_name(address.name)
    if email is not None:
        payload["email"] = email
    return payload


def order_payload(order: MarketplaceOrderIn) -> dict[str, Any]:
    """POST /orders body for a marketplace order (spec §7.1)."""
    lines = []
    for line in order.lines:
        item: dict[str, Any] = {
            "product_id": int(line.product_external_id),
            "quantity": line.quantity,
            "subtotal": money_str(line.unit_price * line.quantity),
            "total": money_str(line.unit_price * line.quantity),
        }
        if line.variant_external_id != line.product_external_id:
            item["variation_id"] = int(line.variant_external_id)
        if line.marketplace_line_id:
            item["meta_data"] = [{"key": "_marketplace_line_id", "value": line.marketplace_line_id}]
        lines.append(item)
    # Woo has no writable tax lines on REST orders: marketplace-collected tax and discounts become
    # fee lines (fees may be negative) so the order total matches what the buyer paid.
    fees = [{"name": t.title, "total": money_str(t.amount), "tax_status": "none"} for t in order.tax_lines]
    if order.discount_total:
        fees.append(
            {
                "name": f"{order.marketplace} discount",
                "total": money_str(-order.discount_total),
                "tax_status": "none",
            }
        )
    status = "completed" if order.fulfilled_by_marketplace else ("processing" if order.paid else "pending")
    email = order.buyer_email or ""
    return {
        "status": status,
        "set_paid": order.paid,
        "currency": order.currency,
        "customer_id": 0,
        "customer_note": order.note,
        "payment_method": order.marketplace,
        "payment_method_title": "TikTok Shop" if order.marketplace == "tiktok_shop" else order.marketplace,
        "transaction_id": order.marketplace_order_id,
        "billing": _address(order.shipping_address, email=email, buyer_name=order.buyer_name),
        "shipping": _address(order.shipping_address, email=None, buyer_name=order.buyer_name),
        "line_items": lines,
        "shipping_lines": [
            {"method_id": order.marketplace, "method_title": s.title, "total": money_str(s.amount)}
            for s in order.shipping_lines
        ],
        "fee_lines": fees,
        "meta_data": [
            {"key": marketplace_meta_key(order.marketplace), "value": order.marketplace_order_id},
            {"key": "_shopbridge_marketplace", "value": order.marketplace},
        ],
    }


def meta_value(payload: dict[str, Any], key: str) -> Any:
    return next((m.get("value") for m in payload.get("meta_data") or [] if m.get("key") == key), None)


def fulfillments_from_meta(order: dict[str, Any]) -> list[StoreFulfillment]:
    items = meta_value(order, TRACKING_META) or []
    return [
        StoreFulfillment(
            external_id=str(item.get("tracking_id")),
            order_external_id=str(order["id"]),
            tracking_company=item.get("custom_tracking_provider") or item.get("tracking_provider") or None,
            tracking_number=item.get("tracking_number") or None,
            tracking_url=item.get("custom_tracking_link") or None,
            created_at=_timestamp(item.get("date_shipped")),
        )
        for item in items
        if isinstance(item, dict)
    ]


def fulfillment_from_tracking(order_id: str, item: dict[str, Any]) -> StoreFulfillment:
    """One item of GET /wc-shipment-tracking/v3/orders/{id}/shipment-trackings."""
    return StoreFulfillment(
        external_id=str(item["tracking_id"]),
        order_external_id=order_id,
        tracking_company=item.get("tracking_provider") or None,
        tracking_number=item.get("tracking_number") or None,
        tracking_url=item.get("tracking_link") or None,
        created_at=parse_date((item.get("date_shipped") or "")[:10] + "T00:00:00")
        if item.get("date_shipped")
        else None,
    )


def _timestamp(value: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(value), tz=UTC)
    except (TypeError, ValueError):
        return None


def order_from_payload(
    order: dict[str, Any], *, base_url: str, refunds: list[StoreRefund] | None = None
) -> StoreOrder:
    """``refunds``: the order's refunds read in full; without them the order's ``refunds`` summary
    (id and total only) is used, and ``restocked`` cannot be known there (reported False)."""
    status = order.get("status")
    # Woo keeps no cancellation date: the last modification of a cancelled order is when it happened.
    cancelled_at = parse_date(order.get("date_modified_gmt")) if status == "cancelled" else None
    fulfillments = fulfillments_from_meta(order)
    marketplace = meta_value(order, "_shopbridge_marketplace") or "tiktok_shop"
    return StoreOrder(
        external_id=str(order["id"]),
        name=f"#{order.get('number') or order['id']}",
        marketplace_order_id=str(meta_value(order, marketplace_meta_key(marketplace)) or "") or None,
        status="cancelled"
        if status in ("cancelled", "failed")
        else ("closed" if status in ("completed", "refunded") else "open"),
        financial_status="refunded"
        if status == "refunded"
        else ("paid" if order.get("date_paid") else "pending"),
        fulfillment_status="fulfilled" if fulfillments or status == "completed" else None,
        currency=order.get("currency"),
        total=money(order.get("total")),
        admin_url=f"{base_url}/wp-admin/post.php?post={order['id']}&action=edit",
        fulfillments=fulfillments,
        refunds=refunds if refunds is not None else refund_summaries(order),
        created_at=parse_date(order.get("date_created_gmt")),
        cancelled_at=cancelled_at,
    )


# -- refunds (the refunds endpoint is not in ../shared/spec/stores/woocommerce.md, which lists only
# the order's read-only refunds[] in §7; shapes follow the WooCommerce REST docs "Order refunds",
# UNCONFIRMED against the spec) -------------------------------------------------------------------
RESTOCK_META = "_shopbridge_restocked"  # our own refund meta: WooCommerce reports no restock flag
REFUNDED_ITEM_META = "_refunded_item_id"  # refund item -> the order item it refunds


def refund_from_payload(order_id: str, refund: dict[str, Any]) -> StoreRefund:
    return StoreRefund(
        external_id=str(refund["id"]),
        order_external_id=order_id,
        amount=money(refund.get("amount")),
        restocked=str(meta_value(refund, RESTOCK_META) or "") == "yes",
    )


def refund_summaries(order: dict[str, Any]) -> list[StoreRefund]:
    """The order's ``refunds`` entries: ``{id, reason, total}`` with a negative total."""
    return [
        StoreRefund(
            external_id=str(r["id"]),
            order_external_id=str(order["id"]),
            amount=abs(money(r.get("total")) or Decimal("0")),
            restocked=False,
        )
        for r in order.get("refunds") or []
    ]


def refunded_quantities(refunds: list[dict[str, Any]]) -> dict[int, int]:
    """order item id -> quantity refunded so far (refund items carry negative quantities)."""
    done: dict[int, int] = {}
    for refund in refunds:
        for line in refund.get("line_items") or []:
            item_id = meta_value(line, REFUNDED_ITEM_META)
            if item_id not in (None, ""):
                done[int(item_id)] = done.get(int(item_id), 0) + abs(int(line.get("quantity") or 0))
    return done


def _variant_of(item: dict[str, Any]) -> str:
    # Our variant id is the variation for variable products, the product itself for simple ones.
    return str(item.get("variation_id") or item.get("product_id"))


def refund_line_items(
    order: dict[str, Any], lines: list[RefundLineIn], refunded: dict[int, int]
) -> list[dict[str, Any]]:
    """Our lines -> ``line_items`` ``[{id, quantity, refund_total}]`` at the price paid per unit.

    Checked here because WooCommerce itself skips unknown item ids and does not cap quantities
    (``wc_create_refund``): without this a bad line would refund money or restock stock silently.
    """
    order_lines = [
        RefundableLine(int(i["id"]), _variant_of(i), int(i["quantity"]) - refunded.get(int(i["id"]), 0))
        for i in order.get("line_items") or []
    ]
    picked = allocate_refund(lines, order_lines, order_id=order["id"], platform="woocommerce")
    by_id = {int(i["id"]): i for i in order.get("line_items") or []}
    return [
        {
            "id": item_id,
            "quantity": quantity,
            "refund_total": money_str(
                (money(by_id[item_id].get("total")) or Decimal("0"))
                / int(by_id[item_id]["quantity"])
                * quantity
            ),
        }
        for item_id, quantity in picked.items()
    ]
