"""One merchant can never see another's records in the dashboard, even by guessing ids.

Routes are read from the URL resolver, so a new dashboard page is covered without editing
this file; a route whose id parameter has no sample record fails loudly.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db


def _dashboard_routes(patterns=None, namespace: str = ""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _dashboard_routes(p.url_patterns, p.namespace or namespace)
        elif isinstance(p, URLPattern) and p.name and namespace == "dashboard":
            yield (
                f"dashboard:{p.name}",
                list(p.pattern.converters),
                getattr(p.callback, "dashboard_action", False),
            )


ROUTES = sorted(set((name, tuple(params), action) for name, params, action in _dashboard_routes()))
ID_ROUTES = [(name, params) for name, params, action in ROUTES if params and not action]
# POST-only actions: an intruder's POST must be a 404 that changes nothing.
ID_ACTIONS = [(name, params) for name, params, action in ROUTES if params and action]
# The OAuth callback only redirects (it needs TikTok's code and our state): see test_dashboard_actions.
NOT_PAGES = ("dashboard:login", "dashboard:logout", "dashboard:tiktok_callback")
LIST_ROUTES = [name for name, params, action in ROUTES if not params and not action and name not in NOT_PAGES]


def test_the_resolver_yields_the_dashboard_routes():
    names = {name for name, _, _ in ROUTES}
    assert {"dashboard:home", "dashboard:product", "dashboard:order", "dashboard:channel"} <= names
    assert len(ID_ROUTES) >= 8
    assert {"dashboard:order_resync", "dashboard:job_retry", "dashboard:listing_unlink"} <= {
        n for n, _ in ID_ACTIONS
    }


@pytest.mark.parametrize(("name", "params"), ID_ROUTES)
def test_another_merchants_ids_give_404_on_every_page(
    name, params, client, tenant_records, other_tenant_records, tiktok_sandbox
):
    # tiktok_sandbox: pages that read TikTok on demand (unlinked SKUs) answer the owner offline.
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    missing = [p for p in params if p not in tenant_records]
    assert not missing, f"add a sample record for {missing} in tests/dashboard/conftest.py"
    url = reverse(name, kwargs={p: tenant_records[p] for p in params})
    User = get_user_model()

    client.force_login(User.objects.get(username="acme"), backend="django.contrib.auth.backends.ModelBackend")
    owner_status = client.get(url).status_code
    client.force_login(
        User.objects.get(username="globex"), backend="django.contrib.auth.backends.ModelBackend"
    )
    intruder = client.get(url)

    assert owner_status == 200
    assert intruder.status_code == 404
    assert b"acme" not in intruder.content.lower()


@pytest.mark.parametrize("name", LIST_ROUTES)
def test_list_pages_show_only_the_signed_in_merchants_records(
    name, other_client, tenant_records, other_tenant_records
):
    from django.urls import reverse

    response = other_client.get(reverse(name))

    assert response.status_code == 200
    assert b"acme" not in response.content.lower()


@pytest.mark.parametrize(("name", "params"), ID_ACTIONS)
def test_another_merchants_ids_give_404_on_every_action_and_change_nothing(
    name, params, other_client, tenant_records, other_tenant_records
):
    from django.urls import reverse

    from shopbridge.sync.models import SyncJob

    missing = [p for p in params if p not in tenant_records]
    assert not missing, f"add a sample record for {missing} in tests/dashboard/conftest.py"
    url = reverse(name, kwargs={p: tenant_records[p] for p in params})
    jobs_before = SyncJob.objects.count()

    # Also names the intruder's own channel, so only the id in the path can be refused.
    response = other_client.post(
        url, {"channel": other_tenant_records["channel_id"], "category_id": "601226"}
    )

    assert response.status_code == 404
    assert b"acme" not in response.content.lower()
    assert SyncJob.objects.count() == jobs_before
