"""Reads for the webhook inbox and rejected webhooks, always scoped to one merchant.

Rejected webhooks that matched no connection have no merchant: they are shown to no merchant
(only operators see them, in the admin).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from shopbridge.accounts.models import Merchant

from .models import InboundEvent, RejectedWebhook


def inbound_event_list(
    merchant: Merchant, *, state: str = "", platform: str = "", search: str = ""
) -> QuerySet[InboundEvent]:
    qs = InboundEvent.objects.filter(merchant=merchant)
    if state:
        qs = qs.filter(state=state)
    if platform:
        qs = qs.filter(platform=platform)
    if search:
        qs = qs.filter(Q(topic__icontains=search) | Q(resource_id=search) | Q(external_id=search))
    return qs.order_by("-id")


def inbound_event_get(merchant: Merchant, event_id: int) -> InboundEvent:
    return InboundEvent.objects.get(merchant=merchant, pk=event_id)


def rejected_webhook_list(
    merchant: Merchant, *, code: str = "", platform: str = ""
) -> QuerySet[RejectedWebhook]:
    qs = RejectedWebhook.objects.filter(merchant=merchant)
    if code:
        qs = qs.filter(code=code)
    if platform:
        qs = qs.filter(platform=platform)
    return qs.order_by("-id")


def rejected_webhook_get(merchant: Merchant, rejected_id: int) -> RejectedWebhook:
    return RejectedWebhook.objects.get(merchant=merchant, pk=rejected_id)
