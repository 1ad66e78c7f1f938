"""Catalogue (products with their listing status per channel), product detail, category mapping."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopbridge.catalog.selectors import product_get, product_list
from shopbridge.connections.selectors import channel_list
from shopbridge.listings.models import ListingStatus
from shopbridge.listings.selectors import mapped_category_summary

from ..access import found, merchant_view
from ..paging import choice_param, id_param, page_of, text_param


@merchant_view
def catalogue(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    filters = {
        "channel_id": id_param(request, "channel"),
        "listing_status": choice_param(request, "status", ListingStatus.values),
        "tiktok_category_id": text_param(request, "category", max_length=32),
        "search": text_param(request, "q"),
    }
    products = product_list(merchant, **filters).prefetch_related("variants")
    context = {
        "page": page_of(request, products),
        "filters": filters,
        "channels": channel_list(merchant),
        "statuses": ListingStatus.choices,
        "categories": mapped_category_summary(merchant, channel_id=filters["channel_id"]),
    }
    return render(request, "dashboard/catalogue.html", context)


def _suggestions(channel, product) -> tuple[list[dict], str]:
    """Top TikTok categories for the product in this channel's shop, or why there are none."""
    from shopbridge.core.errors import SyncError
    from shopbridge.listings.suggestions import suggest_for_product

    try:
        return suggest_for_product(shop=channel.shop, product=product, k=5), ""
    except SyncError as exc:
        return [], exc.reason


@merchant_view
def product_detail(request: HttpRequest, product_id: int) -> HttpResponse:
    """The product, and per channel of its store: its category (or suggestions), listing and actions."""
    merchant = request.merchant  # type: ignore[attr-defined]
    product = found(product_get, merchant, product_id)
    mappings = {m.channel_id: m for m in product.category_mappings.all()}
    listings = {listing.channel_id: listing for listing in product.listings.all()}
    channels = []
    for channel in channel_list(merchant, store_id=product.store_id):
        mapping, listing = mappings.get(channel.pk), listings.get(channel.pk)
        suggestions, why = ([], "") if mapping else _suggestions(channel, product)
        locked = bool((mapping and mapping.locked_at) or (listing and listing.tiktok_product_id))
        chosen = (
            {s.variant_id for s in listing.skus.all() if s.selected}
            if listing and not listing.all_skus
            else None
        )
        channels.append(
            {
                "channel": channel,
                "mapping": mapping,
                "listing": listing,
                "suggestions": suggestions,
                "suggestions_error": why,
                "locked": locked,
                "chosen": chosen,
            }
        )
    return render(request, "dashboard/product_detail.html", {"product": product, "channels": channels})


@merchant_view
def mappings(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    channel_id = id_param(request, "channel")
    channels = {c.pk: c for c in channel_list(merchant)}
    rows = mapped_category_summary(merchant, channel_id=channel_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [{"row": r, "channel": channels.get(r.channel_id)} for r in page.object_list],
        "channels": channels.values(),
        "channel_id": channel_id,
    }
    return render(request, "dashboard/mappings.html", context)
