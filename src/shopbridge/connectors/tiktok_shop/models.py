"""Pydantic models of TikTok Shop's wire format, with TikTok's exact field names.

Field names are copied verbatim from ../shared/spec/tiktok-shop-api.md (§2, §8-§12) and the
official samples in ../shared/spec/tiktok-examples/official/, including TikTok's typos
(``is_requried``, ``distict``, ``avaliable``, ``UNAUTHORIEZD``, ``BANk_ACCOUNT``).

Conventions (§6):
- every id is a string; some official samples print ids as JSON numbers, so ids accept both;
- money, weights and dimensions are decimal *strings* (we never round-trip them through float);
- timestamps are Unix seconds (int), except ``update_time_millis``.

Response models (``Wire``) keep unknown fields (``extra="allow"``): TikTok adds fields often and
nothing it sends should be lost. Request models (``WireRequest``) forbid unknown fields so a typo
in our own payload fails here, loudly, instead of being silently ignored by TikTok.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator


def _id_to_str(value: Any) -> Any:
    # §6: ids are strings, but webhook samples (types 5, 16, 37) print product_id as a number.
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    return value


def _decimal_to_str(value: Any) -> Any:
    # §6: money and measures are decimal strings; accept Decimal/int from our own code.
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_to_str)]
DecimalStr = Annotated[str, BeforeValidator(_decimal_to_str)]


class Wire(BaseModel):
    """A response object: typed where we use it, unknown fields kept."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class WireRequest(BaseModel):
    """A request object: unknown fields are a bug in our code."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object to send: ``None`` fields are omitted, never sent as null."""
        return self.model_dump(mode="json", exclude_none=True)


# --------------------------------------------------------------------------------------------
# Authorization (§2)
# --------------------------------------------------------------------------------------------


class TokenData(Wire):
    """``data`` of /api/v2/token/get and /api/v2/token/refresh (§2.2). Expiries are absolute epochs."""

    access_token: str
    access_token_expire_in: int
    refresh_token: str
    refresh_token_expire_in: int
    open_id: str | None = None
    seller_name: str | None = None
    seller_base_region: str | None = None
    user_type: int | None = None
    granted_scopes: list[str] = Field(default_factory=list)


class AuthorizedShop(Wire):
    """One shop of Get Authorized Shops (§2.3). ``cipher`` is passed as ``shop_cipher``."""

    id: Id
    name: str = ""
    region: str = ""  # "GB" for the UK; empty for a not-yet-approved cross-border shop
    seller_type: str | None = None  # CROSS_BORDER | LOCAL
    cipher: str
    code: str | None = None


# --------------------------------------------------------------------------------------------
# Shared product pieces
# --------------------------------------------------------------------------------------------


class ImageRef(WireRequest):
    uri: str


class Image(Wire):
    uri: str | None = None
    urls: list[str] = Field(default_factory=list)
    thumb_urls: list[str] = Field(default_factory=list)
    height: int | None = None
    width: int | None = None


class Price(WireRequest):
    amount: DecimalStr
    currency: str
    sale_price: DecimalStr | None = None  # global sellers only (§8.8)


class ListPrice(WireRequest):
    amount: DecimalStr
    currency: str


class ExternalListPrice(WireRequest):
    source: str  # SHOPIFY_COMPARE_AT_PRICE
    amount: DecimalStr
    currency: str


class InventoryEntry(WireRequest):
    warehouse_id: Id
    quantity: int
    backorder_quantity: int | None = None
    handling_time: int | None = None


class SalesAttributeInput(WireRequest):
    id: Id | None = None
    name: str | None = None
    value_id: Id | None = None
    value_name: str | None = None
    sku_img: ImageRef | None = None
    supplementary_sku_images: list[ImageRef] | None = None


class IdentifierCode(WireRequest):
    code: str
    type: str  # GTIN | EAN | UPC | ISBN | JAN


class CombinedSku(WireRequest):
    product_id: Id
    sku_id: Id
    sku_count: int


class PreSaleFulfillmentType(WireRequest):
    handling_duration_days: int | None = None
    release_date: int | None = None


class PreSale(WireRequest):
    type: str
    fulfillment_type: PreSaleFulfillmentType | None = None


class SkuFee(WireRequest):
    type: str  # PFAND
    amount: DecimalStr
    additional_attribute: str | None = None


