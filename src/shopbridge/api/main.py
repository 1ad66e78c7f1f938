"""The REST API: one NinjaAPI, token auth on every operation, one router per resource.

Write endpoints are added in the router module of their resource, calling that app's services.
"""

from __future__ import annotations

from ninja import NinjaAPI

from .auth import ApiTokenAuth
from .errors import install_error_handlers
from .routers import activity, catalog, connections, listings, orders, templates

api = NinjaAPI(
    title="ShopBridge API",
    version="1",
    description=(
        "Read the merchant's stores, TikTok shops, channels, catalogue, listings, orders and sync "
        "activity. Authenticate with `Authorization: Bearer sb_...`. Lists are paginated with an "
        "opaque `cursor` (pass `next_cursor` back) and `limit`. Every error is "
        '`{"error": {"code", "message", "fix"}}`.'
    ),
    auth=ApiTokenAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)

api.add_router("/stores", connections.stores)
api.add_router("/shops", connections.shops)
api.add_router("/channels", connections.channels)
api.add_router("/channels", templates.channel_templates)
api.add_router("/channels", templates.unlinked)
api.add_router("/templates", templates.templates)
api.add_router("/products", catalog.products)
api.add_router("/import-runs", catalog.import_runs)
api.add_router("/listings", listings.listings)
api.add_router("/category-mappings", listings.mappings)
api.add_router("/orders", orders.orders)
api.add_router("/jobs", activity.jobs)
api.add_router("/events", activity.events)
api.add_router("/rejected-webhooks", activity.rejected)
