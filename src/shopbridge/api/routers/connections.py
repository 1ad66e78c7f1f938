"""Stores, TikTok shops and the channels pairing them: reads, then writes (connect, pair, settings)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.catalog.jobs import catalog_import_enqueue
from shopbridge.connections import selectors, services
from shopbridge.connections.services import SETTINGS_SECTIONS, channel_settings_update

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES, WRITE_ERRORS, ApiError
from ..inputs import (
    AutolinkOut,
    ChannelCreateIn,
    ChannelSettingsIn,
    CurrencyRateIn,
    ImportIn,
    ShopCodeIn,
    ShopConnectIn,
    StoreConnectIn,
)
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import IdFilter, PathId, Text
from ..schemas import ChannelOut, ImportRunOut, ShopOut, StoreOut

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


@shops.get("/{int:shop_id}", response={200: ShopOut, **ERROR_RESPONSES}, summary="Get a TikTok shop")
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


# -- writes ------------------------------------------------------------------------------------


def _store_credentials(body: StoreConnectIn) -> dict:
    creds = body.shopify if body.platform == "shopify" else body.woocommerce
    if creds is None:
        raise ApiError(
            422,
            "credentials_missing",
            f"The {body.platform} credentials are missing.",
            f"Send the '{body.platform}' object with the store's API credentials.",
        )
    return creds.dict()


@stores.post("", response={201: StoreOut, **WRITE_ERRORS}, summary="Connect a store")
def connect_store(request: HttpRequest, body: StoreConnectIn):
    """Checks the credentials by reading the store, registers webhooks, starts the first import."""
    store = services.store_connect(
        merchant=merchant_of(request),
        platform=body.platform,
        base_url=body.base_url,
        external_id=body.external_id,
        credentials=_store_credentials(body),
        name=body.name,
        start_import=body.start_import,
    )
    return 201, store


@stores.post(
    "/{store_id}/imports", response={202: ImportRunOut, **WRITE_ERRORS}, summary="Start a catalogue import"
)
def start_import(request: HttpRequest, store_id: PathId, body: ImportIn):
    """Poll GET /import-runs/{run_id} for progress."""
    store = selectors.store_get(merchant_of(request), store_id)
    return 202, catalog_import_enqueue(store=store, full=body.full)


@shops.post("", response={201: list[ShopOut], **WRITE_ERRORS}, summary="Connect TikTok shops with tokens")
def connect_shops(request: HttpRequest, body: ShopConnectIn):
    return 201, services.shop_connect_with_tokens(merchant=merchant_of(request), **body.dict())


@shops.post(
    "/oauth-code",
    response={201: list[ShopOut], **WRITE_ERRORS},
    summary="Connect TikTok shops with an OAuth code",
)
def connect_shops_with_code(request: HttpRequest, body: ShopCodeIn):
    return 201, services.shop_connect_with_code(merchant=merchant_of(request), **body.dict())


@channels.post("", response={201: ChannelOut, **WRITE_ERRORS}, summary="Pair a store with a TikTok shop")
def create_channel(request: HttpRequest, body: ChannelCreateIn):
    """A channel whose currencies differ comes back ``blocked`` until a conversion rate is set."""
    merchant = merchant_of(request)
    store = selectors.store_get(merchant, body.store_id)
    shop = selectors.shop_get(merchant, body.shop_id)
    return 201, services.channel_create(merchant=merchant, store=store, shop=shop, name=body.name)


@channels.put(
    "/{channel_id}/currency-rate",
    response={200: ChannelOut, **WRITE_ERRORS},
    summary="Set the conversion rate",
)
def set_currency_rate(request: HttpRequest, channel_id: PathId, body: CurrencyRateIn):
    channel = selectors.channel_get(merchant_of(request), channel_id)
    return services.channel_set_currency_rate(channel=channel, rate=body.rate)


@channels.patch(
    "/{channel_id}/settings", response={200: ChannelOut, **WRITE_ERRORS}, summary="Change channel settings"
)
def update_settings(request: HttpRequest, channel_id: PathId, body: ChannelSettingsIn):
    channel = selectors.channel_get(merchant_of(request), channel_id)
    data = body.dict(exclude_none=True)
    sections = {k: data.pop(k) for k in list(data) if k in SETTINGS_SECTIONS}
    return channel_settings_update(channel=channel, settings=sections, **data)


@channels.post(
    "/{channel_id}/autolink",
    response={200: AutolinkOut, **WRITE_ERRORS},
    summary="Link TikTok products by SKU",
)
def autolink(request: HttpRequest, channel_id: PathId):
    from shopbridge.listings.linking import listings_autolink

    report = listings_autolink(channel=selectors.channel_get(merchant_of(request), channel_id))
    return {
        "linked": [{"product_id": p, "tiktok_product_id": t} for p, t in report.linked],
        "already_linked": report.already_linked,
        "not_linked": report.not_linked,
    }
