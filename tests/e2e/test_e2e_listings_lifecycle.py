"""A listing's life after the first sync, through the real connectors and the emulators' webhooks:
review outcome, TikTok-side deactivation, store-side deletion, price and stock following the store."""

from decimal import Decimal

from shopbridge.catalog.models import InventoryLevel, Product, Variant
from shopbridge.listings.models import Listing, ListingSku, ListingStatus
from shopbridge.listings.services import listing_sync_request, mapping_set
from shopbridge.listings.suggestions import suggest_for_product


def _tiktok_product(tiktok, product_id: str) -> dict:
    (found,) = [p for p in tiktok.driver.control("products")["products"] if p["product_id"] == product_id]
    return found


def _sync(channel, run_jobs, title: str) -> Listing:
    product = Product.objects.get(store=channel.store, title=title)
    best = suggest_for_product(shop=channel.shop, product=product)[0]
    mapping_set(channel=channel, products=[product], category_id=best["category_id"], source="suggestion")
    listing_sync_request(channel=channel, products=[product])
    run_jobs()
    return Listing.objects.get(channel=channel, product=product)


def test_failed_review_shows_tiktoks_reason_and_what_to_change(channel, tiktok, run_jobs):
    listing = _sync(channel, run_jobs, "Enamel Camp Mug")
    assert listing.status == ListingStatus.UNDER_REVIEW

    tiktok.driver.control("force_review", {"product_id": listing.tiktok_product_id, "outcome": "FAILED"})
    run_jobs()

    listing.refresh_from_db()
    reasons = _tiktok_product(tiktok, listing.tiktok_product_id)["audit_failed_reasons"]
    assert reasons, "the emulator gives a reason for a failed review"
    assert listing.status == ListingStatus.FAILED_REVIEW
    assert listing.tiktok_status == "FAILED"
    assert listing.error_code == "failed_review"
    assert listing.error_reason == "; ".join(x for r in reasons for x in r["reasons"])
    assert listing.error_fix == "; ".join(x for r in reasons for x in r["suggestions"])
    assert listing.review_reasons == [
        {"position": r.get("position", ""), "reasons": r["reasons"], "suggestions": r["suggestions"]}
        for r in reasons
    ]


def test_product_deactivated_on_tiktok_is_synced_but_unlisted(make_active_listing, tiktok, run_jobs):
    listing = make_active_listing("Enamel Camp Mug")

    tiktok.driver.control(
        "platform_product",
        {"product_id": listing.tiktok_product_id, "action": "deactivate", "reason": "policy"},
    )
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.SYNCED
    assert listing.get_status_display() == "Synced (unlisted on TikTok)"
    assert listing.tiktok_status == "PLATFORM_DEACTIVATED"
    assert listing.error_code == "tiktok_platform_deactivated"
    assert listing.error_reason == "TikTok deactivated this product."


def test_store_product_deleted_is_deactivated_on_tiktok(
    make_active_listing, shopify_driver, tiktok, run_jobs
):
    listing = make_active_listing("Enamel Camp Mug")

    shopify_driver.control("products/delete", {"id": int(listing.product.external_id)})
    shopify_driver.flush_webhooks()
    run_jobs()

    listing.refresh_from_db()
    assert listing.product.deleted_at is not None
    assert _tiktok_product(tiktok, listing.tiktok_product_id)["status"] == "SELLER_DEACTIVATED"
    assert listing.status == ListingStatus.SYNCED
    assert listing.error_code == "deactivated_store_product"


def test_store_product_unpublished_is_deactivated_on_tiktok(
    make_active_listing, shopify_driver, tiktok, run_jobs
):
    listing = make_active_listing("Enamel Camp Mug")

    shopify_driver.control("products/update", {"id": int(listing.product.external_id), "status": "draft"})
    shopify_driver.flush_webhooks()
    run_jobs()

    listing.refresh_from_db()
    assert _tiktok_product(tiktok, listing.tiktok_product_id)["status"] == "SELLER_DEACTIVATED"
    assert listing.status == ListingStatus.SYNCED


