"""Per-record locks shared by every worker on every machine, stored in the database.

A lock is a lease: it expires, so a worker killed while holding it cannot block the record
forever. Acquisition is one atomic statement (insert, or take over an expired lease), never
check-then-act.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from shopbridge.core.errors import RetryableError

from .models import SyncLock


class LockBusy(RetryableError):
    default_code = "record_busy"
    default_fix = "Nothing to do: another worker is handling this record; this one retries shortly."


def try_acquire(key: str, *, ttl_seconds: float = 60.0, owner: str | None = None) -> str | None:
    owner = owner or uuid.uuid4().hex
    now = timezone.now()
    expires = now + timedelta(seconds=ttl_seconds)
    try:
        with transaction.atomic():
            SyncLock.objects.create(key=key, owner=owner, expires_at=expires)
            return owner
    except IntegrityError:
        pass
    taken = SyncLock.objects.filter(key=key, expires_at__lt=now).update(owner=owner, expires_at=expires)
    return owner if taken else None


def release(key: str, owner: str) -> None:
    SyncLock.objects.filter(key=key, owner=owner).delete()


@contextmanager
def record_lock(key: str, *, ttl_seconds: float = 60.0, wait_seconds: float = 0.0) -> Iterator[str]:
    """Hold the lock on ``key`` for the block; raise LockBusy (retryable) if another worker has it."""
    deadline = time.monotonic() + wait_seconds
    while True:
        owner = try_acquire(key, ttl_seconds=ttl_seconds)
        if owner:
            break
        if time.monotonic() >= deadline:
            raise LockBusy(f"{key} is being handled by another worker")
        time.sleep(0.05)
    try:
        yield owner
    finally:
        release(key, owner)
