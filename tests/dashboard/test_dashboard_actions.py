"""Dashboard actions a merchant takes: each calls its service, says what happened (or why not and
the fix), and changes nothing it should not. Platform round-trips are covered by tests/browser."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_posts_without_a_csrf_token_are_refused(tenant_records, merchant):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from shopbridge.sync.models import SyncJob

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        get_user_model().objects.get(username="acme"), backend="django.contrib.auth.backends.ModelBackend"
    )
    before = SyncJob.objects.count()

    response = browser.post(
        reverse("dashboard:order_resync", kwargs={"order_id": tenant_records["order_id"]})
    )

    assert response.status_code == 403
    assert SyncJob.objects.count() == before


def test_actions_refuse_get(merchant_client, tenant_records):
    response = merchant_client.get(
        reverse("dashboard:order_resync", kwargs={"order_id": tenant_records["order_id"]})
    )

    assert response.status_code == 405


def test_resyncing_a_blocked_order_queues_one_import_of_that_order(merchant_client, tenant_records):
    from shopbridge.sync.models import SyncJob

    url = reverse("dashboard:order_resync", kwargs={"order_id": tenant_records["order_id"]})
    response = merchant_client.post(url, follow=True)

    jobs = SyncJob.objects.filter(kind="order.import")
    assert [j.payload.get("tiktok_order_id") for j in jobs] == [
        f"5790{response.context['order'].channel.merchant_id}"
    ]
    assert any("being synced again" in m for m in _messages(response))


def test_retrying_a_failed_job_makes_it_pending_again(merchant_client, tenant_records):
    from shopbridge.sync.models import SyncJob

    response = merchant_client.post(
        reverse("dashboard:job_retry", kwargs={"job_id": tenant_records["job_id"]}), follow=True
    )

    job = SyncJob.objects.get(pk=tenant_records["job_id"])
    assert (job.state, job.attempts) == ("pending", 0)
    assert any("will run again" in m for m in _messages(response))


def test_retrying_a_job_that_is_not_failed_says_so_and_changes_nothing(merchant_client, tenant_records):
    from shopbridge.sync.models import SyncJob

    SyncJob.objects.filter(pk=tenant_records["job_id"]).update(state="done")

    response = merchant_client.post(
        reverse("dashboard:job_retry", kwargs={"job_id": tenant_records["job_id"]}), follow=True
    )

    assert SyncJob.objects.get(pk=tenant_records["job_id"]).state == "done"
    assert any("nothing to retry" in m for m in _messages(response))


def test_replaying_an_event_queues_its_handling_again(merchant_client, tenant_records):
    from shopbridge.sync.models import SyncJob
    from shopbridge.webhooks.models import InboundEvent

    InboundEvent.objects.filter(pk=tenant_records["event_id"]).update(state="failed")

    merchant_client.post(reverse("dashboard:event_replay", kwargs={"event_id": tenant_records["event_id"]}))

    assert InboundEvent.objects.get(pk=tenant_records["event_id"]).state == "received"
    assert SyncJob.objects.filter(kind="event.handle", key=f"event:{tenant_records['event_id']}").count() == 1


def test_removing_the_mapping_of_a_synced_product_is_refused_with_the_lock_message(
    merchant_client, tenant_records
):
    from shopbridge.listings.models import CategoryMapping, Listing

    Listing.objects.filter(pk=tenant_records["listing_id"]).update(tiktok_product_id="1729", status="active")
    url = reverse("dashboard:mapping_remove", kwargs={"product_id": tenant_records["product_id"]})

    response = merchant_client.post(url, {"channel": tenant_records["channel_id"]}, follow=True)

    assert CategoryMapping.objects.filter(pk=tenant_records["mapping_id"]).exists()
    assert any("category is locked" in m for m in _messages(response))
    assert "Change it in TikTok Seller Center" in response.content.decode()


def test_removing_an_unsynced_mapping_deletes_it(merchant_client, tenant_records):
    from shopbridge.listings.models import CategoryMapping, Listing

    Listing.objects.filter(pk=tenant_records["listing_id"]).update(status="not_synced")
    url = reverse("dashboard:mapping_remove", kwargs={"product_id": tenant_records["product_id"]})

    merchant_client.post(url, {"channel": tenant_records["channel_id"]})

    assert not CategoryMapping.objects.filter(pk=tenant_records["mapping_id"]).exists()


def test_mapping_to_a_category_that_is_not_a_leaf_shows_the_reason_and_keeps_the_old_one(
    merchant_client, tenant_records
):
    from shopbridge.listings.models import CategoryMapping, TikTokCategory

    shop_id = CategoryMapping.objects.get(pk=tenant_records["mapping_id"]).channel.shop_id
    TikTokCategory.objects.create(shop_id=shop_id, category_id="600001", name="Menswear", path="Menswear")
    url = reverse("dashboard:mapping_set", kwargs={"product_id": tenant_records["product_id"]})

    response = merchant_client.post(
        url, {"channel": tenant_records["channel_id"], "category_id_manual": "600001"}, follow=True
    )

    assert CategoryMapping.objects.get(pk=tenant_records["mapping_id"]).tiktok_category_id == "601226"
    assert any("not a leaf category" in m for m in _messages(response))


def test_bulk_sync_queues_the_selected_products_only(merchant_client, tenant_records):
    from shopbridge.listings.models import Listing
    from shopbridge.sync.models import SyncJob

    response = merchant_client.post(
        reverse("dashboard:catalogue_bulk"),
        {
            "channel": tenant_records["channel_id"],
            "product": [tenant_records["product_id"]],
            "action": "sync",
        },
        follow=True,
    )

    assert Listing.objects.get(pk=tenant_records["listing_id"]).status == "queued"
    assert list(
        SyncJob.objects.filter(kind="listing.push", state="pending").values_list("key", flat=True)
    ) == [f"listing:{tenant_records['listing_id']}"]
    assert any("queued for syncing" in m for m in _messages(response))


def test_preview_shows_field_errors_with_their_fixes_and_writes_nothing(merchant_client, tenant_records):
    from shopbridge.listings.models import Listing
    from shopbridge.sync.models import OutboundCall

    calls = OutboundCall.objects.count()
    response = merchant_client.get(
        reverse("dashboard:listing_preview", kwargs={"listing_id": tenant_records["listing_id"]})
    )

    assert response.status_code == 200
    assert response.context["errors"] and all(e["fix"] for e in response.context["errors"])
    assert OutboundCall.objects.count() == calls
    assert Listing.objects.get(pk=tenant_records["listing_id"]).status == "failed_to_sync"


def test_channel_settings_are_saved_in_the_shape_the_sync_reads(merchant_client, tenant_records):
    from shopbridge.connections.models import Channel
    from shopbridge.listings.rules import listing_settings

    form = {
        "product_sync_enabled": "on",
        "order_sync_enabled": "on",
        "keep_details_in_sync": "on",
        "order_hold": "wait_hold",
        "price_source": "price",
        "price_adjustment": "percent",
        "price_amount": "10",
        "price_rounding": "to_99",
        "stock_percentage": "80",
        "stock_threshold": "2",
        "stock_cap": "50",
        "package_weight_unit": "kg",
        "package_dimension_unit": "cm",
        "order_numbering": "tiktok",
        "order_prefix": "TT-",
        "order_tag": "TikTok",
        "fulfilment_hold": "hold",
        "sync_samples": "on",
        "carrier_mapping": "Royal Mail Tracked 48 = 6617675021119438849",
        "default_provider_id": "",
    }

    response = merchant_client.post(
        reverse("dashboard:channel_settings", kwargs={"channel_id": tenant_records["channel_id"]}), form
    )

    assert response.status_code == 302
    channel = Channel.objects.get(pk=tenant_records["channel_id"])
    assert channel.keep_details_in_sync is True and channel.order_hold == "wait_hold"
    assert channel.settings["carriers"] == {
        "mapping": {"Royal Mail Tracked 48": "6617675021119438849"},
        "default_provider_id": None,
    }
    assert channel.settings["orders"]["numbering"] == "tiktok"
    rules = listing_settings(channel)
    assert (str(rules.price_rule.amount), rules.price_rule.rounding.value) == ("10", "to_99")
    assert (rules.inventory_rule.cap, str(rules.inventory_rule.percentage)) == (50, "80")


def test_an_invalid_carrier_line_is_shown_and_nothing_is_saved(merchant_client, tenant_records):
    from shopbridge.connections.models import Channel

    before = Channel.objects.get(pk=tenant_records["channel_id"]).settings
    url = reverse("dashboard:channel_settings", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(
        url,
        {
            "order_hold": "create_now",
            "price_source": "price",
            "price_adjustment": "none",
            "price_rounding": "none",
            "stock_percentage": "100",
            "stock_threshold": "0",
            "package_weight_unit": "kg",
            "package_dimension_unit": "cm",
            "order_numbering": "store",
            "fulfilment_hold": "off",
            "carrier_mapping": "Royal Mail without a provider",
        },
    )

    assert response.status_code == 200
    assert "Line 1: write" in response.content.decode()
    assert Channel.objects.get(pk=tenant_records["channel_id"]).settings == before


def test_a_conversion_rate_unblocks_a_channel_stopped_for_currencies(merchant_client, tenant_records):
    from shopbridge.connections.models import Channel, StoreConnection

    channel = Channel.objects.get(pk=tenant_records["channel_id"])
    StoreConnection.objects.filter(pk=channel.store_id).update(currency="EUR")
    from shopbridge.connections.services import channel_check_currency

    channel_check_currency(channel=Channel.objects.get(pk=channel.pk))
    assert Channel.objects.get(pk=channel.pk).status == "blocked"

    merchant_client.post(
        reverse("dashboard:channel_rate", kwargs={"channel_id": channel.pk}), {"rate": "0.85"}
    )

    channel = Channel.objects.get(pk=channel.pk)
    assert (channel.status, str(channel.currency_rate)) == ("active", "0.85000000")


def test_an_api_token_is_shown_once_and_revoking_it_stops_it(merchant_client, merchant):
    from shopbridge.accounts.models import ApiToken
    from shopbridge.accounts.selectors import api_token_for_key

    created = merchant_client.post(reverse("dashboard:tokens"), {"name": "warehouse script"})
    key = created.context["new_key"]
    assert key.startswith("sb_") and key in created.content.decode()
    assert created["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(merchant=merchant, name="warehouse script")
    assert token.key_hash != key and api_token_for_key(key) == token
    assert key not in merchant_client.get(reverse("dashboard:tokens")).content.decode()

    merchant_client.post(reverse("dashboard:token_revoke", kwargs={"token_id": token.pk}))

    assert api_token_for_key(key) is None


def test_a_tiktok_callback_without_our_state_connects_nothing(merchant_client):
    from shopbridge.connections.models import ShopConnection

    response = merchant_client.get(
        reverse("dashboard:tiktok_callback"), {"code": "abc", "state": "forged"}, follow=True
    )

    assert ShopConnection.objects.count() == 0
    assert any("stale or was not started here" in m for m in _messages(response))


def test_connecting_a_tiktok_shop_sends_the_seller_to_the_authorize_page_with_a_state(
    merchant_client, settings
):
    settings.TIKTOK_APP = {
        "app_key": "k",
        "app_secret": "s",
        "service_id": "7431",
        "api_base_url": "https://open-api.tiktokglobalshop.com",
        "auth_base_url": "https://auth.tiktok-shops.com",
    }
    form = merchant_client.get(reverse("dashboard:tiktok_connect")).context["form"]

    response = merchant_client.post(reverse("dashboard:tiktok_connect"), {**form.initial})

    state = merchant_client.session["tiktok_oauth"]["state"]
    assert response.status_code == 302
    assert (
        response["Location"]
        == f"https://services.tiktokshop.com/open/authorize?service_id=7431&state={state}"
    )
