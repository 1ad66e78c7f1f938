"""A USD store feeding a GBP TikTok shop: the channel stops with its reason and nothing reaches
TikTok, until the merchant sets a rate; then prices go converted, and the preview says so."""

from decimal import ROUND_HALF_UP, Decimal

import pytest

from shopbridge.catalog.models import Product
from shopbridge.connections.models import Channel
from shopbridge.listings.errors import ChannelStopped
from shopbridge.listings.models import Listing, ListingStatus
from shopbridge.listings.services import listing_preview, listing_sync_request, mapping_set

MUGS = "600042"  # Kitchenware>Drinkware>Mugs (the UK tree serves GB)


@pytest.fixture
def gb_channel(merchant, shopify_store, gb_shop):
    from shopbridge.connections.services import channel_create

    return channel_create(merchant=merchant, store=shopify_store, shop=gb_shop)


def _product_calls(tiktok) -> list[str]:
    return [
        r["path"] for r in tiktok.request_log if "/product/" in r["path"] and "/categories" not in r["path"]
    ]


def test_currency_mismatch_stops_the_channel_and_nothing_reaches_tiktok(gb_channel, tiktok, run_jobs):
    mug = Product.objects.get(store=gb_channel.store, title="Enamel Camp Mug")
    mapping_set(channel=gb_channel, products=[mug], category_id=MUGS)
    calls_before = len(tiktok.request_log)

    assert gb_channel.status == Channel.Status.BLOCKED
    assert gb_channel.status_code == "currency_mismatch"
    assert gb_channel.status_reason == (
        "The store sells in USD but the TikTok shop (GB) sells in GBP. "
        "Nothing is synced, so no price is listed in the wrong currency."
    )
    with pytest.raises(ChannelStopped) as stopped:
        listing_sync_request(channel=gb_channel, products=[mug])
    run_jobs()

    assert stopped.value.code == "currency_mismatch"
    assert stopped.value.reason == gb_channel.status_reason
    assert len(tiktok.request_log) == calls_before, "no TikTok call at all"
    assert _product_calls(tiktok) == []
    assert Listing.objects.get(channel=gb_channel, product=mug).status == ListingStatus.NOT_SYNCED
    preview = listing_preview(Listing.objects.get(channel=gb_channel, product=mug))
    assert {e["code"] for e in preview["errors"]} >= {"currency_rate_missing"}


def test_a_rate_makes_it_sync_with_converted_prices_shown_in_the_preview(gb_channel, tiktok, run_jobs):
    from shopbridge.connections.services import channel_set_currency_rate

    mug = Product.objects.get(store=gb_channel.store, title="Enamel Camp Mug")
    mapping_set(channel=gb_channel, products=[mug], category_id=MUGS)

    channel = channel_set_currency_rate(channel=gb_channel, rate=Decimal("0.79"))
    assert channel.status == Channel.Status.ACTIVE and channel.status_code == ""

    listing = Listing.objects.get(channel=channel, product=mug)
    preview = listing_preview(listing)
    variants = list(mug.variants.order_by("position", "pk"))
    expected = [
        str((v.price * Decimal("0.79")).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)) for v in variants
    ]
    assert preview["errors"] == []
    assert [s["price"] for s in preview["payload"]["skus"]] == [
        {"currency": "GBP", "amount": a} for a in expected
    ]
    assert (
        "Prices converted from USD to GBP at the channel's rate 0.79 (1 USD = 0.79 GBP)." in preview["notes"]
    )
    assert _product_calls(tiktok) == [], "the preview uploads nothing"

    listing_sync_request(channel=channel, products=[mug])
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW, (listing.error_reason, listing.field_errors)
    (on_tiktok,) = tiktok.driver.control("products")["products"]
    assert [s["price"] for s in on_tiktok["skus"]] == [{"amount": a, "currency": "GBP"} for a in expected]
