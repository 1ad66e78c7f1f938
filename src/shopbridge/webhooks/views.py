"""Webhook endpoints: one unguessable URL per connection.

Verify the signature (401 + a record when wrong or missing), parse (400 + a record when
malformed), store once in the inbox (duplicates dropped by the platform's event id), answer 200
fast. Handling happens in a worker.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shopbridge.connections.models import ShopConnection, StoreConnection
from shopbridge.core.errors import SyncError

from .services import inbound_event_store, webhook_reject

log = logging.getLogger(__name__)
MAX_BODY = 2 * 1024 * 1024


def _headers(request: HttpRequest) -> dict[str, str]:
    return {k.lower(): v for k, v in request.headers.items()}


def _reject(request: HttpRequest, status: int, code: str, reason: str, **where) -> JsonResponse:
    webhook_reject(
        code=code, reason=reason, remote_addr=request.META.get("REMOTE_ADDR"), headers=_headers(request),
        body=request.body[:2000], **where,
    )
    return JsonResponse({"error": {"code": code, "message": reason}}, status=status)


@csrf_exempt
@require_POST
def store_webhook(request: HttpRequest, token: str) -> JsonResponse:
    from shopbridge.sync.clients import store_connector

    store = StoreConnection.objects.filter(webhook_token=token).first()
    if store is None:
        return _reject(request, 404, "unknown_connection", "No store connection has this webhook URL.")
    where = {"platform": store.platform, "merchant_id": store.merchant_id, "connection_kind": "store",
             "connection_id": store.pk}
    if len(request.body) > MAX_BODY:
        return _reject(request, 413, "too_large", "Webhook body larger than 2 MB.", **where)
    connector = store_connector(store)
    headers = _headers(request)
    is_ping = getattr(connector, "is_ping", None)
    if is_ping is not None and is_ping(headers, request.body):
        return JsonResponse({"ok": True, "ping": True})  # WooCommerce's unsigned hello on webhook creation
    if not connector.verify_webhook(headers, request.body):
        return _reject(request, 401, "bad_signature", "Webhook signature missing or wrong.", **where)
    try:
        event = connector.parse_webhook(headers, request.body)
    except SyncError as exc:
        return _reject(request, 400, "malformed", exc.reason, **where)
    stored, created = inbound_event_store(
        merchant_id=store.merchant_id, connection_kind="store", connection_id=store.pk, platform=store.platform,
        external_id=event.event_id, topic=event.topic.value, resource_id=event.resource_id or "",
        payload={"platform_topic": event.platform_topic, "body": event.payload},
    )
    return JsonResponse({"ok": True, "duplicate": not created})


@csrf_exempt
@require_POST
def tiktok_webhook(request: HttpRequest, token: str) -> JsonResponse:
    from shopbridge.connectors.tiktok_shop.webhooks import parse_webhook, verify_webhook

    shop = ShopConnection.objects.filter(webhook_token=token).first()
    if shop is None:
        return _reject(request, 404, "unknown_connection", "No TikTok shop connection has this webhook URL.")
    where = {"platform": "tiktok_shop", "merchant_id": shop.merchant_id, "connection_kind": "shop",
             "connection_id": shop.pk}
    if len(request.body) > MAX_BODY:
        return _reject(request, 413, "too_large", "Webhook body larger than 2 MB.", **where)
    creds = shop.credentials or {}
    if not verify_webhook(_headers(request), request.body, app_key=creds.get("app_key", ""),
                          app_secret=creds.get("app_secret", "")):
        return _reject(request, 401, "bad_signature", "TikTok webhook signature missing or wrong.", **where)
    try:
        event = parse_webhook(request.body)
    except SyncError as exc:
        return _reject(request, 400, "malformed", exc.reason, **where)
    if event.shop_id and event.shop_id != shop.shop_id:
        return _reject(request, 400, "wrong_shop", f"Event for shop {event.shop_id} sent to another shop's URL.",
                       **where)
    data = event.data.model_dump(mode="json") if hasattr(event.data, "model_dump") else dict(event.data)
    _, created = inbound_event_store(
        merchant_id=shop.merchant_id, connection_kind="shop", connection_id=shop.pk, platform="tiktok_shop",
        external_id=event.event_id, topic=event.event_type, resource_id="",
        payload={"type": event.type, "timestamp": event.timestamp, "data": data},
    )
    return JsonResponse({"ok": True, "duplicate": not created})
