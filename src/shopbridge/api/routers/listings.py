"""TikTok listings and category mappings (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.listings import selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import IdFilter, PathId, Text
from ..schemas import CategoryMappingOut, ListingOut

listings = Router(tags=["listings"])
mappings = Router(tags=["category mappings"])


@listings.get("", response={200: Page[ListingOut], **ERROR_RESPONSES}, summary="List listings")
def list_listings(
    request: HttpRequest,
    channel_id: IdFilter = None,
    status: Text = "",
    tiktok_category_id: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.listing_list(
        merchant_of(request),
        channel_id=channel_id,
        status=status,
        tiktok_category_id=tiktok_category_id,
        search=search,
    ).prefetch_related("skus")
    return paginate(qs, cursor=cursor, limit=limit)


@listings.get("/{listing_id}", response={200: ListingOut, **ERROR_RESPONSES}, summary="Get a listing")
def get_listing(request: HttpRequest, listing_id: PathId):
    return selectors.listing_get(merchant_of(request), listing_id)


@mappings.get(
    "", response={200: Page[CategoryMappingOut], **ERROR_RESPONSES}, summary="List category mappings"
)
def list_mappings(
    request: HttpRequest,
    channel_id: IdFilter = None,
    tiktok_category_id: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.category_mapping_list(
        merchant_of(request), channel_id=channel_id, tiktok_category_id=tiktok_category_id
    )
    return paginate(qs, cursor=cursor, limit=limit)


@mappings.get("/{mapping_id}", response={200: CategoryMappingOut, **ERROR_RESPONSES}, summary="Get a mapping")
def get_mapping(request: HttpRequest, mapping_id: PathId):
    return selectors.category_mapping_get(merchant_of(request), mapping_id)
