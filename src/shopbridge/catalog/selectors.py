"""Reads for the catalogue mirror, always scoped to one merchant (through the product's store)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from shopbridge.accounts.models import Merchant
from shopbridge.listings.models import Listing, ListingStatus

from .models import Category, ImportRun, Product, Variant


def product_list(
    merchant: Merchant,
    *,
    store_id: int | None = None,
    channel_id: int | None = None,
    listing_status: str = "",
    tiktok_category_id: str = "",
    search: str = "",
) -> QuerySet[Product]:
    """Products with their listings. ``listing_status`` "not_synced" also matches never-listed products."""
    qs = Product.objects.filter(store__merchant=merchant)
    if store_id:
        qs = qs.filter(store_id=store_id)
    if channel_id:
        qs = qs.filter(store__channels__id=channel_id)
    if listing_status:
        listed = Listing.objects.filter(product=OuterRef("pk"))
        if channel_id:
            listed = listed.filter(channel_id=channel_id)
        match = Exists(listed.filter(status=listing_status))
        if listing_status == ListingStatus.NOT_SYNCED:
            match = match | ~Exists(listed)
        qs = qs.filter(match)
    if tiktok_category_id:
        qs = qs.filter(category_mappings__tiktok_category_id=tiktok_category_id)
    if search:
        qs = qs.filter(
            Q(title__icontains=search)
            | Q(variants__sku__icontains=search)
            | Q(external_id=search)
            | Q(handle__icontains=search)
        )
    listings = Listing.objects.select_related("channel").order_by("channel_id")
    return (
        qs.distinct()
        .select_related("store")
        .prefetch_related(Prefetch("listings", queryset=listings))
        .order_by("-id")
    )


def product_get(merchant: Merchant, product_id: int) -> Product:
    """One product with variants, images, listings (and their SKUs) and category mappings.

    Raises Product.DoesNotExist for another merchant's id, exactly as for a missing one.
    """
    variants = Variant.objects.filter(deleted_at__isnull=True).order_by("position", "id")
    listings = Listing.objects.select_related("channel", "channel__shop").prefetch_related("skus__variant")
    return (
        Product.objects.select_related("store")
        .prefetch_related(
            Prefetch("variants", queryset=variants),
            "images",
            Prefetch("listings", queryset=listings),
            "category_mappings",
        )
        .get(store__merchant=merchant, pk=product_id)
    )


def category_list(merchant: Merchant, *, store_id: int | None = None) -> QuerySet[Category]:
    qs = Category.objects.filter(store__merchant=merchant)
    if store_id:
        qs = qs.filter(store_id=store_id)
    return qs.order_by("path", "name")


def import_run_list(
    merchant: Merchant, *, store_id: int | None = None, state: str = ""
) -> QuerySet[ImportRun]:
    qs = ImportRun.objects.filter(store__merchant=merchant).select_related("store")
    if store_id:
        qs = qs.filter(store_id=store_id)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-id")


def import_run_get(merchant: Merchant, run_id: int) -> ImportRun:
    return ImportRun.objects.select_related("store").get(store__merchant=merchant, pk=run_id)
