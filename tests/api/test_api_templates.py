"""REST: a channel's category templates (list, create, delete) and its unlinked TikTok SKUs; the
one error envelope; another merchant's ids are a 404 that changes nothing."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.django_db


def _post(client, path, body, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


@pytest.fixture
def unmapped_hoodie(tenant_records):
    from shopbridge.catalog.models import Product

    store_id = Product.objects.get(pk=tenant_records["product_id"]).store_id
    return Product.objects.create(
        store_id=store_id, external_id="acme-p2", title="Zip Hoodie", tags=["Winter"]
    )


BODY = {
    "name": "Winter",
    "match_field": "tag",
    "match_value": "winter",
    "category_id": "601226",
    "priority": 5,
}


def test_listing_a_channels_templates(api, tenant_records):
    response = api.get(f"/api/channels/{tenant_records['channel_id']}/templates")

    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["id"] == tenant_records["template_id"]
    assert {k: item[k] for k in ("name", "match_field", "match_value", "tiktok_category_id", "priority")} == {
        "name": "acme hoodies rule",
        "match_field": "product_type",
        "match_value": "Hoodie",
        "tiktok_category_id": "601226",
        "priority": 100,
    }
    assert response.json()["next_cursor"] is None


def test_creating_a_template_maps_the_matching_unmapped_products(api, tenant_records, unmapped_hoodie):
    from shopbridge.listings.models import CategoryMapping

    body = {**BODY, "attribute_defaults": {"100198": "Wool"}, "defaults": {"brand_id": "7"}}

    response = _post(api, f"/api/channels/{tenant_records['channel_id']}/templates", body)

    assert response.status_code == 201
    out = response.json()
    assert {k: out[k] for k in ("channel_id", "name", "match_field", "match_value", "priority")} == {
        "channel_id": tenant_records["channel_id"],
        "name": "Winter",
        "match_field": "tag",
        "match_value": "winter",
        "priority": 5,
    }
    assert (out["tiktok_category_path"], out["attribute_defaults"], out["defaults"]) == (
        "Menswear>Hoodies",
        {"100198": "Wool"},
        {"brand_id": "7"},
    )
    mapping = CategoryMapping.objects.get(product=unmapped_hoodie)
    assert (mapping.template_id, mapping.attribute_values) == (out["id"], {"100198": "Wool"})


def test_creating_with_apply_false_maps_nothing(api, tenant_records, unmapped_hoodie):
    from shopbridge.listings.models import CategoryMapping

    response = _post(api, f"/api/channels/{tenant_records['channel_id']}/templates", {**BODY, "apply": False})

    assert response.status_code == 201
    assert not CategoryMapping.objects.filter(product=unmapped_hoodie).exists()


def test_an_unknown_category_is_a_422_with_the_fix_and_creates_nothing(api, tenant_records):
    from shopbridge.listings.models import CategoryTemplate

    response = _post(
        api, f"/api/channels/{tenant_records['channel_id']}/templates", {**BODY, "category_id": "42"}
    )

    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "category_unknown",
        "message": "TikTok category 42 does not exist in the GB shop.",
        "fix": "Pick a category from the list or the suggestions.",
    }
    assert CategoryTemplate.objects.count() == 1


@pytest.mark.parametrize(
    "bad", [{"match_field": "colour"}, {"match_value": "  "}, {"category_id": "abc"}, {"priority": -1}]
)
def test_invalid_bodies_are_a_422_validation_error(api, tenant_records, bad):
    from shopbridge.listings.models import CategoryTemplate

    response = _post(api, f"/api/channels/{tenant_records['channel_id']}/templates", {**BODY, **bad})

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
    assert CategoryTemplate.objects.count() == 1


def test_deleting_a_template_keeps_its_mappings(api, tenant_records):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    CategoryMapping.objects.filter(pk=tenant_records["mapping_id"]).update(
        template_id=tenant_records["template_id"]
    )

    response = api.delete(f"/api/templates/{tenant_records['template_id']}")

    assert response.status_code == 204
    assert not CategoryTemplate.objects.filter(pk=tenant_records["template_id"]).exists()
    assert CategoryMapping.objects.get(pk=tenant_records["mapping_id"]).tiktok_category_id == "601226"


def test_another_merchant_gets_404_on_templates_and_changes_nothing(
    other_api, tenant_records, other_tenant_records, unmapped_hoodie
):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    channel_id = tenant_records["channel_id"]
    before = (CategoryTemplate.objects.count(), CategoryMapping.objects.count())

    responses = [
        other_api.get(f"/api/channels/{channel_id}/templates"),
        _post(other_api, f"/api/channels/{channel_id}/templates", BODY),
        other_api.delete(f"/api/templates/{tenant_records['template_id']}"),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert {r.json()["error"]["code"] for r in responses} == {"not_found"}
    assert (CategoryTemplate.objects.count(), CategoryMapping.objects.count()) == before


def test_unlinked_skus_come_with_the_matching_store_variant(api, tenant_records, add_tiktok_product):
    tiktok_id = add_tiktok_product("Hoodie on TikTok", {"1001": "ACME-HOOD-M", "1002": "NOPE-1"})

    response = api.get(f"/api/channels/{tenant_records['channel_id']}/unlinked-skus")

    assert response.status_code == 200
    assert sorted(response.json()["items"], key=lambda i: i["tiktok_sku_id"]) == [
        {
            "tiktok_product_id": tiktok_id,
            "tiktok_sku_id": "1001",
            "seller_sku": "ACME-HOOD-M",
            "product_title": "Hoodie on TikTok",
            "tiktok_status": "ACTIVATE",
            "suggested_variant_id": tenant_records["variant_id"],
            "suggested_product_id": tenant_records["product_id"],
        },
        {
            "tiktok_product_id": tiktok_id,
            "tiktok_sku_id": "1002",
            "seller_sku": "NOPE-1",
            "product_title": "Hoodie on TikTok",
            "tiktok_status": "ACTIVATE",
            "suggested_variant_id": None,
            "suggested_product_id": None,
        },
    ]


def test_tiktok_failing_is_a_424_with_the_fix(api, tenant_records, tiktok_sandbox):
    tiktok_sandbox.faults.set("*", error_5xx_rate=1.0)

    response = api.get(f"/api/channels/{tenant_records['channel_id']}/unlinked-skus")

    assert response.status_code == 424
    assert response.json()["error"] == {
        "code": "platform_unavailable",
        "message": "Internal error. Please try again. If the issue persists after multiple attempts, "
        "please contact platform support.",
        "fix": "Retry in a minute.",
    }


def test_another_merchant_gets_404_on_unlinked_skus_without_calling_tiktok(
    other_api, tenant_records, other_tenant_records, tiktok_sandbox
):
    response = other_api.get(f"/api/channels/{tenant_records['channel_id']}/unlinked-skus")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert tiktok_sandbox.request_log == []
