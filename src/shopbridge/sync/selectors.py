"""Reads for jobs and the outbound-call audit, always scoped to one merchant.

``activity_by_hour`` feeds the dashboard's chart: per hour, jobs finished, jobs failed and
failed platform calls, with empty hours filled so the chart has no gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncHour
from django.utils import timezone

from shopbridge.accounts.models import Merchant

from .models import JobState, OutboundCall, SyncJob


def job_list(merchant: Merchant, *, state: str = "", kind: str = "", search: str = "") -> QuerySet[SyncJob]:
    qs = SyncJob.objects.filter(merchant=merchant)
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(key__icontains=search)
    return qs.order_by("-id")


def job_get(merchant: Merchant, job_id: int) -> SyncJob:
    return SyncJob.objects.get(merchant=merchant, pk=job_id)


def job_kinds(merchant: Merchant) -> list[str]:
    return list(
        SyncJob.objects.filter(merchant=merchant).order_by("kind").values_list("kind", flat=True).distinct()
    )


def job_failures(merchant: Merchant, *, limit: int = 10) -> QuerySet[SyncJob]:
    """Failed jobs, newest first; ``last_error`` holds code, reason and fix."""
    return job_list(merchant, state=JobState.FAILED).order_by("-finished_at", "-id")[:limit]


def outbound_call_list(
    merchant: Merchant, *, platform: str = "", ok: bool | None = None, connection_kind: str = ""
) -> QuerySet[OutboundCall]:
    qs = OutboundCall.objects.filter(merchant=merchant)
    if platform:
        qs = qs.filter(platform=platform)
    if ok is not None:
        qs = qs.filter(ok=ok)
    if connection_kind:
        qs = qs.filter(connection_kind=connection_kind)
    return qs.order_by("-at", "-id")


@dataclass(frozen=True)
class HourActivity:
    hour: datetime
    jobs_done: int
    jobs_failed: int
    calls: int
    calls_failed: int

    @property
    def failures(self) -> int:
        return self.jobs_failed + self.calls_failed


def _counts_by_hour(qs: QuerySet, field: str) -> dict[datetime, int]:
    rows = qs.annotate(h=TruncHour(field)).values("h").annotate(n=Count("id")).values_list("h", "n")
    return dict(rows)


def activity_by_hour(
    merchant: Merchant, *, hours: int = 24, now: datetime | None = None
) -> list[HourActivity]:
    """The last ``hours`` whole hours up to and including the current one, oldest first."""
    now = now or timezone.now()
    last = now.replace(minute=0, second=0, microsecond=0)
    first = last - timedelta(hours=hours - 1)
    jobs = SyncJob.objects.filter(merchant=merchant, finished_at__gte=first)
    calls = OutboundCall.objects.filter(merchant=merchant, at__gte=first)
    done = _counts_by_hour(jobs.filter(state=JobState.DONE), "finished_at")
    failed = _counts_by_hour(jobs.filter(state=JobState.FAILED), "finished_at")
    all_calls = _counts_by_hour(calls, "at")
    failed_calls = _counts_by_hour(calls.filter(ok=False), "at")
    buckets = [first + timedelta(hours=i) for i in range(hours)]
    return [
        HourActivity(
            hour=h,
            jobs_done=done.get(h, 0),
            jobs_failed=failed.get(h, 0),
            calls=all_calls.get(h, 0),
            calls_failed=failed_calls.get(h, 0),
        )
        for h in buckets
    ]
