"""Durable jobs: enqueue, claim, run, retry, finish.

- ``enqueue_job`` inserts the job (or marks the active one for a re-run) and sends the Celery
  message only after the transaction commits.
- ``run_job`` claims with one atomic UPDATE (pending & due, or running with an expired lease),
  so duplicate messages and two workers never run the same job at once.
- Errors are classified by type: retryable -> back to pending with backoff; rate limited -> wait
  what the platform said; terminal -> failed with code, reason and fix; unexpected -> retried
  until max_attempts, then failed as an internal error.
"""

from __future__ import annotations

import logging
import os
import socket
import traceback
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from shopbridge.core.errors import SyncError, TerminalError
from shopbridge.core.retry import delay_for

from .models import JobState, SyncJob
from .registry import handler_for

log = logging.getLogger(__name__)
WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def _send(job_id: int, countdown: float = 0.0) -> None:
    from .tasks import run_job_task

    if getattr(settings, "SYNC_INLINE_JOBS", False):
        run_job(job_id)
        return
    run_job_task.apply_async(args=[job_id], countdown=max(0.0, countdown))


def _mark_enqueued(job_id: int) -> None:
    SyncJob.objects.filter(pk=job_id).update(enqueued_at=timezone.now())


def send_after_commit(job_id: int, countdown: float = 0.0) -> None:
    def go() -> None:
        _mark_enqueued(job_id)
        _send(job_id, countdown)

    transaction.on_commit(go)


def enqueue_job(
    kind: str,
    key: str,
    *,
    payload: dict[str, Any] | None = None,
    merchant_id: int | None = None,
    delay_seconds: float = 0.0,
) -> SyncJob:
    """Create the active job for ``key`` or, if one is active, ask it to run again. Idempotent."""
    spec = handler_for(kind)
    now = timezone.now()
    run_after = now + timedelta(seconds=delay_seconds)
    with transaction.atomic():
        try:
            with transaction.atomic():
                job = SyncJob.objects.create(
                    kind=kind,
                    key=key,
                    payload=payload or {},
                    merchant_id=merchant_id,
                    run_after=run_after,
                    max_attempts=spec.max_attempts,
                )
        except IntegrityError:
            job = SyncJob.objects.get(key=key, state__in=[JobState.PENDING, JobState.RUNNING])
            updates: dict[str, Any] = {}
            if payload is not None and payload != job.payload:
                updates["payload"] = payload
            if job.state == JobState.RUNNING:
                updates["rerun"] = True
            elif run_after < job.run_after:
                updates["run_after"] = run_after
            if updates:
                SyncJob.objects.filter(pk=job.pk).update(**updates)
                for field, value in updates.items():
                    setattr(job, field, value)
            if job.state == JobState.RUNNING:
                return job
        send_after_commit(job.pk, delay_seconds)
    return job


def claim(job_id: int) -> SyncJob | None:
    now = timezone.now()
    try:
        job = SyncJob.objects.only("kind", "payload").get(pk=job_id)
    except SyncJob.DoesNotExist:
        return None
    lease = int(job.payload.get("lease_seconds") or handler_for(job.kind).lease_seconds)
    won = SyncJob.objects.filter(
        Q(pk=job_id)
        & (
            Q(state=JobState.PENDING, run_after__lte=now)
            | Q(state=JobState.RUNNING, lease_expires_at__lt=now)
        )
    ).update(
        state=JobState.RUNNING,
        started_at=now,
        lease_expires_at=now + timedelta(seconds=lease),
        worker=WORKER_ID,
        rerun=False,
        attempts=F("attempts") + 1,
    )
    if not won:
        return None
    return SyncJob.objects.get(pk=job_id)


def extend_lease(job: SyncJob, seconds: int | None = None) -> None:
    """Long jobs call this between pages so the reconciler does not think the worker died."""
    lease = seconds or handler_for(job.kind).lease_seconds
    SyncJob.objects.filter(pk=job.pk, worker=WORKER_ID).update(
        lease_expires_at=timezone.now() + timedelta(seconds=lease)
    )


