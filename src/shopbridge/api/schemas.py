"""Response schemas. Never credentials, webhook tokens, raw platform payloads or buyer details."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from shopbridge.connections.selectors import reauthorisation_due


class StoreOut(Schema):
    id: int
    platform: str
    name: str
    base_url: str
    external_id: str
    currency: str
    weight_unit: str
    timezone: str
    status: str
    status_code: str
    status_reason: str
    status_fix: str
    last_import_at: datetime | None
    last_success_at: datetime | None
    connected_at: datetime | None
    created_at: datetime


class ShopOut(Schema):
    id: int
    region: str
    shop_id: str
    name: str
    currency: str
    warehouse_id: str
    status: str
    status_code: str
    status_reason: str
    status_fix: str
    access_token_expires_at: datetime | None
    authorization_expires_at: datetime | None
    reauthorise_soon: bool
    last_success_at: datetime | None
    connected_at: datetime | None
    daily_listing_quota: int
    created_at: datetime

    @staticmethod
    def resolve_reauthorise_soon(obj: Any) -> bool:
        return reauthorisation_due(obj)


class ChannelOut(Schema):
    id: int
    name: str
    store_id: int
    shop_id: int
    status: str
    status_code: str
    status_reason: str
    status_fix: str
    store_currency: str
    shop_currency: str
    currencies_differ: bool
    currency_rate: Decimal | None
    product_sync_enabled: bool
    order_sync_enabled: bool
    keep_details_in_sync: bool
    order_hold: str
    push_store_cancellations: bool
    orders_since: datetime | None
    settings: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_store_currency(obj: Any) -> str:
        return obj.store.currency

    @staticmethod
    def resolve_shop_currency(obj: Any) -> str:
        return obj.shop.currency


class VariantOut(Schema):
    id: int
    external_id: str
    sku: str
    barcode: str
    title: str
    options: dict[str, Any]
    price: Decimal
    compare_at_price: Decimal | None
    weight: Decimal | None
    weight_unit: str
    tracks_inventory: bool
    image_url: str
    position: int


class ProductOut(Schema):
    id: int
    store_id: int
    external_id: str
    title: str
    handle: str
    url: str
    vendor: str
    product_type: str
    tags: list[Any]
    status: str
    category_ids: list[Any]
    store_updated_at: datetime | None
    variants: list[VariantOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_variants(obj: Any) -> list[Any]:
        return [v for v in obj.variants.all() if v.deleted_at is None]


class ListingSkuOut(Schema):
    id: int
    variant_id: int | None
    selected: bool
    tiktok_sku_id: str | None
    seller_sku: str
    pushed_price: Decimal | None
    pushed_inventory: int | None
    pushed_at: datetime | None


class ListingOut(Schema):
    id: int
    channel_id: int
    product_id: int
    product_title: str
    status: str
    tiktok_product_id: str | None
    tiktok_status: str
    error_code: str
    error_reason: str
    error_fix: str
    field_errors: list[Any]
    review_reasons: list[Any]
    last_pushed_at: datetime | None
    scheduled_for: datetime | None
    skus: list[ListingSkuOut]
    updated_at: datetime

    @staticmethod
    def resolve_product_title(obj: Any) -> str:
        return obj.product.title


class CategoryMappingOut(Schema):
    id: int
    channel_id: int
    product_id: int
    tiktok_category_id: str
    tiktok_category_path: str
    source: str
    attribute_values: dict[str, Any]
    locked_at: datetime | None


class OrderLineOut(Schema):
    id: int
    tiktok_line_id: str
    tiktok_sku_id: str
    seller_sku: str
    title: str
    quantity: int
    unit_price: Decimal | None
    variant_id: int | None


class FulfillmentOut(Schema):
    id: int
    store_fulfillment_id: str
    tracking_company: str
    tracking_number: str
    tracking_url: str
    shipping_provider_name: str
    tiktok_package_id: str
    state: str
    error_code: str
    error_reason: str
    error_fix: str
    pushed_at: datetime | None


class CancellationOut(Schema):
    id: int
    tiktok_cancel_id: str
    status: str
    reason: str
    initiated_by: str
    store_action: str
    store_action_error: str


class ReturnOut(Schema):
    id: int
    tiktok_return_id: str
    return_type: str
    status: str
    reason: str
    refund_total: Decimal | None
    currency: str
    needs_action: bool


class OrderOut(Schema):
    id: int
    channel_id: int
    tiktok_order_id: str
    tiktok_status: str
    sync_state: str
    blocked_code: str
    blocked_reason: str
    blocked_fix: str
    store_order_id: str | None
    store_order_name: str
    fulfillment_type: str
    is_sample: bool
    currency: str
    total: Decimal | None
    placed_at: datetime | None
    paid_at: datetime | None
    hold_until: datetime | None
    synced_at: datetime | None
    lines: list[OrderLineOut]
    fulfillments: list[FulfillmentOut]
    cancellations: list[CancellationOut]
    returns: list[ReturnOut]


class ImportRunOut(Schema):
    id: int
    store_id: int
    kind: str
    state: str
    pages: int
    products_seen: int
    products_changed: int
    products_deleted: int
    error: dict[str, Any]
    created_at: datetime
    finished_at: datetime | None


class JobOut(Schema):
    id: int
    kind: str
    key: str
    state: str
    attempts: int
    max_attempts: int
    run_after: datetime
    started_at: datetime | None
    finished_at: datetime | None
    last_error: dict[str, Any]
    created_at: datetime

    @staticmethod
    def resolve_last_error(obj: Any) -> dict[str, Any]:
        # Tracebacks are for operators (logs, admin), not for API clients.
        return {k: v for k, v in (obj.last_error or {}).items() if k != "traceback"}


class EventOut(Schema):
    id: int
    platform: str
    connection_kind: str
    connection_id: int
    external_id: str
    topic: str
    resource_id: str
    state: str
    received_at: datetime
    handled_at: datetime | None
    attempts: int
    last_error: dict[str, Any]


class RejectedWebhookOut(Schema):
    id: int
    platform: str
    connection_kind: str
    connection_id: int | None
    code: str
    reason: str
    created_at: datetime


class CategoryTemplateOut(Schema):
    id: int
    channel_id: int
    name: str
    priority: int
    match_field: str
    match_value: str
    tiktok_category_id: str
    tiktok_category_path: str
    attribute_defaults: dict[str, Any]
    defaults: dict[str, Any]
    created_at: datetime
