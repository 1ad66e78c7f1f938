"""Built-in job handlers of the engine itself."""

from __future__ import annotations

import os
import socket
import time

from django.db import IntegrityError, transaction

from . import polling  # noqa: F401 - registers the reconciler sweeps
from .models import ProbeEffect, SyncJob
from .registry import job_handler


@job_handler("diagnostics.probe", lease_seconds=30, max_attempts=5)
def run_probe(job: SyncJob) -> None:
    """Proves the pipeline end to end: a worker picked the job and wrote its effect exactly once.

    ``payload.sleep`` simulates a long first attempt before the effect (the crash-recovery test
    kills the worker during it); later attempts do not sleep.
    """
    if job.attempts == 1:
        time.sleep(float(job.payload.get("sleep", 0)))
    try:
        with transaction.atomic():
            ProbeEffect.objects.create(
                token=str(job.payload["token"]), job_id=job.pk, worker=f"{socket.gethostname()}:{os.getpid()}"
            )
    except IntegrityError:
        # Already written by an earlier run that died before marking the job done: the effect
        # happened; doing nothing now is what keeps it exactly-once.
        pass


@job_handler("shop.poll", lease_seconds=300)
def poll_shop(job: SyncJob) -> None:
    from .polling import run_shop_poll

    run_shop_poll(job.payload["shop_id"])


@job_handler("shop.refresh_token", lease_seconds=60, max_attempts=6)
def refresh_token(job: SyncJob) -> None:
    from shopbridge.connections.models import ShopConnection
    from shopbridge.connections.services import shop_refresh_tokens

    shop_refresh_tokens(shop=ShopConnection.objects.get(pk=job.payload["shop_id"]))
