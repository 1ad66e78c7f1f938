"""Catalogue import from the Shopify emulator: counts, idempotency, incremental, deletions."""

from shopbridge.catalog.models import Image, ImportRun, InventoryLevel, Product, Variant
from shopbridge.connections.models import ConnectionStatus


def _emulator_counts(shopify):
    shop = shopify.default_shop
    products = list(shop.products.values())
    return len(products), sum(len(p["variants"]) for p in products), sum(len(p["images"]) for p in products)


def test_full_import_mirrors_the_store(shopify_store, shopify):
    n_products, n_variants, n_images = _emulator_counts(shopify)

    assert shopify_store.status == ConnectionStatus.ACTIVE
    assert shopify_store.currency == "USD"
    assert Product.objects.filter(store=shopify_store, deleted_at__isnull=True).count() == n_products
    assert Variant.objects.filter(store=shopify_store, deleted_at__isnull=True).count() == n_variants
    assert Image.objects.filter(product__store=shopify_store).count() == n_images
    run = ImportRun.objects.get(store=shopify_store)
    assert run.state == "done" and run.products_seen == n_products and run.skipped == []
    # Two locations in the emulator: levels are mirrored per location.
    assert InventoryLevel.objects.filter(variant__store=shopify_store).values("location_external_id").distinct().count() == 2


def test_importing_twice_changes_nothing(shopify_store, run_jobs):
    from shopbridge.catalog.jobs import catalog_import_enqueue

    before = {p.pk: p.updated_at for p in Product.objects.filter(store=shopify_store)}

    catalog_import_enqueue(store=shopify_store, full=True)
    run_jobs()

    after = {p.pk: p.updated_at for p in Product.objects.filter(store=shopify_store)}
    assert after == before
    assert ImportRun.objects.filter(store=shopify_store).latest("id").products_changed == 0


def test_deleted_product_is_detected_on_full_import(shopify_store, shopify, run_jobs):
    from shopbridge.catalog.jobs import catalog_import_enqueue

    victim = Product.objects.filter(store=shopify_store).order_by("pk").first()
    shopify.default_shop.products.pop(int(victim.external_id))

    catalog_import_enqueue(store=shopify_store, full=True)
    run_jobs()

    victim.refresh_from_db()
    assert victim.deleted_at is not None and victim.status == "deleted"
    assert ImportRun.objects.filter(store=shopify_store).latest("id").products_deleted == 1
