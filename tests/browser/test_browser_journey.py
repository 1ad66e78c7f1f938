"""The whole merchant journey in a real browser, on the demo data: sign in, connect the store and
the TikTok shop (OAuth), pair them, map a product with a suggestion, sync it, watch it go Under
review then Active, see a buyer's order reach the store, ship it there, see it shipped on TikTok."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PRODUCT = "Enamel Camp Mug"
# A valid USPS tracking number (check digit included) for the US shop (mapping/tracking.py).
USPS_TRACKING = "9400111206206406260787"


def nav(page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def _make_due_now(run_jobs) -> None:
    """Jobs delayed by TikTok's hour are due now in the emulator's time: make them due here too."""
    from django.utils import timezone

    from shopbridge.sync.models import SyncJob

    SyncJob.objects.filter(state="pending").update(run_after=timezone.now())
    run_jobs()


def test_merchant_journey_from_sign_in_to_a_shipped_tiktok_order(
    fast_passwords, merchant, live_server, sandbox, page, shoot, run_jobs
):
    from shopbridge.listings.models import Listing, ListingSku
    from shopbridge.orders.models import Order

    shopify, tiktok = sandbox["shopify"], sandbox["tiktok_shop"]
    url = live_server.url

    # Sign in.
    page.goto(f"{url}/login/")
    shoot("sign-in")
    page.get_by_label("Username").fill("acme")
    page.get_by_label("Password").fill("correct-horse-9")
    page.get_by_role("button", name="Sign in").click()
    expect(nav(page, "Connections")).to_be_visible()
    shoot("home")

    # Connect the Shopify store (the form is prefilled from the sandbox manifest, as in the demo).
    nav(page, "Connections").click()
    page.get_by_role("link", name="Connect a Shopify store").click()
    expect(page.get_by_label("Shop domain")).to_have_value(re.compile(r"myshopify\.com$"))
    shoot("connect-store")
    page.get_by_role("button", name="Connect store").click()
    expect(page.get_by_text("its catalogue import has started")).to_be_visible()
    run_jobs()
    # The progress line polls itself (htmx) until the import is done.
    expect(page.locator(".progress").first).to_contain_text("done", timeout=10_000)
    shoot("store-imported")

    # Connect the TikTok shop through OAuth: TikTok's (sandbox) page sends the browser back with a code.
    nav(page, "Connections").click()
    page.get_by_role("link", name="Connect a TikTok shop").click()
    shoot("connect-tiktok")
    page.get_by_role("button", name="Authorise on TikTok Shop").click()
    expect(page.get_by_text("Connected TikTok shops:")).to_be_visible()
    assert page.url.startswith(f"{url}/connections/")

    # Pair the store with the US shop (both sell in USD: no conversion rate needed).
    shop_select = page.get_by_label("feeds TikTok shop")
    us_option = shop_select.locator("option", has_text="(US, USD)")
    shop_select.select_option(us_option.get_attribute("value"))
    shoot("connections")
    page.get_by_role("button", name="Create channel").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("TikTok US")
    expect(page.locator("#currency-check")).to_contain_text("USD = USD")
    shoot("channel")

    # Map one product using the top suggestion.
    nav(page, "Catalogue").click()
    page.get_by_label("Search").fill(PRODUCT)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=PRODUCT).click()
    suggestions = page.get_by_role("group", name="Suggested TikTok categories")
    expect(suggestions.get_by_role("radio").first).to_be_checked()
    shoot("product-suggestions")
    page.get_by_role("button", name="Map category").click()
    expect(page.get_by_text("Mapped to")).to_be_visible()

    # Preview, then sync: Under review, then Active once TikTok's audit passes.
    page.get_by_role("link", name="Preview payload").click()
    expect(page.get_by_text("No problem found")).to_be_visible()
    shoot("preview")
    page.get_by_role("button", name="Sync to TikTok").click()
    expect(page.get_by_text("Queued for syncing")).to_be_visible()
    run_jobs()
    page.reload()
    status = page.get_by_test_id("listing-status")
    expect(status).to_have_text("Under review")
    shoot("under-review")
    tiktok.control("clock/advance", {"seconds": 61})
    tiktok.flush_webhooks()
    run_jobs()
    page.reload()
    expect(status).to_have_text("Active")
    shoot("active")

    # A buyer orders on TikTok: the order reaches the store.
    listing = Listing.objects.get(product__title=PRODUCT)
    sku = ListingSku.objects.filter(listing=listing).exclude(tiktok_sku_id=None).first()
    placed = tiktok.control(
        "place_order",
        {"shop_id": listing.channel.shop.shop_id, "items": [{"sku_id": sku.tiktok_sku_id, "quantity": 1}]},
    )
    tiktok_order_id = str(placed.get("order_id") or placed.get("order", {}).get("id"))
    tiktok.flush_webhooks()
    run_jobs()
    nav(page, "Orders").click()
    row = page.get_by_role("row").filter(has_text=tiktok_order_id)
    expect(row).to_contain_text("In store")
    order = Order.objects.get(tiktok_order_id=tiktok_order_id)
    assert order.store_order_id and int(order.store_order_id) in shopify.emulator.default_shop.orders
    shoot("order-in-store")

    # The merchant ships it in the store; after TikTok's cancellation hour it is shipped on TikTok.
    shopify.control(
        "orders/fulfil",
        {"order_id": int(order.store_order_id), "tracking_company": "USPS", "tracking_number": USPS_TRACKING},
    )
    shopify.flush_webhooks()
    run_jobs()
    tiktok.control("clock/advance", {"seconds": 3601})
    tiktok.flush_webhooks()
    _make_due_now(run_jobs)
    tiktok.flush_webhooks()
    run_jobs()
    row.get_by_role("link", name=tiktok_order_id).click()
    fulfilments = page.get_by_role("region", name="Fulfilments and tracking")
    expect(fulfilments).to_contain_text(USPS_TRACKING)
    expect(fulfilments.locator(".badge")).to_have_text("Shipped on TikTok")
    expect(page.locator(".facts")).to_contain_text(re.compile(r"AWAITING_COLLECTION|IN_TRANSIT"))
    shoot("order-shipped")
    tt = tiktok.control("orders", {"shop_id": listing.channel.shop.shop_id})
    assert next(o for o in tt["orders"] if str(o["id"]) == tiktok_order_id)["status"] in (
        "AWAITING_COLLECTION",
        "IN_TRANSIT",
    )
    assert (
        len([o for o in shopify.emulator.default_shop.orders.values() if "TikTok" in (o.get("tags") or "")])
        == 1
    )
