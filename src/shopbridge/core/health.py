"""/healthz: database and broker reachability as JSON (200 when both answer, 503 otherwise)."""

from __future__ import annotations

import time

from django.db import connection
from django.http import JsonResponse


def _check_database() -> dict:
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {
            "ok": True,
            "vendor": connection.vendor,
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    except Exception as exc:  # noqa: BLE001 - health must report, not raise
        return {"ok": False, "error": type(exc).__name__}


def _check_broker() -> dict:
    from shopbridge.config.celery import app

    started = time.perf_counter()
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
            transport = conn.transport_cls
        return {
            "ok": True,
            "transport": str(transport),
            "ms": round((time.perf_counter() - started) * 1000, 1),
        }
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "error": type(exc).__name__}


def healthz(request):
    db = _check_database()
    broker = _check_broker()
    ok = db["ok"] and broker["ok"]
    return JsonResponse(
        {"status": "ok" if ok else "degraded", "database": db, "broker": broker}, status=200 if ok else 503
    )
