"""Links from the dashboard into a store's own admin (the merchant's other tab).

The URL shapes are the ones the connectors report as ``admin_url``
(connectors/shopify/adapter.py, connectors/woocommerce/adapter.py); platforms not listed get no link.
"""

from __future__ import annotations

from urllib.parse import quote

from shopbridge.connections.models import StoreConnection


def store_order_url(store: StoreConnection, store_order_id: str | None) -> str:
    if not store_order_id:
        return ""
    order = quote(str(store_order_id), safe="")
    if store.platform == "shopify":
        return f"https://{store.external_id}/admin/orders/{order}"
    if store.platform == "woocommerce":
        return f"{store.base_url.rstrip('/')}/wp-admin/post.php?post={order}&action=edit"
    return ""
