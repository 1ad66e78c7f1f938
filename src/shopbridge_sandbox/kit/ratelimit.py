"""Rate limiters as the platforms enforce them, driven by the emulator clock."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from .clock import Clock


@dataclass
class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` banked. Used for QPS limits (TikTok: 50 QPS per API)."""

    rate: float
    burst: float
    clock: Clock
    _tokens: float = field(init=False)
    _updated: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._tokens = self.burst
        self._updated = self.clock.now()

    def _refill(self) -> None:
        now = self.clock.now()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(self.burst, self._tokens + elapsed * self.rate)
        self._updated = now

    def try_take(self, cost: float = 1.0) -> tuple[bool, float]:
        """Take ``cost`` tokens. Returns (allowed, seconds until enough tokens)."""
        with self._lock:
            self._refill()
            if self._tokens >= cost:
                self._tokens -= cost
                return True, 0.0
            return False, (cost - self._tokens) / self.rate

    @property
    def available(self) -> float:
        with self._lock:
            self._refill()
            return self._tokens


@dataclass
class LeakyBucket:
    """Shopify-style leaky bucket: ``size`` slots, draining ``leak_rate`` per second."""

    size: int
    leak_rate: float
    clock: Clock
    _level: float = field(init=False, default=0.0)
    _updated: float = field(init=False)
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self._updated = self.clock.now()

    def _drain(self) -> None:
        now = self.clock.now()
        self._level = max(0.0, self._level - max(0.0, now - self._updated) * self.leak_rate)
        self._updated = now

    def try_add(self, cost: float = 1.0) -> tuple[bool, float]:
        """Add a request. Returns (allowed, seconds to wait before one slot frees)."""
        with self._lock:
            self._drain()
            if self._level + cost <= self.size:
                self._level += cost
                return True, 0.0
            return False, (self._level + cost - self.size) / self.leak_rate

    @property
    def level(self) -> int:
        with self._lock:
            self._drain()
            import math

            return math.ceil(self._level)
