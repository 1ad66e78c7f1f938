"""The one Celery app. Tasks live in each app's ``tasks.py`` and are thin: they call services."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopbridge.config.settings")

app = Celery("shopbridge")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
