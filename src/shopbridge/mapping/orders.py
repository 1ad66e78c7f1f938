"""TikTok order -> store order (pure): lines, amounts, buyer placeholders, labels, numbering.

TikTok sends one line item per *unit* (../shared/spec/tiktok-shop-api.md §10.1); lines are grouped
by SKU here. Money is a decimal string (§6). Buyer fields TikTok hides (masked or absent) are
replaced by the channel's placeholders so the store accepts the order.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopbridge.connectors.base.dto import Address, ChargeLine, MarketplaceOrderIn, OrderLineIn


@dataclass(frozen=True)
class OrderOptions:
    """Per-channel order settings (Channel.settings["orders"])."""

    numbering: str = "store"  # "store": the store's own number | "tiktok": TikTok id with prefix/suffix
    prefix: str = "TT-"
    suffix: str = ""
    tag: str = "TikTok"
    placeholder_email: str = "tiktok-buyer@example.invalid"
    placeholder_phone: str = "0000000000"
    placeholder_name: str = "TikTok Buyer"
    fbt_deduct_stock: bool = False
    sync_samples: bool = True
    fulfilment_hold: str = "off"  # off | warn | hold (inside TikTok's cancellation hour)
    # TikTok sends no address while an order is ON_HOLD (§10.1): with "create now", such orders
    # reach the store without one unless this asks to wait for it.
    require_address: bool = False
    # Returns and refunds are shown, not pushed, unless the merchant turns this on: then a refund
    # TikTok has completed is recorded in the store too (restocking items that came back).
    refund_in_store: bool = False
    restock_on_return: bool = True

    @classmethod
    def from_settings(cls, data: dict[str, Any] | None) -> OrderOptions:
        data = data or {}
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class GroupedLine:
    sku_id: str
    seller_sku: str
    title: str
    quantity: int
    unit_price: Decimal
    line_item_ids: tuple[str, ...]


@dataclass
class ResolvedLine:
    line: GroupedLine
    product_external_id: str
    variant_external_id: str


@dataclass
class Amounts:
    subtotal: Decimal = Decimal("0")
    shipping: Decimal = Decimal("0")
    tax: Decimal = Decimal("0")
    discount: Decimal = Decimal("0")
    total: Decimal = Decimal("0")
    notes: list[str] = field(default_factory=list)


def money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)) if value not in (None, "") else Decimal("0")
    except InvalidOperation:
        return Decimal("0")


def group_lines(line_items: list[Any]) -> list[GroupedLine]:
    """One line per SKU with a quantity, from TikTok's one-item-per-unit lines."""
    groups: OrderedDict[str, list[Any]] = OrderedDict()
    for item in line_items:
        if getattr(item, "display_status", None) == "CANCELLED":
            continue
        groups.setdefault(str(item.sku_id), []).append(item)
    lines = []
    for sku_id, items in groups.items():
        first = items[0]
        price = money(first.sale_price if first.sale_price not in (None, "") else first.original_price)
        title = " - ".join(x for x in (first.product_name, first.sku_name) if x) or f"TikTok SKU {sku_id}"
        lines.append(
            GroupedLine(sku_id=sku_id, seller_sku=first.seller_sku or "", title=title[:255], quantity=len(items),
                        unit_price=price, line_item_ids=tuple(str(i.id) for i in items))
        )
    return lines


def amounts(order: Any) -> Amounts:
    p = order.payment
    if p is None:
        return Amounts(notes=["TikTok sent no payment block; amounts come from the lines only."])
    a = Amounts(
        subtotal=money(p.sub_total), shipping=money(p.shipping_fee), tax=money(p.tax),
        discount=money(p.seller_discount) + money(p.platform_discount), total=money(p.total_amount),
    )
    computed = a.subtotal + a.shipping + a.tax
    if a.total and computed != a.total:
        a.notes.append(
            f"TikTok total {a.total} differs from subtotal+shipping+tax {computed} "
            f"(discounts of {a.discount} are funded by the seller or TikTok)."
        )
    return a


def _masked(value: str | None) -> bool:
    return not value or "*" in value


def store_order_number(tiktok_order_id: str, options: OrderOptions) -> str | None:
    if options.numbering != "tiktok":
        return None
    return f"{options.prefix}{tiktok_order_id}{options.suffix}"


def build_store_order(
    order: Any,
    lines: list[ResolvedLine],
    *,
    options: OrderOptions,
    fulfilled_by_tiktok: bool,
    is_sample: bool,
) -> MarketplaceOrderIn:
    a = amounts(order)
    addr = order.recipient_address
    first = (addr.first_name if addr else None) or None
    last = (addr.last_name if addr else None) or None
    name = (addr.name if addr else None) or options.placeholder_name
    if _masked(name):
        name = options.placeholder_name
    phone = addr.phone_number if addr else None
    if _masked(phone):
        phone = options.placeholder_phone
    country = (addr.region_code if addr else None) or None
    address = None
    if addr is not None:
        levels = {d.address_level: d.address_name for d in addr.district_info}
        address = Address(
            name=name, first_name=first, last_name=last, phone=phone,
            address1=addr.address_line1 or addr.address_detail or addr.full_address,
            address2=addr.address_line2, city=addr.post_town or levels.get("L2") or levels.get("L3"),
            province=levels.get("L1"), postal_code=addr.postal_code,
            country_code=("GB" if country == "UK" else country),
        )
    email = order.buyer_email if order.buyer_email and "@" in order.buyer_email else options.placeholder_email
    tags = [options.tag]
    if fulfilled_by_tiktok:
        tags.append("TikTok shipped")
    if is_sample:
        tags.append("TikTok sample")
    note_bits = [f"TikTok Shop order {order.id}"]
    if fulfilled_by_tiktok:
        note_bits.append("shipped by TikTok: do not ship from the store")
    if order.buyer_message:
        note_bits.append(f"Buyer message: {order.buyer_message}")
    note_bits.extend(a.notes)
    placed = datetime.fromtimestamp(order.create_time, tz=UTC) if order.create_time else None
    shipping = [ChargeLine(title="TikTok Shop shipping", amount=a.shipping)] if a.shipping else []
    taxes = [ChargeLine(title="Tax", amount=a.tax)] if a.tax else []
    return MarketplaceOrderIn(
        marketplace="tiktok_shop",
        marketplace_order_id=str(order.id),
        order_number=store_order_number(str(order.id), options),
        currency=(order.payment.currency if order.payment else "") or "",
        lines=[
            OrderLineIn(
                product_external_id=r.product_external_id, variant_external_id=r.variant_external_id,
                sku=r.line.seller_sku or None, title=r.line.title, quantity=r.line.quantity,
                unit_price=r.line.unit_price, marketplace_line_id=r.line.sku_id,
            )
            for r in lines
        ],
        shipping_lines=shipping,
        tax_lines=taxes,
        discount_total=Decimal("0"),
        total=a.total or sum((r.line.unit_price * r.line.quantity for r in lines), Decimal("0")) + a.shipping + a.tax,
        buyer_email=email,
        buyer_name=name,
        shipping_address=address,
        note=" | ".join(note_bits),
        tags=tags,
        fulfilled_by_marketplace=fulfilled_by_tiktok,
        # FBT ships from TikTok's warehouse: the store's stock is touched only if the merchant chose so.
        deduct_inventory=options.fbt_deduct_stock if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK" else True,
        placed_at=placed,
        paid=True,
    )
