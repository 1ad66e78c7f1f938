"""Typed TikTok Shop operations: pydantic models in, pydantic models out.

Reached through the client's namespaces (``client.products``, ``client.logistics``,
``client.orders``, ``client.fulfillment``, ``client.returns``, ``client.events``); see client.py.
Mapping these wire models to and from canonical products/orders is the job of ``shopbridge.mapping``.

Conventions:
- ``*_page`` methods return one page; the plain methods iterate every page by ``page_token``
  until TikTok returns an empty ``next_page_token`` (§6);
- batch endpoints return ``BatchResult`` (per-item errors, §8.13) instead of raising, because a
  batch succeeds as a whole (``code`` 0) while single items fail;
- writes that return ``data: {}`` (update price, ship package, ...) return None.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, MutableMapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from shopbridge.core.errors import NotFoundError

from . import endpoints as ep
from .endpoints import UploadFile
from .errors import PLATFORM
from .models import (
    Attribute,
    BatchResult,
    Brand,
    BrandPage,
    Cancellation,
    CancellationPage,
    CancelOrderRequest,
    CancelOrderResult,
    Category,
    CategoryRules,
    CreateProductRequest,
    CreateProductResult,
    DeliveryOption,
    EditProductRequest,
    ListingCheckResult,
    MarkPackageAsShippedRequest,
    MarkPackageAsShippedResult,
    Order,
    OrderPage,
    PackageDetail,
    Page,
    PartialEditProductRequest,
    PrerequisiteCheck,
    Product,
    ProductSearchPage,
    ProductSummary,
    RecommendCategoryRequest,
    RecommendCategoryResult,
    ReturnOrder,
    ReturnPage,
    SearchCancellationsRequest,
    SearchOrdersRequest,
    SearchProductsRequest,
    SearchReturnsRequest,
    ShipPackageRequest,
    ShippingInfoUpdate,
    ShippingProvider,
    TrackingEvent,
    UpdateInventoryRequest,
    UpdatePriceRequest,
    UploadedImage,
    Warehouse,
)

if TYPE_CHECKING:
    from .client import TikTokShopClient

P = TypeVar("P", bound=Page)
T = TypeVar("T")

BATCH_LIMIT = 20  # §8.13: activate/deactivate/delete/recover take at most 20 product ids
ORDER_DETAIL_LIMIT = 50  # §10.4: at most 50 ids per Get Order Detail


def iterate_pages(fetch: Callable[[str | None], P], items: Callable[[P], list[T]]) -> Iterator[T]:
    """Yield every item of every page; stop on an empty (or repeated) ``next_page_token`` (§6)."""
    token: str | None = None
    seen: set[str] = set()
    while True:
        page = fetch(token)
        yield from items(page)
        token = page.next_page_token
        if not token or token in seen:  # a repeated token would loop forever
            return
        seen.add(token)


def image_cache_key(content: bytes, use_case: str) -> str:
    """Dedup key for uploaded images: the same bytes for the same use case are uploaded once."""
    return f"{use_case}:{hashlib.sha256(content).hexdigest()}"


def _chunks(ids: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


class _Api:
    def __init__(self, client: TikTokShopClient) -> None:
        self._client = client


class ProductsApi(_Api):
    """``client.products``: categories, attributes, rules, brands, images, product lifecycle (§8)."""

    # -- catalogue metadata ----------------------------------------------------------------------
    def categories(
        self,
        *,
        locale: str | None = None,
        keyword: str | None = None,
        category_version: str | None = None,
        listing_platform: str | None = None,
        include_prohibited_categories: bool | None = None,
    ) -> list[Category]:
        """Get Categories (§8.1): a flat list; rebuild the tree with ``parent_id`` (roots have "0").

        US shops must pass ``category_version="v2"``; others default to v1 (§8.1).
        """
        data = self._client.call(
            ep.CATEGORIES,
            query={
                "locale": locale,
                "keyword": keyword,
                "category_version": category_version,
                "listing_platform": listing_platform,
                "include_prohibited_categories": include_prohibited_categories,
            },
        )
        return [Category.model_validate(c) for c in data.get("categories") or []]

    def attributes(
        self, category_id: str, *, locale: str | None = None, category_version: str | None = None
    ) -> list[Attribute]:
        """Get Attributes of a leaf category (§8.2)."""
        data = self._client.call(
            ep.ATTRIBUTES,
            path_params={"category_id": category_id},
            query={"locale": locale, "category_version": category_version},
        )
        return [Attribute.model_validate(a) for a in data.get("attributes") or []]

    def category_rules(
        self, category_id: str, *, locale: str | None = None, category_version: str | None = None
    ) -> CategoryRules:
        """Get Category Rules (§8.3)."""
        data = self._client.call(
            ep.CATEGORY_RULES,
            path_params={"category_id": category_id},
            query={"locale": locale, "category_version": category_version},
        )
        return CategoryRules.model_validate(data)

    def recommend_category(self, request: RecommendCategoryRequest) -> RecommendCategoryResult:
        """Recommend Category (§8.5)."""
        return RecommendCategoryResult.model_validate(self._client.call(ep.RECOMMEND_CATEGORY, body=request))

    def brands_page(
        self,
        *,
        page_size: int = 100,
        page_token: str | None = None,
        category_id: str | None = None,
        is_authorized: bool | None = None,
        brand_name: str | None = None,
        category_version: str | None = None,
    ) -> BrandPage:
        """Get Brands (§8.4): ``page_size`` is required (1-100); ``is_authorized`` is sent as 1/0."""
        data = self._client.call(
            ep.BRANDS,
            query={
                "page_size": page_size,
                "page_token": page_token,
                "category_id": category_id,
                "is_authorized": None if is_authorized is None else str(int(is_authorized)),
                "brand_name": brand_name,
                "category_version": category_version,
            },
        )
        return BrandPage.model_validate(data)

    def brands(
        self, *, category_id: str | None = None, brand_name: str | None = None, page_size: int = 100
    ) -> Iterator[Brand]:
        return iterate_pages(
            lambda token: self.brands_page(
                page_size=page_size, page_token=token, category_id=category_id, brand_name=brand_name
            ),
            lambda page: page.brands,
        )

    def create_brand(self, name: str) -> str:
        """Create Custom Brands (§8.4; no shop_cipher). Returns the new brand id."""
        return str(self._client.call(ep.CREATE_BRAND, body={"name": name})["id"])

    # -- images ----------------------------------------------------------------------------------
    def upload_image(
        self,
        content: bytes,
        *,
        use_case: str = "MAIN_IMAGE",
        filename: str = "image.jpg",
        mime_type: str = "image/jpeg",
        cache: MutableMapping[str, UploadedImage] | None = None,
    ) -> UploadedImage:
        """Upload Product Image (§8.6, multipart, no shop_cipher), once per (bytes, use case).

        ``cache`` is any mutable mapping the caller keeps (a dict, or a mapping backed by the
        database): a hit returns the stored upload without calling TikTok. ``use_case`` is sent
        explicitly because the default is UNCONFIRMED (§8.6).
        """
        key = image_cache_key(content, use_case)
        if cache is not None and key in cache:
            return cache[key]
        data = self._client.call(
            ep.UPLOAD_IMAGE,
            upload=UploadFile(content=content, filename=filename, mime_type=mime_type),
            form={"use_case": use_case},
        )
        image = UploadedImage.model_validate(data)
        if cache is not None:
            cache[key] = image
        return image

    # -- product lifecycle -----------------------------------------------------------------------
    def create(self, request: CreateProductRequest) -> CreateProductResult:
        """Create Product (§8.8). The product then goes to audit (PENDING) unless saved AS_DRAFT."""
        return CreateProductResult.model_validate(self._client.call(ep.CREATE_PRODUCT, body=request))

    def edit(self, product_id: str, request: EditProductRequest) -> CreateProductResult:
        """Edit Product (§8.9): full replacement (see EditProductRequest)."""
        data = self._client.call(ep.EDIT_PRODUCT, path_params={"product_id": product_id}, body=request)
        return CreateProductResult.model_validate(data)

    def partial_edit(self, product_id: str, request: PartialEditProductRequest) -> CreateProductResult:
        """Partial Edit Product (§8.10)."""
        data = self._client.call(
            ep.PARTIAL_EDIT_PRODUCT, path_params={"product_id": product_id}, body=request
        )
        return CreateProductResult.model_validate(data)

    def get(
        self,
        product_id: str,
        *,
        return_under_review_version: bool | None = None,
        return_draft_version: bool | None = None,
        locale: str | None = None,
    ) -> Product:
        """Get Product (§8.11): the live version unless ``return_under_review_version``."""
        data = self._client.call(
            ep.GET_PRODUCT,
            path_params={"product_id": product_id},
            query={
                "return_under_review_version": return_under_review_version,
                "return_draft_version": return_draft_version,
                "locale": locale,
            },
        )
        return Product.model_validate(data)

    def search_page(
        self,
        request: SearchProductsRequest | None = None,
        *,
        page_size: int = 100,
        page_token: str | None = None,
    ) -> ProductSearchPage:
        """Search Products (§8.12). The result window is capped at 10,000: narrow by update time."""
        data = self._client.call(
            ep.SEARCH_PRODUCTS,
            query={"page_size": page_size, "page_token": page_token},
            body=request or SearchProductsRequest(),
        )
        return ProductSearchPage.model_validate(data)

    def search(
        self, request: SearchProductsRequest | None = None, *, page_size: int = 100
    ) -> Iterator[ProductSummary]:
        return iterate_pages(
            lambda token: self.search_page(request, page_size=page_size, page_token=token),
            lambda page: page.products,
        )

    def activate(
        self, product_ids: Sequence[str], listing_platforms: Sequence[str] | None = None
    ) -> BatchResult:
        """SELLER_DEACTIVATED/PLATFORM_DEACTIVATED -> PENDING (re-audit) -> ACTIVATE (§8.13)."""
        return self._batch(ep.ACTIVATE_PRODUCTS, product_ids, listing_platforms)

    def deactivate(
        self, product_ids: Sequence[str], listing_platforms: Sequence[str] | None = None
    ) -> BatchResult:
        """ACTIVATE -> SELLER_DEACTIVATED (§8.13)."""
        return self._batch(ep.DEACTIVATE_PRODUCTS, product_ids, listing_platforms)

    def delete(self, product_ids: Sequence[str]) -> BatchResult:
        """Any non-frozen status -> DELETED (§8.13)."""
        return self._batch(ep.DELETE_PRODUCTS, product_ids, None)

    def recover(self, product_ids: Sequence[str]) -> BatchResult:
        """DELETED -> SELLER_DEACTIVATED (§8.13)."""
        return self._batch(ep.RECOVER_PRODUCTS, product_ids, None)

    def update_inventory(self, product_id: str, request: UpdateInventoryRequest) -> BatchResult:
        """Update Inventory (§8.14): per-SKU failures come back in ``errors``."""
        data = self._client.call(ep.UPDATE_INVENTORY, path_params={"product_id": product_id}, body=request)
        return BatchResult.model_validate(data)

    def update_price(self, product_id: str, request: UpdatePriceRequest) -> None:
        """Update Price (§8.15): ``data`` is always ``{}``; failures are error codes."""
        self._client.call(ep.UPDATE_PRICE, path_params={"product_id": product_id}, body=request)

    def listing_prerequisites(self) -> list[PrerequisiteCheck]:
        """Check Listing Prerequisites (§8.17): the shop-level checks that block listing."""
        data = self._client.call(ep.LISTING_PREREQUISITES)
        return [PrerequisiteCheck.model_validate(c) for c in data.get("check_results") or []]

    def listing_check(self, request: CreateProductRequest) -> ListingCheckResult:
        """Check Product Listing (§8.18): a dry run of Create Product."""
        return ListingCheckResult.model_validate(self._client.call(ep.LISTING_CHECK, body=request))

    def _batch(
        self, endpoint: ep.Endpoint, product_ids: Sequence[str], listing_platforms: Sequence[str] | None
    ) -> BatchResult:
        errors = []
        for chunk in _chunks(product_ids, BATCH_LIMIT):
            body: dict[str, Any] = {"product_ids": chunk}
            if listing_platforms:
                body["listing_platforms"] = list(listing_platforms)
            errors.extend(BatchResult.model_validate(self._client.call(endpoint, body=body)).errors)
        return BatchResult(errors=errors)


class LogisticsApi(_Api):
    """``client.logistics``: warehouses, delivery options, shipping providers (§9)."""

    def warehouses(self) -> list[Warehouse]:
        data = self._client.call(ep.WAREHOUSES)
        return [Warehouse.model_validate(w) for w in data.get("warehouses") or []]

    def delivery_options(self, warehouse_id: str, *, scope: str | None = None) -> list[DeliveryOption]:
        """``scope``: WAREHOUSE (default) or PRODUCT (§9.2)."""
        data = self._client.call(
            ep.WAREHOUSE_DELIVERY_OPTIONS, path_params={"warehouse_id": warehouse_id}, query={"scope": scope}
        )
        return [DeliveryOption.model_validate(d) for d in data.get("delivery_options") or []]

    def shipping_providers(self, delivery_option_id: str) -> list[ShippingProvider]:
        """Carriers for a delivery option (the order's ``delivery_option_id``, §9.3)."""
        data = self._client.call(
            ep.SHIPPING_PROVIDERS, path_params={"delivery_option_id": delivery_option_id}
        )
        return [ShippingProvider.model_validate(p) for p in data.get("shipping_providers") or []]


class OrdersApi(_Api):
    """``client.orders``: search by update time and order detail (§10)."""

    def search_page(
        self,
        filters: SearchOrdersRequest | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: str = "update_time",
        sort_order: str = "ASC",
    ) -> OrderPage:
        """Get Order List (§10.3). ``page_size`` is required (1-100)."""
        data = self._client.call(
            ep.SEARCH_ORDERS,
            query={
                "page_size": page_size,
                "page_token": page_token,
                "sort_field": sort_field,
                "sort_order": sort_order,
            },
            body=filters or SearchOrdersRequest(),
        )
        return OrderPage.model_validate(data)

    def search(self, filters: SearchOrdersRequest | None = None, *, page_size: int = 50) -> Iterator[Order]:
        return iterate_pages(
            lambda token: self.search_page(filters, page_size=page_size, page_token=token),
            lambda page: page.orders,
        )

    def search_updated(
        self,
        update_time_ge: int,
        update_time_lt: int | None = None,
        *,
        order_status: str | None = None,
        page_size: int = 50,
    ) -> Iterator[Order]:
        """Every order updated in [ge, lt), oldest update first: the polling backstop for webhooks."""
        filters = SearchOrdersRequest(
            update_time_ge=update_time_ge, update_time_lt=update_time_lt, order_status=order_status
        )
        return self.search(filters, page_size=page_size)

    def get(self, order_ids: Sequence[str]) -> list[Order]:
        """Get Order Detail (§10.4): ids sent comma-joined, at most 50 per call."""
        orders: list[Order] = []
        for chunk in _chunks(order_ids, ORDER_DETAIL_LIMIT):
            data = self._client.call(ep.ORDER_DETAIL, query={"ids": chunk})
            orders.extend(Order.model_validate(o) for o in data.get("orders") or [])
        return orders

    def get_one(self, order_id: str) -> Order:
        """One order; NotFoundError when TikTok does not return it."""
        for order in self.get([order_id]):
            if order.id == order_id:
                return order
        raise NotFoundError(f"TikTok order {order_id} was not found", platform=PLATFORM)


class FulfillmentApi(_Api):
    """``client.fulfillment``: ship, fix tracking, package detail, tracking (§11)."""

    def mark_package_as_shipped(
        self, order_id: str, request: MarkPackageAsShippedRequest
    ) -> MarkPackageAsShippedResult:
        """Seller shipping in US/UK/ES/IE/IT/DE/FR/JP (§11.1, §11.2); returns the package id."""
        data = self._client.call(ep.MARK_PACKAGE_AS_SHIPPED, path_params={"order_id": order_id}, body=request)
        return MarkPackageAsShippedResult.model_validate(data)

    def ship_package(self, package_id: str, request: ShipPackageRequest) -> None:
        """Ship Package (§11.3): TikTok shipping handover, or SEA/LATAM ``self_shipment``."""
        self._client.call(ep.SHIP_PACKAGE, path_params={"package_id": package_id}, body=request)

    def update_shipping_info(self, order_id: str, request: ShippingInfoUpdate) -> None:
        """Fix tracking of a seller-shipped order (§11.5: once, within 72 h in US/UK/SEA)."""
        self._client.call(ep.UPDATE_SHIPPING_INFO, path_params={"order_id": order_id}, body=request)

    def update_package_shipping_info(self, package_id: str, request: ShippingInfoUpdate) -> None:
        """Same per package; required for split orders (§11.1)."""
        self._client.call(
            ep.UPDATE_PACKAGE_SHIPPING_INFO, path_params={"package_id": package_id}, body=request
        )

    def package_detail(self, package_id: str) -> PackageDetail:
        return PackageDetail.model_validate(
            self._client.call(ep.PACKAGE_DETAIL, path_params={"package_id": package_id})
        )

    def tracking(self, order_id: str) -> list[TrackingEvent]:
        """Get Tracking (§11.9); ``update_time_millis`` is in milliseconds."""
        data = self._client.call(ep.ORDER_TRACKING, path_params={"order_id": order_id})
        return [TrackingEvent.model_validate(t) for t in data.get("tracking") or []]


class ReturnsApi(_Api):
    """``client.returns``: cancellations and returns (§12)."""

    def search_cancellations_page(
        self,
        filters: SearchCancellationsRequest | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: str = "update_time",
        sort_order: str = "ASC",
    ) -> CancellationPage:
        """Search Cancellations (§12.2): page_size at most 50."""
        data = self._client.call(
            ep.SEARCH_CANCELLATIONS,
            query={
                "page_size": page_size,
                "page_token": page_token,
                "sort_field": sort_field,
                "sort_order": sort_order,
            },
            body=filters or SearchCancellationsRequest(),
        )
        return CancellationPage.model_validate(data)

    def search_cancellations(
        self, filters: SearchCancellationsRequest | None = None, *, page_size: int = 50
    ) -> Iterator[Cancellation]:
        return iterate_pages(
            lambda token: self.search_cancellations_page(filters, page_size=page_size, page_token=token),
            lambda page: page.cancellations,
        )

    def cancel_order(self, request: CancelOrderRequest) -> CancelOrderResult:
        """Seller-initiated cancellation (§12.3); the reason must suit the order status (§10.5)."""
        return CancelOrderResult.model_validate(self._client.call(ep.CANCEL_ORDER, body=request))

    def search_returns_page(
        self,
        filters: SearchReturnsRequest | None = None,
        *,
        page_size: int = 50,
        page_token: str | None = None,
        sort_field: str = "update_time",
        sort_order: str = "ASC",
    ) -> ReturnPage:
        """Search Returns (§12.5)."""
        data = self._client.call(
            ep.SEARCH_RETURNS,
            query={
                "page_size": page_size,
                "page_token": page_token,
                "sort_field": sort_field,
                "sort_order": sort_order,
            },
            body=filters or SearchReturnsRequest(),
        )
        return ReturnPage.model_validate(data)

    def search_returns(
        self, filters: SearchReturnsRequest | None = None, *, page_size: int = 50
    ) -> Iterator[ReturnOrder]:
        return iterate_pages(
            lambda token: self.search_returns_page(filters, page_size=page_size, page_token=token),
            lambda page: page.return_orders,
        )


class EventsApi(_Api):
    """``client.events``: per-shop webhook subscriptions (§13.5)."""

    def webhooks(self) -> list[dict[str, Any]]:
        data = self._client.call(ep.GET_WEBHOOKS)
        return list(data.get("webhooks") or [])

    def update_webhook(self, event_type: str, address: str) -> None:
        """Create or replace the shop's webhook for ``event_type`` (https, domain, no port, §13.1)."""
        self._client.call(ep.UPDATE_WEBHOOK, body={"address": address, "event_type": event_type})

    def delete_webhook(self, event_type: str) -> None:
        self._client.call(ep.DELETE_WEBHOOK, body={"event_type": event_type})
