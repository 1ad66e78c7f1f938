"""Reads for listings and category mapping, always scoped to one merchant (through the channel)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from shopbridge.accounts.models import Merchant

from .models import CategoryMapping, Listing, ListingStatus

FAILED_STATUSES = (ListingStatus.FAILED_TO_SYNC, ListingStatus.FAILED_REVIEW)


def listing_list(
    merchant: Merchant,
    *,
    channel_id: int | None = None,
    status: str = "",
    tiktok_category_id: str = "",
    search: str = "",
) -> QuerySet[Listing]:
    qs = Listing.objects.filter(channel__merchant=merchant)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    if status:
        qs = qs.filter(status=status)
    if tiktok_category_id:
        qs = qs.filter(
            # A mapping counts only for the channel the listing belongs to.
            product__category_mappings__channel_id=F("channel_id"),
            product__category_mappings__tiktok_category_id=tiktok_category_id,
        )
    if search:
        qs = qs.filter(
            Q(product__title__icontains=search)
            | Q(skus__seller_sku__icontains=search)
            | Q(tiktok_product_id=search)
        )
    return qs.distinct().select_related("product", "channel").order_by("-id")


def listing_get(merchant: Merchant, listing_id: int) -> Listing:
    return (
        Listing.objects.select_related("product", "channel", "channel__shop", "channel__store")
        .prefetch_related("skus__variant")
        .get(channel__merchant=merchant, pk=listing_id)
    )


def listing_status_counts(merchant: Merchant, *, channel_id: int | None = None) -> dict[str, int]:
    """Every status (zero included, in display order) -> number of listings."""
    qs = Listing.objects.filter(channel__merchant=merchant)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    found = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: found.get(status, 0) for status in ListingStatus.values}


def listing_failures(merchant: Merchant, *, limit: int = 10) -> QuerySet[Listing]:
    """Listings that failed to sync or failed TikTok's review, newest first (reason and fix on each)."""
    return (
        Listing.objects.filter(channel__merchant=merchant, status__in=FAILED_STATUSES)
        .select_related("product", "channel")
        .order_by("-updated_at", "-id")[:limit]
    )


def category_mapping_list(
    merchant: Merchant, *, channel_id: int | None = None, tiktok_category_id: str = ""
) -> QuerySet[CategoryMapping]:
    qs = CategoryMapping.objects.filter(channel__merchant=merchant)
    if channel_id:
        qs = qs.filter(channel_id=channel_id)
    if tiktok_category_id:
        qs = qs.filter(tiktok_category_id=tiktok_category_id)
    return qs.select_related("product", "channel").order_by("-id")


def category_mapping_get(merchant: Merchant, mapping_id: int) -> CategoryMapping:
    return CategoryMapping.objects.select_related("product", "channel").get(
        channel__merchant=merchant, pk=mapping_id
    )


@dataclass(frozen=True)
class MappedCategory:
    channel_id: int
    tiktok_category_id: str
    tiktok_category_path: str
    product_count: int


def mapped_category_summary(merchant: Merchant, *, channel_id: int | None = None) -> list[MappedCategory]:
    """Each mapped TikTok category per channel with how many products map to it, largest first."""
    rows = (
        category_mapping_list(merchant, channel_id=channel_id)
        .order_by()
        .values("channel_id", "tiktok_category_id", "tiktok_category_path")
        .annotate(n=Count("product_id", distinct=True))
        .order_by("-n", "tiktok_category_path")
    )
    return [
        MappedCategory(
            channel_id=r["channel_id"],
            tiktok_category_id=r["tiktok_category_id"],
            tiktok_category_path=r["tiktok_category_path"],
            product_count=r["n"],
        )
        for r in rows
    ]
