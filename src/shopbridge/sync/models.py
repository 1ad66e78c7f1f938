"""The sync engine's durable state: jobs, locks, rate-limit pauses and the outbound-call audit.

A Celery message only says "job N may be runnable"; the job row is the truth. Losing a message
loses nothing (the reconciler re-sends it), and a duplicate message does nothing (claiming a job
is an atomic UPDATE that only one worker wins).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from shopbridge.accounts.models import Merchant
from shopbridge.core.models import TimeStampedModel


class JobState(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class SyncJob(TimeStampedModel):
    merchant = models.ForeignKey(
        Merchant, null=True, blank=True, on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=255, help_text="What the job is about; one active job per key")
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.PENDING)
    rerun = models.BooleanField(default=False, help_text="New work arrived while running: run again after")
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=12)
    run_after = models.DateTimeField()
    enqueued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    worker = models.CharField(max_length=255, blank=True)
    last_error = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=Q(state__in=["pending", "running"]), name="uniq_active_job_per_key"
            )
        ]
        indexes = [
            models.Index(fields=["state", "run_after"]),
            models.Index(fields=["state", "lease_expires_at"]),
            models.Index(fields=["kind", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} [{self.state}]"


class SyncLock(models.Model):
    """A lease on a record (e.g. "order:<channel>:<tiktok id>"), shared by every worker on every machine."""

    key = models.CharField(max_length=255, unique=True)
    owner = models.CharField(max_length=255)
    expires_at = models.DateTimeField()


class RatePause(models.Model):
    """The platform told us to wait (429 Retry-After): every worker honours it for this budget key."""

    key = models.CharField(max_length=255, unique=True)
    until = models.DateTimeField()
    reason = models.CharField(max_length=255, blank=True)


class OutboundCall(models.Model):
    """Audit of every call to a platform: what, when, how long, outcome. Never secrets or bodies."""

    merchant = models.ForeignKey(Merchant, null=True, blank=True, on_delete=models.CASCADE)
    connection_kind = models.CharField(max_length=8, blank=True)
    connection_id = models.BigIntegerField(null=True, blank=True)
    platform = models.CharField(max_length=32)
    method = models.CharField(max_length=8)
    endpoint = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.FloatField()
    ok = models.BooleanField()
    error = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["merchant", "at"])]


class ProbeEffect(models.Model):
    """Written by the diagnostics probe job: proves a worker ran a job, exactly once per token."""

    token = models.CharField(max_length=64, unique=True)
    job_id = models.BigIntegerField()
    worker = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(auto_now_add=True)
