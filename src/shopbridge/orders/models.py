"""TikTok orders and their binding to store orders, with fulfilments, cancellations and returns.

``Order`` is unique per (channel, tiktok_order_id) and per (channel, store_order_id): an order can
be bound to exactly one store order, and a store order to exactly one TikTok order.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from shopbridge.catalog.models import Variant
from shopbridge.connections.models import Channel
from shopbridge.core.models import TimeStampedModel
from shopbridge.listings.models import ListingSku


class OrderSyncState(models.TextChoices):
    PENDING = "pending", "Waiting to sync"
    ON_HOLD = "on_hold", "In TikTok's cancellation window"
    BLOCKED = "blocked", "Blocked"
    CREATING = "creating", "Creating in store"
    SYNCED = "synced", "In store"
    FAILED = "failed", "Failed"
    SKIPPED = "skipped", "Not synced"
    CANCELLED = "cancelled", "Cancelled before sync"


class Order(TimeStampedModel):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="orders")
    tiktok_order_id = models.CharField(max_length=32)
    tiktok_status = models.CharField(max_length=32, blank=True)
    tiktok_update_time = models.BigIntegerField(default=0)
    sync_state = models.CharField(
        max_length=16, choices=OrderSyncState.choices, default=OrderSyncState.PENDING
    )
    blocked_code = models.CharField(max_length=64, blank=True)
    blocked_reason = models.TextField(blank=True)
    blocked_fix = models.TextField(blank=True)
    store_order_id = models.CharField(max_length=255, null=True, blank=True)  # noqa: DJ001 - NULL = unbound; unique when set
    store_order_name = models.CharField(max_length=255, blank=True)
    fulfillment_type = models.CharField(max_length=16, default="seller", help_text="seller | tiktok | fbt")
    is_sample = models.BooleanField(default=False)
    currency = models.CharField(max_length=3, blank=True)
    total = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    placed_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    hold_until = models.DateTimeField(null=True, blank=True)
    buyer = models.JSONField(default=dict, blank=True)
    shipping_address = models.JSONField(default=dict, blank=True)
    amounts = models.JSONField(
        default=dict, blank=True, help_text="TikTok amounts vs store amounts, differences"
    )
    raw = models.JSONField(default=dict, blank=True)
    create_started_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    store_cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "tiktok_order_id"], name="uniq_order_binding"),
            models.UniqueConstraint(
                fields=["channel", "store_order_id"],
                condition=Q(store_order_id__isnull=False),
                name="uniq_order_store_binding",
            ),
        ]
        indexes = [models.Index(fields=["channel", "sync_state"])]


class OrderLine(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    tiktok_line_id = models.CharField(max_length=64)
    tiktok_sku_id = models.CharField(max_length=32, blank=True)
    seller_sku = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=1000, blank=True)
    quantity = models.PositiveIntegerField(default=1)
    unit_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    listing_sku = models.ForeignKey(ListingSku, null=True, blank=True, on_delete=models.SET_NULL)
    variant = models.ForeignKey(Variant, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "tiktok_line_id"], name="uniq_order_line")]


class Fulfillment(TimeStampedModel):
    class State(models.TextChoices):
        PENDING = "pending", "Waiting to push"
        HELD = "held", "Held (inside cancellation window)"
        PUSHED = "pushed", "Shipped on TikTok"
        FAILED = "failed", "Failed"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="fulfillments")
    store_fulfillment_id = models.CharField(max_length=255)
    tracking_company = models.CharField(max_length=255, blank=True)
    tracking_number = models.CharField(max_length=255, blank=True)
    tracking_url = models.URLField(max_length=1000, blank=True)
    shipping_provider_id = models.CharField(max_length=64, blank=True)
    shipping_provider_name = models.CharField(max_length=255, blank=True)
    provider_resolution = models.CharField(max_length=16, blank=True)
    tiktok_package_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    error_code = models.CharField(max_length=64, blank=True)
    error_reason = models.TextField(blank=True)
    error_fix = models.TextField(blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "store_fulfillment_id"], name="uniq_fulfillment_binding")
        ]


class Cancellation(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="cancellations")
    tiktok_cancel_id = models.CharField(max_length=64)
    status = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    initiated_by = models.CharField(max_length=32, blank=True)
    store_action = models.CharField(max_length=32, blank=True, help_text="cancelled | not_needed | failed")
    store_action_error = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["order", "tiktok_cancel_id"], name="uniq_cancellation")
        ]


class Return(TimeStampedModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    tiktok_return_id = models.CharField(max_length=64)
    return_type = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    refund_total = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    needs_action = models.BooleanField(default=False)
    store_refund_id = models.CharField(max_length=255, blank=True, help_text="Set once refunded in the store")
    store_refund_error = models.TextField(blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["order", "tiktok_return_id"], name="uniq_return")]
