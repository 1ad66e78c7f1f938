"""Rate budgets are shared by every worker and never exceeded."""

import bisect
import socket
import threading
import time

import pytest
from django.db import connection

from shopbridge.core.errors import RateLimitedError
from shopbridge.sync import ratebudget
from shopbridge.sync.ratebudget import RateBudget, RateSpec


def _max_in_window(stamps: list[float], window: float) -> int:
    stamps = sorted(stamps)
    return max(bisect.bisect_left(stamps, t + window) - i for i, t in enumerate(stamps))


def _hammer(budget_factory, threads: int, per_thread: int) -> list[float]:
    stamps: list[float] = []
    lock = threading.Lock()

    def work():
        budget = budget_factory()
        try:
            for _ in range(per_thread):
                budget.acquire("tiktok:shop1:/product/202309/products")
                with lock:
                    stamps.append(time.monotonic())
        finally:
            connection.close()

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return stamps


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["sqlite", "memory", "redis"])
def test_shared_budget_is_never_exceeded_by_concurrent_workers(backend, settings):
    if backend == "redis":
        if not _redis_up():
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        settings.RATE_BUDGET_REDIS_URL = "redis://127.0.0.1:6379/14"
        import redis

        redis.Redis.from_url(settings.RATE_BUDGET_REDIS_URL).flushdb()
    settings.RATE_BUDGET_BACKEND = backend
    ratebudget.reset_cache()

    stamps = _hammer(lambda: RateBudget({"": RateSpec(10, 1.0)}, max_wait=30), threads=4, per_thread=8)

    assert len(stamps) == 32
    # Stamps are taken after acquire returns, so thread scheduling under load shifts them by up to a
    # few hundred ms: check 0.8 s windows. (The emulator tests check the platform never saw a 429.)
    assert _max_in_window(stamps, 0.8) <= 10
    assert stamps[-1] - min(stamps) >= 2.0  # 32 requests at 10/s cannot finish in under ~2 s


@pytest.mark.django_db
def test_a_full_window_waits_at_most_one_window_then_goes(settings):
    settings.RATE_BUDGET_BACKEND = "memory"
    ratebudget.reset_cache()
    budget = RateBudget({"": RateSpec(2, 1.0)}, max_wait=0.2)
    budget.acquire("k")
    budget.acquire("k")
    started = time.monotonic()

    budget.acquire("k")

    assert 0.5 < time.monotonic() - started < 1.6


@pytest.mark.django_db
def test_a_long_platform_pause_hands_the_job_back_instead_of_blocking(settings):
    settings.RATE_BUDGET_BACKEND = "memory"
    ratebudget.reset_cache()
    budget = RateBudget({"": RateSpec(100, 1.0)}, max_wait=1)
    budget.observe("k", remaining=0, limit=None, retry_after=120)
    started = time.monotonic()

    with pytest.raises(RateLimitedError) as info:
        budget.acquire("k")

    assert time.monotonic() - started < 0.5
    assert info.value.retry_after > 100


def test_shopify_budget_follows_the_reported_bucket_size():
    budget = RateBudget({"": RateSpec(10, 5.0, per_bucket=0.25)})
    assert budget.spec_for("shopify:plus.myshopify.com") == RateSpec(10, 5.0, per_bucket=0.25)
    budget.observe("shopify:plus.myshopify.com", remaining=399, limit=400, retry_after=None)
    assert budget.spec_for("shopify:plus.myshopify.com").limit == 100  # 20/s, Plus's leak rate


@pytest.mark.django_db
def test_platform_retry_after_pauses_the_key_for_everyone(settings):
    settings.RATE_BUDGET_BACKEND = "memory"
    ratebudget.reset_cache()
    first = RateBudget({"": RateSpec(100, 1.0)}, max_wait=1)
    first.observe("shopify:acme:", remaining=0, limit=40, retry_after=60)

    second = RateBudget({"": RateSpec(100, 1.0)}, max_wait=1)
    with pytest.raises(RateLimitedError):
        second.acquire("shopify:acme:")
    second.acquire("shopify:other:")  # other keys are unaffected


def test_longest_prefix_rate_wins():
    budget = RateBudget({"": RateSpec(50, 1.0), "shopify:": RateSpec(40, 20.0)})
    assert budget.spec_for("shopify:acme:/products.json") == RateSpec(40, 20.0)
    assert budget.spec_for("tiktok:1:/x") == RateSpec(50, 1.0)
