"""Explicit registry of job handlers: kind -> function(job) (no string-keyed component lookup magic).

Apps declare their handlers in a ``jobs.py`` module with ``@job_handler("kind")``; the sync app
imports every installed app's ``jobs`` module when Django is ready.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import SyncJob

Handler = Callable[["SyncJob"], Any]


@dataclass(frozen=True)
class HandlerSpec:
    kind: str
    fn: Handler
    lease_seconds: int
    max_attempts: int
    queue: str


_HANDLERS: dict[str, HandlerSpec] = {}


def job_handler(
    kind: str, *, lease_seconds: int = 120, max_attempts: int = 12, queue: str = "default"
) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        if kind in _HANDLERS and _HANDLERS[kind].fn is not fn:
            raise RuntimeError(f"job kind {kind!r} registered twice")
        _HANDLERS[kind] = HandlerSpec(kind, fn, lease_seconds, max_attempts, queue)
        return fn

    return register


def handler_for(kind: str) -> HandlerSpec:
    try:
        return _HANDLERS[kind]
    except KeyError as exc:
        raise LookupError(f"no handler registered for job kind {kind!r}") from exc


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
