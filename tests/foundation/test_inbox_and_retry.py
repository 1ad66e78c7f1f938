from datetime import timedelta

import pytest
from django.utils import timezone

from shopbridge.core.errors import RateLimitedError, RetryableError, TerminalError
from shopbridge.sync.engine import enqueue_job, run_job
from shopbridge.sync.models import JobState, SyncJob
from shopbridge.sync.registry import job_handler
from shopbridge.webhooks.models import InboundEvent
from shopbridge.webhooks.registry import event_handler
from shopbridge.webhooks.services import inbound_event_store

HANDLED: list[int] = []
CALLS: dict[str, int] = {}


@event_handler("testplatform", "thing.updated")
def _count_handling(event):
    HANDLED.append(event.pk)


@job_handler("test.flaky")
def _flaky(job):
    CALLS[job.key] = CALLS.get(job.key, 0) + 1
    mode = job.payload["mode"]
    if mode == "retryable":
        raise RetryableError("store answered 503")
    if mode == "rate_limited":
        raise RateLimitedError("429", retry_after=7)
    if mode == "terminal":
        raise TerminalError("SKU is invalid", code="invalid_sku", fix="Give the variant a SKU in the store.")
    if mode == "crash":
        raise KeyError("bug")


def test_same_event_twice_is_stored_and_handled_once(merchant, run_jobs):
    HANDLED.clear()
    kwargs = dict(
        merchant_id=merchant.pk,
        connection_kind="store",
        connection_id=1,
        platform="testplatform",
        external_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        topic="thing.updated",
        payload={"id": 1},
    )

    first, created_first = inbound_event_store(**kwargs)
    second, created_second = inbound_event_store(**kwargs)
    run_jobs()
    run_jobs()

    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert InboundEvent.objects.count() == 1
    assert HANDLED == [first.pk]
    assert InboundEvent.objects.get().state == InboundEvent.State.HANDLED


def test_retryable_error_goes_back_to_pending_with_backoff(merchant):
    CALLS.clear()
    job = enqueue_job("test.flaky", "flaky:1", payload={"mode": "retryable"})

    outcome = run_job(job.pk)

    job.refresh_from_db()
    assert outcome == "retry"
    assert job.state == JobState.PENDING
    assert job.attempts == 1
    assert job.last_error["code"] == "platform_unavailable"
    assert job.run_after > timezone.now() - timedelta(seconds=1)
    # Not due yet: a duplicate message does nothing.
    SyncJob.objects.filter(pk=job.pk).update(run_after=timezone.now() + timedelta(minutes=5))
    assert run_job(job.pk) == "skipped"
    assert CALLS["flaky:1"] == 1


def test_rate_limited_waits_what_the_platform_said(merchant):
    job = enqueue_job("test.flaky", "flaky:2", payload={"mode": "rate_limited"})
    before = timezone.now()

    run_job(job.pk)

    job.refresh_from_db()
    assert job.state == JobState.PENDING
    assert job.run_after >= before + timedelta(seconds=7)
    assert job.last_error["code"] == "rate_limited"


def test_terminal_error_is_recorded_and_not_retried(merchant):
    CALLS.clear()
    job = enqueue_job("test.flaky", "flaky:3", payload={"mode": "terminal"})

    assert run_job(job.pk) == "failed"
    assert run_job(job.pk) == "skipped"

    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.last_error["code"] == "invalid_sku"
    assert job.last_error["reason"] == "SKU is invalid"
    assert job.last_error["fix"] == "Give the variant a SKU in the store."
    assert CALLS["flaky:3"] == 1


def test_unexpected_exception_retries_then_fails_after_max_attempts(merchant):
    job = enqueue_job("test.flaky", "flaky:4", payload={"mode": "crash"})
    SyncJob.objects.filter(pk=job.pk).update(max_attempts=2)

    assert run_job(job.pk) == "retry"
    SyncJob.objects.filter(pk=job.pk).update(run_after=timezone.now())
    assert run_job(job.pk) == "failed"

    job.refresh_from_db()
    assert job.last_error["code"] == "internal_error"
    assert "KeyError" in job.last_error["reason"]


def test_enqueue_while_running_asks_for_a_rerun(merchant):
    job = enqueue_job("test.flaky", "flaky:5", payload={"mode": "ok"})
    SyncJob.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, lease_expires_at=timezone.now() + timedelta(minutes=1)
    )

    again = enqueue_job("test.flaky", "flaky:5", payload={"mode": "ok"})

    assert again.pk == job.pk
    assert SyncJob.objects.get(pk=job.pk).rerun is True


@pytest.mark.parametrize("attempt", [0, 3, 10])
def test_backoff_is_bounded_and_jittered(attempt):
    from shopbridge.core.retry import backoff_delay

    delays = {round(backoff_delay(attempt, base=1.0, cap=60.0), 6) for _ in range(50)}
    assert all(0 <= d <= min(60.0, 2**attempt) for d in delays)
    assert len(delays) > 1
