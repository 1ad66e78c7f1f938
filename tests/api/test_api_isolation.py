"""One merchant's token can never read another merchant's records, even by guessing ids.

Paths come from the API's own OpenAPI document, so every new route is covered automatically;
a path parameter without a sample record fails loudly.
"""

import re

import pytest

pytestmark = pytest.mark.django_db


def _get_paths():
    from shopbridge.api.main import api

    paths = api.get_openapi_schema()["paths"]
    return sorted(path for path, ops in paths.items() if "get" in ops)


ITEM_PATHS = [p for p in _get_paths() if "{" in p]
LIST_PATHS = [p for p in _get_paths() if "{" not in p]


def _fill(path: str, records: dict[str, int]) -> str:
    params = re.findall(r"{(\w+)}", path)
    missing = [p for p in params if p not in records]
    assert not missing, f"add a sample record for {missing} in tests/dashboard/conftest.py"
    return re.sub(r"{(\w+)}", lambda m: str(records[m.group(1)]), path)


def test_the_schema_lists_every_read_resource():
    assert len(ITEM_PATHS) >= 11
    assert {"/api/stores", "/api/products", "/api/orders", "/api/jobs", "/api/events"} <= set(LIST_PATHS)


@pytest.mark.parametrize("path", ITEM_PATHS)
def test_another_merchants_ids_give_404_on_every_route(
    path, client, api_token, other_api_token, tenant_records, other_tenant_records, tiktok_sandbox
):
    # tiktok_sandbox: routes that read TikTok (unlinked SKUs) answer the owner offline.
    url = _fill(path, tenant_records)

    owner = client.get(url, HTTP_AUTHORIZATION=f"Bearer {api_token[1]}")
    intruder = client.get(url, HTTP_AUTHORIZATION=f"Bearer {other_api_token[1]}")

    assert owner.status_code == 200
    assert intruder.status_code == 404
    assert intruder.json()["error"]["code"] == "not_found"
    assert "acme" not in intruder.content.decode().lower()


@pytest.mark.parametrize("path", LIST_PATHS)
def test_lists_hold_only_the_tokens_merchants_records(path, other_api, tenant_records, other_tenant_records):
    response = other_api.get(path)

    assert response.status_code == 200
    assert len(response.json()["items"]) >= 1
    assert "acme" not in response.content.decode().lower()
