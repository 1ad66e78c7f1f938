"""TikTok envelope -> typed error, end to end through the client with httpx.MockTransport."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from connectors.tiktok_shop.tiktok_connector_support import (
    ACCESS_TOKEN,
    APP_SECRET,
    SHOP_ID,
    Recorder,
    RecordingGate,
    make_client,
)
from shopbridge.connectors.tiktok_shop.errors import error_from_envelope
from shopbridge.core.errors import (
    AuthExpiredError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryableError,
    TerminalError,
    ValidationFailed,
)


def _call_warehouses(recorder: Recorder, **kwargs):
    client = make_client(recorder, **kwargs)
    return client.logistics.warehouses()


@pytest.mark.parametrize(
    ("file_name", "status", "error_class", "code", "platform_code"),
    [
        ("error.internal.json", 200, RetryableError, "platform_unavailable", 36009003),
        ("error.invalid_sign.http401.json", 401, TerminalError, "invalid_signature", 106001),
        ("error.invalid_version.json", 200, TerminalError, "endpoint_unavailable", 36009014),
        ("error.missing_scope.json", 200, PermissionDeniedError, "permission_denied", 105005),
    ],
)
def test_reconstructed_error_bodies(shared_spec, file_name, status, error_class, code, platform_code):
    body = json.loads((shared_spec / "tiktok-examples/reconstructed" / file_name).read_text())
    recorder = Recorder().reply_raw(status, body)

    with pytest.raises(error_class) as caught:
        _call_warehouses(recorder)

    error = caught.value
    assert type(error) is error_class
    assert error.code == code
    assert error.platform == "tiktok_shop"
    assert error.platform_code == platform_code
    assert error.reason == body["message"]
    assert error.status_code == status
    assert len(recorder.sent) == 1


def test_rate_limit_429_carries_retry_after_and_tells_the_gate():
    gate = RecordingGate()
    recorder = Recorder().reply(
        None, status=429, code=36009002, message="Too many requests", headers={"Retry-After": "2"}
    )

    with pytest.raises(RateLimitedError) as caught:
        _call_warehouses(recorder, gate=gate)

    assert caught.value.retry_after == 2.0
    assert caught.value.platform_code == 36009002
    assert gate.observed == [
        {
            "key": f"tiktok:{SHOP_ID}:/logistics/202309/warehouses",
            "remaining": 0,
            "limit": None,
            "retry_after": 2.0,
        }
    ]


def test_rate_limit_code_on_http_200_is_still_rate_limited():
    recorder = Recorder().reply(None, code=36009002, message="Too many requests")

    with pytest.raises(RateLimitedError) as caught:
        _call_warehouses(recorder)

    assert caught.value.retry_after is None


def test_429_without_envelope_is_rate_limited():
    recorder = Recorder().reply_raw(429, {"error": "rate limited"}, headers={"Retry-After": "1"})

    with pytest.raises(RateLimitedError) as caught:
        _call_warehouses(recorder)

    assert caught.value.retry_after == 1.0
    assert caught.value.platform_code is None


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_without_envelope_is_retryable(status):
    recorder = Recorder().reply_raw(status, b"<html>bad gateway</html>")

    with pytest.raises(RetryableError) as caught:
        _call_warehouses(recorder)

    assert type(caught.value) is RetryableError
    assert caught.value.status_code == status


def test_request_timeout_code_is_retryable():
    recorder = Recorder().reply(None, code=36009007, message="Request timeout")

    with pytest.raises(RetryableError):
        _call_warehouses(recorder)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("read timed out"),
        httpx.ConnectTimeout("connect timed out"),
        httpx.ConnectError("connection refused"),
        httpx.RemoteProtocolError("peer closed"),
    ],
)
def test_network_failures_are_retryable(exc):
    recorder = Recorder().fail(exc)

    with pytest.raises(RetryableError) as caught:
        _call_warehouses(recorder)

    assert type(caught.value) is RetryableError
    assert caught.value.platform == "tiktok_shop"


def test_2xx_without_envelope_is_retryable():
    recorder = Recorder().reply_raw(200, b"<html>captive portal</html>")

    with pytest.raises(RetryableError):
        _call_warehouses(recorder)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (105002, "Expired credentials. The 'x-tts-access-token' header is expired."),
        (36009004, "Invalid credentials. The 'x-tts-access-token' header is invalid."),
        (36009004, "Invalid credentials. The access_token query parameter is invalid."),
    ],
)
def test_token_errors_are_auth_expired(code, message):
    recorder = Recorder().reply(None, code=code, message=message)

    with pytest.raises(AuthExpiredError) as caught:
        _call_warehouses(recorder)

    assert caught.value.platform_code == code


def test_36009004_timestamp_variant_is_terminal_with_clock_fix():
    recorder = Recorder().reply(None, code=36009004, message="Invalid timestamp. The timestamp is expired.")

    with pytest.raises(TerminalError) as caught:
        _call_warehouses(recorder)

    assert not isinstance(caught.value, AuthExpiredError)
    assert caught.value.code == "request_rejected"
    assert "clock" in caught.value.fix


def test_product_validation_code_names_the_field():
    error = error_from_envelope(status_code=200, code=12052051, message="Product name exceeds max length")

    assert isinstance(error, ValidationFailed)
    assert [fe.field for fe in error.field_errors] == ["title"]
    assert error.field_errors[0].code == "tiktok_12052051"
    assert error.field_errors[0].reason == "Product name exceeds max length"


def test_product_validation_code_without_known_field_has_no_field_errors():
    error = error_from_envelope(status_code=200, code=12052999, message="Something about the product")

    assert isinstance(error, ValidationFailed)
    assert error.field_errors == []
    assert error.platform_code == 12052999


@pytest.mark.parametrize(
    ("code", "error_class", "our_code"),
    [
        (12052032, NotFoundError, "not_found"),
        (12052048, PermissionDeniedError, "permission_denied"),
        (12052901, TerminalError, "wrong_product_status"),
        (12052093, TerminalError, "listing_limit_reached"),
        (12001000, RetryableError, "platform_unavailable"),
        (21008099, TerminalError, "already_shipped"),
        (25001021, TerminalError, "invalid_cancel_reason"),
        (106013, TerminalError, "shop_cipher_missing"),
        (21009999, TerminalError, "tiktok_21009999"),
    ],
)
def test_code_table(code, error_class, our_code):
    error = error_from_envelope(status_code=200, code=code, message="TikTok says no")

    assert type(error) is error_class
    assert error.code == our_code
    assert error.fix


def test_unknown_code_keeps_tiktoks_code_and_message():
    recorder = Recorder().reply(None, code=21011099, message="Package weird state")

    with pytest.raises(TerminalError) as caught:
        _call_warehouses(recorder)

    assert caught.value.as_dict() == {
        "code": "tiktok_21011099",
        "reason": "Package weird state",
        "fix": "Correct what TikTok's message names, then sync again; contact support with the code if unclear.",
        "platform": "tiktok_shop",
        "platform_code": 21011099,
        "retryable": False,
    }


def test_no_secret_or_token_in_logs_or_errors(caplog):
    recorder = Recorder().reply(None, code=105002, message="Expired credentials")
    caplog.set_level(logging.DEBUG)

    with pytest.raises(AuthExpiredError) as caught:
        _call_warehouses(recorder)

    text = caplog.text + str(caught.value) + repr(caught.value.as_dict())
    assert "tiktok GET /logistics/202309/warehouses -> 200 code=105002" in caplog.text
    assert APP_SECRET not in text
    assert ACCESS_TOKEN not in text
    assert recorder.sent[0].query["sign"] not in text
