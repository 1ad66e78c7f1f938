"""A store product mapped, synced, reviewed and active on TikTok, through the real connectors."""

from shopbridge.catalog.models import Product
from shopbridge.listings.models import Listing, ListingSku, ListingStatus, TikTokCategory
from shopbridge.listings.services import listing_sync_request, mapping_set


def _leaf(shop, word):
    from shopbridge.listings.categories import ensure_categories

    ensure_categories(shop)
    return TikTokCategory.objects.filter(shop=shop, is_leaf=True, path__icontains=word).order_by("pk").first()


def test_product_goes_under_review_then_active(channel, tiktok, run_jobs):
    from shopbridge.listings.suggestions import suggest_for_product

    product = Product.objects.get(store=channel.store, title="Enamel Camp Mug")
    suggestions = suggest_for_product(shop=channel.shop, product=product)
    assert suggestions, "a mug gets category suggestions"
    mapping_set(channel=channel, products=[product], category_id=suggestions[0]["category_id"], source="suggestion")

    listing_sync_request(channel=channel, products=[product])
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=product)
    assert listing.status == ListingStatus.UNDER_REVIEW, (listing.error_code, listing.error_reason, listing.field_errors)
    assert listing.tiktok_product_id
    assert ListingSku.objects.filter(listing=listing, tiktok_sku_id__isnull=False).count() == product.variants.count()

    tiktok.driver.advance(61)
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE

