"""Fault injection, switched on per tenant (shop / store) through the control API.

Deterministic given a seed, so a failing test replays exactly.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class FaultConfig:
    error_5xx_rate: float = 0.0  # probability a request answers 500/503
    rate_limit_rate: float = 0.0  # probability a request answers the platform's rate-limit response
    latency_ms: int = 0  # added to every request
    timeout_rate: float = 0.0  # probability a request hangs for ``timeout_seconds`` then 504s
    timeout_seconds: float = 35.0
    webhook_duplicates: int = 0  # extra copies of every webhook
    webhook_out_of_order: bool = False  # deliver webhook batches in reverse order
    webhook_drop_rate: float = 0.0  # probability a webhook is never sent (tests backstop polling)
    fail_next: list[int] = field(default_factory=list)  # explicit HTTP statuses for the next requests

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    def __init__(self, seed: int = 0) -> None:
        self._configs: dict[str, FaultConfig] = {}
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def reset(self, seed: int | None = None) -> None:
        with self._lock:
            self._configs.clear()
            if seed is not None:
                self._rng = random.Random(seed)

    def set(self, tenant: str, **values: Any) -> FaultConfig:
        with self._lock:
            current = self._configs.get(tenant, FaultConfig())
            for key, value in values.items():
                if not hasattr(current, key):
                    raise ValueError(f"unknown fault {key!r}")
                setattr(current, key, value)
            self._configs[tenant] = current
            return current

    def get(self, tenant: str) -> FaultConfig:
        with self._lock:
            return self._configs.get(tenant) or self._configs.get("*") or FaultConfig()

    def roll(self, probability: float) -> bool:
        if probability <= 0:
            return False
        with self._lock:
            return self._rng.random() < probability

    def pop_forced_status(self, tenant: str) -> int | None:
        with self._lock:
            cfg = self._configs.get(tenant)
            if cfg and cfg.fail_next:
                return cfg.fail_next.pop(0)
        return None

    def decide(self, tenant: str) -> str | None:
        """Return which fault to apply to this request: '5xx', 'rate_limit', 'timeout' or None."""
        forced = self.pop_forced_status(tenant)
        if forced is not None:
            return "rate_limit" if forced == 429 else ("timeout" if forced == 504 else "5xx")
        cfg = self.get(tenant)
        if self.roll(cfg.timeout_rate):
            return "timeout"
        if self.roll(cfg.rate_limit_rate):
            return "rate_limit"
        if self.roll(cfg.error_5xx_rate):
            return "5xx"
        return None
