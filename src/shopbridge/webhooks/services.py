"""The inbox: store a verified event once, hand it to a worker, record rejections.

The web request only verifies and stores (fast); handling runs as a job, so a slow store API
never makes the platform time out and retry the webhook.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from shopbridge.sync.engine import enqueue_job

from .models import InboundEvent, RejectedWebhook

_SAFE_HEADERS = {
    "content-type",
    "user-agent",
    "x-shopify-topic",
    "x-shopify-webhook-id",
    "x-shopify-shop-domain",
    "x-wc-webhook-topic",
    "x-wc-webhook-delivery-id",
    "x-wc-webhook-source",
    "x-wc-webhook-resource",
    "x-wc-webhook-event",
}


def safe_headers(headers: dict[str, str]) -> dict[str, str]:
    """Headers worth keeping as evidence: never signatures or tokens."""
    return {k: v[:300] for k, v in headers.items() if k.lower() in _SAFE_HEADERS}


def inbound_event_store(
    *,
    merchant_id: int,
    connection_kind: str,
    connection_id: int,
    platform: str,
    external_id: str,
    topic: str,
    resource_id: str = "",
    payload: dict[str, Any],
) -> tuple[InboundEvent, bool]:
    """Store the event unless already stored (by the platform's event id). Returns (event, created)."""
    try:
        with transaction.atomic():
            event = InboundEvent.objects.create(
                merchant_id=merchant_id,
                connection_kind=connection_kind,
                connection_id=connection_id,
                platform=platform,
                external_id=external_id[:255],
                topic=topic,
                resource_id=(resource_id or "")[:255],
                payload=payload,
                received_at=timezone.now(),
            )
            enqueue_job(
                "event.handle", f"event:{event.pk}", payload={"event_id": event.pk}, merchant_id=merchant_id
            )
            return event, True
    except IntegrityError:
        event = InboundEvent.objects.get(
            connection_kind=connection_kind, connection_id=connection_id, external_id=external_id[:255]
        )
        return event, False


def webhook_reject(
    *,
    code: str,
    reason: str,
    platform: str = "",
    merchant_id: int | None = None,
    connection_kind: str = "",
    connection_id: int | None = None,
    remote_addr: str | None = None,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> RejectedWebhook:
    return RejectedWebhook.objects.create(
        merchant_id=merchant_id,
        platform=platform,
        connection_kind=connection_kind,
        connection_id=connection_id,
        code=code,
        reason=reason,
        remote_addr=remote_addr,
        headers=safe_headers(headers or {}),
        body_excerpt=body[:2000].decode("utf-8", "replace"),
    )


def inbound_event_replay(*, event: InboundEvent) -> None:
    """Operator action: handle an event again (handlers are idempotent)."""
    InboundEvent.objects.filter(pk=event.pk).update(state=InboundEvent.State.RECEIVED, handled_at=None)
    enqueue_job(
        "event.handle", f"event:{event.pk}", payload={"event_id": event.pk}, merchant_id=event.merchant_id
    )
