"""Catalogue import: full (with deletion detection) and incremental (by the store's updated-at cursor).

A fixed sequence of small steps, each idempotent: refresh shop info -> categories -> locations ->
pages of products (upsert each, skip unchanged by content hash) -> inventory levels of changed
products -> on a full import, mark products missing from the store as deleted -> save the cursor.
Importing twice changes nothing; a crash mid-way resumes from the start with nothing duplicated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from shopbridge.connections.models import ConnectionStatus, StoreConnection
from shopbridge.connectors.base.protocol import StoreConnector

from .models import ImportRun, Location, Product, Variant
from .services import categories_upsert, inventory_levels_upsert, product_mark_deleted, product_upsert

log = logging.getLogger(__name__)
CURSOR_OVERLAP = timedelta(minutes=2)  # store clocks and replication lag: re-read a little
PAGE_SIZE = 100

# Hooks other apps register to react to changed products (auto-mapping, listing pushes).
_product_change_hooks: list[Callable[[StoreConnection, list[int]], None]] = []


def on_products_changed(hook: Callable[[StoreConnection, list[int]], None]) -> None:
    if hook not in _product_change_hooks:
        _product_change_hooks.append(hook)


def notify_products_changed(store: StoreConnection, product_ids: list[int]) -> None:
    if not product_ids:
        return
    for hook in _product_change_hooks:
        hook(store, product_ids)


def import_store(
    store: StoreConnection,
    connector: StoreConnector,
    *,
    full: bool,
    heartbeat: Callable[[], None] = lambda: None,
    run: ImportRun | None = None,
) -> ImportRun:
    started = timezone.now()
    run = run or ImportRun.objects.create(store=store, kind="full" if full else "incremental")
    info = connector.shop_info()
    StoreConnection.objects.filter(pk=store.pk).update(
        currency=info.currency, weight_unit=info.weight_unit.value, timezone=info.timezone
    )
    categories_upsert(store=store, categories=connector.list_categories())
    _import_locations(store, connector)

    updated_since: datetime | None = None
    if not full and store.import_cursor:
        updated_since = datetime.fromisoformat(store.import_cursor) - CURSOR_OVERLAP
    seen: set[str] = set()
    changed: list[int] = []
    skipped: list[dict] = []
    cursor: str | None = None
    while True:
        page = connector.list_products(cursor=cursor, updated_since=updated_since, page_size=PAGE_SIZE)
        for dto in page.products:
            seen.add(dto.external_id)
            product, did_change = product_upsert(store=store, dto=dto)
            if did_change:
                changed.append(product.pk)
        skipped.extend(s.model_dump() for s in page.skipped)
        run.pages += 1
        run.products_seen = len(seen)
        run.products_changed = len(changed)
        run.skipped = skipped
        run.save(update_fields=["pages", "products_seen", "products_changed", "skipped", "updated_at"])
        heartbeat()
        cursor = page.next_cursor
        if not cursor:
            break

    if changed:
        _import_inventory(store, connector, changed)
    deleted = 0
    if full:
        skipped_ids = {s["external_id"] for s in skipped}
        live = Product.objects.filter(store=store, deleted_at__isnull=True).values_list("external_id", flat=True)
        gone = [pid for pid in live if pid not in seen and pid not in skipped_ids]
        deleted = product_mark_deleted(store=store, external_ids=gone)
        if gone:
            changed.extend(Product.objects.filter(store=store, external_id__in=gone).values_list("pk", flat=True))
    StoreConnection.objects.filter(pk=store.pk).update(
        import_cursor=started.isoformat(), last_import_at=timezone.now(), last_success_at=timezone.now(),
        status=ConnectionStatus.ACTIVE, status_code="", status_reason="", status_fix="",
    )
    run.products_deleted = deleted
    run.state = ImportRun.State.DONE
    run.finished_at = timezone.now()
    run.save()
    store.refresh_from_db()
    notify_products_changed(store, changed)
    log.info(
        "catalogue imported",
        extra={"store": store.pk, "full": full, "seen": len(seen), "changed": len(changed), "deleted": deleted},
    )
    return run


def _import_locations(store: StoreConnection, connector: StoreConnector) -> None:
    locations = connector.list_locations() if connector.capabilities.multi_location else []
    for loc in locations:
        Location.objects.update_or_create(
            store=store, external_id=loc.external_id, defaults={"name": loc.name, "active": loc.active}
        )


def _import_inventory(store: StoreConnection, connector: StoreConnector, product_ids: list[int]) -> None:
    if not connector.capabilities.multi_location:
        return  # levels came inline with the products
    items = list(
        Variant.objects.filter(product_id__in=product_ids, deleted_at__isnull=True)
        .exclude(inventory_item_id="")
        .values_list("inventory_item_id", flat=True)
    )
    for start in range(0, len(items), 50):
        levels = connector.inventory_levels(items[start : start + 50])
        inventory_levels_upsert(store=store, levels=levels)


def refresh_variant_inventory(store: StoreConnection, connector: StoreConnector, variants: list[Variant]) -> int:
    """Re-read the real stock of these variants from the store (webhooks are only hints)."""
    items = [v.inventory_item_id or v.external_id for v in variants]
    if connector.capabilities.multi_location:
        return inventory_levels_upsert(store=store, levels=connector.inventory_levels(items))
    changed = 0
    for product_id in {v.product.external_id for v in variants}:
        dto = connector.get_product(product_id)
        _, did_change = product_upsert(store=store, dto=dto)
        changed += int(did_change)
    return changed
