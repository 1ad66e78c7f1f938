"""Gauges computed from the database at scrape time (shared by every process and machine).

These are operator-wide figures (all merchants), so they query the models directly rather than
through the merchant-scoped selectors. Label values come from bounded sets (job kinds, states,
error codes, platforms). Finished jobs are purged after 14 days (sync.reconciler.purge_finished),
so job counts cover that window.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from shopbridge.listings.models import Listing, ListingStatus
from shopbridge.orders.models import Fulfillment, Order, OrderSyncState
from shopbridge.sync.models import JobState, OutboundCall, RatePause, SyncJob
from shopbridge.webhooks.models import InboundEvent, RejectedWebhook


def _gauge(name: str, doc: str, labels: list[str], rows: list[tuple]) -> GaugeMetricFamily:
    gauge = GaugeMetricFamily(name, doc, labels=labels)
    for *label_values, value in rows:
        gauge.add_metric([str(v or "") for v in label_values], value)
    return gauge


def _jobs() -> GaugeMetricFamily:
    rows = SyncJob.objects.values_list("kind", "state").annotate(n=Count("id")).order_by("kind", "state")
    return _gauge("shopbridge_sync_jobs", "Sync jobs by kind and state", ["kind", "state"], list(rows))


def _queue() -> Iterator[GaugeMetricFamily]:
    pending = SyncJob.objects.filter(state=JobState.PENDING)
    rows = pending.values_list("kind").annotate(n=Count("id")).order_by("kind")
    yield _gauge("shopbridge_queue_depth", "Pending jobs waiting for a worker, by kind", ["kind"], list(rows))
    now = timezone.now()
    oldest = pending.filter(run_after__lte=now).aggregate(m=Min("run_after"))["m"]
    age = GaugeMetricFamily(
        "shopbridge_queue_oldest_due_seconds",
        "Age of the oldest pending job that is due to run (0 when none): workers are behind when it grows",
    )
    age.add_metric([], max(0.0, (now - oldest).total_seconds()) if oldest else 0.0)
    yield age


def _failure_rows() -> list[tuple[str, str, int]]:
    jobs = (
        SyncJob.objects.filter(state=JobState.FAILED)
        .values_list("last_error__code")
        .annotate(n=Count("id"))
        .order_by()
    )
    listings = (
        Listing.objects.filter(status__in=[ListingStatus.FAILED_TO_SYNC, ListingStatus.FAILED_REVIEW])
        .values_list("error_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    orders = (
        Order.objects.filter(sync_state__in=[OrderSyncState.BLOCKED, OrderSyncState.FAILED])
        .values_list("blocked_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    fulfillments = (
        Fulfillment.objects.filter(state=Fulfillment.State.FAILED)
        .values_list("error_code")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows: list[tuple[str, str, int]] = []
    for source, qs in (
        ("job", jobs),
        ("listing", listings),
        ("order", orders),
        ("fulfillment", fulfillments),
    ):
        rows += [(source, code or "unknown", n) for code, n in qs]
    return sorted(rows)


def _webhooks() -> Iterator[GaugeMetricFamily]:
    events = InboundEvent.objects.values_list("platform", "state").annotate(n=Count("id")).order_by()
    yield _gauge(
        "shopbridge_inbound_events",
        "Stored webhook events by platform and state",
        ["platform", "state"],
        list(events),
    )
    rejected = RejectedWebhook.objects.values_list("platform", "code").annotate(n=Count("id")).order_by()
    yield _gauge(
        "shopbridge_rejected_webhooks",
        "Refused webhooks by platform and code",
        ["platform", "code"],
        list(rejected),
    )


def _rate_limits() -> Iterator[GaugeMetricFamily]:
    now = timezone.now()
    pauses = GaugeMetricFamily(
        "shopbridge_rate_limit_pauses_active",
        "Budget keys a platform told us to pause (429 Retry-After) right now",
    )
    pauses.add_metric([], RatePause.objects.filter(until__gt=now).count())
    yield pauses
    recent = OutboundCall.objects.filter(at__gte=now - timedelta(hours=1))
    rows = [
        (platform, "rate_limited" if status == 429 else ("ok" if ok else "error"), n)
        for platform, status, ok, n in recent.values_list("platform", "status_code", "ok")
        .annotate(n=Count("id"))
        .order_by()
    ]
    merged: dict[tuple[str, str], int] = {}
    for platform, outcome, n in rows:
        merged[(platform, outcome)] = merged.get((platform, outcome), 0) + n
    yield _gauge(
        "shopbridge_outbound_calls_last_hour",
        "Calls to platforms in the last hour by platform and outcome (ok, error, rate_limited)",
        ["platform", "outcome"],
        [(p, o, n) for (p, o), n in sorted(merged.items())],
    )


class DatabaseCollector(Collector):
    def collect(self) -> Iterator[Metric]:
        yield _jobs()
        yield from _queue()
        yield _gauge(
            "shopbridge_failures",
            "Records currently failed, by source (job, listing, order, fulfillment) and reason code",
            ["source", "code"],
            _failure_rows(),
        )
        yield from _webhooks()
        yield from _rate_limits()
