"""TikTok order webhooks and store order/fulfilment webhooks -> jobs."""

from __future__ import annotations

from shopbridge.connections.models import ShopConnection
from shopbridge.sync.engine import enqueue_job
from shopbridge.webhooks.models import InboundEvent
from shopbridge.webhooks.registry import event_handler

from .models import Order


def _order_id(event: InboundEvent) -> str:
    data = event.payload.get("data") or {}
    return str(data.get("order_id") or "")


@event_handler("tiktok_shop", "ORDER_STATUS_CHANGE")
@event_handler("tiktok_shop", "CANCELLATION_STATUS_CHANGE")
@event_handler("tiktok_shop", "RECIPIENT_ADDRESS_UPDATE")
@event_handler("tiktok_shop", "PACKAGE_UPDATE")
def tiktok_order_changed(event: InboundEvent) -> None:
    from .jobs import enqueue_order_import

    order_id = _order_id(event)
    if order_id:
        enqueue_order_import(shop=ShopConnection.objects.get(pk=event.connection_id), tiktok_order_id=order_id)


@event_handler("tiktok_shop", "RETURN_STATUS_CHANGE")
def tiktok_return_changed(event: InboundEvent) -> None:
    order_id = _order_id(event)
    for order in Order.objects.filter(channel__shop_id=event.connection_id, tiktok_order_id=order_id):
        enqueue_job("returns.sync", f"returns:{order.pk}", payload={"order_id": order.pk},
                    merchant_id=event.merchant_id)


@event_handler("*", "fulfillment.created")
@event_handler("*", "fulfillment.updated")
@event_handler("*", "order.updated")
def store_order_changed(event: InboundEvent) -> None:
    """The store fulfilled (or changed) an order: push carrier + tracking for its TikTok order."""
    for order in Order.objects.filter(channel__store_id=event.connection_id, store_order_id=event.resource_id):
        enqueue_job("fulfilment.sync", f"fulfil:{order.pk}", payload={"order_id": order.pk},
                    merchant_id=event.merchant_id)


@event_handler("*", "order.cancelled")
def store_order_cancelled(event: InboundEvent) -> None:
    for order in Order.objects.filter(channel__store_id=event.connection_id, store_order_id=event.resource_id,
                                      channel__push_store_cancellations=True, store_cancelled_at__isnull=True):
        enqueue_job("order.cancel_on_tiktok", f"cancel-tt:{order.pk}", payload={"order_id": order.pk},
                    merchant_id=event.merchant_id)
