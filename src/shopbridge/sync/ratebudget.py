"""Per-connection rate budgets shared by every worker on every machine (pyrate-limiter).

Each budget key (e.g. ``tiktok:<shop>:/product/202309/products``) gets its own bucket with the
platform's published rate. Buckets live where every worker sees them:

- ``redis``: RedisBucket (atomic Lua) — at scale, with the Redis broker.
- ``postgres``: PostgresBucket — several machines without Redis.
- ``sqlite``: SQLiteBucket in the data directory with a file lock — the single-machine default.
- ``memory``: in-process only (tests of pure logic, benchmarks of one process).

A 429 with Retry-After from the platform pauses the key for everyone (``RatePause``).
``acquire`` waits up to ``max_wait`` seconds; past that it raises RateLimitedError so the job is
rescheduled instead of holding a worker.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from pyrate_limiter import Duration, Limiter, Rate
from pyrate_limiter.buckets import InMemoryBucket, SQLiteBucket

from shopbridge.core.errors import RateLimitedError

from .models import RatePause


@dataclass(frozen=True)
class RateSpec:
    """``limit`` requests per ``seconds`` (sliding window).

    ``per_bucket``: the platform reports its bucket size in each response (Shopify's
    ``X-Shopify-Shop-Api-Call-Limit: 12/40``; Plus stores have 400); the limit becomes that size
    times ``per_bucket`` over the same window. Shopify's bucket leaks size/20 per second on every
    plan, so a quarter of the bucket per 5 s keeps the leak rate while never emptying the bucket,
    and a worker never waits more than 5 s for room (a window of the whole bucket would allow a
    burst of 400, then nothing for 12 s).
    """

    limit: int
    seconds: float
    per_bucket: float | None = None

    def as_rate(self) -> Rate:
        return Rate(self.limit, int(self.seconds * Duration.SECOND))


def _backend() -> str:
    configured = getattr(settings, "RATE_BUDGET_BACKEND", "")
    if configured:
        return configured
    broker = getattr(settings, "CELERY_BROKER_URL", "")
    if broker.startswith("redis"):
        return "redis"
    return "sqlite"


_buckets: dict[tuple[str, str, tuple[Any, ...]], Limiter] = {}
_observed_limits: dict[str, int] = {}  # per process: every worker learns it from its own first response
_buckets_lock = threading.Lock()


def _table_name(key: str) -> str:
    return "rb_" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:20]


def _make_limiter(key: str, rates: list[Rate]) -> Limiter:
    backend = _backend()
    if backend == "redis":
        import redis
        from pyrate_limiter.buckets import RedisBucket

        url = settings.RATE_BUDGET_REDIS_URL or settings.CELERY_BROKER_URL
        bucket = RedisBucket.init(rates, redis.Redis.from_url(url), f"shopbridge:rate:{_table_name(key)}")
    elif backend == "postgres":
        from psycopg_pool import ConnectionPool
        from pyrate_limiter.buckets import PostgresBucket

        db = settings.DATABASES["default"]
        conninfo = (
            f"host={db['HOST'] or 'localhost'} port={db['PORT'] or 5432} dbname={db['NAME']} user={db['USER']}"
            + (f" password={db['PASSWORD']}" if db.get("PASSWORD") else "")
        )
        bucket = PostgresBucket(
            ConnectionPool(conninfo, min_size=1, max_size=4, open=True), _table_name(key), rates
        )
    elif backend == "memory":
        bucket = InMemoryBucket(rates)
    else:
        path = str(settings.DATA_DIR / "ratebudget.sqlite")
        bucket = SQLiteBucket.init_from_file(rates, table=_table_name(key), db_path=path, use_file_lock=True)
    return Limiter(bucket)


def limiter_for(key: str, spec: RateSpec) -> Limiter:
    cache_key = (_backend(), key, (spec.limit, spec.seconds))
    with _buckets_lock:
        limiter = _buckets.get(cache_key)
        if limiter is None:
            limiter = _buckets[cache_key] = _make_limiter(key, [spec.as_rate()])
        return limiter


def reset_cache() -> None:
    with _buckets_lock:
        _buckets.clear()


class RateBudget:
    """A RequestGate (see connectors.base.protocol) for one connection.

    ``specs`` maps a key prefix to its rate; the longest matching prefix wins, ``""`` is the default.
    """

    def __init__(self, specs: dict[str, RateSpec], *, max_wait: float = 5.0) -> None:
        if "" not in specs:
            raise ValueError("a default rate ('' prefix) is required")
        self.specs = specs
        self.max_wait = max_wait
        self.waited_seconds = 0.0
        self.acquired = 0

    def spec_for(self, key: str) -> RateSpec:
        best = max((p for p in self.specs if key.startswith(p)), key=len)
        spec = self.specs[best]
        observed = _observed_limits.get(key)
        if spec.per_bucket and observed:
            limit = max(1, int(observed * spec.per_bucket))
            if limit != spec.limit:
                return RateSpec(limit, spec.seconds, per_bucket=spec.per_bucket)
        return spec

    def _paused_for(self, key: str) -> float:
        pause = RatePause.objects.filter(key=key).values_list("until", flat=True).first()
        if pause is None:
            return 0.0
        return max(0.0, (pause - timezone.now()).total_seconds())

    def acquire(self, key: str, weight: int = 1) -> None:
        started = time.monotonic()
        pause = self._paused_for(key)
        if pause > self.max_wait:
            raise RateLimitedError(f"{key} paused by the platform", retry_after=pause)
        if pause:
            time.sleep(pause)
        limiter = limiter_for(key, self.spec_for(key))
        # Wait at most ``max_wait`` in total; past that the worker hands the job back to the queue.
        # (Blocking with a timeout: pyrate-limiter 4.5's non-blocking path breaks with file locks.)
        # At least one whole window: a full sliding window frees its first slot only after
        # ``seconds`` (plus the limiter's small buffer), and a shorter wait would fail at once.
        budget = max(self.max_wait, self.spec_for(key).seconds + 0.5)
        remaining = max(0.0, budget - (time.monotonic() - started))
        if not limiter.try_acquire(key, weight, blocking=True, timeout=remaining):
            raise RateLimitedError(f"rate budget for {key} exhausted", retry_after=self.spec_for(key).seconds)
        self.acquired += weight
        waited = time.monotonic() - started
        self.waited_seconds += waited
        if waited > 0.01:
            from shopbridge.observability.metrics import observe_rate_limit_wait

            observe_rate_limit_wait(key.split(":", 1)[0], waited)

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        if limit and int(limit) > 0:
            _observed_limits[key] = int(limit)
        if retry_after:
            until = timezone.now() + timedelta(seconds=float(retry_after))
            RatePause.objects.update_or_create(
                key=key, defaults={"until": until, "reason": "platform said retry"}
            )
