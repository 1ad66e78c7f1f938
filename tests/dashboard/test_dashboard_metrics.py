"""/metrics: Prometheus text with sync, failure, webhook, queue and rate-limit figures; access control."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from shopbridge.sync.models import RatePause, SyncJob

pytestmark = pytest.mark.django_db

METRIC_NAMES = {
    "shopbridge_sync_jobs",
    "shopbridge_queue_depth",
    "shopbridge_queue_oldest_due_seconds",
    "shopbridge_failures",
    "shopbridge_inbound_events",
    "shopbridge_rejected_webhooks",
    "shopbridge_rate_limit_pauses_active",
    "shopbridge_outbound_calls_last_hour",
    "shopbridge_propagation_latency_seconds",
    "shopbridge_rate_limit_wait_seconds",
}


def _samples(content: bytes) -> dict[tuple[str, tuple], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(content.decode())
        for s in family.samples
    }


def test_metrics_render_every_family_from_loopback(client, tenant_records):
    from shopbridge.observability.metrics import observe_propagation, observe_rate_limit_wait

    SyncJob.objects.create(kind="inventory.push", key="k1", run_after=timezone.now(), merchant_id=None)
    RatePause.objects.create(key="tiktok:1:/x", until=timezone.now() + timedelta(seconds=30))
    observe_propagation("inventory", 2.5)
    observe_rate_limit_wait("tiktok_shop", 1.5)

    response = client.get("/metrics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    families = {f.name for f in text_string_to_metric_families(response.content.decode())}
    assert METRIC_NAMES <= families
    samples = _samples(response.content)
    assert samples[("shopbridge_sync_jobs", (("kind", "listing.push"), ("state", "failed")))] == 1
    assert samples[("shopbridge_queue_depth", (("kind", "inventory.push"),))] == 1
    assert samples[("shopbridge_failures", (("code", "rejected"), ("source", "job")))] == 1
    assert samples[("shopbridge_failures", (("code", "validation_failed"), ("source", "listing")))] == 1
    assert samples[("shopbridge_failures", (("code", "unlinked_sku"), ("source", "order")))] == 1
    assert samples[("shopbridge_inbound_events", (("platform", "shopify"), ("state", "received")))] == 1
    assert (
        samples[("shopbridge_rejected_webhooks", (("code", "bad_signature"), ("platform", "shopify")))] == 1
    )
    assert samples[("shopbridge_rate_limit_pauses_active", ())] == 1
    assert (
        samples[
            (
                "shopbridge_outbound_calls_last_hour",
                (("outcome", "rate_limited"), ("platform", "tiktok_shop")),
            )
        ]
        == 1
    )
    assert samples[("shopbridge_propagation_latency_seconds_count", (("kind", "inventory"),))] >= 1
    assert samples[("shopbridge_rate_limit_wait_seconds_total", (("platform", "tiktok_shop"),))] >= 1.5


def test_remote_scrapers_without_a_token_are_refused(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    assert b"shopbridge_" not in response.content


def test_a_request_forwarded_by_a_local_proxy_is_not_treated_as_loopback(client, settings):
    settings.METRICS_TOKEN = ""

    response = client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 403


def test_remote_scrapers_with_the_token_are_served(client, settings):
    settings.METRICS_TOKEN = "s3cret-metrics"

    ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-metrics")
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")

    assert ok.status_code == 200
    assert b"shopbridge_sync_jobs" in ok.content
    assert wrong.status_code == 401
    assert wrong["WWW-Authenticate"].startswith("Bearer")
    assert b"shopbridge_" not in wrong.content


def test_observations_from_other_processes_are_summed_in_multiprocess_mode(tmp_path, monkeypatch):
    # Two worker processes observe; this (web) process renders their sum.
    env = {
        **os.environ,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "shopbridge.config.settings",
    }
    code = (
        "import django; django.setup();"
        "from shopbridge.observability.metrics import observe_propagation;"
        "observe_propagation('price', 3.0)"
    )
    for _ in range(2):
        subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    from prometheus_client import generate_latest

    from shopbridge.observability.metrics import build_registry

    samples = _samples(generate_latest(build_registry()))

    assert samples[("shopbridge_propagation_latency_seconds_count", (("kind", "price"),))] == 2
    assert samples[("shopbridge_propagation_latency_seconds_sum", (("kind", "price"),))] == 6.0
