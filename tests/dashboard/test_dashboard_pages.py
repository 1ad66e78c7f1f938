"""What a merchant sees: failures with reason and fix, health warnings, filters, progress polling."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from shopbridge.catalog.models import ImportRun, Product
from shopbridge.connections.models import Channel, ShopConnection
from shopbridge.listings.models import Listing

pytestmark = pytest.mark.django_db


def test_home_shows_each_failure_with_its_reason_and_fix(merchant_client, tenant_records):
    page = merchant_client.get("/").content.decode()

    assert "acme title too long" in page and "Shorten the title" in page
    assert "acme SKU not linked" in page and "Link the SKU" in page
    assert "acme refused" in page and "Fix it" in page
    assert "acme HMAC mismatch" in page
    assert "SECRET-TB" not in page


def test_home_counts_listings_and_orders_by_status(merchant_client, tenant_records):
    response = merchant_client.get("/")

    counts = {c["value"]: c["count"] for c in response.context["listing_counts"]}
    order_counts = {c["value"]: c["count"] for c in response.context["order_counts"]}
    assert counts["failed_to_sync"] == 1 and counts["active"] == 0
    assert order_counts["blocked"] == 1 and order_counts["synced"] == 0


def test_home_lists_cancellations_and_returns_that_need_action(merchant_client, tenant_records):
    response = merchant_client.get("/")

    assert [c.tiktok_cancel_id for c in response.context["cancellations"]] == ["c1"]
    assert [r.tiktok_return_id for r in response.context["returns"]] == ["r1"]


def test_home_chart_is_inline_svg_with_the_hours_figures(merchant_client, tenant_records):
    response = merchant_client.get("/")
    content = response.content.decode()

    assert '<svg class="chart"' in content
    assert "<script" not in content.split("<svg", 1)[1].split("</svg>", 1)[0]
    activity = response.context["activity"]
    assert len(activity) == 24
    assert activity[-1].jobs_failed == 1 and activity[-1].calls_failed == 1


def test_a_shop_whose_authorisation_ends_within_30_days_warns_to_reauthorise(merchant_client, tenant_records):
    ShopConnection.objects.filter(pk=tenant_records["shop_id"]).update(
        authorization_expires_at=timezone.now() + timedelta(days=12)
    )

    connections = merchant_client.get("/connections/").content.decode()
    shop = merchant_client.get(f"/connections/shops/{tenant_records['shop_id']}/").content.decode()

    assert "Re-authorise soon" in connections
    assert "Re-authorise ShopBridge in TikTok Shop" in shop


def test_a_shop_authorised_for_months_shows_no_warning(merchant_client, tenant_records):
    page = merchant_client.get(f"/connections/shops/{tenant_records['shop_id']}/").content.decode()

    assert "Re-authorise" not in page


def test_a_channel_with_different_currencies_and_no_rate_says_how_to_fix(merchant_client, tenant_records):
    ShopConnection.objects.filter(pk=tenant_records["shop_id"]).update(currency="USD")

    page = merchant_client.get(f"/channels/{tenant_records['channel_id']}/").content.decode()

    assert "Store sells in GBP, the shop in USD" in page
    assert "&quot;markup&quot;: 10" in page


def test_a_channel_with_a_rate_shows_the_conversion(merchant_client, tenant_records):
    ShopConnection.objects.filter(pk=tenant_records["shop_id"]).update(currency="USD")
    Channel.objects.filter(pk=tenant_records["channel_id"]).update(currency_rate=Decimal("1.27"))

    page = merchant_client.get(f"/channels/{tenant_records['channel_id']}/").content.decode()

    assert "GBP → USD at 1.27" in page
    assert "Store sells in" not in page


def test_catalogue_filters_by_listing_status_and_search(merchant_client, tenant_records):
    store_id = Product.objects.get(pk=tenant_records["product_id"]).store_id
    Product.objects.create(store_id=store_id, external_id="p2", title="Plain Tee")

    failed = merchant_client.get("/catalogue/", {"status": "failed_to_sync"}).context["page"]
    not_synced = merchant_client.get("/catalogue/", {"status": "not_synced"}).context["page"]
    searched = merchant_client.get("/catalogue/", {"q": "ACME-HOOD"}).context["page"]

    assert [p.title for p in failed] == ["acme Hoodie"]
    assert [p.title for p in not_synced] == ["Plain Tee"]
    assert [p.title for p in searched] == ["acme Hoodie"]


def test_catalogue_filters_by_mapped_tiktok_category(merchant_client, tenant_records):
    hit = merchant_client.get("/catalogue/", {"category": "601226"}).context["page"]
    miss = merchant_client.get("/catalogue/", {"category": "999"}).context["page"]

    assert [p.pk for p in hit] == [tenant_records["product_id"]]
    assert list(miss) == []


def test_junk_filters_are_ignored_not_errors(merchant_client, tenant_records):
    response = merchant_client.get(
        "/catalogue/", {"status": "nonsense", "channel": "abc", "page": "99", "q": "a\x00b"}
    )

    assert response.status_code == 200


def test_product_page_shows_field_errors_with_fixes_and_skus(merchant_client, tenant_records):
    Listing.objects.filter(pk=tenant_records["listing_id"]).update(
        review_reasons=[{"reasons": ["Image has a watermark"], "suggestion": "Upload a clean image"}]
    )

    page = merchant_client.get(f"/catalogue/{tenant_records['product_id']}/").content.decode()

    assert "Over 255" in page and "Shorten it" in page
    assert "Image has a watermark" in page and "Upload a clean image" in page
    assert "ACME-HOOD-M" in page
    assert "Menswear &gt; Hoodies" in page


def test_mapping_page_counts_products_per_tiktok_category(merchant_client, tenant_records):
    rows = merchant_client.get("/mappings/").context["rows"]

    assert [(r["row"].tiktok_category_id, r["row"].product_count) for r in rows] == [("601226", 1)]


def test_order_links_to_the_store_order(merchant_client, tenant_records):
    page = merchant_client.get(f"/orders/{tenant_records['order_id']}/").content.decode()

    assert "https://acme.myshopify.com/admin/orders/" in page
    assert "TRK1" in page


def test_running_import_fragment_polls_every_two_seconds(merchant_client, tenant_records):
    url = f"/imports/{tenant_records['run_id']}/progress/"

    running = merchant_client.get(url, HTTP_HX_REQUEST="true").content.decode()

    assert 'hx-trigger="every 2s"' in running
    assert "2 pages, 40 products seen" in running
    assert "<html" not in running


def test_finished_import_fragment_stops_polling(merchant_client, tenant_records):
    ImportRun.objects.filter(pk=tenant_records["run_id"]).update(state="done", pages=5, products_seen=120)

    done = merchant_client.get(f"/imports/{tenant_records['run_id']}/progress/").content.decode()

    assert "hx-trigger" not in done
    assert "5 pages, 120 products seen" in done


def test_htmx_is_served_from_the_installed_package(merchant_client, tenant_records):
    from django.contrib.staticfiles import finders

    page = merchant_client.get("/").content.decode()

    assert "django_htmx/htmx" in page
    assert finders.find("django_htmx/htmx-2.min.js") is not None


def test_job_page_hides_the_traceback(merchant_client, tenant_records):
    page = merchant_client.get(f"/activity/jobs/{tenant_records['job_id']}/").content.decode()

    assert "acme refused" in page
    assert "SECRET-TB" not in page
