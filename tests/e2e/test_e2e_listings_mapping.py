"""Category mapping per channel: manual and bulk, locked once synced, templates (also for products
that arrive later), required attributes with channel/template defaults, TikTok's category changes."""

import pytest

from shopbridge.catalog.models import Product
from shopbridge.core.errors import ValidationFailed
from shopbridge.listings.categories import ensure_categories
from shopbridge.listings.errors import MappingLocked
from shopbridge.listings.models import CategoryMapping, Listing, ListingStatus, TikTokCategory
from shopbridge.listings.services import (
    listing_sync_request,
    mapping_remove,
    mapping_set,
    template_create,
)
from shopbridge.listings.suggestions import suggest_for_product

MENS_TSHIRTS = "601226"  # Menswear & Underwear>Men's Tops>T-shirts: Material required, size chart required
EARRINGS = "605268"  # Fashion Accessories>Costume Jewellery & Accessories>Earrings
MATERIAL = "100157"


def _product(channel, title: str) -> Product:
    return Product.objects.get(store=channel.store, title=title)


def _creates(tiktok) -> int:
    return len([r for r in tiktok.request_log if r["method"] == "POST" and r["path"].endswith("/products")])


def test_mapping_is_editable_until_synced_then_locked_with_a_clear_message(channel, tiktok, run_jobs):
    mug = _product(channel, "Enamel Camp Mug")
    first, second = suggest_for_product(shop=channel.shop, product=mug)[:2]
    mapping_set(channel=channel, products=[mug], category_id=first["category_id"])
    mapping_set(channel=channel, products=[mug], category_id=second["category_id"])
    assert (
        CategoryMapping.objects.get(channel=channel, product=mug).tiktok_category_id == second["category_id"]
    )

    listing_sync_request(channel=channel, products=[mug])
    run_jobs()
    assert Listing.objects.get(channel=channel, product=mug).status == ListingStatus.UNDER_REVIEW

    with pytest.raises(MappingLocked) as locked:
        mapping_set(channel=channel, products=[mug], category_id=first["category_id"])
    assert locked.value.code == "mapping_locked"
    assert locked.value.reason == "“Enamel Camp Mug” is already synced to TikTok, so its category is locked."
    assert "Seller Center" in locked.value.fix
    with pytest.raises(MappingLocked):
        mapping_remove(channel=channel, product=mug)
    mapping = CategoryMapping.objects.get(channel=channel, product=mug)
    assert mapping.tiktok_category_id == second["category_id"] and mapping.locked_at is not None
    # Re-stating the same category is harmless.
    assert mapping_set(channel=channel, products=[mug], category_id=second["category_id"]) == [mapping]


def test_bulk_mapping_maps_every_chosen_product_to_one_leaf(channel):
    earrings = [_product(channel, t) for t in ("Gold Vermeil Hoops", "Freshwater Pearl Studs")]

    mappings = mapping_set(channel=channel, products=earrings, category_id=EARRINGS)

    assert [m.product for m in mappings] == earrings
    leaf = TikTokCategory.objects.get(shop=channel.shop, category_id=EARRINGS)
    assert {(m.tiktok_category_id, m.tiktok_category_path, m.source) for m in mappings} == {
        (EARRINGS, leaf.path, "manual")
    }
    assert (
        list(Listing.objects.filter(channel=channel).values_list("status", flat=True)) == ["not_synced"] * 2
    )


def test_a_non_leaf_category_is_refused(channel):
    ensure_categories(channel.shop)
    parent = TikTokCategory.objects.filter(shop=channel.shop, is_leaf=False).order_by("pk").first()
    mug = _product(channel, "Enamel Camp Mug")

    with pytest.raises(ValidationFailed) as refused:
        mapping_set(channel=channel, products=[mug], category_id=parent.category_id)

    assert refused.value.code == "category_not_leaf"
    assert not CategoryMapping.objects.filter(channel=channel).exists()


def _earrings_template(channel):
    return template_create(
        channel=channel,
        name="Earrings",
        match_field="product_type",
        match_value="earrings",
        category_id=EARRINGS,
    )


def test_template_maps_the_matching_products_at_once(channel):
    template = _earrings_template(channel)

    mapped = CategoryMapping.objects.filter(channel=channel, template=template, source="template")
    assert sorted(mapped.values_list("product__title", flat=True)) == [
        "Freshwater Pearl Studs",
        "Gold Vermeil Hoops",
    ]
    assert CategoryMapping.objects.filter(channel=channel).count() == 2  # nothing else matched


# The Shopify client budget (40 requests / 20 s) leaves room for one catalogue import and one more
# import or webhook refresh per test, so each way a new product arrives has its own test.