def test_store_price_and_stock_change_reach_tiktok(make_active_listing, shopify_driver, tiktok, run_jobs):
    listing = make_active_listing("Enamel Camp Mug")
    sku = ListingSku.objects.filter(listing=listing).select_related("variant").order_by("pk").first()
    variant = sku.variant
    location = InventoryLevel.objects.filter(variant=variant).order_by("location_external_id").first()
    title_before = _tiktok_product(tiktok, listing.tiktok_product_id)

    shopify_driver.control("variants/update", {"id": int(variant.external_id), "price": "19.50"})
    shopify_driver.control(
        "inventory/set",
        {
            "variant_id": int(variant.external_id),
            "location_id": int(location.location_external_id),
            "available": 7,
        },
    )
    shopify_driver.flush_webhooks()
    run_jobs()

    expected_stock = sum(InventoryLevel.objects.filter(variant=variant).values_list("available", flat=True))
    assert Variant.objects.get(pk=variant.pk).price == Decimal("19.50")
    assert InventoryLevel.objects.get(pk=location.pk).available == 7
    (on_tiktok,) = [
        s for s in _tiktok_product(tiktok, listing.tiktok_product_id)["skus"] if s["id"] == sku.tiktok_sku_id
    ]
    assert on_tiktok["price"] == {"amount": "19.50", "currency": "USD"}
    assert sum(i["quantity"] for i in on_tiktok["inventory"]) == expected_stock
    sku.refresh_from_db()
    assert sku.pushed_price == Decimal("19.50") and sku.pushed_inventory == expected_stock
    # Only price and stock follow the store after the first sync: the product stays live, not re-reviewed.
    assert (
        _tiktok_product(tiktok, listing.tiktok_product_id)["status"] == title_before["status"] == "ACTIVATE"
    )


def test_review_outcome_arrives_by_polling_when_the_webhook_is_lost(channel, tiktok, run_jobs):
    from django.utils import timezone

    from shopbridge.sync.models import JobState, SyncJob

    listing = _sync(channel, run_jobs, "Enamel Camp Mug")
    tiktok.webhooks.mode = "manual"  # TikTok's webhooks stop arriving (never flushed)

    tiktok.driver.control("force_review", {"product_id": listing.tiktok_product_id, "outcome": "APPROVED"})
    run_jobs()
    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW, "nothing told ShopBridge yet"

    poll = SyncJob.objects.get(kind="listing.refresh_status", state=JobState.PENDING)
    assert poll.payload == {"listing_id": listing.pk}
    SyncJob.objects.filter(pk=poll.pk).update(run_after=timezone.now())  # the poll interval passes
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE and listing.tiktok_status == "ACTIVATE"
    assert not SyncJob.objects.filter(kind="listing.refresh_status", state=JobState.PENDING).exists()


def _tiktok_title(channel, listing, *, under_review: bool = False) -> str:
    """The live title on TikTok, or that of an edit still under review (the live one stays meanwhile)."""
    from shopbridge.sync.clients import tiktok_client

    client = tiktok_client(channel.shop)
    return client.products.get(listing.tiktok_product_id, return_under_review_version=under_review or None).title


def test_store_edits_reach_tiktok_only_when_details_are_kept_in_sync(
    make_active_listing, channel, shopify_driver, tiktok, run_jobs
):
    listing = make_active_listing("Enamel Camp Mug")
    product_id = int(listing.product.external_id)

    shopify_driver.control("products/update", {"id": product_id, "title": "Enamel Camp Mug 350 ml"})
    shopify_driver.flush_webhooks()
    run_jobs()
    assert _tiktok_title(channel, listing) == "Enamel Camp Mug", "after the first sync, only price and stock follow"
    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE

    channel.keep_details_in_sync = True
    channel.save(update_fields=["keep_details_in_sync"])
    shopify_driver.control("products/update", {"id": product_id, "title": "Enamel Camp Mug 400 ml"})
    shopify_driver.flush_webhooks()
    run_jobs()

    listing.refresh_from_db()
    assert _tiktok_title(channel, listing, under_review=True) == "Enamel Camp Mug 400 ml"
    assert listing.last_payload["title"] == "Enamel Camp Mug 400 ml"
    # TikTok keeps the live version on sale while it reviews the edit (§8.9): still Active.
    assert listing.status == ListingStatus.ACTIVE and _tiktok_title(channel, listing) == "Enamel Camp Mug"
