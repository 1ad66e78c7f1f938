"""Home: what needs the merchant's attention, at a glance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopbridge.catalog.selectors import import_run_list
from shopbridge.connections.selectors import connection_health
from shopbridge.listings.models import ListingStatus
from shopbridge.listings.selectors import listing_failures, listing_status_counts
from shopbridge.orders.models import OrderSyncState
from shopbridge.orders.selectors import (
    cancellations_needing_action,
    order_problems,
    order_state_counts,
    returns_needing_action,
)
from shopbridge.sync.selectors import activity_by_hour, job_failures
from shopbridge.webhooks.selectors import rejected_webhook_list

from ..access import merchant_view
from ..charts import Bar, hourly_bars_svg


def _labelled(counts: dict[str, int], labels: dict[str, str]) -> list[dict]:
    return [{"value": value, "label": labels[value], "count": n} for value, n in counts.items()]


@merchant_view
def home(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    activity = activity_by_hour(merchant, hours=24)
    bars = [Bar(at=a.hour, ok=a.jobs_done, failed=a.failures) for a in activity]
    context = {
        "listing_counts": _labelled(listing_status_counts(merchant), dict(ListingStatus.choices)),
        "order_counts": _labelled(order_state_counts(merchant), dict(OrderSyncState.choices)),
        "listing_failures": listing_failures(merchant),
        "order_problems": order_problems(merchant),
        "job_failures": job_failures(merchant),
        "rejected": rejected_webhook_list(merchant)[:5],
        "cancellations": cancellations_needing_action(merchant),
        "returns": returns_needing_action(merchant),
        "health": connection_health(merchant),
        "running_imports": import_run_list(merchant, state="running")[:5],
        "chart": hourly_bars_svg(bars),
        "activity": activity,
    }
    return render(request, "dashboard/home.html", context)
