"""Stores, TikTok shops and the channels pairing them (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.connections import selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import IdFilter, PathId, Text
from ..schemas import ChannelOut, ShopOut, StoreOut

stores = Router(tags=["stores"])
shops = Router(tags=["shops"])
channels = Router(tags=["channels"])


@stores.get("", response={200: Page[StoreOut], **ERROR_RESPONSES}, summary="List connected stores")
def list_stores(
    request: HttpRequest,
    status: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.store_list(merchant_of(request), status=status, search=search)
    return paginate(qs, cursor=cursor, limit=limit)


@stores.get("/{store_id}", response={200: StoreOut, **ERROR_RESPONSES}, summary="Get a store")
def get_store(request: HttpRequest, store_id: PathId):
    return selectors.store_get(merchant_of(request), store_id)


@shops.get("", response={200: Page[ShopOut], **ERROR_RESPONSES}, summary="List TikTok shops")
def list_shops(
    request: HttpRequest,
    status: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.shop_list(merchant_of(request), status=status, search=search)
    return paginate(qs, cursor=cursor, limit=limit)


@shops.get("/{shop_id}", response={200: ShopOut, **ERROR_RESPONSES}, summary="Get a TikTok shop")
def get_shop(request: HttpRequest, shop_id: PathId):
    return selectors.shop_get(merchant_of(request), shop_id)


@channels.get("", response={200: Page[ChannelOut], **ERROR_RESPONSES}, summary="List channels")
def list_channels(
    request: HttpRequest,
    store_id: IdFilter = None,
    shop_id: IdFilter = None,
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.channel_list(merchant_of(request), store_id=store_id, shop_id=shop_id)
    return paginate(qs, cursor=cursor, limit=limit)


@channels.get("/{channel_id}", response={200: ChannelOut, **ERROR_RESPONSES}, summary="Get a channel")
def get_channel(request: HttpRequest, channel_id: PathId):
    return selectors.channel_get(merchant_of(request), channel_id)
