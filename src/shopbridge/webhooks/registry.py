"""Topic handlers for inbound events: (platform, canonical topic) -> function(event).

Apps register in their ``jobs.py`` (imported at start-up) with ``@event_handler(...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import InboundEvent

EventHandler = Callable[["InboundEvent"], None]
_EVENT_HANDLERS: dict[tuple[str, str], EventHandler] = {}


def event_handler(platform: str, topic: str) -> Callable[[EventHandler], EventHandler]:
    """``platform`` may be "*" for any store platform (canonical store topics)."""

    def register(fn: EventHandler) -> EventHandler:
        _EVENT_HANDLERS[(platform, topic)] = fn
        return fn

    return register


def handler_for_event(platform: str, topic: str) -> EventHandler | None:
    return _EVENT_HANDLERS.get((platform, topic)) or _EVENT_HANDLERS.get(("*", topic))
