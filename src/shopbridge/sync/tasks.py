"""Thin Celery tasks: they only call the engine. The job row is the truth, not the message."""

from __future__ import annotations

from celery import shared_task

from . import engine, reconciler


@shared_task(name="shopbridge.run_job", acks_late=True, ignore_result=True)
def run_job_task(job_id: int) -> str:
    return engine.run_job(job_id)


@shared_task(name="shopbridge.reconcile", ignore_result=True)
def reconcile_task() -> dict:
    return reconciler.reconcile()
