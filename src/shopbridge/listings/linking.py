"""Linking TikTok products that already exist to store variants, by exact seller SKU.

A merchant who sold on TikTok before ShopBridge has products there already: creating them again
would list everything twice (TikTok refuses duplicate seller SKUs anyway, §8.8). ``listings_autolink``
binds each TikTok product whose SKUs all match variants of one store product; what cannot be
matched is listed by ``unlinked_tiktok_skus`` for a manual link (``services.listing_link``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from shopbridge.catalog.models import Variant
from shopbridge.connections.models import Channel
from shopbridge.connectors.tiktok_shop.models import ProductSummary, SearchProductsRequest

from .models import Listing, ListingSku
from .services import listing_link

# Search Products pages hold at most 100 products (../shared/spec/tiktok-shop-api.md §8.12).
SEARCH_PAGE_SIZE = 100


@dataclass(frozen=True)
class UnlinkedSku:
    tiktok_product_id: str
    tiktok_sku_id: str
    seller_sku: str
    product_title: str
    tiktok_status: str
    # Store variant (pk) with exactly this SKU, when there is one: the link to suggest.
    suggested_variant_id: int | None = None


@dataclass
class AutolinkReport:
    linked: list[tuple[int, str]] = field(default_factory=list)  # (store product pk, TikTok product id)
    already_linked: int = 0
    # TikTok product id -> why it was not linked (no match, several store products, partial match).
    not_linked: dict[str, str] = field(default_factory=dict)


def _tiktok_products(channel: Channel) -> Iterator[ProductSummary]:
    from shopbridge.sync.clients import tiktok_client

    client = tiktok_client(channel.shop)
    for summary in client.products.search(SearchProductsRequest(), page_size=SEARCH_PAGE_SIZE):
        if summary.status != "DELETED":
            yield summary


def _variants_by_sku(channel: Channel) -> dict[str, list[Variant]]:
    """Live store variants by exact SKU (several variants may share one: then nothing is guessed)."""
    by_sku: dict[str, list[Variant]] = defaultdict(list)
    for variant in Variant.objects.filter(
        store=channel.store, deleted_at__isnull=True, product__deleted_at__isnull=True
    ).exclude(sku=""):
        by_sku[variant.sku].append(variant)
    return by_sku


def _linked_sku_ids(channel: Channel) -> set[str]:
    return set(
        ListingSku.objects.filter(channel=channel, tiktok_sku_id__isnull=False).values_list(
            "tiktok_sku_id", flat=True
        )
    )


def unlinked_tiktok_skus(channel: Channel) -> list[UnlinkedSku]:
    """Every SKU of the shop's TikTok products that no store variant of this channel is linked to."""
    linked = _linked_sku_ids(channel)
    by_sku = _variants_by_sku(channel)
    out = []
    for product in _tiktok_products(channel):
        for sku in product.skus:
            if str(sku.id) in linked:
                continue
            matches = by_sku.get(sku.seller_sku or "", [])
            out.append(
                UnlinkedSku(
                    tiktok_product_id=str(product.id),
                    tiktok_sku_id=str(sku.id),
                    seller_sku=sku.seller_sku or "",
                    product_title=product.title,
                    tiktok_status=product.status,
                    suggested_variant_id=matches[0].pk if len(matches) == 1 else None,
                )
            )
    return out


def _match(product: ProductSummary, by_sku: dict[str, list[Variant]]) -> tuple[dict[int, str], str]:
    """(variant pk -> TikTok SKU id, "") when every SKU matches one variant of the same store product,
    else ({}, the reason)."""
    links: dict[int, str] = {}
    store_products = set()
    for sku in product.skus:
        matches = by_sku.get(sku.seller_sku or "", [])
        if len(matches) > 1:
            return {}, f"seller SKU {sku.seller_sku!r} is used by {len(matches)} store variants"
        if not matches:
            return {}, f"no store variant has the seller SKU {sku.seller_sku!r}"
        links[matches[0].pk] = str(sku.id)
        store_products.add(matches[0].product_id)
    if len(store_products) != 1:
        return {}, "its SKUs match variants of several store products"
    return links, ""


def listings_autolink(*, channel: Channel) -> AutolinkReport:
    """Bind existing TikTok products to store products whose variants carry exactly their seller SKUs."""
    report = AutolinkReport()
    by_sku = _variants_by_sku(channel)
    bound = set(
        Listing.objects.filter(channel=channel, tiktok_product_id__isnull=False).values_list(
            "tiktok_product_id", flat=True
        )
    )
    for product in _tiktok_products(channel):
        if str(product.id) in bound:
            report.already_linked += 1
            continue
        links, reason = _match(product, by_sku)
        if not links:
            report.not_linked[str(product.id)] = reason or "the TikTok product has no SKUs"
            continue
        store_product = Variant.objects.get(pk=next(iter(links))).product
        if Listing.objects.filter(
            channel=channel, product=store_product, tiktok_product_id__isnull=False
        ).exists():
            report.not_linked[str(product.id)] = (
                f"“{store_product.title}” is already linked to another TikTok product"
            )
            continue
        listing_link(
            channel=channel,
            product=store_product,
            tiktok_product_id=str(product.id),
            sku_links=links,
            tiktok_status=product.status,
            manual=False,
        )
        report.linked.append((store_product.pk, str(product.id)))
    return report
