"""Webhooks: Event API, envelope and signature (verified with §13.3 written here), retries and faults."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

import httpx
from tiktok_emulator_helpers import TikTokClient

ADDRESS = "https://hooks.example.com/tiktok"


def _verify(app_key: str, app_secret: str, request: httpx.Request) -> bool:
    """§13.3: Authorization = hex HMAC-SHA256(app_secret, app_key + raw body)."""
    expected = hmac.new(app_secret.encode(), app_key.encode() + request.content, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, request.headers["authorization"])


def _register(client: TikTokClient, shop: dict[str, Any], event_type: str) -> None:
    client.ok(
        "PUT",
        "/event/202309/webhooks",
        shop_cipher=shop["shop_cipher"],
        body={"address": ADDRESS, "event_type": event_type},
    )


def _place(client: TikTokClient, shop: dict[str, Any], product_body: Callable[..., dict[str, Any]]) -> str:
    sku = client.ok("POST", "/product/202309/products", shop_cipher=shop["shop_cipher"], body=product_body())[
        "skus"
    ][0]["id"]
    client.emulator.clock.advance(60)
    return client.control("place_order", {"shop_id": shop["shop_id"], "items": [{"sku_id": sku}]})["order"][
        "id"
    ]


def test_event_api_register_list_delete(client: TikTokClient, gb: dict[str, Any]) -> None:
    _register(client, gb, "ORDER_STATUS_CHANGE")
    listed = client.ok("GET", "/event/202309/webhooks", shop_cipher=gb["shop_cipher"])
    assert listed["total_count"] == 1
    assert listed["webhooks"][0] | {"create_time": 0, "update_time": 0} == {
        "event_type": "ORDER_STATUS_CHANGE",
        "address": ADDRESS,
        "create_time": 0,
        "update_time": 0,
    }
    assert (
        client.ok(
            "DELETE",
            "/event/202309/webhooks",
            shop_cipher=gb["shop_cipher"],
            body={"event_type": "ORDER_STATUS_CHANGE"},
        )
        == {}
    )
    assert client.ok("GET", "/event/202309/webhooks", shop_cipher=gb["shop_cipher"])["total_count"] == 0
    # deleting again succeeds (§13.5)
    client.ok(
        "DELETE",
        "/event/202309/webhooks",
        shop_cipher=gb["shop_cipher"],
        body={"event_type": "ORDER_STATUS_CHANGE"},
    )
    bad = client.call(
        "PUT",
        "/event/202309/webhooks",
        shop_cipher=gb["shop_cipher"],
        body={"address": ADDRESS, "event_type": "NOT_A_TOPIC"},
    )
    assert bad.json()["code"] != 0


def test_order_webhooks_are_signed_and_enveloped(
    client: TikTokClient,
    gb: dict[str, Any],
    product_body: Any,
    webhook_receiver: Any,
    received: list[httpx.Request],
) -> None:
    # given a registered ORDER_STATUS_CHANGE webhook
    _register(client, gb, "ORDER_STATUS_CHANGE")
    # when an order is placed and paid
    order_id = _place(client, gb, product_body)
    # then two signed notifications arrived, in order
    assert len(received) == 2
    for request in received:
        assert _verify(client.app_key, client.app_secret, request)
        assert request.headers["content-type"] == "application/json"
    bodies = [json.loads(r.content) for r in received]
    assert [b["data"]["order_status"] for b in bodies] == ["UNPAID", "ON_HOLD"]
    first = bodies[0]
    assert set(first) == {"type", "tts_notification_id", "shop_id", "timestamp", "data"}
    assert (first["type"], first["shop_id"], first["data"]["order_id"]) == (1, gb["shop_id"], order_id)
    assert isinstance(first["timestamp"], int) and first["tts_notification_id"].isdigit()
    assert bodies[0]["tts_notification_id"] != bodies[1]["tts_notification_id"]
    # and a tampered body would not verify
    forged = httpx.Request(
        "POST",
        ADDRESS,
        content=received[0].content.replace(b"UNPAID", b"DELIVERED"),
        headers=dict(received[0].headers),
    )
    assert not _verify(client.app_key, client.app_secret, forged)


def test_unsubscribed_topics_and_other_shops_are_not_sent(
    client: TikTokClient,
    gb: dict[str, Any],
    us: dict[str, Any],
    product_body: Any,
    webhook_receiver: Any,
    received: list[httpx.Request],
) -> None:
    _register(client, us, "ORDER_STATUS_CHANGE")
    _register(client, gb, "PRODUCT_STATUS_CHANGE")
    _place(client, gb, product_body)
    topics = [json.loads(r.content)["type"] for r in received]
    assert topics == [5]  # only the GB product's first pass; no order webhook for GB, nothing for US


def test_failed_delivery_is_retried_on_tiktok_schedule(
    client: TikTokClient,
    gb: dict[str, Any],
    product_body: Any,
    webhook_receiver: Callable[[int], None],
    received: list[httpx.Request],
) -> None:
    _register(client, gb, "PRODUCT_CREATION")
    webhook_receiver(500)
    client.ok("POST", "/product/202309/products", shop_cipher=gb["shop_cipher"], body=product_body())
    assert len(received) == 1
    # §13.1: first retry after 2 minutes
    client.emulator.clock.advance(119)
    client.control("webhooks/flush", {"force": False})
    assert len(received) == 1
    webhook_receiver(200)
    client.emulator.clock.advance(1)
    client.control("webhooks/flush", {"force": False})
    assert len(received) == 2
    deliveries = client.control("webhooks/deliveries")["deliveries"]
    assert [(d["status"], d["attempts"]) for d in deliveries] == [("delivered", 2)]
    assert received[0].content == received[1].content


def test_401_from_receiver_is_not_retried(
    client: TikTokClient,
    gb: dict[str, Any],
    product_body: Any,
    webhook_receiver: Callable[[int], None],
    received: list[httpx.Request],
) -> None:
    _register(client, gb, "PRODUCT_CREATION")
    webhook_receiver(401)
    client.ok("POST", "/product/202309/products", shop_cipher=gb["shop_cipher"], body=product_body())
    client.emulator.clock.advance(3600)
    client.control("webhooks/flush", {"force": False})
    assert len(received) == 1
    assert client.control("webhooks/deliveries")["deliveries"][0]["status"] == "failed"


def test_duplicate_and_out_of_order_faults(
    client: TikTokClient,
    gb: dict[str, Any],
    product_body: Any,
    webhook_receiver: Any,
    received: list[httpx.Request],
) -> None:
    _register(client, gb, "ORDER_STATUS_CHANGE")
    client.control("faults", {"tenant": gb["shop_id"], "webhook_duplicates": 1, "webhook_out_of_order": True})
    _place(client, gb, product_body)
    assert received == []  # out-of-order batches wait for a flush
    client.control("webhooks/flush")
    bodies = [json.loads(r.content) for r in received]
    assert [b["data"]["order_status"] for b in bodies] == ["ON_HOLD", "ON_HOLD", "UNPAID", "UNPAID"]
    assert bodies[0]["tts_notification_id"] == bodies[1]["tts_notification_id"]
    assert all(_verify(client.app_key, client.app_secret, r) for r in received)


def test_all_topics_via_control_subscription(
    client: TikTokClient,
    gb: dict[str, Any],
    product_body: Any,
    webhook_receiver: Any,
    received: list[httpx.Request],
) -> None:
    client.control("subscribe_webhook", {"shop_id": gb["shop_id"], "address": ADDRESS})
    order_id = _place(client, gb, product_body)
    client.control("update_address", {"order_id": order_id, "address_line1": "2 Low Street"})
    client.control("buyer_cancel", {"order_id": order_id})
    client.control("authorization_expiring", {"shop_id": gb["shop_id"], "days": 30})
    types = [json.loads(r.content)["type"] for r in received]
    assert set(types) == {16, 37, 5, 1, 3, 11, 7}
    expiring = json.loads(received[-1].content)["data"]
    assert isinstance(expiring["expiration_time"], str)
