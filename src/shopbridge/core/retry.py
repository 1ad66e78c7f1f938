"""Retry with exponential backoff and full jitter, driven by the typed error classes.

Used by the sync engine's tasks (Celery retries use ``backoff_delay``) and for synchronous
call sites such as the CLI. AuthExpiredError is not retried here: the caller refreshes first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from .errors import AuthExpiredError, RateLimitedError, RetryableError

T = TypeVar("T")


def backoff_delay(
    attempt: int, *, base: float = 1.0, cap: float = 300.0, rng: random.Random | None = None
) -> float:
    """Full-jitter exponential backoff: uniform(0, min(cap, base * 2**attempt))."""
    ceiling = min(cap, base * (2 ** max(0, attempt)))
    return (rng or random).uniform(0, ceiling)


def delay_for(error: Exception, attempt: int, *, base: float = 1.0, cap: float = 300.0) -> float:
    """How long to wait before retrying after ``error``: the platform's wait when it said one."""
    if isinstance(error, RateLimitedError) and error.retry_after is not None:
        return max(error.retry_after, 0.0) + random.uniform(0, min(1.0, base))
    return backoff_delay(attempt, base=base, cap=cap)


def retry_call(
    fn: Callable[[], T],
    *,
    attempts: int = 6,
    base: float = 0.2,
    cap: float = 10.0,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call ``fn`` until it succeeds or raises a non-retryable error or runs out of attempts."""
    for attempt in range(attempts):
        try:
            return fn()
        except AuthExpiredError:
            raise
        except RetryableError as exc:
            if attempt == attempts - 1:
                raise
            sleep(delay_for(exc, attempt, base=base, cap=cap))
    raise AssertionError("unreachable")  # pragma: no cover
