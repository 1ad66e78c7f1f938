"""Request bodies of the write endpoints: bounded, so generated junk is a 422, never a 5xx."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from .pagination import MAX_ID

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An ASCII host name or address, optional port, printable ASCII path: what an HTTP client can send.
Url = Annotated[
    str, StringConstraints(pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$", max_length=500)
]
# Keys and tokens travel in HTTP headers and query strings: printable ASCII only.
Secret = Annotated[str, StringConstraints(min_length=1, max_length=500, pattern=r"^[!-~]+$")]
Name = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
TikTokId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,32}$")]


class ShopifyCredentials(Schema):
    access_token: Secret
    api_secret: Secret
    api_version: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")] = "2024-10"


class WooCommerceCredentials(Schema):
    consumer_key: Secret
    consumer_secret: Secret
    webhook_secret: Annotated[str, StringConstraints(max_length=500, pattern=r"^[!-~]*$")] = ""


class StoreConnectIn(Schema):
    platform: Literal["shopify", "woocommerce"]
    base_url: Url
    external_id: Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[!-~]+$")]
    name: Name = ""
    shopify: ShopifyCredentials | None = None
    woocommerce: WooCommerceCredentials | None = None
    start_import: bool = True


class ShopConnectIn(Schema):
    """A seller's tokens (from your own OAuth flow or the sandbox manifest)."""

    app_key: Secret
    app_secret: Secret
    api_base_url: Url
    auth_base_url: Url
    access_token: Secret
    refresh_token: Secret
    access_token_expires_at: Annotated[int, Field(ge=0, le=2**40)] | None = None
    refresh_token_expires_at: Annotated[int, Field(ge=0, le=2**40)] | None = None
    shop_ids: Annotated[list[TikTokId], Field(max_length=100)] | None = None


class ShopCodeIn(Schema):
    """OAuth step 2: the ``code`` TikTok sent to your redirect URL."""

    app_key: Secret
    app_secret: Secret
    api_base_url: Url
    auth_base_url: Url
    code: Secret


class ChannelCreateIn(Schema):
    store_id: Id
    shop_id: Id
    name: Name = ""


class CurrencyRateIn(Schema):
    rate: Annotated[Decimal, Field(gt=0, max_digits=18, decimal_places=8)] | None


class ChannelSettingsIn(Schema):
    """Sections replace the stored ones (see listings/rules.py for their shapes); omitted ones are kept."""

    price_rule: dict[str, Any] | None = None
    inventory_rule: dict[str, Any] | None = None
    defaults: dict[str, Any] | None = None
    orders: dict[str, Any] | None = None
    carriers: dict[str, Any] | None = None
    order_hold: Literal["create_now", "wait_hold"] | None = None
    product_sync_enabled: bool | None = None
    order_sync_enabled: bool | None = None
    keep_details_in_sync: bool | None = None
    push_store_cancellations: bool | None = None


class ImportIn(Schema):
    full: bool = True


class MappingSetIn(Schema):
    channel_id: Id
    product_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    category_id: TikTokId


class SyncIn(Schema):
    channel_id: Id
    product_ids: Annotated[list[Id], Field(min_length=1, max_length=500)]
    # product id -> the variant ids to list (others are not synced); omitted: every variant.
    variant_ids: dict[Id, Annotated[list[Id], Field(max_length=500)]] | None = None


class LinkIn(Schema):
    channel_id: Id
    product_id: Id
    tiktok_product_id: TikTokId
    # variant id -> TikTok SKU id
    sku_links: Annotated[dict[Id, TikTokId], Field(min_length=1, max_length=500)]


class PreviewOut(Schema):
    payload: dict[str, Any]
    errors: list[dict[str, Any]]
    notes: list[str]


class AutolinkOut(Schema):
    linked: list[dict[str, Any]]
    already_linked: int
    not_linked: dict[str, str]


class QueuedOut(Schema):
    queued: bool
    detail: str


class TemplateIn(Schema):
    """The arguments of ``listings.services.template_create``; ``apply`` maps matching products now."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"^[^\x00]*\S[^\x00]*$")]
    match_field: Literal["category", "product_type", "tag", "vendor"]
    match_value: Annotated[
        str, StringConstraints(min_length=1, max_length=500, pattern=r"^[^\x00]*\S[^\x00]*$")
    ]
    category_id: TikTokId
    priority: Annotated[int, Field(ge=0, le=1_000_000)] = 100
    attribute_defaults: Annotated[dict[str, Any], Field(max_length=200)] = {}
    defaults: Annotated[dict[str, Any], Field(max_length=200)] = {}
    apply: bool = True


class UnlinkedSkuOut(Schema):
    tiktok_product_id: str
    tiktok_sku_id: str
    seller_sku: str
    product_title: str
    tiktok_status: str
    # The store variant with exactly this seller SKU (link it with POST /listings/links), if one.
    suggested_variant_id: int | None = None
    suggested_product_id: int | None = None


class UnlinkedSkusOut(Schema):
    items: list[UnlinkedSkuOut]
