"""The one Celery app. Tasks live in each app's ``tasks.py`` and are thin: they call services."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopbridge.config.settings")

app = Celery("shopbridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _beat_schedule(sender: Celery, **_: object) -> None:
    from django.conf import settings

    sender.add_periodic_task(
        float(settings.RECONCILE_INTERVAL_SECONDS), sender.signature("shopbridge.reconcile"), name="reconcile"
    )
    for name, (task, seconds) in getattr(settings, "SHOPBRIDGE_PERIODIC_TASKS", {}).items():
        sender.add_periodic_task(float(seconds), sender.signature(task), name=name)
