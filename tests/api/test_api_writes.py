"""API writes: each calls its service, answers the one error envelope, and stays merchant-scoped."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.django_db


def _write_paths():
    from shopbridge.api.main import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(
        (path, method) for path, ops in paths.items() for method in ops if method != "get" and "{" in path
    )


WRITE_ITEM_PATHS = _write_paths()


def _post(client, path, body=None, method="post", **headers):
    return getattr(client, method)(
        path, data=json.dumps(body or {}), content_type="application/json", **headers
    )


@pytest.mark.parametrize(("path", "method"), WRITE_ITEM_PATHS)
def test_another_merchants_ids_give_404_on_every_write_and_change_nothing(
    path, method, client, other_api_token, tenant_records, other_tenant_records
):
    from shopbridge.sync.models import SyncJob

    url = re.sub(r"{(\w+)}", lambda m: str(tenant_records[m.group(1)]), path)
    jobs = SyncJob.objects.count()

    response = _post(
        client,
        url,
        # A body valid for every item write (schemas ignore the keys they do not know), so only
        # the id in the path can be refused.
        {
            "full": True,
            "rate": "1.1",
            "name": "x",
            "match_field": "tag",
            "match_value": "x",
            "category_id": "601226",
        },
        method=method,
        HTTP_AUTHORIZATION=f"Bearer {other_api_token[1]}",
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert SyncJob.objects.count() == jobs


def test_writes_need_a_token(client, tenant_records):
    response = _post(client, f"/api/orders/{tenant_records['order_id']}/resync")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_remapping_a_synced_product_is_a_409_and_keeps_its_category(api, tenant_records):
    from shopbridge.listings.models import CategoryMapping, Listing

    Listing.objects.filter(pk=tenant_records["listing_id"]).update(tiktok_product_id="1729")
    body = {
        "channel_id": tenant_records["channel_id"],
        "product_ids": [tenant_records["product_id"]],
        "category_id": "601227",
    }

    response = _post(api, "/api/category-mappings", body)

    assert response.status_code == 409 or response.status_code == 422
    assert CategoryMapping.objects.get(pk=tenant_records["mapping_id"]).tiktok_category_id == "601226"


def test_removing_a_locked_mapping_is_a_409_with_the_fix(api, tenant_records):
    from shopbridge.listings.models import CategoryMapping, Listing

    Listing.objects.filter(pk=tenant_records["listing_id"]).update(tiktok_product_id="1729")

    response = api.delete(f"/api/category-mappings/{tenant_records['mapping_id']}")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "mapping_locked" and "Seller Center" in error["fix"]
    assert CategoryMapping.objects.filter(pk=tenant_records["mapping_id"]).exists()


def test_a_sync_request_queues_the_listing(api, tenant_records):
    from shopbridge.sync.models import SyncJob

    body = {"channel_id": tenant_records["channel_id"], "product_ids": [tenant_records["product_id"]]}
    response = _post(api, "/api/listings/sync-requests", body)

    assert response.status_code == 202
    assert [item["status"] for item in response.json()] == ["queued"]
    assert SyncJob.objects.filter(kind="listing.push", state="pending").count() == 1


def test_a_sync_request_for_an_unknown_product_is_a_404_and_queues_nothing(api, tenant_records):
    from shopbridge.sync.models import SyncJob

    body = {"channel_id": tenant_records["channel_id"], "product_ids": [tenant_records["product_id"], 999999]}
    response = _post(api, "/api/listings/sync-requests", body)

    assert response.status_code == 404
    assert SyncJob.objects.filter(state="pending").count() == 0


def test_retrying_a_failed_job_and_refusing_to_retry_a_pending_one(api, tenant_records):
    first = _post(api, f"/api/jobs/{tenant_records['job_id']}/retry")
    second = _post(api, f"/api/jobs/{tenant_records['job_id']}/retry")

    assert first.status_code == 202 and first.json()["state"] == "pending"
    assert second.status_code == 409 and second.json()["error"]["code"] == "not_failed"


def test_resync_and_replay_queue_their_jobs(api, tenant_records):
    from shopbridge.sync.models import SyncJob

    assert _post(api, f"/api/orders/{tenant_records['order_id']}/resync").status_code == 202
    assert _post(api, f"/api/events/{tenant_records['event_id']}/replay").status_code == 202

    assert sorted(SyncJob.objects.filter(state="pending").values_list("kind", flat=True)) == [
        "event.handle",
        "order.import",
    ]


def test_invalid_channel_settings_are_a_422_per_field_and_nothing_is_saved(api, tenant_records):
    from shopbridge.connections.models import Channel

    before = Channel.objects.get(pk=tenant_records["channel_id"]).settings
    response = _post(
        api,
        f"/api/channels/{tenant_records['channel_id']}/settings",
        {"price_rule": {"adjustment": "double"}, "orders": {"colour": "red"}},
        method="patch",
    )

    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == ["price_rule", "orders"]
    assert Channel.objects.get(pk=tenant_records["channel_id"]).settings == before


def test_valid_channel_settings_are_saved(api, tenant_records):
    response = _post(
        api,
        f"/api/channels/{tenant_records['channel_id']}/settings",
        {"price_rule": {"adjustment": "percent", "amount": "5"}, "keep_details_in_sync": True},
        method="patch",
    )

    assert response.status_code == 200
    from shopbridge.connections.models import Channel

    channel = Channel.objects.get(pk=tenant_records["channel_id"])
    assert channel.settings["price_rule"] == {"adjustment": "percent", "amount": "5"}
    assert channel.keep_details_in_sync is True


def test_connecting_a_store_that_is_down_is_a_424_with_the_platforms_reason(api):
    import httpx

    from shopbridge.connections.models import StoreConnection
    from shopbridge.sync.clients import mount_transport

    mount_transport("https://down.myshopify.com", httpx.MockTransport(lambda r: httpx.Response(503)))
    try:
        response = _post(
            api,
            "/api/stores",
            {
                "platform": "shopify",
                "base_url": "https://down.myshopify.com",
                "external_id": "down.myshopify.com",
                "shopify": {"access_token": "shpat_x", "api_secret": "s"},
                "start_import": False,
            },
        )
    finally:
        mount_transport("https://down.myshopify.com", None)

    assert response.status_code == 424
    assert set(response.json()["error"]) >= {"code", "message", "fix"}
    assert StoreConnection.objects.get(external_id="down.myshopify.com").status == "error"
