"""Products (with variants) and catalogue import runs (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.catalog import selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import IdFilter, PathId, Text
from ..schemas import ImportRunOut, ProductOut

products = Router(tags=["products"])
import_runs = Router(tags=["import runs"])


@products.get("", response={200: Page[ProductOut], **ERROR_RESPONSES}, summary="List products with variants")
def list_products(
    request: HttpRequest,
    store_id: IdFilter = None,
    channel_id: IdFilter = None,
    listing_status: Text = "",
    tiktok_category_id: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.product_list(
        merchant_of(request),
        store_id=store_id,
        channel_id=channel_id,
        listing_status=listing_status,
        tiktok_category_id=tiktok_category_id,
        search=search,
    ).prefetch_related("variants")
    return paginate(qs, cursor=cursor, limit=limit)


@products.get("/{product_id}", response={200: ProductOut, **ERROR_RESPONSES}, summary="Get a product")
def get_product(request: HttpRequest, product_id: PathId):
    return selectors.product_get(merchant_of(request), product_id)


@import_runs.get("", response={200: Page[ImportRunOut], **ERROR_RESPONSES}, summary="List catalogue imports")
def list_import_runs(
    request: HttpRequest,
    store_id: IdFilter = None,
    state: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.import_run_list(merchant_of(request), store_id=store_id, state=state)
    return paginate(qs, cursor=cursor, limit=limit)


@import_runs.get(
    "/{run_id}", response={200: ImportRunOut, **ERROR_RESPONSES}, summary="Get an import's progress"
)
def get_import_run(request: HttpRequest, run_id: PathId):
    return selectors.import_run_get(merchant_of(request), run_id)
