"""Store webhook topics -> jobs. Handlers only enqueue: the job re-reads the store (webhooks are
late, duplicated and out of order), and the job key collapses bursts on the same record."""

from __future__ import annotations

from shopbridge.connections.models import ConnectionStatus, StoreConnection
from shopbridge.sync.engine import enqueue_job
from shopbridge.webhooks.models import InboundEvent
from shopbridge.webhooks.registry import event_handler


def _store(event: InboundEvent) -> StoreConnection:
    return StoreConnection.objects.get(pk=event.connection_id)


@event_handler("*", "product.created")
@event_handler("*", "product.updated")
@event_handler("*", "product.deleted")
def product_changed(event: InboundEvent) -> None:
    store = _store(event)
    if not event.resource_id:
        return
    enqueue_job(
        "catalog.product_refresh", f"product-refresh:{store.pk}:{event.resource_id}",
        payload={"store_id": store.pk, "product_external_id": event.resource_id}, merchant_id=store.merchant_id,
    )


@event_handler("*", "inventory.updated")
def inventory_changed(event: InboundEvent) -> None:
    """Mark the variants the webhook names; one job per store re-reads all marked variants in
    batches (Shopify reads up to 50 inventory items per request), so a burst of stock webhooks
    costs a few store reads, not one each."""
    from django.db.models import Q
    from django.utils import timezone

    from .models import Variant

    store = _store(event)
    item = event.resource_id
    if not item:
        return
    Variant.objects.filter(store=store, deleted_at__isnull=True).filter(
        Q(inventory_item_id=item) | Q(external_id=item) | Q(product__external_id=item)
    ).update(stock_refresh_requested_at=timezone.now())
    enqueue_job("inventory.refresh", f"inventory:{store.pk}", payload={"store_id": store.pk},
                merchant_id=store.merchant_id)


@event_handler("*", "category.updated")
def categories_changed(event: InboundEvent) -> None:
    from .jobs import catalog_import_enqueue

    catalog_import_enqueue(store=_store(event), full=False)


@event_handler("*", "app.uninstalled")
def app_uninstalled(event: InboundEvent) -> None:
    StoreConnection.objects.filter(pk=event.connection_id).update(
        status=ConnectionStatus.DISCONNECTED, status_code="app_uninstalled",
        status_reason="The ShopBridge app was uninstalled from the store; nothing syncs with it any more.",
        status_fix="Install the app again and reconnect the store from Connections.",
    )
