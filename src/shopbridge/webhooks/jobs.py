"""Job: handle one stored inbound event with its topic's handler."""

from __future__ import annotations

from django.db.models import F
from django.utils import timezone

from shopbridge.sync.models import SyncJob
from shopbridge.sync.registry import job_handler

from .models import InboundEvent
from .registry import handler_for_event


@job_handler("event.handle", lease_seconds=120)
def handle_event(job: SyncJob) -> None:
    event = InboundEvent.objects.get(pk=job.payload["event_id"])
    if event.handled_at is not None:
        return  # already handled: a duplicate message must not handle it twice
    InboundEvent.objects.filter(pk=event.pk).update(attempts=F("attempts") + 1)
    handler = handler_for_event(event.platform, event.topic)
    if handler is None:
        InboundEvent.objects.filter(pk=event.pk).update(
            state=InboundEvent.State.IGNORED,
            handled_at=timezone.now(),
            last_error={"code": "no_handler", "reason": f"no handler for {event.platform} {event.topic}"},
        )
        return
    try:
        handler(event)
    except Exception as exc:
        InboundEvent.objects.filter(pk=event.pk).update(
            state=InboundEvent.State.FAILED,
            last_error={"code": type(exc).__name__, "reason": str(exc)[:1000]},
        )
        raise
    InboundEvent.objects.filter(pk=event.pk).update(
        state=InboundEvent.State.HANDLED, handled_at=timezone.now(), last_error={}
    )
