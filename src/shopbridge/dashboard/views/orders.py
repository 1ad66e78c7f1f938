"""Orders: sync state, blocked reason and fix, the store order, fulfilments, cancellations, returns."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopbridge.connections.selectors import channel_list
from shopbridge.orders.models import OrderSyncState
from shopbridge.orders.selectors import order_get, order_list

from ..access import found, merchant_view
from ..links import store_order_url
from ..paging import choice_param, id_param, page_of, text_param


@merchant_view
def orders(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    filters = {
        "channel_id": id_param(request, "channel"),
        "sync_state": choice_param(request, "state", OrderSyncState.values),
        "search": text_param(request, "q"),
    }
    page = page_of(request, order_list(merchant, **filters))
    for order in page.object_list:
        order.store_url = store_order_url(order.channel.store, order.store_order_id)
    context = {
        "page": page,
        "filters": filters,
        "channels": channel_list(merchant),
        "states": OrderSyncState.choices,
    }
    return render(request, "dashboard/orders.html", context)


@merchant_view
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = found(order_get, request.merchant, order_id)  # type: ignore[attr-defined]
    context = {
        "order": order,
        "store_url": store_order_url(order.channel.store, order.store_order_id),
        "amounts_json": json.dumps(order.amounts, indent=2, sort_keys=True, default=str)
        if order.amounts
        else "",
    }
    return render(request, "dashboard/order_detail.html", context)