class SkuInput(WireRequest):
    """One SKU of Create / Edit / Partial Edit Product (§8.8). ``id`` only on edits (§8.9)."""

    id: Id | None = None
    sales_attributes: list[SalesAttributeInput] | None = None
    seller_sku: str | None = None
    price: Price | None = None
    inventory: list[InventoryEntry] | None = None
    identifier_code: IdentifierCode | None = None
    external_sku_id: str | None = None
    combined_skus: list[CombinedSku] | None = None
    sku_unit_count: DecimalStr | None = None
    external_urls: list[str] | None = None
    extra_identifier_codes: list[str] | None = None
    pre_sale: PreSale | None = None
    list_price: ListPrice | None = None
    external_list_prices: list[ExternalListPrice] | None = None
    fees: list[SkuFee] | None = None


class PackageWeight(WireRequest):
    value: DecimalStr
    unit: str  # KILOGRAM | GRAM | POUND (§8.8, per region §14.2)


class PackageDimensions(WireRequest):
    length: DecimalStr
    width: DecimalStr
    height: DecimalStr
    unit: str  # CENTIMETER | INCH


class AttributeValueInput(WireRequest):
    id: Id | None = None
    name: str | None = None


class ProductAttributeInput(WireRequest):
    id: Id
    values: list[AttributeValueInput]


class CertificationFile(WireRequest):
    id: str
    name: str | None = None
    format: str | None = None  # PDF


class CertificationInput(WireRequest):
    id: Id
    images: list[ImageRef] | None = None
    files: list[CertificationFile] | None = None
    expiration_date: int | None = None


class TemplateRef(WireRequest):
    id: Id


class SizeChartInput(WireRequest):
    image: ImageRef | None = None
    template: TemplateRef | None = None


class VideoRef(WireRequest):
    id: str


class ManufacturerInput(WireRequest):
    """Older-doc inline manufacturer (§8.8 last row), replaced by ``manufacturer_ids``."""

    name: str | None = None
    address: str | None = None
    phone_number: str | None = None
    email: str | None = None


class ProductPayload(WireRequest):
    """Every body field of Create Product (§8.8), all optional so Partial Edit can reuse it."""

    save_mode: str | None = None  # LISTING (default) | AS_DRAFT
    title: str | None = None
    description: str | None = None
    category_id: Id | None = None
    category_version: str | None = None  # v1 | v2 (US must send v2)
    brand_id: Id | None = None
    main_images: list[ImageRef] | None = None
    skus: list[SkuInput] | None = None
    package_weight: PackageWeight | None = None
    package_dimensions: PackageDimensions | None = None
    product_attributes: list[ProductAttributeInput] | None = None
    certifications: list[CertificationInput] | None = None
    size_chart: SizeChartInput | None = None
    video: VideoRef | None = None
    is_cod_allowed: bool | None = None
    external_product_id: str | None = None
    delivery_option_ids: list[Id] | None = None
    primary_combined_product_id: Id | None = None
    is_not_for_sale: bool | None = None
    manufacturer_ids: list[Id] | None = None
    responsible_person_ids: list[Id] | None = None
    listing_platforms: list[str] | None = None
    shipping_insurance_requirement: str | None = None
    minimum_order_quantity: int | None = None
    is_pre_owned: bool | None = None
    idempotency_key: str | None = None
    shipping_template_id: Id | None = None
    manufacturer: ManufacturerInput | None = None
    # Edit / Partial Edit only (§8.9): global sellers' replicas and subscription settings; shapes
    # are not in the spec, so they pass through untyped.
    replicated_products: list[dict[str, Any]] | None = None
    subscribe_info_edit: dict[str, Any] | None = None


class CreateProductRequest(ProductPayload):
    """Create Product (§8.8): title, description, category_id, main_images, skus, package_weight required."""

    title: str
    description: str
    category_id: Id
    main_images: list[ImageRef]
    skus: list[SkuInput]
    package_weight: PackageWeight


class EditProductRequest(CreateProductRequest):
    """Edit Product (§8.9): full replacement; SKUs with ``id`` are edited, missing ids deleted, new ones created.

    Omitted ``skus[].price`` / ``skus[].inventory`` stay as they are on TikTok.
    """


class PartialEditProductRequest(ProductPayload):
    """Partial Edit (§8.10): omitted top-level fields stay; a supplied object/array replaces that field."""


