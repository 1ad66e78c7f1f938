"""The reconciler: re-sends work that is stuck, so a crashed worker or a lost message loses nothing.

Runs from Celery beat every RECONCILE_INTERVAL_SECONDS. Each step is idempotent.
Domain apps add their own sweeps (orders not yet in the store, SKUs whose pushed value differs
from the store's) through ``register_sweep``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .engine import send_after_commit
from .models import JobState, SyncJob, SyncLock

log = logging.getLogger(__name__)
_SWEEPS: list[tuple[str, Callable[[], int]]] = []


def register_sweep(name: str, fn: Callable[[], int]) -> None:
    """``fn`` enqueues whatever its domain finds out of date and returns how many it enqueued."""
    if all(existing != name for existing, _ in _SWEEPS):
        _SWEEPS.append((name, fn))


def requeue_stuck_jobs(now=None) -> dict[str, int]:
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    # Worker died mid-job: its lease ran out.
    expired = list(
        SyncJob.objects.filter(state=JobState.RUNNING, lease_expires_at__lt=now).values_list("pk", flat=True)[
            :1000
        ]
    )
    # Message lost (broker restart, crash between commit and send): due, but not sent recently.
    lost = list(
        SyncJob.objects.filter(state=JobState.PENDING, run_after__lte=now)
        .filter(Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        .values_list("pk", flat=True)[:1000]
    )
    with transaction.atomic():
        for job_id in expired + lost:
            send_after_commit(job_id)
    if expired or lost:
        log.warning(
            "reconciler re-sent jobs", extra={"expired_leases": len(expired), "lost_messages": len(lost)}
        )
    return {"expired_leases": len(expired), "lost_messages": len(lost)}


def purge_finished(now=None, keep_days: int = 14) -> int:
    now = now or timezone.now()
    deleted, _ = SyncJob.objects.filter(
        state=JobState.DONE, finished_at__lt=now - timedelta(days=keep_days)
    ).delete()
    SyncLock.objects.filter(expires_at__lt=now - timedelta(hours=1)).delete()
    return deleted


def reconcile() -> dict[str, int]:
    result = requeue_stuck_jobs()
    for name, sweep in list(_SWEEPS):
        try:
            result[name] = sweep()
        except Exception:  # noqa: BLE001 - one broken sweep must not stop the others
            log.exception("reconcile sweep failed", extra={"sweep": name})
    result["purged"] = purge_finished()
    return result
