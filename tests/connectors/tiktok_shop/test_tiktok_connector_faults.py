"""Faults: injected 5xx and 429 on the emulator; retry_call plus a real rate gate still succeed,
and the emulator never sees more requests in any one-second window than the per-API limit."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from collections.abc import Callable

import httpx
import pytest

emulator_app = pytest.importorskip("shopbridge_sandbox.tiktok_shop.app")

from shopbridge.connectors.tiktok_shop.client import TikTokShopClient  # noqa: E402
from shopbridge.core.retry import retry_call  # noqa: E402

BASE_URL = "https://open-api.tiktokglobalshop.com"
LIMIT = 20  # QPS per API per (app, shop) set on the emulator for this test (TikTok's default is 50, §5.4)


class TokenBucketGate:
    """A tiny RequestGate: one token bucket per key, ``rate`` tokens/s, ``capacity`` burst.

    Any one-second window then holds at most ``capacity + rate`` requests per key.
    """

    def __init__(
        self,
        rate: float,
        capacity: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.rate = rate
        self.capacity = capacity
        self.clock = clock
        self.sleep = sleep
        self._tokens: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()
        self.observed: list[str] = []

    def acquire(self, key: str, weight: int = 1) -> None:
        while True:
            with self._lock:
                now = self.clock()
                tokens, at = self._tokens.get(key, (self.capacity, now))
                tokens = min(self.capacity, tokens + (now - at) * self.rate)
                if tokens >= weight:
                    self._tokens[key] = (tokens - weight, now)
                    return
                self._tokens[key] = (tokens, now)
                wait = (weight - tokens) / self.rate
            self.sleep(wait)

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        self.observed.append(key)


def _max_per_second(times: list[float]) -> int:
    """Most requests in any half-open window [t, t + 1s)."""
    times = sorted(times)
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def test_retry_with_rate_gate_succeeds_under_faults_without_exceeding_the_limit():
    emulator = emulator_app.create_emulator(seed=11)
    manifest = emulator_app.manifest_entry(emulator, BASE_URL)
    shop = next(s for s in manifest["shops"] if s["region"] == "GB")
    for app in emulator.world.apps.values():
        app.qps = LIMIT
    control = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=BASE_URL)
    faults = control.post(
        "/_sandbox/faults", json={"tenant": shop["shop_id"], "error_5xx_rate": 0.25, "rate_limit_rate": 0.15}
    )
    gate = TokenBucketGate(rate=LIMIT - 6, capacity=2)
    client = TikTokShopClient(
        manifest["app_key"],
        manifest["app_secret"],
        api_base_url=BASE_URL,
        access_token=shop["access_token"],
        shop_cipher=shop["shop_cipher"],
        shop_id=shop["shop_id"],
        gate=gate,
        transport=httpx.WSGITransport(app=emulator),
        clock=emulator.clock.now,
    )
    calls = [client.logistics.warehouses, client.products.categories] * 20

    results = [retry_call(call, attempts=10, base=0.01, cap=0.05) for call in calls]

    assert faults.status_code == 200
    assert all(results) and len(results) == 40
    log = control.post("/_sandbox/requests", json={"limit": 10_000}).json()["requests"]
    statuses = defaultdict(int)
    times_by_api: dict[str, list[float]] = defaultdict(list)
    for entry in log:
        statuses[entry["status"]] += 1
        times_by_api[entry["endpoint"]].append(entry["at"])
    assert statuses[200] == 40
    assert statuses[500] > 0 and statuses[429] > 0  # the faults really happened and were retried
    assert set(times_by_api) == {"get_warehouse_list", "get_categories"}
    assert {api: _max_per_second(times) <= LIMIT for api, times in times_by_api.items()} == {
        "get_warehouse_list": True,
        "get_categories": True,
    }
    assert gate.observed  # every injected 429 was reported to the gate
    control.close()
