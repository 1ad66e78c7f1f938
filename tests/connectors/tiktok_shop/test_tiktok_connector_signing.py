"""Request signing: every published vector, and the client signs exactly what it sends."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from connectors.tiktok_shop.tiktok_connector_support import APP_SECRET, Recorder, make_client
from shopbridge.connectors.tiktok_shop.models import SearchOrdersRequest
from shopbridge.connectors.tiktok_shop.signing import sign, string_to_sign

# §3.5 of ../shared/spec/tiktok-shop-api.md, copied so the core vectors run without ../shared.
SPEC_VECTORS = [
    pytest.param(
        "e59af819cc",
        "/authorization/202309/shops",
        {"app_key": "29a39d", "timestamp": "1623812664"},
        "",
        "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8",
        id="official-worked-example",
    ),
    pytest.param(
        "app_secret",
        "/test-api",
        {"foo": "bar"},
        "",
        "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f",
        id="ecomphp-unit-test",
    ),
    pytest.param(
        "e59af819cc",
        "/event/202309/webhooks",
        {
            "app_key": "68xu9ks5p4i8",
            "shop_cipher": "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK",
            "timestamp": "1696909648",
        },
        '{"address":"https://partner.tiktokshop.com","event_type":"PACKAGE_UPDATE"}',
        "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a",
        id="update-webhook-with-body",
    ),
]


@pytest.mark.parametrize(("secret", "path", "query", "body", "expected"), SPEC_VECTORS)
def test_spec_vectors(secret, path, query, body, expected):
    assert sign(secret, path, query, body.encode()) == expected


def _vectors(shared_spec: Path) -> list[dict]:
    return json.loads((shared_spec / "tiktok-examples/reconstructed/signing_vectors.json").read_text())


def test_every_vector_in_signing_vectors_json(shared_spec):
    vectors = _vectors(shared_spec)
    assert len(vectors) == 5

    for vector in vectors:
        content_type = vector.get("content_type", "application/json")
        body = vector["body"].encode()

        assert string_to_sign(vector["path"], vector["query"], body, content_type) == (
            vector["string_before_wrap"].encode()
        ), vector["name"]
        assert (
            sign(vector["app_secret"], vector["path"], vector["query"], body, content_type)
            == (vector["expected_sign"])
        ), vector["name"]


def test_sign_and_access_token_query_keys_are_ignored():
    base = {"app_key": "29a39d", "timestamp": "1623812664"}

    with_extras = sign(
        "e59af819cc", "/authorization/202309/shops", {**base, "sign": "x", "access_token": "y"}
    )

    assert with_extras == "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8"


def test_multipart_body_is_not_signed_but_json_body_is():
    query = {"app_key": "k", "timestamp": "1"}

    multipart = sign(
        "s", "/product/202309/images/upload", query, b"binary", "multipart/form-data; boundary=x"
    )
    no_body = sign("s", "/product/202309/images/upload", query, b"")
    json_body = sign("s", "/product/202309/images/upload", query, b"binary", "application/json")

    assert multipart == no_body
    assert json_body != no_body


def test_empty_query_values_are_signed_as_key_only():
    assert string_to_sign("/p", {"page_token": "", "a": "1"}) == b"/pa1page_token"


def test_signature_is_lowercase_hex():
    value = sign(
        "e59af819cc", "/authorization/202309/shops", {"app_key": "29a39d", "timestamp": "1623812664"}
    )

    assert value == value.lower()
    assert len(value) == 64


def test_client_signs_the_exact_bytes_it_sends():
    recorder = Recorder().reply({"orders": [], "next_page_token": "", "total_count": 0})
    client = make_client(recorder)

    client.orders.search_page(
        SearchOrdersRequest(update_time_ge=1_690_000_000, order_status="AWAITING_SHIPMENT")
    )

    sent = recorder.sent[0]
    unsigned = {k: v for k, v in sent.query.items() if k != "sign"}
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, unsigned, sent.body, "application/json")
    assert sent.body == b'{"order_status":"AWAITING_SHIPMENT","update_time_ge":1690000000}'


def test_client_sign_matches_for_comma_joined_ids():
    recorder = Recorder().reply({"orders": []})
    client = make_client(recorder)

    client.orders.get(["57668123555", "57668123556"])

    sent = recorder.sent[0]
    assert sent.query["ids"] == "57668123555,57668123556"
    unsigned = {k: v for k, v in sent.query.items() if k != "sign"}
    assert sent.query["sign"] == sign(APP_SECRET, sent.path, unsigned, b"")
