"""Jobs: catalogue import (full / incremental), single-product refresh, inventory refresh."""

from __future__ import annotations

from django.db import transaction

from shopbridge.connections.models import StoreConnection
from shopbridge.core.errors import NotFoundError
from shopbridge.sync.clients import store_connector
from shopbridge.sync.engine import enqueue_job, extend_lease
from shopbridge.sync.models import SyncJob
from shopbridge.sync.registry import job_handler

from . import handlers  # noqa: F401 - registers the store webhook topic handlers
from .importer import import_store, notify_products_changed
from .models import ImportRun, Product
from .services import product_mark_deleted, product_upsert


@job_handler("catalog.import", lease_seconds=300, max_attempts=8)
def run_import(job: SyncJob) -> None:
    store = StoreConnection.objects.get(pk=job.payload["store_id"])
    run = ImportRun.objects.filter(pk=job.payload.get("run_id")).first()
    import_store(
        store, store_connector(store), full=bool(job.payload.get("full")), heartbeat=lambda: extend_lease(job), run=run
    )


@job_handler("catalog.product_refresh", lease_seconds=60)
def refresh_product(job: SyncJob) -> None:
    """Re-read one product from the store (after a webhook) and mirror it."""
    store = StoreConnection.objects.get(pk=job.payload["store_id"])
    external_id = job.payload["product_external_id"]
    try:
        dto = store_connector(store).get_product(external_id)
    except NotFoundError:
        product_mark_deleted(store=store, external_ids=[external_id])
        notify_products_changed(store, list(Product.objects.filter(store=store, external_id=external_id).values_list("pk", flat=True)))
        return
    product, changed = product_upsert(store=store, dto=dto)
    if changed:
        notify_products_changed(store, [product.pk])


def catalog_import_enqueue(*, store: StoreConnection, full: bool) -> ImportRun:
    with transaction.atomic():
        run = ImportRun.objects.create(store=store, kind="full" if full else "incremental")
        enqueue_job(
            "catalog.import", f"import:{store.pk}", payload={"store_id": store.pk, "full": full, "run_id": run.pk},
            merchant_id=store.merchant_id,
        )
    return run


@job_handler("inventory.refresh", lease_seconds=120, max_attempts=20)
def refresh_inventory(job: SyncJob) -> None:
    """Stock webhooks are hints: re-read the real levels of every marked variant of the store, then
    push what changed. Marks set while this runs make the job run again (no change is lost)."""
    from django.utils import timezone

    from shopbridge.catalog.importer import refresh_variant_inventory
    from shopbridge.catalog.models import Variant
    from shopbridge.listings.services import listings_request_price_inventory_push

    store = StoreConnection.objects.get(pk=job.payload["store_id"])
    connector = store_connector(store)
    while True:
        started = timezone.now()
        variants = list(
            Variant.objects.filter(store=store, deleted_at__isnull=True, stock_refresh_requested_at__lte=started)
            .select_related("product")
            .order_by("stock_refresh_requested_at")[:250]
        )
        if not variants:
            return
        refresh_variant_inventory(store, connector, variants)
        # Clear only the marks this read covered; a newer mark keeps the variant for the next pass.
        Variant.objects.filter(pk__in=[v.pk for v in variants], stock_refresh_requested_at__lte=started).update(
            stock_refresh_requested_at=None
        )
        listings_request_price_inventory_push(variant_ids=[v.pk for v in variants])
        extend_lease(job)
