"""TikTok Shop webhooks: topics, envelope, signature, per-shop subscriptions and TikTok's retry schedule.

Sources: ../shared/spec/tiktok-shop-api.md §13.1 (delivery, retries), §13.2 (envelope), §13.3 (signature),
§13.4 (type numbers and payloads), §13.5 (Event API).
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ..kit.webhooks import Delivery, WebhookSender
from .signing import webhook_signature
from .state import WorldState

# §13.4: type number <-> Event-API event_type.
EVENT_TYPES: dict[str, int] = {
    "ORDER_STATUS_CHANGE": 1,
    "REVERSE_STATUS_UPDATE": 2,
    "RECIPIENT_ADDRESS_UPDATE": 3,
    "PACKAGE_UPDATE": 4,
    "PRODUCT_STATUS_CHANGE": 5,
    "SELLER_DEAUTHORIZATION": 6,
    "UPCOMING_AUTHORIZATION_EXPIRATION": 7,
    "CANCELLATION_STATUS_CHANGE": 11,
    "RETURN_STATUS_CHANGE": 12,
    "NEW_CONVERSATION": 13,
    "NEW_MESSAGE": 14,
    "PRODUCT_INFORMATION_CHANGE": 15,
    "PRODUCT_CREATION": 16,
    "PRODUCT_CATEGORY_CHANGE": 18,
    "NEW_MESSAGE_LISTENER": 33,
    "INVOICE_STATUS_CHANGE": 36,
    "PRODUCT_AUDIT_STATUS_CHANGE": 37,
}

# §13.1: 1st retry after 2 min, then +30 min, +3 h, +12 h, then dropped.
TIKTOK_RETRY_DELAYS = (120, 1800, 10800, 43200)


class TikTokWebhookSender(WebhookSender):
    """The kit sender with TikTok's retry schedule; HTTP 401 from the receiver is final (§13.1: the receiver
    answers 401 for failed authentication, which TikTok records rather than retries)."""

    def _attempt(self, d: Delivery) -> None:
        d.attempts += 1
        status: int | None
        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client:
                resp = client.post(d.url, content=d.body, headers=d.headers)
            status = resp.status_code
            d.last_error = None if resp.is_success else resp.text[:500]
        except httpx.HTTPError as exc:
            status = None
            d.last_error = f"{type(exc).__name__}: {exc}"
        d.last_status_code = status
        d.history.append({"at": self.clock.now(), "status_code": status, "error": d.last_error})
        if status is not None and 200 <= status < 300:
            d.status = "delivered"
        elif status == 401 or d.attempts > len(TIKTOK_RETRY_DELAYS):
            d.status = "failed"
        else:
            d.next_attempt_at = self.clock.now() + TIKTOK_RETRY_DELAYS[d.attempts - 1]
        for listener in self._listeners:
            listener(d)


def envelope(
    event_type: str, notification_id: str, shop_id: str, timestamp: int, data: dict[str, Any]
) -> bytes:
    """§13.2 envelope, compact JSON (the bytes that are signed and sent)."""
    payload = {
        "type": EVENT_TYPES[event_type],
        "tts_notification_id": notification_id,
        "shop_id": shop_id,
        "timestamp": timestamp,
        "data": data,
    }
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


class WebhookHub:
    """Fans one shop event out to every app subscribed to it for that shop."""

    def __init__(self, world: WorldState, sender: WebhookSender, now: Any) -> None:
        self.world = world
        self.sender = sender
        self.now = now  # callable returning the emulator clock's int seconds
        self.events: list[dict[str, Any]] = []  # every event raised, subscribed or not (control: events)

    def subscribe(self, app_key: str, shop_id: str, event_type: str, address: str) -> dict[str, Any]:
        subs = self.world.webhook_subscriptions.setdefault((app_key, shop_id), {})
        now = self.now()
        existing = subs.get(event_type)
        entry = {
            "event_type": event_type,
            "address": address,
            "create_time": existing["create_time"] if existing else now,
            "update_time": now,
        }
        subs[event_type] = entry
        return entry

    def unsubscribe(self, app_key: str, shop_id: str, event_type: str) -> None:
        self.world.webhook_subscriptions.get((app_key, shop_id), {}).pop(event_type, None)

    def emit(self, shop_id: str, event_type: str, data: dict[str, Any]) -> None:
        now = self.now()
        notification_id = self.world.ids.next("notification")
        self.events.append({"shop_id": shop_id, "event_type": event_type, "data": data, "timestamp": now})
        for auth in self.world.authorizations_for_shop(shop_id):
            address = self.world.webhook_subscriptions.get((auth.app_key, shop_id), {}).get(event_type)
            app = self.world.apps.get(auth.app_key)
            if not address or app is None:
                continue
            body = envelope(event_type, notification_id, shop_id, now, data)
            headers = {
                "Content-Type": "application/json",
                "Authorization": webhook_signature(app.app_key, app.app_secret, body),
            }
            self.sender.send(
                tenant=shop_id,
                topic=event_type,
                url=address["address"],
                body=body,
                headers=headers,
                event_id=notification_id,
            )

    def emit_to_app(self, app_key: str, shop_id: str, event_type: str, data: dict[str, Any]) -> None:
        """For authorization events (6, 7) that concern one app even after the grant is revoked."""
        now = self.now()
        notification_id = self.world.ids.next("notification")
        self.events.append({"shop_id": shop_id, "event_type": event_type, "data": data, "timestamp": now})
        address = self.world.webhook_subscriptions.get((app_key, shop_id), {}).get(event_type)
        app = self.world.apps.get(app_key)
        if not address or app is None:
            return
        body = envelope(event_type, notification_id, shop_id, now, data)
        headers = {
            "Content-Type": "application/json",
            "Authorization": webhook_signature(app.app_key, app.app_secret, body),
        }
        self.sender.send(
            tenant=shop_id,
            topic=event_type,
            url=address["address"],
            body=body,
            headers=headers,
            event_id=notification_id,
        )