def test_template_maps_a_new_product_found_by_incremental_import(channel, shopify_driver, run_jobs):
    from shopbridge.catalog.jobs import catalog_import_enqueue

    template = _earrings_template(channel)
    shopify_driver.control(
        "products/create",
        {
            "title": "Moonstone Drops",
            "product_type": "Earrings",
            "variants": [{"sku": "MOON-1", "price": "30.00"}],
        },
    )

    catalog_import_enqueue(store=channel.store, full=False)  # no webhook delivered: the import finds it
    run_jobs()

    mapping = CategoryMapping.objects.get(channel=channel, product__title="Moonstone Drops")
    assert (mapping.template, mapping.source, mapping.tiktok_category_id) == (template, "template", EARRINGS)


def test_template_maps_a_new_product_announced_by_webhook(channel, shopify_driver, run_jobs):
    template = _earrings_template(channel)
    shopify_driver.control(
        "products/create",
        {
            "title": "Opal Climbers",
            "product_type": "Earrings",
            "variants": [{"sku": "OPAL-1", "price": "28.00"}],
        },
    )
    shopify_driver.control(
        "products/create",
        {
            "title": "Copper Kettle",
            "product_type": "Kitchen",
            "variants": [{"sku": "KET-1", "price": "40.00"}],
        },
    )

    shopify_driver.flush_webhooks()
    run_jobs()

    mapping = CategoryMapping.objects.get(channel=channel, product__title="Opal Climbers")
    assert (mapping.template, mapping.source) == (template, "template")
    assert not CategoryMapping.objects.filter(channel=channel, product__title="Copper Kettle").exists()


def test_required_attributes_fail_with_field_errors_then_template_defaults_make_it_sync(
    channel, tiktok, run_jobs
):
    from shopbridge.sync.clients import tiktok_client
    from shopbridge_sandbox.shopify.seeds import product_png

    tee = _product(channel, "Harbour Crew Tee")
    mapping_set(channel=channel, products=[tee], category_id=MENS_TSHIRTS)
    listing_sync_request(channel=channel, products=[tee])
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=tee)
    assert listing.status == ListingStatus.FAILED_TO_SYNC
    assert listing.error_code == "preflight_failed"
    by_code = {e["code"]: e for e in listing.field_errors}
    assert {"attribute_required", "size_chart_required"} <= set(by_code)
    assert by_code["attribute_required"]["field"].startswith("product_attributes")
    assert all(e["reason"] and e["fix"] for e in listing.field_errors)
    assert _creates(tiktok) == 0, "pre-flight failures never reach TikTok"

    # The merchant sets defaults once on a template: material and a size chart (uploaded to TikTok).
    size_chart = tiktok_client(channel.shop).products.upload_image(
        product_png("size-chart"),
        use_case="SIZE_CHART_IMAGE",
        filename="size-chart.png",
        mime_type="image/png",
    )
    mapping_remove(channel=channel, product=tee)
    template_create(
        channel=channel,
        name="Tees",
        match_field="product_type",
        match_value="T-Shirts",
        category_id=MENS_TSHIRTS,
        attribute_defaults={MATERIAL: ["Cotton"]},
        defaults={"size_chart_image_uri": size_chart.uri},
    )
    listing_sync_request(channel=channel, products=[tee])
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.UNDER_REVIEW, listing.field_errors
    assert _creates(tiktok) == 1
    (material,) = [a for a in listing.last_payload["product_attributes"] if a["id"] == MATERIAL]
    assert [v["name"] for v in material["values"]] == ["Cotton"]
    assert listing.last_payload["size_chart"] == {"image": {"uri": size_chart.uri}}
    # Sales attributes come from the store's options, one per option, on every SKU.
    assert {a["name"] for s in listing.last_payload["skus"] for a in s["sales_attributes"]} == {
        "Size",
        "Colour",
    }


def test_tiktok_category_change_is_shown_on_the_listing(make_active_listing, tiktok, run_jobs):
    listing = make_active_listing("Enamel Camp Mug")
    old = CategoryMapping.objects.get(channel=listing.channel, product=listing.product).tiktok_category_id
    new = TikTokCategory.objects.get(shop=listing.channel.shop, category_id=EARRINGS)

    tiktok.hub.emit(
        listing.channel.shop.shop_id,
        "PRODUCT_CATEGORY_CHANGE",
        {
            "product_id": listing.tiktok_product_id,
            "previous_category_id": old,
            "current_category_id": EARRINGS,
            "update_time": 1,
        },
    )
    run_jobs()

    listing.refresh_from_db()
    assert listing.status == ListingStatus.ACTIVE
    assert listing.error_code == "category_changed_on_tiktok"
    assert listing.error_reason == (
        f"TikTok changed this product's category from {old} to “{new.path}” ({EARRINGS}). "
        "Orders for it can fail if its attributes no longer fit."
    )
    assert (
        CategoryMapping.objects.get(channel=listing.channel, product=listing.product).tiktok_category_id
        == EARRINGS
    )
