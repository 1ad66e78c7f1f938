"""TikTok listings and category mappings: reads, then writes (map, sync, preview, link)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.catalog.selectors import product_list
from shopbridge.connections.selectors import channel_get
from shopbridge.listings import selectors, services

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES, WRITE_ERRORS, ApiError
from ..inputs import LinkIn, MappingSetIn, PreviewOut, SyncIn
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


@listings.get("/{int:listing_id}", response={200: ListingOut, **ERROR_RESPONSES}, summary="Get a listing")
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


# -- writes ------------------------------------------------------------------------------------


def _channel_and_products(request: HttpRequest, channel_id: int, product_ids: list[int]):
    merchant = merchant_of(request)
    channel = channel_get(merchant, channel_id)
    products = list(product_list(merchant, store_id=channel.store_id).filter(pk__in=product_ids))
    if len(products) != len(set(product_ids)):
        raise ApiError(
            404,
            "not_found",
            "Some products do not exist in the channel's store.",
            "List the channel's products with GET /products?channel_id=… and use their ids.",
        )
    return channel, products


@listings.post(
    "/sync-requests", response={202: list[ListingOut], **WRITE_ERRORS}, summary="Queue products for syncing"
)
def request_sync(request: HttpRequest, body: SyncIn):
    """Idempotent. Each product must be mapped to a TikTok category first."""
    channel, products = _channel_and_products(request, body.channel_id, body.product_ids)
    variant_ids = {int(k): list(v) for k, v in (body.variant_ids or {}).items()} or None
    queued = services.listing_sync_request(channel=channel, products=products, variant_ids=variant_ids)
    return 202, selectors.listing_list(merchant_of(request)).filter(
        pk__in=[x.pk for x in queued]
    ).prefetch_related("skus")


@listings.get(
    "/{listing_id}/preview", response={200: PreviewOut, **WRITE_ERRORS}, summary="Preview the TikTok payload"
)
def preview(request: HttpRequest, listing_id: PathId):
    """What a sync would send and the field errors that would stop it; writes nothing on TikTok."""
    return services.listing_preview(selectors.listing_get(merchant_of(request), listing_id))


@listings.post(
    "/links", response={201: ListingOut, **WRITE_ERRORS}, summary="Link an existing TikTok product"
)
def link(request: HttpRequest, body: LinkIn):
    channel, (product,) = _channel_and_products(request, body.channel_id, [body.product_id])
    variants = set(product.variants.values_list("pk", flat=True))
    if not set(body.sku_links) <= variants:
        raise ApiError(
            404,
            "not_found",
            "Some variants are not variants of this product.",
            "Use the variant ids listed on GET /products/{product_id}.",
        )
    listing = services.listing_link(
        channel=channel,
        product=product,
        tiktok_product_id=body.tiktok_product_id,
        sku_links=dict(body.sku_links),
    )
    return 201, selectors.listing_get(merchant_of(request), listing.pk)


@listings.post(
    "/{listing_id}/unlink", response={200: ListingOut, **WRITE_ERRORS}, summary="Unlink from TikTok"
)
def unlink(request: HttpRequest, listing_id: PathId):
    listing = selectors.listing_get(merchant_of(request), listing_id)
    services.listing_unlink(listing=listing)
    return selectors.listing_get(merchant_of(request), listing_id)


@mappings.post(
    "", response={200: list[CategoryMappingOut], **WRITE_ERRORS}, summary="Map products to a category"
)
def set_mappings(request: HttpRequest, body: MappingSetIn):
    """Refused (409 mapping_locked) for a product already synced: TikTok keeps its category."""
    channel, products = _channel_and_products(request, body.channel_id, body.product_ids)
    return services.mapping_set(channel=channel, products=products, category_id=body.category_id)


@mappings.delete("/{mapping_id}", response={204: None, **WRITE_ERRORS}, summary="Remove a mapping")
def remove_mapping(request: HttpRequest, mapping_id: PathId):
    mapping = selectors.category_mapping_get(merchant_of(request), mapping_id)
    services.mapping_remove(channel=mapping.channel, product=mapping.product)
    return 204, None
