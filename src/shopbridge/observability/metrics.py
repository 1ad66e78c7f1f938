"""Prometheus metrics: what the sync code observes in-process, and how /metrics renders them.

Two kinds of figures:

- **Counts of durable state** (jobs by kind and state, failures by code, webhook intake, queue
  depth, active rate-limit pauses): computed from the database at scrape time by
  ``collectors.DatabaseCollector``. The database is shared by every process and machine, so
  one scrape of any web process gives the whole installation's figures.
- **Observations** (propagation latency histogram, rate-limit wait seconds): recorded where
  they happen, by ``observe_propagation`` and ``observe_rate_limit_wait``. They live in the
  process that observed them. To aggregate workers and web processes on one machine, set
  ``PROMETHEUS_MULTIPROC_DIR`` to an empty, writable directory in the environment of every
  process *before it starts* (prometheus_client's multiprocess mode; clear the directory on
  restart); /metrics then sums all processes' files. Without it, /metrics shows only the
  answering process's observations (fine for a single-process install; misleading otherwise).
"""

from __future__ import annotations

import os

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from .collectors import DatabaseCollector

# Our own registry keeps the process's default collectors (gc, platform) out of the output
# and lets /metrics combine these with the database figures in one exposition.
PROCESS_REGISTRY = CollectorRegistry(auto_describe=True)

# From a store change (or TikTok event) to the change applied on the other side. Buckets span
# "within seconds" (the product goal for price/stock) to an hour (a backlog).
PROPAGATION_BUCKETS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 900.0, 3600.0)

PROPAGATION_LATENCY = Histogram(
    "shopbridge_propagation_latency_seconds",
    "Seconds from a change on one platform to its application on the other, by kind",
    ["kind"],
    buckets=PROPAGATION_BUCKETS,
    registry=PROCESS_REGISTRY,
)
RATE_LIMIT_WAIT = Counter(
    "shopbridge_rate_limit_wait_seconds",
    "Seconds spent waiting for a platform rate budget, by platform",
    ["platform"],
    registry=PROCESS_REGISTRY,
)


def observe_propagation(kind: str, seconds: float) -> None:
    """Record one propagation, e.g. ``observe_propagation("inventory", 3.2)``.

    ``kind`` must come from a small fixed set (inventory, price, product, order, fulfilment,
    cancellation): each value is a new time series.
    """
    PROPAGATION_LATENCY.labels(kind=kind).observe(max(0.0, seconds))


def observe_rate_limit_wait(platform: str, seconds: float) -> None:
    """Record time spent waiting for a rate budget (e.g. RateBudget.waited_seconds after a job)."""
    if seconds > 0:
        RATE_LIMIT_WAIT.labels(platform=platform).inc(seconds)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")


def build_registry() -> CollectorRegistry:
    """A registry for one scrape: database figures plus this process's (or all processes') observations."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(DatabaseCollector())
    path = multiprocess_dir()
    if path:
        MultiProcessCollector(registry, path=path)
    else:
        registry.register(PROPAGATION_LATENCY)
        registry.register(RATE_LIMIT_WAIT)
    return registry


def render_metrics() -> tuple[bytes, str]:
    """The Prometheus text exposition and its content type."""
    return generate_latest(build_registry()), CONTENT_TYPE_LATEST
