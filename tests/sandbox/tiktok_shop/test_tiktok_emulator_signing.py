"""Request signing (§3) and webhook signature (§13.3) against the spec's vectors, plus the rejections."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from tiktok_emulator_helpers import TikTokClient, png_bytes, spec_sign

from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator
from shopbridge_sandbox.tiktok_shop.signing import request_sign, verify_request_sign, webhook_signature

# §3.5 table, transcribed.
SPEC_TABLE = [
    (
        "e59af819cc",
        "/authorization/202309/shops",
        {"app_key": "29a39d", "timestamp": "1623812664"},
        b"",
        "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
    ),
    (
        "app_secret",
        "/test-api",
        {"foo": "bar"},
        b"",
        "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f",
    ),
    (
        "e59af819cc",
        "/event/202309/webhooks",
        {
            "app_key": "68xu9ks5p4i8",
            "shop_cipher": "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK",
            "timestamp": "1696909648",
        },
        b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}',
        "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
    ),
]


@pytest.mark.parametrize(("secret", "path", "query", "body", "expected"), SPEC_TABLE)
def test_spec_table_vectors_verify(
    secret: str, path: str, query: dict[str, str], body: bytes, expected: str
) -> None:
    assert request_sign(secret, path, query, body, "application/json") == expected
    assert verify_request_sign(secret, path, query, body, "application/json", expected)
    assert not verify_request_sign(secret, path, query, body, "application/json", expected.upper())


def _vectors(shared_spec: Path) -> list[dict[str, Any]]:
    return json.loads((shared_spec / "tiktok-examples/reconstructed/signing_vectors.json").read_text())


def test_every_json_vector_verifies_and_matches_the_test_helper(shared_spec: Path) -> None:
    vectors = _vectors(shared_spec)
    assert len(vectors) == 5
    for v in vectors:
        body = v["body"].encode()
        content_type = v.get("content_type", "application/json")
        assert verify_request_sign(
            v["app_secret"], v["path"], v["query"], body, content_type, v["expected_sign"]
        ), v["name"]
        assert spec_sign(v["app_secret"], v["path"], v["query"], body, content_type) == v["expected_sign"], v[
            "name"
        ]


def test_webhook_golden_vector(shared_spec: Path) -> None:
    v = json.loads((shared_spec / "tiktok-examples/reconstructed/webhook_signature_vector.json").read_text())
    assert (
        webhook_signature(v["app_key"], v["app_secret"], v["raw_body"].encode()) == v["authorization_header"]
    )


def _official_world(at: int) -> tuple[TikTokShopEmulator, TikTokClient, dict[str, Any]]:
    """An emulator whose clock sits at the vector's timestamp, with the vector's app registered."""
    emulator = TikTokShopEmulator(seed=0, clock=Clock(frozen_at=at))
    helper = TikTokClient(emulator, "", "", "")
    seller = next(iter(emulator.world.sellers))
    helper.control("add_app", {"app_key": "29a39d", "app_secret": "e59af819cc", "name": "Docs app"})
    grant = helper.control("authorize", {"app_key": "29a39d", "seller_id": seller})
    return emulator, TikTokClient(emulator, "29a39d", "e59af819cc", grant["access_token"]), grant


def test_official_worked_example_is_accepted_end_to_end() -> None:
    # given the app and clock of the official worked example (§3.5 #1)
    _, client, _ = _official_world(1623812664)
    # when the documented request is sent with the documented sign
    response = client.http.get(
        "/authorization/202309/shops",
        params={
            "app_key": "29a39d",
            "timestamp": "1623812664",
            "sign": "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
        },
        headers={"x-tts-access-token": client.access_token, "content-type": "application/json"},
    )
    # then it succeeds
    assert response.status_code == 200
    assert response.json()["code"] == 0
    assert len(response.json()["data"]["shops"]) == 12


def test_official_body_vector_is_accepted_end_to_end() -> None:
    # given the shop cipher and app key of §3.5 #3
    emulator, client, grant = _official_world(1696909648)
    emulator.world.apps["68xu9ks5p4i8"] = emulator.world.apps.pop("29a39d")
    emulator.world.apps["68xu9ks5p4i8"].app_key = "68xu9ks5p4i8"
    emulator.world.authorizations[-1].app_key = "68xu9ks5p4i8"
    shop = emulator.world.shops[grant["shop_ids"][0]]
    shop.cipher = "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK"
    body = b'{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}'
    # when the documented PUT is sent with the computed sign
    response = client.http.put(
        "/event/202309/webhooks",
        params={
            "app_key": "68xu9ks5p4i8",
            "shop_cipher": shop.cipher,
            "timestamp": "1696909648",
            "sign": "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
        },
        content=body,
        headers={"x-tts-access-token": client.access_token, "content-type": "application/json"},
    )
    # then the webhook is registered
    assert response.json()["code"] == 0
    subs = emulator.world.webhook_subscriptions[("68xu9ks5p4i8", shop.id)]
    assert subs["PACKAGE_UPDATE"]["address"] == "https://partner.tiktokshop.com"


def test_valid_request_passes(client: TikTokClient) -> None:
    assert client.call("GET", "/authorization/202309/shops").json()["code"] == 0


def test_wrong_secret_is_401_106001(client: TikTokClient) -> None:
    response = client.call("GET", "/authorization/202309/shops", secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["code"] == 106001
    assert response.json()["data"] is None
    assert response.json()["message"].startswith(
        "Invalid credentials. The 'sign' query parameter is invalid."
    )


def test_uppercase_sign_is_rejected(client: TikTokClient) -> None:
    params = {"app_key": client.app_key, "timestamp": str(client.emulator.clock.now_int())}
    upper = spec_sign(client.app_secret, "/authorization/202309/shops", params).upper()
    response = client.call("GET", "/authorization/202309/shops", sign=upper)
    assert (response.status_code, response.json()["code"]) == (401, 106001)


def test_changed_body_is_rejected(client: TikTokClient, gb: dict[str, Any]) -> None:
    # given a body signed as one thing and sent as another
    signed = {"event_type": "ORDER_STATUS_CHANGE", "address": "https://example.com/hook"}
    tampered = json.dumps(
        {"event_type": "ORDER_STATUS_CHANGE", "address": "https://evil.example/hook"}
    ).encode()
    response = client.call(
        "PUT", "/event/202309/webhooks", shop_cipher=gb["shop_cipher"], body=signed, tamper_body=tampered
    )
    # then TikTok's invalid-sign answer, and nothing was registered
    assert (response.status_code, response.json()["code"]) == (401, 106001)
    assert client.emulator.world.webhook_subscriptions == {}


def test_stale_timestamp_is_rejected(client: TikTokClient) -> None:
    response = client.call(
        "GET", "/authorization/202309/shops", timestamp=client.emulator.clock.now_int() - 301
    )
    assert (response.status_code, response.json()["code"]) == (401, 36009004)
    assert "older than 5 minutes" in response.json()["message"]


def test_timestamp_just_inside_the_window_is_accepted(client: TikTokClient) -> None:
    now = client.emulator.clock.now_int()
    assert client.call("GET", "/authorization/202309/shops", timestamp=now - 300).json()["code"] == 0
    assert client.call("GET", "/authorization/202309/shops", timestamp=now + 30).json()["code"] == 0


def test_future_timestamp_is_rejected(client: TikTokClient) -> None:
    response = client.call(
        "GET", "/authorization/202309/shops", timestamp=client.emulator.clock.now_int() + 31
    )
    assert (response.status_code, response.json()["code"]) == (401, 36009004)
    assert "30 seconds ahead" in response.json()["message"]


def test_missing_sign_is_rejected(client: TikTokClient) -> None:
    response = client.http.get(
        "/authorization/202309/shops",
        params={"app_key": client.app_key, "timestamp": str(client.emulator.clock.now_int())},
        headers={"x-tts-access-token": client.access_token},
    )
    assert response.json()["code"] == 36009004
    assert "'sign' query parameter is required" in response.json()["message"]


def test_multipart_upload_signs_path_and_query_only(client: TikTokClient) -> None:
    # the helper signs multipart without the body (§3.1 step 5); the emulator accepts it
    response = client.call(
        "POST",
        "/product/202309/images/upload",
        files={"data": ("a.png", io.BytesIO(png_bytes(400, 400)), "image/png")},
    )
    assert response.json()["code"] == 0
