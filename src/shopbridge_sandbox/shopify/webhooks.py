"""Webhook subscriptions and signed deliveries (spec/stores/shopify.md §8)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import uuid
from datetime import UTC, datetime
from typing import Any

from ..kit.webhooks import WebhookSender
from .state import Shop, gid, unprocessable

# spec §8.2 (topic names UNCONFIRMED-but-standard except bulk_operations/finish).
TOPICS = (
    "products/create",
    "products/update",
    "products/delete",
    "inventory_levels/update",
    "inventory_items/create",
    "inventory_items/update",
    "inventory_items/delete",
    "orders/create",
    "orders/updated",
    "orders/cancelled",
    "orders/fulfilled",
    "orders/partially_fulfilled",
    "fulfillments/create",
    "fulfillments/update",
    "refunds/create",  # not in spec §8.2; standard topic per shopify.dev webhook topics (UNCONFIRMED)
    "collections/create",
    "collections/update",
    "collections/delete",
    "app/uninstalled",
)


def sign(secret: str, body: bytes) -> str:
    """base64 HMAC-SHA256 of the raw body with the app's client secret (spec §8.3, D-WHV)."""
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def subscribe(shop: Shop, payload: dict[str, Any], api_version: str) -> dict[str, Any]:
    topic = str(payload.get("topic") or "")
    address = str(payload.get("address") or "")
    if topic not in TOPICS:
        raise unprocessable("topic", f"Invalid topic specified: {topic}. Topics allowed: {', '.join(TOPICS)}")
    if not address.startswith(("https://", "http://", "pubsub://", "arn:aws:events:")):
        raise unprocessable("address", "is invalid")
    if any(w["topic"] == topic and w["address"] == address for w in shop.webhooks.values()):
        raise unprocessable("address", "for this topic has already been taken")
    webhook_id = shop.next_id()
    webhook = {
        "id": webhook_id,
        "address": address,
        "topic": topic,
        "format": payload.get("format") or "json",
        "fields": list(payload.get("fields") or []),
        "metafield_namespaces": [],
        "private_metafield_namespaces": [],
        "api_version": api_version,
        "admin_graphql_api_id": gid("WebhookSubscription", webhook_id),
    }
    shop.stamp(webhook, created=True)
    shop.webhooks[webhook_id] = webhook
    return webhook


class WebhookEmitter:
    """Turns a state change into one signed delivery per matching subscription."""

    def __init__(self, sender: WebhookSender, api_secret: str, seed: int) -> None:
        self.sender = sender
        self.api_secret = api_secret
        self.rng = random.Random(seed)

    def _uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def emit(self, shop: Shop, topic: str, payload: dict[str, Any]) -> int:
        subscriptions = [w for w in shop.webhooks.values() if w["topic"] == topic]
        if not subscriptions:
            return 0
        event_id = self._uuid()  # shared by every delivery of this event (spec §8.3, D-WHD)
        triggered_at = datetime.fromtimestamp(shop.now(), tz=UTC).isoformat().replace("+00:00", "Z")
        for webhook in subscriptions:
            data = (
                {k: v for k, v in payload.items() if k in webhook["fields"]} if webhook["fields"] else payload
            )
            body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
            webhook_id = self._uuid()
            headers = {
                "Content-Type": "application/json",
                "X-Shopify-Topic": topic,
                "X-Shopify-Hmac-Sha256": sign(self.api_secret, body),
                "X-Shopify-Shop-Domain": shop.domain,
                "X-Shopify-API-Version": webhook["api_version"],
                "X-Shopify-Webhook-Id": webhook_id,
                "X-Shopify-Event-Id": event_id,
                "X-Shopify-Triggered-At": triggered_at,
            }
            self.sender.send(
                tenant=shop.domain,
                topic=topic,
                url=webhook["address"],
                body=body,
                headers=headers,
                event_id=webhook_id,
            )
        return len(subscriptions)
