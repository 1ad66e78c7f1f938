"""Shared domain types that cross the connector boundary.

Connectors map their platform's payloads to and from these; the core never sees a platform
payload. Money is ``Decimal`` (never float); ids from platforms are strings (many are 64-bit
or opaque, and JavaScript clients on the platforms' side would lose precision on numbers).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class DTO(BaseModel):
    model_config = ConfigDict(frozen=False, extra="forbid", populate_by_name=True)


class WeightUnit(StrEnum):
    G = "g"
    KG = "kg"
    LB = "lb"
    OZ = "oz"


class DimensionUnit(StrEnum):
    CM = "cm"
    IN = "in"
    M = "m"
    MM = "mm"


class ProductStatus(StrEnum):
    ACTIVE = "active"
    DRAFT = "draft"
    ARCHIVED = "archived"
    DELETED = "deleted"


class ShopInfo(DTO):
    name: str
    currency: str  # ISO 4217
    weight_unit: WeightUnit = WeightUnit.KG
    dimension_unit: DimensionUnit = DimensionUnit.CM
    timezone: str = "UTC"
    domain: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2
    email: str | None = None


class StoreCategory(DTO):
    """A store grouping usable for mapping: category, collection, product type or tag."""

    external_id: str
    name: str
    kind: Literal["category", "collection", "product_type", "tag"] = "category"
    parent_id: str | None = None
    path: str | None = None  # "Men > Tops > Hoodies"


class ProductOption(DTO):
    name: str  # "Color", "Size" as the store spells it
    values: list[str] = Field(default_factory=list)


class Dimensions(DTO):
    length: Decimal | None = None
    width: Decimal | None = None
    height: Decimal | None = None
    unit: DimensionUnit = DimensionUnit.CM


class StoreImage(DTO):
    external_id: str | None = None
    url: str
    position: int = 1
    alt: str | None = None
    variant_ids: list[str] = Field(default_factory=list)


class StoreVariant(DTO):
    external_id: str
    sku: str | None = None
    barcode: str | None = None
    title: str | None = None
    options: dict[str, str] = Field(default_factory=dict)  # option name -> value
    price: Decimal
    compare_at_price: Decimal | None = None  # "was" price (Shopify compare_at, Woo regular when on sale)
    weight: Decimal | None = None
    weight_unit: WeightUnit | None = None
    dimensions: Dimensions | None = None
    inventory_item_id: str | None = None  # Shopify has separate inventory items; others reuse the variant id
    inventory_quantity: int | None = None  # total across locations, when the platform reports it
    tracks_inventory: bool = True
    continue_selling_when_out_of_stock: bool = False
    image_url: str | None = None
    position: int = 1
    requires_shipping: bool = True


class StoreProduct(DTO):
    external_id: str
    title: str
    description_html: str = ""
    handle: str | None = None
    url: str | None = None
    vendor: str | None = None
    product_type: str | None = None
    tags: list[str] = Field(default_factory=list)
    status: ProductStatus = ProductStatus.ACTIVE
    category_ids: list[str] = Field(default_factory=list)
    options: list[ProductOption] = Field(default_factory=list)
    variants: list[StoreVariant] = Field(default_factory=list)
    images: list[StoreImage] = Field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    raw_kind: str | None = None  # platform's product kind (Woo: simple/variable/grouped/external)
    extra: dict[str, Any] = Field(default_factory=dict)


class ProductPage(DTO):
    products: list[StoreProduct]
    next_cursor: str | None = None  # None: this was the last page
    skipped: list[SkippedRecord] = Field(default_factory=list)


class SkippedRecord(DTO):
    """A record the connector could not map, kept with its reason (never silently dropped)."""

    external_id: str
    reason: str


class Location(DTO):
    external_id: str
    name: str
    active: bool = True


class InventoryLevel(DTO):
    inventory_item_id: str
    location_id: str
    available: int
    updated_at: datetime | None = None


class Address(DTO):
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    address1: str | None = None
    address2: str | None = None
    city: str | None = None
    province: str | None = None
    province_code: str | None = None
    postal_code: str | None = None
    country_code: str | None = None
    company: str | None = None


class OrderLineIn(DTO):
    product_external_id: str
    variant_external_id: str
    sku: str | None = None
    title: str
    quantity: int = Field(gt=0)
    unit_price: Decimal
    marketplace_line_id: str | None = None


class ChargeLine(DTO):
    title: str
    amount: Decimal


class MarketplaceOrderIn(DTO):
    """An order from a marketplace (TikTok Shop) to create in the store."""

    marketplace: str = "tiktok_shop"
    marketplace_order_id: str
    order_number: str | None = None  # store order name/number wanted, when the store allows one
    currency: str
    lines: list[OrderLineIn]
    shipping_lines: list[ChargeLine] = Field(default_factory=list)
    tax_lines: list[ChargeLine] = Field(default_factory=list)
    discount_total: Decimal = Decimal("0")
    total: Decimal
    buyer_email: str | None = None
    buyer_name: str | None = None
    shipping_address: Address | None = None
    note: str = ""
    tags: list[str] = Field(default_factory=list)
    fulfilled_by_marketplace: bool = False
    deduct_inventory: bool = True
    placed_at: datetime | None = None
    paid: bool = True


class StoreFulfillment(DTO):
    external_id: str
    order_external_id: str
    tracking_company: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    status: str = "success"
    line_variant_ids: list[str] = Field(default_factory=list)
    created_at: datetime | None = None


class RefundLineIn(DTO):
    """One order line to refund, named by the variant the store order was created with."""

    variant_external_id: str
    quantity: int = Field(gt=0)


class StoreRefund(DTO):
    """A refund recorded in the store.

    ``amount`` is the money the store recorded as refunded (``Decimal("0")`` for a stock-only
    refund; None when the store did not report it). ``restocked`` says whether the refunded
    quantities were put back into stock.
    """

    external_id: str
    order_external_id: str
    amount: Decimal | None = None
    restocked: bool = False


class StoreOrder(DTO):
    external_id: str
    name: str | None = None  # the number the merchant sees ("#1001")
    marketplace_order_id: str | None = None
    status: Literal["open", "cancelled", "closed"] = "open"
    financial_status: str | None = None
    fulfillment_status: str | None = None
    currency: str | None = None
    total: Decimal | None = None
    admin_url: str | None = None
    fulfillments: list[StoreFulfillment] = Field(default_factory=list)
    refunds: list[StoreRefund] = Field(default_factory=list)
    created_at: datetime | None = None
    cancelled_at: datetime | None = None


class WebhookTopic(StrEnum):
    PRODUCT_CREATED = "product.created"
    PRODUCT_UPDATED = "product.updated"
    PRODUCT_DELETED = "product.deleted"
    INVENTORY_UPDATED = "inventory.updated"
    ORDER_CREATED = "order.created"
    ORDER_UPDATED = "order.updated"
    ORDER_CANCELLED = "order.cancelled"
    FULFILLMENT_CREATED = "fulfillment.created"
    FULFILLMENT_UPDATED = "fulfillment.updated"
    CATEGORY_UPDATED = "category.updated"
    APP_UNINSTALLED = "app.uninstalled"


class WebhookRegistration(DTO):
    external_id: str
    topic: WebhookTopic
    address: str


class StoreWebhookEvent(DTO):
    """A verified, parsed store webhook. ``resource_id`` is what to re-read from the store."""

    topic: WebhookTopic
    event_id: str  # the platform's delivery/event id, used for inbox dedup
    resource_id: str | None = None
    platform_topic: str  # the platform's own topic name
    occurred_at: datetime | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


class Capabilities(DTO):
    webhooks: bool = True
    multi_location: bool = False
    order_tags: bool = True
    custom_order_number: bool = False
    cancel_with_restock: bool = True
    fulfillment_tracking: bool = True
    refunds: bool = True  # refund_order (record a refund, optionally restock) is supported


ProductPage.model_rebuild()