class ProductSkuResult(Wire):
    id: Id
    seller_sku: str | None = None
    sales_attributes: list[dict[str, Any]] = Field(default_factory=list)  # generated {id, value_id}
    external_sku_id: str | None = None
    fees: list[dict[str, Any]] = Field(default_factory=list)


class Message(Wire):
    message: str = ""


class AuditInfo(Wire):
    status: str | None = None  # NONE | AUDITING | FAILED | PRE_APPROVED | APPROVED
    pre_approved_reasons: list[str] = Field(default_factory=list)


class CreateProductResult(Wire):
    """``data`` of Create / Edit / Partial Edit Product (§8.8-§8.10)."""

    product_id: Id
    skus: list[ProductSkuResult] = Field(default_factory=list)
    warnings: list[Message] = Field(default_factory=list)
    audit: AuditInfo | None = None


# --------------------------------------------------------------------------------------------
# Categories, attributes, rules, brands (§8.1-§8.5)
# --------------------------------------------------------------------------------------------


class Category(Wire):
    id: Id
    parent_id: Id = "0"  # roots have "0"
    local_name: str = ""
    is_leaf: bool = False
    permission_statuses: list[str] = Field(default_factory=list)


class AttributeValue(Wire):
    id: Id
    name: str = ""
    icon_url: str | None = None


class RequirementCondition(Wire):
    condition_type: str  # VALUE_ID_MATCH
    attribute_id: Id
    attribute_value_id: Id


class Attribute(Wire):
    id: Id
    name: str = ""
    type: str  # SALES_PROPERTY | PRODUCT_PROPERTY
    is_requried: bool = False  # sic: TikTok's real field name (§8.2)
    values: list[AttributeValue] = Field(default_factory=list)
    value_data_format: str | None = None
    is_customizable: bool = False
    is_multiple_selection: bool = False
    requirement_conditions: list[RequirementCondition] = Field(default_factory=list)

    @property
    def is_required(self) -> bool:
        """Spelled correctly for our code; TikTok's field is ``is_requried``."""
        return self.is_requried


class Requirement(Wire):
    is_required: bool = False


class Support(Wire):
    is_supported: bool = False
    is_required: bool = False


class ProductCertificationRule(Wire):
    id: Id
    name: str = ""
    is_required: bool = False
    document_details: str | None = None
    sample_image_url: str | None = None
    requirement_conditions: list[RequirementCondition] = Field(default_factory=list)
    expiration_date: Requirement | None = None


class FeeRule(Wire):
    type: str
    is_required: bool = False


class CategoryRules(Wire):
    """Get Category Rules (§8.3)."""

    product_certifications: list[ProductCertificationRule] = Field(default_factory=list)
    size_chart: Support | None = None
    cod: Support | None = None
    package_dimension: Requirement | None = None
    epr: Requirement | None = None
    responsible_person: Requirement | None = None
    manufacturer: Requirement | None = None
    allowed_special_product_types: list[str] = Field(default_factory=list)
    fees: list[FeeRule] = Field(default_factory=list)

    @field_validator("allowed_special_product_types", mode="before")
    @classmethod
    def _string_to_list(cls, value: Any) -> Any:
        # §8.3: "official sample wrongly shows a string" ("\"PRE_ORDER\""); normalise to a list.
        if isinstance(value, str):
            return [part.strip().strip('"') for part in value.split(",") if part.strip().strip('"')]
        return value


class Brand(Wire):
    id: Id
    name: str = ""
    authorized_status: str | None = None  # AUTHORIZED | UNAUTHORIEZD (sic, §8.4)
    is_t1_brand: bool = False
    brand_status: str | None = None  # AVAILABLE | UNAVAILABLE

    @property
    def is_usable(self) -> bool:
        """§8.4 selection rule: (AUTHORIZED and AVAILABLE) or (unauthorized and not T1)."""
        if self.authorized_status == "AUTHORIZED":
            return self.brand_status in (None, "AVAILABLE")
        return not self.is_t1_brand


class Page(Wire):
    """Cursor pagination (§6): ``next_page_token`` is "" on the last page."""

    next_page_token: str = ""
    total_count: int | None = None

    @field_validator("next_page_token", mode="before")
    @classmethod
    def _none_is_last(cls, value: Any) -> Any:
        return "" if value is None else value


