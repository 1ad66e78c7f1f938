"""Category mapping and listing actions: map (one product from a suggestion, or many at once),
remove a mapping, preview the TikTok payload, sync chosen SKUs, link / unlink, autolink by SKU."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shopbridge.catalog.selectors import product_get, product_list
from shopbridge.connections.selectors import channel_get
from shopbridge.core.errors import SyncError
from shopbridge.listings import services
from shopbridge.listings.models import CategoryMapping
from shopbridge.listings.selectors import listing_get

from ..access import found, merchant_action, merchant_view, report_error


def _channel_of(request: HttpRequest, field: str = "channel"):
    channel_id = id_param_post(request, field)
    if channel_id is None:
        raise Http404("No channel chosen")
    return found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]


def id_param_post(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**63 else None


def _product_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("product") if v.isdigit() and 0 < int(v) < 2**63]


def _back(request: HttpRequest, product_id: int) -> HttpResponse:
    return redirect("dashboard:product", product_id=product_id)


@merchant_action
def mapping_set(request: HttpRequest, product_id: int) -> HttpResponse:
    """Map one product: a suggestion picked from the list, or a category id typed in."""
    product = found(product_get, request.merchant, product_id)  # type: ignore[attr-defined]
    channel = _channel_of(request)
    category_id = (request.POST.get("category_id") or request.POST.get("category_id_manual") or "").strip()
    source = (
        CategoryMapping.Source.SUGGESTION
        if request.POST.get("category_id")
        else CategoryMapping.Source.MANUAL
    )
    if not category_id:
        messages.error(
            request, "Choose a TikTok category.", extra_tags="fix:Pick a suggestion or type a category id."
        )
        return _back(request, product.pk)
    try:
        (mapping,) = services.mapping_set(
            channel=channel, products=[product], category_id=category_id, source=source
        )
    except PermissionError as exc:
        raise Http404("Not found") from exc
    except SyncError as exc:
        report_error(request, exc)
    else:
        messages.success(request, f"Mapped to {mapping.tiktok_category_path or mapping.tiktok_category_id}.")
    return _back(request, product.pk)


@merchant_action
def mapping_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    product = found(product_get, request.merchant, product_id)  # type: ignore[attr-defined]
    channel = _channel_of(request)
    try:
        services.mapping_remove(channel=channel, product=product)
    except SyncError as exc:  # MappingLocked: already on TikTok
        report_error(request, exc)
    else:
        messages.success(request, "Category mapping removed.")
    return _back(request, product.pk)


@merchant_action
def catalogue_bulk(request: HttpRequest) -> HttpResponse:
    """Map the selected products to one category, or queue them for syncing."""
    merchant = request.merchant  # type: ignore[attr-defined]
    channel = _channel_of(request)
    products = list(product_list(merchant, store_id=channel.store_id).filter(pk__in=_product_ids(request)))
    if not products:
        messages.error(
            request,
            "Select at least one product of the channel's store.",
            extra_tags="fix:Tick the products in the list, then choose an action.",
        )
        return redirect("dashboard:catalogue")
    try:
        if request.POST.get("action") == "map":
            services.mapping_set(
                channel=channel, products=products, category_id=request.POST.get("category_id", "").strip()
            )
            messages.success(request, f"{len(products)} product(s) mapped.")
        else:
            services.listing_sync_request(channel=channel, products=products)
            messages.success(
                request, f"{len(products)} product(s) queued for syncing to {channel.shop.name}."
            )
    except SyncError as exc:
        report_error(request, exc)
    return redirect(request.POST["next"] if _safe_next(request) else "dashboard:catalogue")


def _safe_next(request: HttpRequest) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/") and not nxt.startswith("//")


@merchant_action
def listing_sync(request: HttpRequest, listing_id: int) -> HttpResponse:
    """Sync one listing: every SKU, or only the variants ticked on the product page."""
    listing = found(listing_get, request.merchant, listing_id)  # type: ignore[attr-defined]
    live = {v.pk for v in listing.product.variants.filter(deleted_at__isnull=True)}
    chosen = [int(v) for v in request.POST.getlist("variant") if v.isdigit() and int(v) in live]
    variant_ids = (
        None if not request.POST.get("choose") or set(chosen) == live else {listing.product_id: chosen}
    )
    if variant_ids is not None and not chosen:
        messages.error(
            request, "Choose at least one SKU to sync.", extra_tags="fix:Tick the SKUs to list on TikTok."
        )
        return _back(request, listing.product_id)
    try:
        services.listing_sync_request(
            channel=listing.channel, products=[listing.product], variant_ids=variant_ids
        )
    except SyncError as exc:
        report_error(request, exc)
    else:
        messages.success(request, "Queued for syncing to TikTok.")
    return _back(request, listing.product_id)


@merchant_view
def listing_preview(request: HttpRequest, listing_id: int) -> HttpResponse:
    """What a sync would send and what would stop it; nothing is uploaded or written on TikTok."""
    listing = found(listing_get, request.merchant, listing_id)  # type: ignore[attr-defined]
    try:
        result = services.listing_preview(listing)
    except SyncError as exc:
        result = {"payload": {}, "errors": [{"field": "", "reason": exc.reason, "fix": exc.fix}], "notes": []}
    context = {
        "listing": listing,
        "errors": result["errors"],
        "notes": result["notes"],
        "payload_json": json.dumps(result["payload"], indent=2, sort_keys=True, default=str),
    }
    template = "dashboard/_listing_preview.html" if request.htmx else "dashboard/listing_preview.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@merchant_action
def listing_unlink(request: HttpRequest, listing_id: int) -> HttpResponse:
    listing = found(listing_get, request.merchant, listing_id)  # type: ignore[attr-defined]
    services.listing_unlink(listing=listing)
    messages.success(
        request, "Unlinked: the TikTok product is left as it is; its category can be changed again."
    )
    return _back(request, listing.product_id)


@merchant_action
def listing_link(request: HttpRequest, product_id: int) -> HttpResponse:
    """Bind an existing TikTok product: its id, and the TikTok SKU id of each variant."""
    product = found(product_get, request.merchant, product_id)  # type: ignore[attr-defined]
    channel = _channel_of(request)
    tiktok_product_id = request.POST.get("tiktok_product_id", "").strip()
    sku_links = {
        v.pk: request.POST[f"sku_{v.pk}"].strip()
        for v in product.variants.all()
        if request.POST.get(f"sku_{v.pk}", "").strip()
    }
    if not tiktok_product_id.isdigit() or not sku_links:
        messages.error(
            request,
            "Give the TikTok product id and at least one TikTok SKU id.",
            extra_tags="fix:Copy them from TikTok Seller Center or the unlinked SKU list.",
        )
        return _back(request, product.pk)
    try:
        services.listing_link(
            channel=channel, product=product, tiktok_product_id=tiktok_product_id, sku_links=sku_links
        )
    except PermissionError as exc:
        raise Http404("Not found") from exc
    except SyncError as exc:
        report_error(request, exc)
    else:
        messages.success(request, f"Linked to TikTok product {tiktok_product_id}.")
    return _back(request, product.pk)


@merchant_action
def channel_autolink(request: HttpRequest, channel_id: int) -> HttpResponse:
    """Bind TikTok products that already exist to store products carrying exactly their SKUs."""
    from shopbridge.listings.linking import listings_autolink

    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    try:
        report = listings_autolink(channel=channel)
    except SyncError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            f"Linked {len(report.linked)} TikTok product(s) by SKU; "
            f"{report.already_linked} already linked, {len(report.not_linked)} left to link by hand.",
        )
        for tiktok_id, why in list(report.not_linked.items())[:20]:
            messages.info(request, f"TikTok product {tiktok_id}: {why}")
    return redirect("dashboard:channel", channel_id=channel.pk)
