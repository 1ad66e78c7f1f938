"""TikTok SKUs no store variant is linked to: loaded on demand from TikTok (the emulator), linked
to the store variant with exactly their seller SKU; TikTok failing is shown with the fix."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def on_tiktok(add_tiktok_product):
    """A TikTok product with the tenant variant's SKU and a SKU no store variant has."""
    return add_tiktok_product("Hoodie on TikTok", {"1001": "ACME-HOOD-M", "1002": "NOPE-1"})


def _link_body(tenant_records, tiktok_product_id, **overrides) -> dict:
    return {
        "variant": tenant_records["variant_id"],
        "seller_sku": "ACME-HOOD-M",
        "tiktok_product_id": tiktok_product_id,
        "tiktok_sku_id": "1001",
        "tiktok_status": "ACTIVATE",
        **overrides,
    }


def test_the_channel_page_loads_the_list_on_demand_only(merchant_client, tenant_records, tiktok_sandbox):
    url = reverse("dashboard:channel_unlinked", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(
        reverse("dashboard:channel", kwargs={"channel_id": tenant_records["channel_id"]})
    )

    assert f'hx-get="{url}"' in response.content.decode()
    assert f'href="{url}"' in response.content.decode()  # works without JS too
    assert tiktok_sandbox.request_log == []


def test_the_fragment_lists_unlinked_skus_with_a_link_to_the_matching_variant(
    merchant_client, tenant_records, on_tiktok
):
    url = reverse("dashboard:channel_unlinked", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(url, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    rows = {r["sku"].seller_sku: r for r in response.context["rows"]}
    assert set(rows) == {"ACME-HOOD-M", "NOPE-1"}
    assert rows["ACME-HOOD-M"]["variant"].pk == tenant_records["variant_id"]
    assert rows["NOPE-1"]["variant"] is None
    assert body.count("Link to this variant") == 1
    assert f'name="variant" value="{tenant_records["variant_id"]}"' in body
    assert "None with exactly this SKU" in body


def test_without_js_the_list_is_a_page_with_the_autolink_button(merchant_client, tenant_records, on_tiktok):
    url = reverse("dashboard:channel_unlinked", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(url)

    body = response.content.decode()
    assert "<html" in body
    assert reverse("dashboard:channel_autolink", kwargs={"channel_id": tenant_records["channel_id"]}) in body
    assert "ACME-HOOD-M" in body


def test_tiktok_failing_is_shown_with_its_fix(merchant_client, tenant_records, tiktok_sandbox):
    tiktok_sandbox.faults.set("*", error_5xx_rate=1.0)
    url = reverse("dashboard:channel_unlinked", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(url, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["error"].code == "platform_unavailable"
    assert (
        "TikTok did not answer the product list: Internal error. Please try again. If the issue persists "
        "after multiple attempts, please contact platform support." in body
    )
    assert (
        '<div class="fix">Try again in a minute; if TikTok keeps failing, check the shop&#x27;s connection '
        "on its page.</div>" in body
    )
    assert response.context["rows"] == []


def test_an_expired_authorisation_is_shown_with_the_reconnect_fix(
    merchant_client, tenant_records, tiktok_sandbox
):
    from shopbridge.connections.models import ShopConnection

    shop = ShopConnection.objects.get(pk=tenant_records["shop_id"])
    shop.credentials = {**shop.credentials, "access_token": "revoked-token"}
    shop.save()
    url = reverse("dashboard:channel_unlinked", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(url, HTTP_HX_REQUEST="true")

    from django.utils.html import escape

    error = response.context["error"]
    body = response.content.decode()
    assert response.status_code == 200
    assert (error.code, error.reason) == (
        "auth_expired",
        "Invalid credentials. The 'x-tts-access-token' header is invalid.",
    )
    assert f"TikTok did not answer the product list: {escape(error.reason)}" in body
    assert f'<div class="fix">{escape(error.fix)}</div>' in body
    assert "Reconnect" in error.fix or "reauthori" in error.fix.lower()


def test_linking_binds_the_variant_to_the_tiktok_sku(merchant_client, tenant_records, on_tiktok):
    from shopbridge.listings.models import Listing, ListingSku

    url = reverse("dashboard:unlinked_link", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, _link_body(tenant_records, on_tiktok), follow=True)

    listing = Listing.objects.get(pk=tenant_records["listing_id"])
    assert (listing.tiktok_product_id, listing.status) == (on_tiktok, "active")
    sku = ListingSku.objects.get(listing=listing, variant_id=tenant_records["variant_id"])
    assert (sku.tiktok_sku_id, sku.linked_manually) == ("1001", True)
    assert _messages(response) == [f"TikTok SKU ACME-HOOD-M linked to “acme Hoodie” ({on_tiktok})."]
    assert [r["sku"].seller_sku for r in response.context["rows"]] == ["NOPE-1"]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"seller_sku": "NOPE-1"},
            "The store variant's SKU (ACME-HOOD-M) is not the TikTok SKU's seller SKU.",
        ),
        ({"tiktok_sku_id": "12a"}, "The TikTok product and SKU ids must be numbers."),
        ({"variant": "999999"}, "No variant of the channel's store was chosen."),
    ],
)
def test_invalid_links_are_refused_and_link_nothing(
    merchant_client, tenant_records, on_tiktok, overrides, message
):
    from shopbridge.listings.models import Listing, ListingSku

    url = reverse("dashboard:unlinked_link", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, _link_body(tenant_records, on_tiktok, **overrides), follow=True)

    assert _messages(response) == [message]
    assert Listing.objects.get(pk=tenant_records["listing_id"]).tiktok_product_id is None
    assert not ListingSku.objects.filter(tiktok_sku_id__isnull=False).exists()


def test_a_product_linked_to_another_tiktok_product_is_not_rebound(
    merchant_client, tenant_records, on_tiktok
):
    from shopbridge.listings.models import Listing

    Listing.objects.filter(pk=tenant_records["listing_id"]).update(tiktok_product_id="1729")
    url = reverse("dashboard:unlinked_link", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, _link_body(tenant_records, on_tiktok), follow=True)

    assert _messages(response) == ["“acme Hoodie” is already linked to TikTok product 1729."]
    assert Listing.objects.get(pk=tenant_records["listing_id"]).tiktok_product_id == "1729"
    row = next(r for r in response.context["rows"] if r["sku"].seller_sku == "ACME-HOOD-M")
    assert row["blocked"] == "“acme Hoodie” is linked to TikTok product 1729; unlink it first."


def test_another_merchant_gets_404_and_tiktok_is_not_called(
    other_client, tenant_records, other_tenant_records, on_tiktok, tiktok_sandbox
):
    from shopbridge.listings.models import Listing

    channel_id = tenant_records["channel_id"]

    page = other_client.get(reverse("dashboard:channel_unlinked", kwargs={"channel_id": channel_id}))
    link = other_client.post(
        reverse("dashboard:unlinked_link", kwargs={"channel_id": channel_id}),
        _link_body(tenant_records, on_tiktok),
    )

    assert (page.status_code, link.status_code) == (404, 404)
    assert Listing.objects.get(pk=tenant_records["listing_id"]).tiktok_product_id is None
    assert tiktok_sandbox.request_log == []
