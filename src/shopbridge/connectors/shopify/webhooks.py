"""Shopify webhook topics, HMAC verification and parsing (../shared/spec/stores/shopify.md §8)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime

from shopbridge.connectors.base.dto import StoreWebhookEvent, WebhookTopic
from shopbridge.core.errors import ValidationFailed

# Our topic -> the Shopify topic we subscribe to (spec §8.2).
SUBSCRIBE_TOPICS: dict[WebhookTopic, str] = {
    WebhookTopic.PRODUCT_CREATED: "products/create",
    WebhookTopic.PRODUCT_UPDATED: "products/update",
    WebhookTopic.PRODUCT_DELETED: "products/delete",
    WebhookTopic.INVENTORY_UPDATED: "inventory_levels/update",
    WebhookTopic.ORDER_CREATED: "orders/create",
    WebhookTopic.ORDER_UPDATED: "orders/updated",
    WebhookTopic.ORDER_CANCELLED: "orders/cancelled",
    WebhookTopic.FULFILLMENT_CREATED: "fulfillments/create",
    WebhookTopic.FULFILLMENT_UPDATED: "fulfillments/update",
    WebhookTopic.CATEGORY_UPDATED: "collections/update",
    WebhookTopic.APP_UNINSTALLED: "app/uninstalled",
}
# Shopify topic -> our topic, including topics we may receive without subscribing to them by name.
INCOMING_TOPICS: dict[str, WebhookTopic] = {v: k for k, v in SUBSCRIBE_TOPICS.items()} | {
    "orders/fulfilled": WebhookTopic.ORDER_UPDATED,
    "orders/partially_fulfilled": WebhookTopic.ORDER_UPDATED,
    "collections/create": WebhookTopic.CATEGORY_UPDATED,
    "collections/delete": WebhookTopic.CATEGORY_UPDATED,
    # A refund changes its order: re-read the order (the payload is the Refund, with order_id).
    "refunds/create": WebhookTopic.ORDER_UPDATED,
}
# Shopify topics whose payload is a child of the order: the order is what to re-read.
ORDER_CHILD_TOPICS = ("refunds/create",)


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive lookup: frameworks normalise header names differently."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    """``X-Shopify-Hmac-Sha256`` = base64 HMAC-SHA256 of the raw body with the app secret (spec §8.3)."""
    received = header(headers, "X-Shopify-Hmac-Sha256")
    if not received or not secret:
        return False
    return hmac.compare_digest(sign(secret, body).encode(), received.strip().encode())


def _resource_id(topic: WebhookTopic, payload: dict) -> str | None:
    """What to re-read: the inventory item for stock, the order for fulfilments, else the resource."""
    if topic == WebhookTopic.INVENTORY_UPDATED:
        value = payload.get("inventory_item_id")
    elif topic in (WebhookTopic.FULFILLMENT_CREATED, WebhookTopic.FULFILLMENT_UPDATED):
        value = payload.get("order_id")
    elif topic == WebhookTopic.APP_UNINSTALLED:
        value = payload.get("myshopify_domain") or payload.get("domain")
    else:
        value = payload.get("id")
    return None if value is None else str(value)


def parse(headers: Mapping[str, str], body: bytes) -> StoreWebhookEvent:
    platform_topic = header(headers, "X-Shopify-Topic") or ""
    topic = INCOMING_TOPICS.get(platform_topic)
    if topic is None:
        raise ValidationFailed(f"unsupported Shopify webhook topic {platform_topic!r}", platform="shopify")
    # X-Shopify-Webhook-Id is the delivery's idempotency key, stable across retries (spec §8.3).
    event_id = header(headers, "X-Shopify-Webhook-Id") or header(headers, "X-Shopify-Event-Id")
    if not event_id:
        raise ValidationFailed("Shopify webhook has no X-Shopify-Webhook-Id header", platform="shopify")
    try:
        payload = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"Shopify webhook body is not JSON: {exc}", platform="shopify") from exc
    if not isinstance(payload, dict):
        raise ValidationFailed("Shopify webhook body is not a JSON object", platform="shopify")
    triggered = header(headers, "X-Shopify-Triggered-At")
    return StoreWebhookEvent(
        topic=topic,
        event_id=event_id,
        resource_id=str(payload.get("order_id"))
        if platform_topic in ORDER_CHILD_TOPICS
        else _resource_id(topic, payload),
        platform_topic=platform_topic,
        occurred_at=datetime.fromisoformat(triggered.replace("Z", "+00:00")) if triggered else None,
        payload=payload,
    )
