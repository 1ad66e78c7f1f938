"""Small record actions: re-sync an order, retry a failed job, replay a webhook event."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from shopbridge.orders.selectors import order_get
from shopbridge.sync.engine import retry_failed_job
from shopbridge.sync.selectors import job_get
from shopbridge.webhooks.selectors import inbound_event_get
from shopbridge.webhooks.services import inbound_event_replay

from ..access import found, merchant_action


@merchant_action
def order_resync(request: HttpRequest, order_id: int) -> HttpResponse:
    """Import the order from TikTok again (after linking its SKUs, for a blocked one)."""
    from shopbridge.orders.jobs import enqueue_order_import

    order = found(order_get, request.merchant, order_id)  # type: ignore[attr-defined]
    enqueue_order_import(shop=order.channel.shop, tiktok_order_id=order.tiktok_order_id)
    messages.success(request, f"TikTok order {order.tiktok_order_id} is being synced again.")
    return redirect("dashboard:order", order_id=order.pk)


@merchant_action
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = found(job_get, request.merchant, job_id)  # type: ignore[attr-defined]
    if retry_failed_job(job.pk) is None:
        messages.warning(request, f"Job {job.pk} is {job.state}, not failed: nothing to retry.")
    else:
        messages.success(request, f"Job {job.pk} will run again shortly.")
    return redirect("dashboard:job", job_id=job.pk)


@merchant_action
def event_replay(request: HttpRequest, event_id: int) -> HttpResponse:
    event = found(inbound_event_get, request.merchant, event_id)  # type: ignore[attr-defined]
    inbound_event_replay(event=event)
    messages.success(request, "The event will be handled again (handling is idempotent).")
    return redirect("dashboard:event", event_id=event.pk)
