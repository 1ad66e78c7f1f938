"""The inbound-event inbox: verified webhooks stored once, handled later by workers.

Unique per (connection kind, connection id, external event id): a platform that delivers the
same event three times yields one row and one handling. ``handled_at`` is set only on success,
so an event whose handling crashed is picked up again by the reconciler.
"""

from __future__ import annotations

from django.db import models

from shopbridge.accounts.models import Merchant
from shopbridge.core.models import TimeStampedModel


class InboundEvent(TimeStampedModel):
    class State(models.TextChoices):
        RECEIVED = "received"
        HANDLED = "handled"
        FAILED = "failed"
        IGNORED = "ignored"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="inbound_events")
    connection_kind = models.CharField(max_length=8, help_text="store | shop")
    connection_id = models.BigIntegerField()
    platform = models.CharField(max_length=32)
    external_id = models.CharField(max_length=255)
    topic = models.CharField(max_length=100)
    resource_id = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RECEIVED)
    received_at = models.DateTimeField()
    handled_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection_kind", "connection_id", "external_id"], name="uniq_inbound_event"
            )
        ]
        indexes = [models.Index(fields=["state", "received_at"])]


class RejectedWebhook(TimeStampedModel):
    """A webhook we refused (bad signature, malformed body, unknown connection): kept as evidence."""

    merchant = models.ForeignKey(Merchant, null=True, blank=True, on_delete=models.CASCADE)
    platform = models.CharField(max_length=32, blank=True)
    connection_kind = models.CharField(max_length=8, blank=True)
    connection_id = models.BigIntegerField(null=True, blank=True)
    code = models.CharField(max_length=64)
    reason = models.TextField()
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    body_excerpt = models.TextField(blank=True)
