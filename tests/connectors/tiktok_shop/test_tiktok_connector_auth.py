"""OAuth: authorize links, code exchange, refresh, token expiry arithmetic, per-shop authorization."""

from __future__ import annotations

import json
import logging
from urllib.parse import parse_qs, urlsplit

import pytest

from connectors.tiktok_shop.tiktok_connector_support import APP_KEY, APP_SECRET, Recorder, make_client
from shopbridge.connectors.tiktok_shop.auth import (
    ShopAuthorization,
    TokenSet,
    authorize_url,
    legacy_authorize_url,
    shop_authorizations,
)
from shopbridge.connectors.tiktok_shop.models import AuthorizedShop
from shopbridge.core.errors import AuthExpiredError, RetryableError, TerminalError

TOKEN_DATA = {
    "access_token": "TTP_new-access",
    "access_token_expire_in": 1_700_604_800,
    "refresh_token": "TTP_new-refresh",
    "refresh_token_expire_in": 1_731_536_000,
    "open_id": "7010736057180325637",
    "seller_name": "Jjj test shop",
    "seller_base_region": "ID",
    "user_type": 0,
    "granted_scopes": ["seller.product.basic"],
}


def test_authorize_url_row_and_us():
    row = authorize_url("7431458374265161478", "  csrf-123 ")
    us = authorize_url("7431458374265161478", "s", us=True)

    assert (
        row == "https://services.tiktokshop.com/open/authorize?service_id=7431458374265161478&state=csrf-123"
    )
    assert us.startswith("https://services.tiktokshops.us/open/authorize?service_id=7431458374265161478")


def test_legacy_authorize_url():
    url = legacy_authorize_url("29a39d", "st")

    assert url == "https://auth.tiktok-shops.com/oauth/authorize?app_key=29a39d&state=st"


def test_exchange_code_calls_the_auth_host_unsigned_and_returns_absolute_expiries():
    recorder = Recorder().reply(TOKEN_DATA, message="success")
    client = make_client(recorder, access_token=None)

    tokens = client.auth.exchange_code("auth-code-1")

    sent = recorder.sent[0]
    assert sent.method == "GET"
    assert sent.path == "/api/v2/token/get"
    assert sent.query == {
        "app_key": APP_KEY,
        "app_secret": APP_SECRET,
        "auth_code": "auth-code-1",
        "grant_type": "authorized_code",
    }
    assert tokens.access_token_expires_at == 1_700_604_800
    assert tokens.authorization_expires_at == 1_731_536_000
    assert tokens.granted_scopes == ("seller.product.basic",)
    assert client.access_token == "TTP_new-access"


def test_exchange_code_accepts_the_documented_sample(shared_spec):
    body = json.loads(
        (shared_spec / "tiktok-examples/reconstructed/auth.token_get.response.json").read_text()
    )
    recorder = Recorder().reply_raw(200, body)
    client = make_client(recorder)

    tokens = client.auth.exchange_code("c")

    assert tokens.seller_base_region == "ID"
    assert tokens.refresh_token == body["data"]["refresh_token"]


def test_used_or_expired_code_is_terminal_with_plain_fix():
    recorder = Recorder().reply(None, code=36004004, message="invalid auth code")
    client = make_client(recorder, access_token="TTP_old")

    with pytest.raises(TerminalError) as caught:
        client.auth.exchange_code("used")

    assert caught.value.code == "authorization_code_invalid"
    assert "30 minutes" in caught.value.fix
    assert client.access_token == "TTP_old"  # nothing replaced


def test_refresh_uses_and_returns_the_new_refresh_token():
    recorder = Recorder().reply(TOKEN_DATA, message="success")
    client = make_client(recorder, access_token="TTP_old")

    tokens = client.auth.refresh("TTP_old-refresh")

    assert recorder.sent[0].path == "/api/v2/token/refresh"
    assert recorder.sent[0].query["refresh_token"] == "TTP_old-refresh"
    assert recorder.sent[0].query["grant_type"] == "refresh_token"
    assert tokens.refresh_token == "TTP_new-refresh"
    assert client.access_token == "TTP_new-access"


@pytest.mark.parametrize(
    ("code", "message"), [(36004001, "rt has expired"), (36004005, "can not find related auth record")]
)
def test_dead_refresh_token_means_reauthorization(code, message):
    recorder = Recorder().reply(None, code=code, message=message)
    client = make_client(recorder, access_token="TTP_old")

    with pytest.raises(AuthExpiredError) as caught:
        client.auth.refresh("TTP_dead")

    assert caught.value.code == "reauthorization_required"
    assert caught.value.platform_code == code
    assert client.access_token == "TTP_old"


def test_refresh_network_error_stays_retryable():
    recorder = Recorder().reply_raw(503, b"")
    client = make_client(recorder)

    with pytest.raises(RetryableError):
        client.auth.refresh("TTP_r")


def test_secret_and_tokens_stay_out_of_logs_and_reprs(caplog):
    recorder = Recorder().reply(TOKEN_DATA, message="success")
    client = make_client(recorder)
    caplog.set_level(logging.DEBUG)

    tokens = client.auth.exchange_code("c")

    for secret in (APP_SECRET, "TTP_new-access", "TTP_new-refresh"):
        assert secret not in caplog.text
        assert secret not in repr(tokens)
        assert secret not in str(tokens)


def test_needs_refresh_with_margin():
    tokens = TokenSet(
        access_token="a", access_token_expires_at=1000, refresh_token="r", refresh_token_expires_at=9000
    )

    assert not tokens.needs_refresh(now=0, margin=100)
    assert tokens.needs_refresh(now=900, margin=100)
    assert tokens.needs_refresh(now=1001, margin=0)
    assert not tokens.authorization_expired(now=8999)
    assert tokens.authorization_expired(now=9000)


def test_shop_authorizations_track_the_authorization_expiry_per_shop():
    tokens = TokenSet(
        access_token="a", access_token_expires_at=1, refresh_token="r", refresh_token_expires_at=40 * 86400
    )
    shops = [
        AuthorizedShop(id="1", cipher="GCP_1", region="GB"),
        AuthorizedShop(id="2", cipher="GCP_2", region="DE"),
    ]

    result = shop_authorizations(tokens, shops)

    assert [(a.shop.id, a.expires_at) for a in result] == [("1", 40 * 86400), ("2", 40 * 86400)]
    assert not result[0].expires_within(now=0)
    assert result[0].expires_within(now=10 * 86400 + 1)
    assert isinstance(result[0], ShopAuthorization)


def test_authorize_url_without_state():
    query = parse_qs(urlsplit(authorize_url("1")).query)

    assert query == {"service_id": ["1"]}
