"""Products already on TikTok: linked to store variants by exact seller SKU (auto or by hand), listed
while unlinked, and never created a second time."""

from shopbridge.catalog.models import Product, Variant
from shopbridge.listings.linking import UnlinkedSku, listings_autolink, unlinked_tiktok_skus
from shopbridge.listings.models import Listing, ListingSku, ListingStatus
from shopbridge.listings.services import listing_link, listing_sync_request, listing_unlink, mapping_set

MUGS = "600042"  # Kitchenware>Drinkware>Mugs
EARRINGS = "605268"  # Fashion Accessories>Costume Jewellery & Accessories>Earrings


def _creates(tiktok) -> int:
    return len([r for r in tiktok.request_log if r["method"] == "POST" and r["path"].endswith("/products")])


def _listed_then_forgotten(channel, run_jobs, title: str, category_id: str) -> tuple[Product, str]:
    """A product that is on TikTok but not linked in ShopBridge (listed earlier, or by another tool)."""
    product = Product.objects.get(store=channel.store, title=title)
    mapping_set(channel=channel, products=[product], category_id=category_id)
    listing_sync_request(channel=channel, products=[product])
    run_jobs()
    listing = Listing.objects.get(channel=channel, product=product)
    tiktok_id = listing.tiktok_product_id
    assert tiktok_id
    listing_unlink(listing=listing)
    return product, tiktok_id


def test_syncing_a_product_whose_sku_is_already_on_tiktok_is_refused(channel, tiktok, run_jobs):
    mug, tiktok_id = _listed_then_forgotten(channel, run_jobs, "Enamel Camp Mug", MUGS)

    listing_sync_request(channel=channel, products=[mug])
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=mug)
    skus = ", ".join(mug.variants.order_by("position", "pk").values_list("sku", flat=True))
    assert listing.status == ListingStatus.FAILED_TO_SYNC
    assert listing.error_code == "sku_exists_on_tiktok"
    assert listing.error_reason == (
        f"TikTok product {tiktok_id} already uses the seller SKU(s) {skus}: creating another would list it twice."
    )
    assert (
        listing.error_fix
        == "Link the existing TikTok product to this store product instead of creating a duplicate."
    )
    assert listing.tiktok_product_id is None
    assert _creates(tiktok) == 1


def test_unlinked_tiktok_skus_are_listed_with_the_matching_variant(channel, run_jobs):
    mug, tiktok_id = _listed_then_forgotten(channel, run_jobs, "Enamel Camp Mug", MUGS)
    sku_ids = dict(ListingSku.objects.filter(listing__product=mug).values_list("variant_id", "tiktok_sku_id"))
    assert set(sku_ids.values()) == {None}, "unlinking forgets the TikTok SKU ids"

    unlinked = unlinked_tiktok_skus(channel)

    variants = {v.sku: v.pk for v in Variant.objects.filter(product=mug)}
    assert sorted((u.seller_sku, u.suggested_variant_id) for u in unlinked) == sorted(variants.items())
    assert {(u.tiktok_product_id, u.product_title, u.tiktok_status) for u in unlinked} == {
        (tiktok_id, "Enamel Camp Mug", "PENDING")
    }
    assert all(isinstance(u, UnlinkedSku) and u.tiktok_sku_id for u in unlinked)


def test_autolink_binds_by_exact_seller_sku_and_reports_what_it_could_not(
    channel, tiktok, shopify_driver, run_jobs
):
    mug, mug_on_tiktok = _listed_then_forgotten(channel, run_jobs, "Enamel Camp Mug", MUGS)
    hoops, hoops_on_tiktok = _listed_then_forgotten(channel, run_jobs, "Gold Vermeil Hoops", EARRINGS)
    shopify_driver.control("products/delete", {"id": int(hoops.external_id)})  # gone from the store since
    shopify_driver.flush_webhooks()
    run_jobs()

    report = listings_autolink(channel=channel)

    first_hoop_sku = hoops.variants.order_by("position", "pk").first().sku
    assert report.linked == [(mug.pk, mug_on_tiktok)]
    assert report.not_linked == {hoops_on_tiktok: f"no store variant has the seller SKU {first_hoop_sku!r}"}
    listing = Listing.objects.get(channel=channel, product=mug)
    assert listing.tiktok_product_id == mug_on_tiktok
    assert listing.status == ListingStatus.UNDER_REVIEW  # TikTok's status, PENDING
    (on_tiktok,) = [
        p for p in tiktok.driver.control("products")["products"] if p["product_id"] == mug_on_tiktok
    ]
    linked = ListingSku.objects.filter(listing=listing).select_related("variant")
    assert {(s.variant.sku, s.tiktok_sku_id) for s in linked} == {
        (s["seller_sku"], s["id"]) for s in on_tiktok["skus"]
    }
    assert not any(s.linked_manually for s in linked)
    assert sorted(u.seller_sku for u in unlinked_tiktok_skus(channel)) == sorted(
        hoops.variants.values_list("sku", flat=True)
    )
    assert {u.tiktok_product_id for u in unlinked_tiktok_skus(channel)} == {hoops_on_tiktok}
    assert _creates(tiktok) == 2, "linking creates nothing on TikTok"

    again = listings_autolink(channel=channel)
    assert (again.linked, again.already_linked) == ([], 1)


def test_manual_link_and_unlink(channel, tiktok, run_jobs):
    mug, tiktok_id = _listed_then_forgotten(channel, run_jobs, "Enamel Camp Mug", MUGS)
    choices = {u.seller_sku: u for u in unlinked_tiktok_skus(channel)}
    variant = mug.variants.order_by("position", "pk").first()

    listing = listing_link(
        channel=channel,
        product=mug,
        tiktok_product_id=tiktok_id,
        sku_links={variant.pk: choices[variant.sku].tiktok_sku_id},
        tiktok_status="PENDING",
    )

    assert listing.tiktok_product_id == tiktok_id and listing.status == ListingStatus.UNDER_REVIEW
    sku = ListingSku.objects.get(listing=listing, variant=variant)
    assert sku.tiktok_sku_id == choices[variant.sku].tiktok_sku_id and sku.linked_manually
    assert {u.seller_sku for u in unlinked_tiktok_skus(channel)} == set(choices) - {variant.sku}

    listing_unlink(listing=listing)

    listing.refresh_from_db()
    assert listing.tiktok_product_id is None and listing.status == ListingStatus.NOT_SYNCED
    assert {u.seller_sku for u in unlinked_tiktok_skus(channel)} == set(choices)
    assert len(tiktok.driver.control("products")["products"]) == 1, (
        "unlinking leaves the TikTok product alone"
    )
