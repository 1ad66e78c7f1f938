"""TikTok's daily listing cap for new shops (../shared/spec/tiktok-shop-api.md §5.4): what does not fit
today waits in order, the merchant sees when each product goes, and it goes then."""

from datetime import timedelta

from django.utils import timezone

from shopbridge.catalog.models import Product
from shopbridge.connections.models import ShopConnection
from shopbridge.listings.models import Listing, ListingStatus
from shopbridge.listings.services import listing_sync_request, mapping_set
from shopbridge.sync.models import JobState, SyncJob

TITLES = ["Enamel Camp Mug", "Gold Vermeil Hoops", "Sterling Bar Necklace", "Signet Ring"]
LEAVES = {
    "Enamel Camp Mug": "600042",
    "Gold Vermeil Hoops": "605268",
    "Sterling Bar Necklace": "605280",
    "Signet Ring": "605273",
}


def _products(channel) -> list[Product]:
    products = [Product.objects.get(store=channel.store, title=t) for t in TITLES]
    for product in products:
        mapping_set(channel=channel, products=[product], category_id=LEAVES[product.title])
    return products


def _listings(channel) -> list[Listing]:
    return [Listing.objects.get(channel=channel, product__title=t) for t in TITLES]


def _cap(shop, tiktok, *, ours: int, tiktoks: int) -> None:
    ShopConnection.objects.filter(pk=shop.pk).update(daily_listing_quota=ours)
    tiktok.driver.control("set_quota", {"shop_id": shop.shop_id, "daily_listing_quota": tiktoks})


def test_the_rest_waits_in_order_and_shows_when_it_goes(channel, tiktok, run_jobs, monkeypatch):
    _cap(channel.shop, tiktok, ours=2, tiktoks=2)
    products = _products(channel)

    for product in products:  # one click each, in this order
        listing_sync_request(channel=channel, products=[product])
    run_jobs()

    first, second, third, fourth = _listings(channel)
    assert [first.status, second.status] == [ListingStatus.UNDER_REVIEW] * 2
    assert [third.status, fourth.status] == [ListingStatus.QUEUED] * 2
    tomorrow = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    assert third.scheduled_for == tomorrow + timedelta(minutes=1)
    assert fourth.scheduled_for == tomorrow + timedelta(minutes=1, seconds=1)
    assert third.error_code == "daily_cap"
    assert third.error_reason == (
        f"TikTok lets this shop list 2 new products a day; this one goes automatically on "
        f"{third.scheduled_for:%Y-%m-%d %H:%M} UTC."
    )
    assert len(tiktok.driver.control("products")["products"]) == 2
    waiting = SyncJob.objects.filter(kind="listing.push", state=JobState.PENDING).order_by("run_after")
    assert [j.payload["listing_id"] for j in waiting] == [third.pk, fourth.pk]
    assert [j.run_after.replace(microsecond=0) for j in waiting] == [
        third.scheduled_for,
        fourth.scheduled_for,
    ]

    # The next UTC day. ShopBridge's clock moves; the emulator's cannot (request signatures must stay
    # within its 5-minute window, §3.3), so its count is given room for two more instead.
    later = fourth.scheduled_for + timedelta(seconds=5)
    monkeypatch.setattr(timezone, "now", lambda: later)
    tiktok.driver.control("set_quota", {"shop_id": channel.shop.shop_id, "daily_listing_quota": 4})
    run_jobs()

    third.refresh_from_db()
    fourth.refresh_from_db()
    assert [third.status, fourth.status] == [ListingStatus.UNDER_REVIEW] * 2
    assert third.tiktok_product_id and fourth.tiktok_product_id
    assert third.scheduled_for is None and third.error_code == ""
    assert len(tiktok.driver.control("products")["products"]) == 4


def test_tiktoks_own_refusal_also_queues_for_tomorrow(channel, tiktok, run_jobs):
    """Products listed outside ShopBridge use up the cap too: TikTok answers 12052093."""
    _cap(channel.shop, tiktok, ours=100, tiktoks=1)
    products = _products(channel)[:2]

    listing_sync_request(channel=channel, products=products)
    run_jobs()

    first, second = _listings(channel)[:2]
    assert first.status == ListingStatus.UNDER_REVIEW
    assert second.status == ListingStatus.QUEUED and second.error_code == "daily_cap"
    assert second.scheduled_for is not None and second.scheduled_for > timezone.now()
    assert second.create_started_at is None, "TikTok created nothing: a retry must not search for it"
    assert len(tiktok.driver.control("products")["products"]) == 1
