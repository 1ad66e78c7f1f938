"""WooCommerce webhooks: the ``/webhooks`` resource and delivery as WC_Webhook::deliver() does it.

../shared/spec/stores/woocommerce.md §8 (W-HOOK, WC-WEBHOOK): body = JSON of the resource's REST
representation (``{"id"}`` for deleted), signed base64(HMAC-SHA256(secret, body)), headers
X-WC-Webhook-{Source,Topic,Resource,Event,Signature,ID,Delivery-ID}; delivery id =
wp_hash(webhook id . time()) (so two deliveries of one webhook in the same second share it);
a ping (form body ``webhook_id=<id>``, unsigned) on creation; more than 5 consecutive failures
disable the webhook. One delivery per webhook and resource per request (``is_already_processed``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

from shopbridge_sandbox.kit.webhooks import Delivery, WebhookSender

from .errors import WooError, validate_body
from .store import WooStore, iso

TOPICS = [
    f"{resource}.{event}"
    for resource, events in {
        "coupon": ("created", "updated", "deleted", "restored"),
        "customer": ("created", "updated", "deleted"),
        "order": ("created", "updated", "deleted", "restored"),
        "product": ("created", "updated", "deleted", "restored"),
    }.items()
    for event in events
]
WEBHOOK_FIELDS: dict[str, Any] = {
    "name": "string",
    "status": ("enum", ["active", "paused", "disabled"]),
    "topic": "string",
    "delivery_url": "string",
    "secret": "string",
    "api_version": ("enum", ["wp_api_v1", "wp_api_v2", "wp_api_v3"]),
}
MAX_FAILURES = 5
USER_AGENT = "WooCommerce/8.9.0 Hookshot (WordPress/6.5.3)"
PING_TOPIC = "webhook.ping"


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _valid_topic(topic: str) -> bool:
    return topic in TOPICS or (topic.startswith("action.") and len(topic) > len("action."))


def create_webhook(store: WooStore, body: Any) -> dict[str, Any]:
    data = validate_body(body, WEBHOOK_FIELDS)
    for required in ("topic", "delivery_url"):
        if not data.get(required):
            raise WooError(
                "rest_missing_callback_param",
                f"Missing parameter(s): {required}",
                400,
                {"params": [required]},
            )
    if not _valid_topic(data["topic"]):
        raise WooError(
            "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.", 400
        )
    now = store.now()
    webhook = {
        "id": next(store.webhook_ids),
        "name": data.get("name") or f"Webhook created on {iso(now)}",
        "status": data.get("status", "active"),
        "topic": data["topic"],
        "delivery_url": data["delivery_url"],
        # W-HOOK: a secret defaults to a hash of the user when omitted.
        "secret": data.get("secret") or store.wp_hash(f"webhook-secret-{now}"),
        "api_version": data.get("api_version", "wp_api_v3"),
        "failure_count": 0,
        "date_created": now,
        "date_modified": now,
    }
    store.webhooks[webhook["id"]] = webhook
    return webhook


def update_webhook(store: WooStore, webhook: dict[str, Any], body: Any) -> dict[str, Any]:
    data = validate_body(body, WEBHOOK_FIELDS)
    if "topic" in data and not _valid_topic(data["topic"]):
        raise WooError(
            "woocommerce_rest_webhook_invalid_topic", "Webhook topic is required and must be valid.", 400
        )
    for key in WEBHOOK_FIELDS:
        if key in data:
            webhook[key] = data[key]
    if data.get("status") == "active":
        webhook["failure_count"] = 0
    webhook["date_modified"] = store.now()
    return webhook


def webhook_json(webhook: dict[str, Any], base: str) -> dict[str, Any]:
    resource, _, event = webhook["topic"].partition(".")
    created, modified = iso(webhook["date_created"]), iso(webhook["date_modified"])
    return {
        "id": webhook["id"],
        "name": webhook["name"],
        "status": webhook["status"],
        "topic": webhook["topic"],
        "resource": resource,
        "event": event,
        "hooks": [],
        "delivery_url": webhook["delivery_url"],
        "date_created": created,
        "date_created_gmt": created,
        "date_modified": modified,
        "date_modified_gmt": modified,
        "_links": {
            "self": [{"href": f"{base}/wp-json/wc/v3/webhooks/{webhook['id']}"}],
            "collection": [{"href": f"{base}/wp-json/wc/v3/webhooks"}],
        },
    }


class Dispatcher:
    """Turns the store's pending events into signed deliveries through the kit's sender."""

    def __init__(self, store: WooStore, sender: WebhookSender, tenant: str) -> None:
        self.store = store
        self.sender = sender
        self.tenant = tenant

    def ping(self, webhook: dict[str, Any]) -> None:
        body = f"webhook_id={webhook['id']}".encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT}
        self.sender.send(
            tenant=self.tenant,
            topic=PING_TOPIC,
            url=webhook["delivery_url"],
            body=body,
            headers=headers,
            event_id=f"ping-{webhook['id']}",
        )

    def flush(self, base: str, payload_for: Callable[[str, int], dict[str, Any] | None]) -> None:
        events, self.store.pending = self.store.pending, []
        sent: set[tuple[int, int]] = set()
        for event in events:
            topic = f"{event.resource}.{event.event}"
            for webhook in list(self.store.webhooks.values()):
                if webhook["status"] != "active" or webhook["topic"] != topic:
                    continue
                if (webhook["id"], event.resource_id) in sent:
                    continue
                payload = (
                    {"id": event.resource_id}
                    if event.event == "deleted"
                    else payload_for(event.resource, event.resource_id)
                )
                if payload is None:
                    continue
                sent.add((webhook["id"], event.resource_id))
                self._deliver(webhook, event.resource, event.event, payload, base)

    def _deliver(
        self, webhook: dict[str, Any], resource: str, event: str, payload: dict[str, Any], base: str
    ) -> None:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8").strip()
        delivery_id = self.store.wp_hash(f"{webhook['id']}{int(self.store.now())}")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-WC-Webhook-Source": f"{base}/",
            "X-WC-Webhook-Topic": webhook["topic"],
            "X-WC-Webhook-Resource": resource,
            "X-WC-Webhook-Event": event,
            "X-WC-Webhook-Signature": sign(webhook["secret"], body),
            "X-WC-Webhook-ID": str(webhook["id"]),
            "X-WC-Webhook-Delivery-ID": delivery_id,
        }
        self.sender.send(
            tenant=self.tenant,
            topic=webhook["topic"],
            url=webhook["delivery_url"],
            body=body,
            headers=headers,
            event_id=delivery_id,
        )

    def on_attempt(self, delivery: Delivery) -> None:
        """Sender listener: count consecutive failures per webhook (WC_Webhook::failed_delivery)."""
        webhook_id = delivery.headers.get("X-WC-Webhook-ID", "")
        webhook = self.store.webhooks.get(int(webhook_id)) if webhook_id.isdigit() else None
        if webhook is None:
            return
        code = delivery.last_status_code or 0
        if 200 <= code < 303:
            webhook["failure_count"] = 0
            return
        webhook["failure_count"] += 1
        if webhook["failure_count"] > MAX_FAILURES:
            webhook["status"] = "disabled"