class BrandPage(Page):
    brands: list[Brand] = Field(default_factory=list)


class RecommendCategoryRequest(WireRequest):
    product_title: str
    description: str | None = None
    images: list[ImageRef] | None = None
    category_version: str | None = None
    listing_platform: str | None = None
    include_prohibited_categories: bool | None = None


class RecommendedCategory(Wire):
    id: Id
    name: str = ""
    level: int | None = None
    is_leaf: bool = False
    permission_statuses: list[str] = Field(default_factory=list)


class RecommendCategoryResult(Wire):
    leaf_category_id: Id | None = None
    categories: list[RecommendedCategory] = Field(default_factory=list)


class UploadedImage(Wire):
    """Upload Product Image (§8.6): use ``uri`` in product payloads, ``url`` in description ``<img>``."""

    uri: str
    url: str | None = None
    height: int | None = None
    width: int | None = None
    use_case: str | None = None


# --------------------------------------------------------------------------------------------
# Products: read side (§8.11, §8.12), batch results (§8.13-§8.15), checks (§8.17, §8.18)
# --------------------------------------------------------------------------------------------


class SkuPrice(Wire):
    tax_exclusive_price: str | None = None
    sale_price: str | None = None
    currency: str | None = None
    unit_price: str | None = None


class SkuInventory(Wire):
    warehouse_id: Id
    quantity: int = 0
    backorder_quantity: int | None = None
    handling_time: int | None = None


class SalesAttribute(Wire):
    id: Id | None = None
    name: str | None = None
    value_id: Id | None = None
    value_name: str | None = None
    sku_img: Image | None = None


class StatusInfo(Wire):
    status: str | None = None  # NORMAL | DEACTIVATED
    deactivation_source: str | None = None


class ProductSku(Wire):
    id: Id
    seller_sku: str | None = None
    price: SkuPrice | None = None
    inventory: list[SkuInventory] = Field(default_factory=list)
    sales_attributes: list[SalesAttribute] = Field(default_factory=list)
    external_sku_id: str | None = None
    status_info: StatusInfo | None = None


class CategoryChainItem(Wire):
    id: Id
    parent_id: Id | None = None
    local_name: str = ""
    is_leaf: bool = False


class AuditFailedReason(Wire):
    position: str | None = None  # enum UNCONFIRMED (§16.8)
    reasons: list[str] = Field(default_factory=list)
    suggestions: list[str] = Field(default_factory=list)
    listing_platform: str | None = None


class BrandRef(Wire):
    id: Id
    name: str = ""


class Product(Wire):
    """Get Product (§8.11). ``status`` combines product and audit status (§8.19)."""

    id: Id
    status: str
    title: str = ""
    description: str = ""
    product_status: str | None = None
    audit: AuditInfo | None = None
    audit_failed_reasons: list[AuditFailedReason] = Field(default_factory=list)
    category_chains: list[CategoryChainItem] = Field(default_factory=list)
    brand: BrandRef | None = None
    main_images: list[Image] = Field(default_factory=list)
    package_dimensions: dict[str, Any] | None = None
    package_weight: dict[str, Any] | None = None
    skus: list[ProductSku] = Field(default_factory=list)
    product_attributes: list[dict[str, Any]] = Field(default_factory=list)
    is_cod_allowed: bool | None = None
    external_product_id: str | None = None
    create_time: int | None = None
    update_time: int | None = None
    has_draft: bool | None = None


class ProductSummary(Wire):
    """One product of Search Products (§8.12)."""

    id: Id
    title: str = ""
    status: str
    skus: list[ProductSku] = Field(default_factory=list)
    sales_regions: list[str] = Field(default_factory=list)
    create_time: int | None = None
    update_time: int | None = None
    product_sync_fail_reasons: list[str] = Field(default_factory=list)
    audit: AuditInfo | None = None


class ProductSearchPage(Page):
    products: list[ProductSummary] = Field(default_factory=list)


class SearchProductsRequest(WireRequest):
    status: str | None = None  # ALL (default) | DRAFT | PENDING | FAILED | ACTIVATE | ...
    seller_skus: list[str] | None = None
    create_time_ge: int | None = None
    create_time_le: int | None = None
    update_time_ge: int | None = None
    update_time_le: int | None = None
    category_version: str | None = None
    listing_quality_tiers: list[str] | None = None
    listing_platforms: list[str] | None = None
    audit_status: list[str] | None = None
    sku_ids: list[Id] | None = None
    sns_filter: str | None = None
    return_draft_version: bool | None = None


