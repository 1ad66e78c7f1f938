"""Orders with lines, fulfilments, cancellations and returns (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.orders import selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES, WRITE_ERRORS
from ..inputs import QueuedOut
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import IdFilter, PathId, Text
from ..schemas import OrderOut

orders = Router(tags=["orders"])


@orders.get("", response={200: Page[OrderOut], **ERROR_RESPONSES}, summary="List orders")
def list_orders(
    request: HttpRequest,
    channel_id: IdFilter = None,
    sync_state: Text = "",
    tiktok_status: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = selectors.order_list(
        merchant_of(request),
        channel_id=channel_id,
        sync_state=sync_state,
        tiktok_status=tiktok_status,
        search=search,
    ).prefetch_related("lines", "fulfillments", "cancellations", "returns")
    return paginate(qs, cursor=cursor, limit=limit)


@orders.get("/{order_id}", response={200: OrderOut, **ERROR_RESPONSES}, summary="Get an order")
def get_order(request: HttpRequest, order_id: PathId):
    return selectors.order_get(merchant_of(request), order_id)


@orders.post("/{order_id}/resync", response={202: QueuedOut, **WRITE_ERRORS}, summary="Sync an order again")
def resync(request: HttpRequest, order_id: PathId):
    """Fetch the order from TikTok again (e.g. once its SKUs are linked); never a second store order."""
    from shopbridge.orders.jobs import enqueue_order_import

    order = selectors.order_get(merchant_of(request), order_id)
    enqueue_order_import(shop=order.channel.shop, tiktok_order_id=order.tiktok_order_id)
    return 202, {"queued": True, "detail": f"TikTok order {order.tiktok_order_id} will be imported again."}
