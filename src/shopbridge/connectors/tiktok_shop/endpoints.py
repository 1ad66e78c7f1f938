"""Every TikTok Shop API the connector calls: method, dated path, and whether it takes shop_cipher.

Paths use the current dated versions from ../shared/spec/tiktok-endpoints.md; the ``shop_cipher``
column comes from the same table and ../shared/spec/tiktok-shop-api.md §2.3. Changing an API
version is a one-line change here (a retired version answers 36009014, §1).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Endpoint:
    """One TikTok API: method, dated path template, and whether it takes ``shop_cipher`` (§2.3)."""

    method: str
    path: str
    shop_scoped: bool = True
    multipart: bool = False

    def format(self, path_params: Mapping[str, str] | None) -> str:
        return self.path.format(**(path_params or {}))


@dataclass(frozen=True)
class UploadFile:
    """A file for a multipart endpoint: TikTok's form field is ``data`` (§8.6)."""

    content: bytes
    filename: str = "image.jpg"
    mime_type: str = "application/octet-stream"


# Authorization (§2.3): no shop_cipher.
AUTHORIZED_SHOPS = Endpoint("GET", "/authorization/202309/shops", shop_scoped=False)

# Products (§8).
CATEGORIES = Endpoint("GET", "/product/202309/categories")
ATTRIBUTES = Endpoint("GET", "/product/202309/categories/{category_id}/attributes")
CATEGORY_RULES = Endpoint("GET", "/product/202309/categories/{category_id}/rules")
RECOMMEND_CATEGORY = Endpoint("POST", "/product/202309/categories/recommend")
BRANDS = Endpoint("GET", "/product/202309/brands")
CREATE_BRAND = Endpoint("POST", "/product/202309/brands", shop_scoped=False)  # §8.4: no shop_cipher
UPLOAD_IMAGE = Endpoint("POST", "/product/202309/images/upload", shop_scoped=False, multipart=True)  # §8.6
CREATE_PRODUCT = Endpoint("POST", "/product/202309/products")
EDIT_PRODUCT = Endpoint("PUT", "/product/202509/products/{product_id}")
PARTIAL_EDIT_PRODUCT = Endpoint("POST", "/product/202509/products/{product_id}/partial_edit")
GET_PRODUCT = Endpoint("GET", "/product/202309/products/{product_id}")
SEARCH_PRODUCTS = Endpoint("POST", "/product/202502/products/search")
DELETE_PRODUCTS = Endpoint("DELETE", "/product/202309/products")  # §1: DELETE carries a JSON body
RECOVER_PRODUCTS = Endpoint("POST", "/product/202309/products/recover")
ACTIVATE_PRODUCTS = Endpoint("POST", "/product/202309/products/activate")
DEACTIVATE_PRODUCTS = Endpoint("POST", "/product/202309/products/deactivate")
UPDATE_INVENTORY = Endpoint("POST", "/product/202309/products/{product_id}/inventory/update")
UPDATE_PRICE = Endpoint("POST", "/product/202309/products/{product_id}/prices/update")
LISTING_PREREQUISITES = Endpoint("GET", "/product/202312/prerequisites")
LISTING_CHECK = Endpoint("POST", "/product/202309/products/listing_check")

# Logistics (§9).
WAREHOUSES = Endpoint("GET", "/logistics/202309/warehouses")
WAREHOUSE_DELIVERY_OPTIONS = Endpoint("GET", "/logistics/202309/warehouses/{warehouse_id}/delivery_options")
SHIPPING_PROVIDERS = Endpoint(
    "GET", "/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers"
)

# Orders (§10).
SEARCH_ORDERS = Endpoint("POST", "/order/202309/orders/search")
ORDER_DETAIL = Endpoint("GET", "/order/202507/orders")

# Fulfillment (§11). Mark Package As Shipped and Update Package Shipping Info stay on 202309: the
# request body we send is the one documented for 202309 (§11.2, §11.5); tiktok-endpoints.md lists a
# 202610 version whose body shape (``shipping_info_list``/``order_line_list``) is not in the spec.
MARK_PACKAGE_AS_SHIPPED = Endpoint("POST", "/fulfillment/202309/orders/{order_id}/packages")
SHIP_PACKAGE = Endpoint("POST", "/fulfillment/202309/packages/{package_id}/ship")
UPDATE_SHIPPING_INFO = Endpoint("POST", "/fulfillment/202309/orders/{order_id}/shipping_info/update")
UPDATE_PACKAGE_SHIPPING_INFO = Endpoint(
    "POST", "/fulfillment/202309/packages/{package_id}/shipping_info/update"
)
PACKAGE_DETAIL = Endpoint("GET", "/fulfillment/202309/packages/{package_id}")
ORDER_TRACKING = Endpoint("GET", "/fulfillment/202309/orders/{order_id}/tracking")

# Returns and cancellations (§12).
SEARCH_CANCELLATIONS = Endpoint("POST", "/return_refund/202602/cancellations/search")
CANCEL_ORDER = Endpoint("POST", "/return_refund/202602/cancellations")
SEARCH_RETURNS = Endpoint("POST", "/return_refund/202602/returns/search")

# Event API: per-shop webhook subscriptions (§13.5).
GET_WEBHOOKS = Endpoint("GET", "/event/202309/webhooks")
UPDATE_WEBHOOK = Endpoint("PUT", "/event/202309/webhooks")
DELETE_WEBHOOK = Endpoint("DELETE", "/event/202309/webhooks")
