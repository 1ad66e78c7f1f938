"""The §15.1 request pipeline, the envelope, rate limits, faults and the auth host."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from tiktok_emulator_helpers import TikTokClient

from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator


def test_envelope_and_request_id_format(client: TikTokClient) -> None:
    payload = client.call("GET", "/seller/202309/shops").json()
    assert set(payload) == {"code", "message", "request_id", "data"}
    assert payload["message"] == "Success"
    # §15.2: UTC YYYYMMDDhhmmss + upper-case hex; the frozen clock is 2025-06-15 15:06:40 UTC
    assert re.fullmatch(r"20250615150640[0-9A-F]{20}", payload["request_id"])


def test_unknown_path_method_and_version(client: TikTokClient, gb: dict[str, Any]) -> None:
    missing = client.call("GET", "/product/202309/nothing_here", shop_cipher=gb["shop_cipher"])
    assert (missing.status_code, missing.json()["code"]) == (404, 36009009)
    wrong_method = client.call("PATCH", "/product/202309/products", shop_cipher=gb["shop_cipher"])
    assert (wrong_method.status_code, wrong_method.json()["code"]) == (405, 36009010)
    bad_version = client.call("GET", "/logistics/202201/warehouses", shop_cipher=gb["shop_cipher"])
    assert bad_version.json() | {"request_id": ""} == {
        "code": 36009014,
        "data": None,
        "message": "The version name is invalid, please check and retry.",
        "request_id": "",
    }


def test_all_documented_versions_are_served(client: TikTokClient, gb: dict[str, Any]) -> None:
    for version in ("202309", "202312", "202502"):
        data = client.ok(
            "POST",
            f"/product/{version}/products/search",
            shop_cipher=gb["shop_cipher"],
            query={"page_size": "10"},
            body={},
        )
        assert data["total_count"] == 0
    for version in ("202309", "202507"):
        assert client.ok(
            "GET", f"/order/{version}/orders", shop_cipher=gb["shop_cipher"], query={"ids": "1"}
        ) == {"orders": []}


def test_unknown_app_key(client: TikTokClient) -> None:
    client.app_key = "nope"
    assert client.call("GET", "/seller/202309/shops").json()["code"] == 36009004


def test_missing_or_unknown_token(client: TikTokClient) -> None:
    response = client.call("GET", "/seller/202309/shops", access_token="ROW_unknown")
    assert (response.status_code, response.json()["code"]) == (401, 36009004)
    assert "x-tts-access-token" in response.json()["message"]


def test_expired_token_is_105002_and_refresh_restores_access(
    client: TikTokClient, gb: dict[str, Any]
) -> None:
    # given an expired access token
    client.control("expire_token", {"shop_id": gb["shop_id"]})
    response = client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])
    assert (response.status_code, response.json()["code"]) == (401, 105002)
    # when the client refreshes on the auth host (§2.2: secret in the query, no signature)
    refreshed = client.http.get(
        "/api/v2/token/refresh",
        params={
            "app_key": client.app_key,
            "app_secret": client.app_secret,
            "refresh_token": gb["refresh_token"],
            "grant_type": "refresh_token",
        },
    ).json()
    # then the new token works and the old refresh token no longer does
    assert refreshed["code"] == 0 and refreshed["message"] == "success"
    assert refreshed["data"]["access_token_expire_in"] == client.emulator.clock.now_int() + 7 * 24 * 3600
    assert refreshed["data"]["refresh_token"] != gb["refresh_token"]
    client.access_token = refreshed["data"]["access_token"]
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).json()["code"] == 0
    )
    again = client.http.get(
        "/api/v2/token/refresh",
        params={
            "app_key": client.app_key,
            "app_secret": client.app_secret,
            "refresh_token": gb["refresh_token"],
            "grant_type": "refresh_token",
        },
    ).json()
    assert again["code"] == 36004005


def test_shop_cipher_rules(client: TikTokClient, gb: dict[str, Any], manifest: dict[str, Any]) -> None:
    missing = client.call("GET", "/logistics/202309/warehouses")
    assert missing.json()["code"] == 106013
    unexpected = client.call("GET", "/seller/202309/shops", shop_cipher=gb["shop_cipher"])
    assert unexpected.json()["code"] == 36009004 and "Unexpected identifier" in unexpected.json()["message"]
    unknown = client.call("GET", "/logistics/202309/warehouses", shop_cipher="ROW_doesnotexist")
    assert unknown.json()["code"] == 36009004
    # the Indonesian shop belongs to another seller: the GB seller's token is not linked to it
    other = next(s for s in manifest["shops"] if s["region"] == "ID")
    foreign = client.call("GET", "/logistics/202309/warehouses", shop_cipher=other["shop_cipher"])
    assert (foreign.status_code, foreign.json()["code"]) == (401, 101000)


def test_missing_scope_is_105005(client: TikTokClient, gb: dict[str, Any]) -> None:
    client.emulator.world.apps[client.app_key].scopes.discard("Order Information")
    response = client.call(
        "POST",
        "/order/202309/orders/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "10"},
        body={},
    )
    assert response.json()["code"] == 105005
    assert response.json()["message"] == "you should apply auth pkg for this api"
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).json()["code"] == 0
    )


def test_51st_request_in_the_same_second_is_rate_limited(
    client: TikTokClient, gb: dict[str, Any], us: dict[str, Any]
) -> None:
    # given 50 calls to one API for one shop within the same (frozen) second
    codes = [
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).json()["code"]
        for _ in range(50)
    ]
    assert set(codes) == {0}
    # when the 51st arrives
    limited = client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])
    # then 429 / 36009002, while another API and another shop are unaffected (§5.4 per app, shop and API)
    assert (limited.status_code, limited.json()["code"]) == (429, 36009002)
    assert (
        client.call(
            "GET", f"/logistics/202309/warehouses/{'0'}/delivery_options", shop_cipher=gb["shop_cipher"]
        ).status_code
        == 200
    )
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=us["shop_cipher"]).json()["code"] == 0
    )
    # and one second later the bucket has refilled
    client.emulator.clock.advance(1)
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).json()["code"] == 0
    )


def test_rate_limit_is_configurable(client: TikTokClient, gb: dict[str, Any]) -> None:
    client.control("set_rate_limit", {"qps": 2})
    codes = [
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).status_code
        for _ in range(3)
    ]
    assert codes == [200, 200, 429]


def test_injected_faults_use_tiktok_bodies(client: TikTokClient, gb: dict[str, Any]) -> None:
    client.control("faults", {"tenant": gb["shop_id"], "fail_next": [500, 429]})
    first = client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])
    second = client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])
    third = client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"])
    assert (first.status_code, first.json()["code"]) == (500, 36009003)
    assert (second.status_code, second.json()["code"]) == (429, 36009002)
    assert third.json()["code"] == 0


def test_authorize_page_and_token_exchange(emulator: TikTokShopEmulator, client: TikTokClient) -> None:
    # given the sandbox authorize page
    service_id = client.control("state")["apps"][0]["service_id"]
    redirect = client.http.get(
        "/open/authorize",
        params={"service_id": service_id, "state": "csrf123", "redirect_uri": "https://app.example/cb"},
    )
    # then it redirects straight back with code and state
    assert redirect.status_code == 302
    location = urlparse(redirect.headers["location"])
    params = parse_qs(location.query)
    assert (location.netloc, location.path, params["state"]) == ("app.example", "/cb", ["csrf123"])
    # when the code is exchanged
    exchange = {
        "app_key": client.app_key,
        "app_secret": client.app_secret,
        "auth_code": params["code"][0],
        "grant_type": "authorized_code",
    }
    token = client.http.get("/api/v2/token/get", params=exchange).json()
    assert token["code"] == 0
    assert set(token["data"]) == {
        "access_token",
        "access_token_expire_in",
        "refresh_token",
        "refresh_token_expire_in",
        "open_id",
        "seller_name",
        "seller_base_region",
        "user_type",
        "granted_scopes",
    }
    assert token["data"]["seller_base_region"] == "GB"
    # then the code is single-use
    assert client.http.get("/api/v2/token/get", params=exchange).json()["code"] == 36004004
    # and the new token calls the API
    client.access_token = token["data"]["access_token"]
    assert client.call("GET", "/authorization/202309/shops").json()["code"] == 0


def test_expired_auth_code_is_rejected(emulator: TikTokShopEmulator, client: TikTokClient) -> None:
    redirect = client.http.get("/oauth/authorize", params={"app_key": client.app_key})
    code = parse_qs(urlparse(redirect.headers["location"]).query)["code"][0]
    emulator.clock.advance(1801)
    token = client.http.get(
        "/api/v2/token/get",
        params={
            "app_key": client.app_key,
            "app_secret": client.app_secret,
            "auth_code": code,
            "grant_type": "authorized_code",
        },
    )
    assert token.json()["code"] == 36004004


def test_deauthorized_shop_refuses_calls_and_notifies(
    client: TikTokClient, gb: dict[str, Any], us: dict[str, Any], webhook_receiver: Any, received: list[Any]
) -> None:
    client.control(
        "subscribe_webhook",
        {
            "shop_id": gb["shop_id"],
            "event_type": "SELLER_DEAUTHORIZATION",
            "address": "https://hooks.example/tt",
        },
    )
    client.control("deauthorize", {"shop_id": gb["shop_id"]})
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=gb["shop_cipher"]).json()["code"]
        == 101000
    )
    assert (
        client.call("GET", "/logistics/202309/warehouses", shop_cipher=us["shop_cipher"]).json()["code"] == 0
    )
    assert len(received) == 1
    assert received[0].read().startswith(b'{"type":6,')