def _finish(job: SyncJob) -> None:
    now = timezone.now()
    with transaction.atomic():
        rerun = SyncJob.objects.filter(pk=job.pk, rerun=True).update(
            state=JobState.PENDING, run_after=now, rerun=False, attempts=0, last_error={}
        )
        if rerun:
            send_after_commit(job.pk)
            return
        SyncJob.objects.filter(pk=job.pk).update(
            state=JobState.DONE, finished_at=now, lease_expires_at=None, last_error={}
        )


def _retry(job: SyncJob, error: dict[str, Any], delay: float) -> None:
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.PENDING,
        run_after=timezone.now() + timedelta(seconds=delay),
        lease_expires_at=None,
        last_error=error,
    )
    with transaction.atomic():
        send_after_commit(job.pk, delay)


def _fail(job: SyncJob, error: dict[str, Any]) -> None:
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, finished_at=timezone.now(), lease_expires_at=None, last_error=error
    )


def run_job(job_id: int) -> str:
    """Run one job if it is claimable. Returns what happened (for logs and tests)."""
    job = claim(job_id)
    if job is None:
        return "skipped"
    spec = handler_for(job.kind)
    try:
        spec.fn(job)
    except SyncError as exc:
        error = exc.as_dict()
        if isinstance(exc, TerminalError) or not exc.retryable:
            log.info("job failed", extra={"job": job.pk, "kind": job.kind, "code": exc.code})
            _fail(job, error)
            return "failed"
        if job.attempts >= job.max_attempts:
            error["code"] = error.get("code") or "retries_exhausted"
            error["fix"] = "The platform kept failing; check Connections, then retry from the dashboard."
            _fail(job, error)
            return "failed"
        delay = delay_for(exc, job.attempts - 1, base=2.0, cap=600.0)
        log.info(
            "job retry", extra={"job": job.pk, "kind": job.kind, "code": exc.code, "delay": round(delay, 2)}
        )
        _retry(job, error, delay)
        return "retry"
    except Exception as exc:  # noqa: BLE001 - a bug must not lose the job: record and retry
        error = {
            "code": "internal_error",
            "reason": f"{type(exc).__name__}: {exc}"[:1000],
            "fix": "This is a ShopBridge bug; the job is retried. Report it with this code if it persists.",
            "traceback": traceback.format_exc()[-4000:],
        }
        log.exception("job crashed", extra={"job": job.pk, "kind": job.kind})
        if job.attempts >= job.max_attempts:
            _fail(job, error)
            return "failed"
        _retry(job, error, delay_for(exc, job.attempts - 1, base=5.0, cap=900.0))
        return "retry"
    _finish(job)
    return "done"


def retry_failed_job(job_id: int) -> SyncJob | None:
    """Operator/merchant action: run a failed job again from scratch."""
    try:
        with transaction.atomic():
            updated = SyncJob.objects.filter(pk=job_id, state=JobState.FAILED).update(
                state=JobState.PENDING, attempts=0, run_after=timezone.now(), finished_at=None
            )
    except IntegrityError:
        # A newer job for the same record is already active: that one will do the work.
        return None
    if not updated:
        return None
    with transaction.atomic():
        send_after_commit(job_id)
    return SyncJob.objects.get(pk=job_id)


def run_due_jobs(*, limit: int = 1000, kinds: list[str] | None = None) -> int:
    """Run every due pending job in this process (tests, the CLI's ``jobs run``, no worker needed).

    Jobs a run enqueues are picked up too, until nothing is due or ``limit`` runs happened.
    """
    ran = 0
    while ran < limit:
        qs = SyncJob.objects.filter(state=JobState.PENDING, run_after__lte=timezone.now())
        if kinds:
            qs = qs.filter(kind__in=kinds)
        ids = list(qs.order_by("run_after", "pk").values_list("pk", flat=True)[: limit - ran])
        if not ids:
            break
        for job_id in ids:
            run_job(job_id)
            ran += 1
    return ran
