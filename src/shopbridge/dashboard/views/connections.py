"""Connections: stores, TikTok shops and channels; channel settings; catalogue import progress."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopbridge.catalog.selectors import category_list, import_run_get, import_run_list, product_list
from shopbridge.connections import selectors
from shopbridge.listings.selectors import listing_list, listing_status_counts, mapped_category_summary

from ..access import found, merchant_view


@merchant_view
def connections(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    shops = list(selectors.shop_list(merchant))
    for shop in shops:
        shop.reauthorise_soon = selectors.reauthorisation_due(shop)
    context = {
        "stores": selectors.store_list(merchant),
        "shops": shops,
        "channels": selectors.channel_list(merchant),
    }
    return render(request, "dashboard/connections.html", context)


@merchant_view
def store_detail(request: HttpRequest, store_id: int) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    store = found(selectors.store_get, merchant, store_id)
    context = {
        "store": store,
        "channels": selectors.channel_list(merchant, store_id=store.pk),
        "import_runs": import_run_list(merchant, store_id=store.pk)[:10],
        "product_count": product_list(merchant, store_id=store.pk).count(),
        "category_count": category_list(merchant, store_id=store.pk).count(),
    }
    return render(request, "dashboard/store_detail.html", context)


@merchant_view
def shop_detail(request: HttpRequest, shop_id: int) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    shop = found(selectors.shop_get, merchant, shop_id)
    context = {
        "shop": shop,
        "reauthorise_soon": selectors.reauthorisation_due(shop),
        "channels": selectors.channel_list(merchant, shop_id=shop.pk),
    }
    return render(request, "dashboard/shop_detail.html", context)


@merchant_view
def channel_detail(request: HttpRequest, channel_id: int) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    channel = found(selectors.channel_get, merchant, channel_id)
    context = {
        "channel": channel,
        "settings_json": json.dumps(channel.settings, indent=2, sort_keys=True, default=str),
        "listing_counts": listing_status_counts(merchant, channel_id=channel.pk),
        "mapped_categories": len(mapped_category_summary(merchant, channel_id=channel.pk)),
        "template_count": channel.category_templates.count(),
        # The daily-cap queue: listings waiting for the next day's new-listing quota.
        "queued": listing_list(merchant, channel_id=channel.pk)
        .filter(scheduled_for__isnull=False)
        .order_by("scheduled_for")[:100],
    }
    return render(request, "dashboard/channel_detail.html", context)


@merchant_view
def import_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The progress fragment; while the run is running it asks htmx to poll it again in 2 s."""
    run = found(import_run_get, request.merchant, run_id)  # type: ignore[attr-defined]
    return render(request, "dashboard/_import_progress.html", {"run": run})
