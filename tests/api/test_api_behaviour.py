"""The REST API: token auth, cursor pagination, one error envelope, the OpenAPI document."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shopbridge.accounts.models import ApiToken
from shopbridge.connections.models import StoreConnection

pytestmark = pytest.mark.django_db


def _stores(merchant, n: int) -> list[int]:
    return [
        StoreConnection.objects.create(
            merchant=merchant,
            platform="shopify",
            name=f"S{i}",
            base_url=f"https://s{i}.example",
            external_id=f"s{i}",
        ).pk
        for i in range(n)
    ]


def _assert_envelope(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    assert error["message"]
    assert error["fix"]
    return error


# --- authentication ----------------------------------------------------------------------------


def test_a_valid_token_reads_and_marks_the_token_used(client, merchant, api_token):
    token, key = api_token
    _stores(merchant, 1)

    response = client.get("/api/stores", HTTP_AUTHORIZATION=f"Bearer {key}")

    assert response.status_code == 200
    assert [s["name"] for s in response.json()["items"]] == ["S0"]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=30)


def test_a_missing_token_is_refused_with_401_envelope(client, merchant):
    _stores(merchant, 1)

    response = client.get("/api/stores")

    error = _assert_envelope(response, 401, "unauthenticated")
    assert "Bearer" in error["fix"]
    assert b"S0" not in response.content


def test_a_revoked_token_is_refused_and_not_marked_used(client, api_token):
    token, key = api_token
    ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())

    response = client.get("/api/stores", HTTP_AUTHORIZATION=f"Bearer {key}")

    _assert_envelope(response, 401, "unauthenticated")
    token.refresh_from_db()
    assert token.last_used_at is None


@pytest.mark.parametrize(
    "header",
    ["Bearer sb_not-a-real-token", "Bearer ", "Basic YWNtZTpwdw==", "sb_no_scheme", "Bearer %s-tampered"],
)
def test_wrong_or_malformed_credentials_are_refused(client, api_token, header):
    _token, key = api_token

    response = client.get("/api/stores", HTTP_AUTHORIZATION=header.replace("%s", key))

    _assert_envelope(response, 401, "unauthenticated")


def test_the_secret_is_never_stored_only_its_hash(api_token):
    token, key = api_token

    assert token.key_hash == ApiToken.hash_key(key)
    assert key not in token.key_hash
    assert ApiToken.objects.filter(key_hash=key).count() == 0


# --- pagination --------------------------------------------------------------------------------


def test_cursor_pages_walk_every_item_once_newest_first(api, merchant):
    ids = _stores(merchant, 5)

    pages, cursor = [], ""
    for _ in range(10):
        body = api.get("/api/stores", {"limit": 2, "cursor": cursor}).json()
        pages.append([s["id"] for s in body["items"]])
        cursor = body["next_cursor"]
        if cursor is None:
            break

    assert pages == [ids[::-1][0:2], ids[::-1][2:4], ids[::-1][4:5]]


def test_a_page_that_fits_has_no_next_cursor(api, merchant):
    _stores(merchant, 2)

    body = api.get("/api/stores", {"limit": 2}).json()

    assert len(body["items"]) == 2
    assert body["next_cursor"] is None


def test_the_cursor_is_opaque_and_not_a_bare_id(api, merchant):
    ids = _stores(merchant, 3)

    cursor = api.get("/api/stores", {"limit": 1}).json()["next_cursor"]

    assert cursor != str(ids[-1])
    assert cursor.isascii() and "=" not in cursor


@pytest.mark.parametrize(
    "cursor", ["!!!", "bm90IGpzb24", "eyJpZCI6IC0xfQ", "W10", "eyJpZCI6IDk5OTk5OTk5OTk5OTk5OTk5OTk5OX0"]
)
def test_a_forged_cursor_is_a_400_envelope(api, merchant, cursor):
    _stores(merchant, 1)

    response = api.get("/api/stores", {"cursor": cursor})

    _assert_envelope(response, 400, "invalid_cursor")


@pytest.mark.parametrize("limit", ["0", "201", "ten"])
def test_an_out_of_range_limit_is_a_422_envelope_naming_the_field(api, limit):
    response = api.get("/api/stores", {"limit": limit})

    error = _assert_envelope(response, 422, "validation_error")
    assert any("limit" in d["loc"] for d in error["details"])


# --- error envelope ----------------------------------------------------------------------------


def test_a_missing_id_is_a_404_envelope(api):
    _assert_envelope(api.get("/api/stores/999999"), 404, "not_found")


def test_an_id_beyond_64_bits_is_a_422_not_a_crash(api):
    _assert_envelope(api.get("/api/orders/99999999999999999999999"), 422, "validation_error")


def test_an_unknown_api_path_is_a_404_envelope(api):
    _assert_envelope(api.get("/api/no-such-thing"), 404, "not_found")


def test_a_wrong_method_is_a_405_envelope_with_allow(api):
    response = api.delete("/api/stores")

    _assert_envelope(response, 405, "method_not_allowed")
    assert "GET" in response["Allow"]


def test_an_unexpected_error_is_a_500_envelope_without_internals(api, monkeypatch):
    from shopbridge.connections import selectors

    def boom(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "store_list", boom)

    response = api.get("/api/stores")

    _assert_envelope(response, 500, "internal_error")
    assert b"hunter2" not in response.content


def test_job_errors_never_expose_tracebacks(api, tenant_records):
    body = api.get(f"/api/jobs/{tenant_records['job_id']}").json()

    assert body["last_error"]["code"] == "rejected"
    assert "traceback" not in body["last_error"]


def test_responses_never_carry_credentials_or_webhook_tokens(api, merchant):
    store = StoreConnection.objects.create(
        merchant=merchant,
        platform="shopify",
        name="S",
        base_url="https://s.example",
        external_id="s",
        credentials={"access_token": "shpat_SECRET"},
    )

    body = api.get(f"/api/stores/{store.pk}").content.decode()

    assert "shpat_SECRET" not in body
    assert store.webhook_token not in body


# --- nested reads ------------------------------------------------------------------------------


def test_an_order_carries_lines_fulfilments_cancellations_and_returns(api, tenant_records):
    body = api.get(f"/api/orders/{tenant_records['order_id']}").json()

    assert body["sync_state"] == "blocked"
    assert body["blocked_fix"] == "Link the SKU"
    assert [line["seller_sku"] for line in body["lines"]] == ["ACME-HOOD-M"]
    assert [f["tracking_number"] for f in body["fulfillments"]] == ["TRK1"]
    assert [c["tiktok_cancel_id"] for c in body["cancellations"]] == ["c1"]
    assert [r["needs_action"] for r in body["returns"]] == [True]


def test_a_product_carries_its_variants_and_filters_by_listing_status(api, tenant_records):
    failed = api.get("/api/products", {"listing_status": "failed_to_sync"}).json()["items"]
    active = api.get("/api/products", {"listing_status": "active"}).json()["items"]

    assert [p["id"] for p in failed] == [tenant_records["product_id"]]
    assert [v["sku"] for v in failed[0]["variants"]] == ["ACME-HOOD-M"]
    assert active == []


# --- OpenAPI -----------------------------------------------------------------------------------


def test_the_openapi_document_is_valid_and_documents_bearer_auth_and_errors(client):
    response = client.get("/api/openapi.json")
    doc = response.json()

    assert response.status_code == 200
    try:
        from openapi_spec_validator import validate
    except ImportError:  # structural checks only
        assert doc["openapi"].startswith("3.")
        assert all(op.get("responses") for ops in doc["paths"].values() for op in ops.values())
    else:
        validate(doc)
    assert doc["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    for ops in doc["paths"].values():
        for operation in ops.values():
            assert {"401", "404", "422"} <= set(operation["responses"])


def test_the_docs_page_is_served(client):
    response = client.get("/api/docs")

    assert response.status_code == 200
    assert b"openapi.json" in response.content
    assert b"cdn" not in response.content.lower()  # self-hosted: the UI comes from our static files
