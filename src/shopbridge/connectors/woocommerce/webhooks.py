"""WooCommerce webhook verification and topic mapping.

../shared/spec/stores/woocommerce.md §8 (WC-WEBHOOK): ``X-WC-Webhook-Signature`` =
base64(HMAC-SHA256(secret, raw body)); topic in ``X-WC-Webhook-Topic``; delivery id in
``X-WC-Webhook-Delivery-ID``. There is no stock-only topic: stock changes arrive as
``product.updated``; variation hooks fire ``product.*`` with the variation as the payload.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from shopbridge.connectors.base.dto import StoreWebhookEvent, WebhookTopic
from shopbridge.core.errors import ValidationFailed

PLATFORM = "woocommerce"

# Our topics -> the WooCommerce topic that carries them.
WOO_TOPIC_FOR: dict[WebhookTopic, str] = {
    WebhookTopic.PRODUCT_CREATED: "product.created",
    WebhookTopic.PRODUCT_UPDATED: "product.updated",
    WebhookTopic.PRODUCT_DELETED: "product.deleted",
    WebhookTopic.INVENTORY_UPDATED: "product.updated",
    WebhookTopic.ORDER_CREATED: "order.created",
    WebhookTopic.ORDER_UPDATED: "order.updated",
    WebhookTopic.ORDER_CANCELLED: "order.updated",
    WebhookTopic.FULFILLMENT_CREATED: "order.updated",
    WebhookTopic.FULFILLMENT_UPDATED: "order.updated",
}


def header(headers: Mapping[str, str], name: str) -> str | None:
    """Header lookup ignoring case (frameworks and proxies disagree on it)."""
    wanted = name.lower()
    return next((value for key, value in headers.items() if key.lower() == wanted), None)


def signature_for(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes) -> bool:
    provided = header(headers, "X-WC-Webhook-Signature")
    if not provided or not secret:
        return False
    return hmac.compare_digest(signature_for(secret, body), provided.strip())


def is_ping(headers: Mapping[str, str], body: bytes) -> bool:
    """The creation ping: form body ``webhook_id=<id>`` with no topic header; answer it 200."""
    return header(headers, "X-WC-Webhook-Topic") is None and body.startswith(b"webhook_id=")


def _our_topic(woo_topic: str, payload: dict[str, Any]) -> WebhookTopic:
    resource, _, event = woo_topic.partition(".")
    if resource == "product":
        if payload.get("type") == "variation":
            # A variation's own change (stock or price of one SKU): the product gained a SKU when it
            # is created, else it is a SKU-level change; both are re-read through the parent.
            return (
                WebhookTopic.PRODUCT_UPDATED
                if event in ("created", "restored")
                else WebhookTopic.INVENTORY_UPDATED
            )
        return {
            "created": WebhookTopic.PRODUCT_CREATED,
            "deleted": WebhookTopic.PRODUCT_DELETED,
        }.get(event, WebhookTopic.PRODUCT_UPDATED)
    if resource == "order":
        if event == "created":
            return WebhookTopic.ORDER_CREATED
        if payload.get("status") == "cancelled":
            return WebhookTopic.ORDER_CANCELLED
        return WebhookTopic.ORDER_UPDATED
    raise ValidationFailed(f"unsupported WooCommerce webhook topic {woo_topic!r}", platform=PLATFORM)


def _resource_id(payload: dict[str, Any]) -> str | None:
    if payload.get("type") == "variation" and payload.get("parent_id"):
        return str(payload["parent_id"])  # what to re-read is the parent product
    return str(payload["id"]) if payload.get("id") is not None else None


def _occurred_at(payload: dict[str, Any]) -> datetime | None:
    stamp = payload.get("date_modified_gmt") or payload.get("date_created_gmt")
    if not stamp:
        return None
    try:
        return datetime.fromisoformat(stamp).replace(tzinfo=UTC)
    except ValueError:
        return None


def parse(headers: Mapping[str, str], body: bytes) -> StoreWebhookEvent:
    woo_topic = header(headers, "X-WC-Webhook-Topic")
    delivery_id = header(headers, "X-WC-Webhook-Delivery-ID")
    if not woo_topic or not delivery_id:
        raise ValidationFailed(
            "not a WooCommerce webhook: topic or delivery id header missing", platform=PLATFORM
        )
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(f"webhook body is not JSON: {exc}", platform=PLATFORM) from exc
    if not isinstance(payload, dict):
        raise ValidationFailed("webhook body is not a JSON object", platform=PLATFORM)
    # wp_hash(webhook id . time()) repeats for two deliveries of one webhook in the same second
    # (WC_Webhook::get_new_delivery_id), so the body digest makes the id unique per event while
    # a retried or duplicated delivery keeps the same id.
    digest = hashlib.sha256(body).hexdigest()[:16]
    return StoreWebhookEvent(
        topic=_our_topic(woo_topic, payload),
        event_id=f"{delivery_id}:{digest}",
        resource_id=_resource_id(payload),
        platform_topic=woo_topic,
        occurred_at=_occurred_at(payload),
        payload=payload,
    )