class BatchErrorDetail(Wire):
    product_id: Id | None = None
    sku_id: Id | None = None
    package_id: Id | None = None
    extra_errors: list[dict[str, Any]] = Field(default_factory=list)


class BatchError(Wire):
    code: int
    message: str = ""
    detail: BatchErrorDetail | None = None


class BatchResult(Wire):
    """Batch endpoints answer code 0 with per-item failures in ``data.errors`` (§5.1, §8.13)."""

    errors: list[BatchError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def failed_ids(self) -> list[str]:
        """Ids (product, SKU or package) named by the per-item errors."""
        ids = []
        for error in self.errors:
            detail = error.detail
            if detail is not None:
                ids.extend(i for i in (detail.product_id, detail.sku_id, detail.package_id) if i)
        return ids


class SkuInventoryUpdate(WireRequest):
    id: Id
    inventory: list[InventoryEntry]


class UpdateInventoryRequest(WireRequest):
    """Update Inventory (§8.14): include every warehouse of each SKU."""

    skus: list[SkuInventoryUpdate]


class SkuPriceUpdate(WireRequest):
    id: Id
    price: Price
    list_price: ListPrice | None = None
    external_list_prices: list[ExternalListPrice] | None = None


class UpdatePriceRequest(WireRequest):
    """Update Price (§8.15): product must be ACTIVATE and not in a promotion."""

    skus: list[SkuPriceUpdate]


class PrerequisiteCheck(Wire):
    check_item: str  # SHOP_STATUS, ..., BANk_ACCOUNT (sic, §8.17)
    is_failed: bool = False
    fail_reasons: list[str] = Field(default_factory=list)


class CodeMessage(Wire):
    code: int | None = None
    message: str = ""


class ListingCheckResult(Wire):
    """Check Product Listing (§8.18). ``warnings`` is an object in the official sample."""

    check_result: str  # PASS | FAILED
    fail_reasons: list[CodeMessage] = Field(default_factory=list)
    warnings: Message | list[Message] | None = None
    diagnoses: list[dict[str, Any]] = Field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Logistics (§9)
# --------------------------------------------------------------------------------------------


class WarehouseAddress(Wire):
    region: str | None = None
    state: str | None = None
    city: str | None = None
    distict: str | None = None  # sic (§9.1)
    town: str | None = None
    contact_person: str | None = None
    postal_code: str | None = None
    full_address: str | None = None
    region_code: str | None = None
    phone_number: str | None = None


class Warehouse(Wire):
    id: Id
    entity_id: Id | None = None
    name: str = ""
    effect_status: str | None = None  # ENABLED | DISABLED | RESTRICTED
    type: str | None = None  # SALES_WAREHOUSE | RETURN_WAREHOUSE
    sub_type: str | None = None
    is_default: bool = False
    address: WarehouseAddress | None = None


class DeliveryOption(Wire):
    id: Id
    name: str = ""
    type: str | None = None  # STANDARD | EXPRESS | ECONOMY | SEND_BY_SELLER
    description: str | None = None
    dimension_limit: dict[str, Any] | None = None
    weight_limit: dict[str, Any] | None = None
    platform: list[str] = Field(default_factory=list)


class ShippingProvider(Wire):
    id: Id
    name: str = ""


# --------------------------------------------------------------------------------------------
# Orders (§10)
# --------------------------------------------------------------------------------------------


class Payment(Wire):
    currency: str
    sub_total: str | None = None
    shipping_fee: str | None = None
    seller_discount: str | None = None
    platform_discount: str | None = None
    total_amount: str | None = None
    original_total_product_price: str | None = None
    original_shipping_fee: str | None = None
    shipping_fee_seller_discount: str | None = None
    shipping_fee_platform_discount: str | None = None
    tax: str | None = None
    product_tax: str | None = None
    shipping_fee_tax: str | None = None


class DistrictInfo(Wire):
    address_level_name: str | None = None
    address_name: str | None = None
    address_level: str | None = None  # L0 (country) .. L4


class RecipientAddress(Wire):
    """Absent for UNPAID / ON_HOLD orders; masked for TikTok-shipped orders (§10.1)."""

    full_address: str | None = None
    address_detail: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    address_line3: str | None = None
    address_line4: str | None = None
    postal_code: str | None = None
    post_town: str | None = None
    region_code: str | None = None
    name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    district_info: list[DistrictInfo] = Field(default_factory=list)


class LineItem(Wire):
    """One *unit* of an order (§10.1): two units of a SKU are two line items with the same sku_id."""

    id: Id
    sku_id: Id
    product_id: Id | None = None
    seller_sku: str | None = None
    product_name: str | None = None
    sku_name: str | None = None
    sku_image: str | None = None
    original_price: str | None = None
    sale_price: str | None = None
    seller_discount: str | None = None
    platform_discount: str | None = None
    currency: str | None = None
    display_status: str | None = None
    package_id: Id | None = None
    package_status: str | None = None
    shipping_provider_id: Id | None = None
    shipping_provider_name: str | None = None
    tracking_number: str | None = None
    cancel_user: str | None = None
    cancel_reason: str | None = None
    is_gift: bool | None = None


class PackageRef(Wire):
    id: Id


class Order(Wire):
    """Get Order Detail / Search Orders (§10.3, §10.4)."""

    id: Id
    status: str
    user_id: Id | None = None
    buyer_email: str | None = None
    buyer_message: str | None = None
    create_time: int | None = None
    paid_time: int | None = None
    update_time: int | None = None
    payment: Payment | None = None
    recipient_address: RecipientAddress | None = None
    line_items: list[LineItem] = Field(default_factory=list)
    packages: list[PackageRef] = Field(default_factory=list)
    fulfillment_type: str | None = None
    shipping_type: str | None = None
    delivery_option_id: Id | None = None
    delivery_option_name: str | None = None
    shipping_provider: str | None = None
    shipping_provider_id: Id | None = None
    tracking_number: str | None = None
    warehouse_id: Id | None = None
    is_cod: bool | None = None
    is_on_hold_order: bool | None = None
    is_buyer_request_cancel: bool | None = None
    cancel_reason: str | None = None
    cancellation_initiator: str | None = None


class OrderPage(Page):
    orders: list[Order] = Field(default_factory=list)


class SearchOrdersRequest(WireRequest):
    """Body of Get Order List (§10.3); ``_ge`` inclusive, ``_lt`` exclusive."""

    order_status: str | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    shipping_type: str | None = None
    buyer_user_id: Id | None = None
    is_buyer_request_cancel: bool | None = None
    warehouse_ids: list[Id] | None = None


# --------------------------------------------------------------------------------------------
# Fulfillment (§11)
# --------------------------------------------------------------------------------------------


class MarkPackageAsShippedRequest(WireRequest):
    """Mark Package As Shipped (§11.2): seller shipping in US/UK/ES/IE/IT/DE/FR/JP."""

    tracking_number: str
    shipping_provider_id: Id
    order_line_item_ids: list[Id] | None = None  # subset -> split shipment


class MarkPackageAsShippedResult(Wire):
    order_id: Id | None = None
    order_line_item_ids: list[Id] = Field(default_factory=list)
    package_id: Id
    warning: Message | None = None


class PickupSlot(WireRequest):
    start_time: int
    end_time: int


class SelfShipment(WireRequest):
    tracking_number: str
    shipping_provider_id: Id


class ShipPackageRequest(WireRequest):
    """Ship Package (§11.3): TikTok shipping (handover) or SEA/LATAM seller shipping (self_shipment)."""

    handover_method: str | None = None  # PICKUP | DROP_OFF
    pickup_slot: PickupSlot | None = None
    self_shipment: SelfShipment | None = None


class ShippingInfoUpdate(WireRequest):
    """Update (Package) Shipping Info (§11.5)."""

    tracking_number: str
    shipping_provider_id: Id


class PackageOrder(Wire):
    id: Id
    skus: list[dict[str, Any]] = Field(default_factory=list)  # deprecated by TikTok


class PackageDetail(Wire):
    """Get Package Detail (§11.6)."""

    package_id: Id
    orders: list[PackageOrder] = Field(default_factory=list)
    package_status: str | None = None  # PROCESSING | FULFILLING | COMPLETED | CANCELLED
    shipping_provider_name: str | None = None
    shipping_provider_id: Id | None = None
    shipping_type: str | None = None
    delivery_option_id: Id | None = None
    tracking_number: str | None = None
    order_line_item_ids: list[Id] = Field(default_factory=list)
    create_time: int | None = None
    update_time: int | None = None


class TrackingEvent(Wire):
    description: str = ""
    update_time_millis: int  # milliseconds, unlike every other TikTok timestamp (§6)


# --------------------------------------------------------------------------------------------
# Cancellations and returns (§12)
# --------------------------------------------------------------------------------------------


class RefundAmount(Wire):
    currency: str | None = None
    refund_total: str | None = None
    refund_subtotal: str | None = None
    refund_shipping_fee: str | None = None
    refund_tax: str | None = None


class CancelLineItem(Wire):
    cancel_line_item_id: Id | None = None
    order_line_item_id: Id | None = None
    sku_id: Id | None = None
    seller_sku: str | None = None
    refund_amount: RefundAmount | None = None


class NextAction(Wire):
    action: str
    deadline: int | None = None


class Cancellation(Wire):
    """Search Cancellations (§12.2). Status spelled ``CANCELLATION_REQUEST_CANCELLED`` here (§12.1)."""

    cancel_id: Id
    order_id: Id
    cancel_type: str | None = None
    cancel_status: str
    role: str | None = None
    cancel_reason: str | None = None
    cancel_reason_text: str | None = None
    create_time: int | None = None
    update_time: int | None = None
    seller_next_action_response: list[NextAction] = Field(default_factory=list)
    refund_amount: RefundAmount | None = None
    cancel_line_items: list[CancelLineItem] = Field(default_factory=list)


class CancellationPage(Page):
    cancellations: list[Cancellation] = Field(default_factory=list)


class SearchCancellationsRequest(WireRequest):
    cancel_ids: list[Id] | None = None
    order_ids: list[Id] | None = None
    buyer_user_ids: list[Id] | None = None
    cancel_types: list[str] | None = None
    # §12.1 quirk: the *filter* enum says CANCELLATION_REQUEST_CANCEL (not ..._CANCELLED).
    cancel_status: list[str] | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    locale: str | None = None


class SkuQuantity(WireRequest):
    sku_id: Id
    quantity: int


class CancelOrderRequest(WireRequest):
    """Cancel Order, seller-initiated (§12.3). ``cancel_reason`` is a reason *name* (§10.5)."""

    order_id: Id
    cancel_reason: str
    skus: list[SkuQuantity] | None = None
    order_line_item_ids: list[Id] | None = None


class CancelOrderResult(Wire):
    cancel_id: Id
    cancel_status: str | None = None


class ReturnLineItem(Wire):
    return_line_item_id: Id | None = None
    order_line_item_id: Id | None = None
    sku_id: Id | None = None
    seller_sku: str | None = None
    refund_amount: RefundAmount | None = None


class ReturnOrder(Wire):
    """Search Returns (§12.5)."""

    return_id: Id
    order_id: Id
    return_type: str | None = None  # REFUND | RETURN_AND_REFUND | REPLACEMENT
    return_status: str
    arbitration_status: str | None = None
    role: str | None = None
    return_reason: str | None = None
    return_reason_text: str | None = None
    return_tracking_number: str | None = None
    return_provider_name: str | None = None
    can_buyer_keep_item: bool | None = None
    create_time: int | None = None
    update_time: int | None = None
    seller_next_action_response: list[NextAction] = Field(default_factory=list)
    return_line_items: list[ReturnLineItem] = Field(default_factory=list)
    refund_amount: RefundAmount | None = None
    is_combined_return: bool | None = None  # the official sample sends the string "true"


class ReturnPage(Page):
    return_orders: list[ReturnOrder] = Field(default_factory=list)


class SearchReturnsRequest(WireRequest):
    return_ids: list[Id] | None = None
    order_ids: list[Id] | None = None
    buyer_user_ids: list[Id] | None = None
    return_types: list[str] | None = None
    return_status: list[str] | None = None
    arbitration_status: list[str] | None = None
    seller_proposed_return_type: list[str] | None = None
    create_time_ge: int | None = None
    create_time_lt: int | None = None
    update_time_ge: int | None = None
    update_time_lt: int | None = None
    locale: str | None = None
