"""Reactions to catalogue changes and TikTok product webhooks."""

from __future__ import annotations

from shopbridge.catalog.importer import on_products_changed
from shopbridge.catalog.models import Product, Variant
from shopbridge.connections.models import Channel, ShopConnection, StoreConnection
from shopbridge.connections.services import shop_mark_deauthorized
from shopbridge.sync.engine import enqueue_job
from shopbridge.webhooks.models import InboundEvent
from shopbridge.webhooks.registry import event_handler

from .models import CategoryMapping, Listing, TikTokCategory
from .services import listings_request_price_inventory_push, templates_apply


def products_changed(store: StoreConnection, product_ids: list[int]) -> None:
    """New products matching a template get mapped; synced ones get their price/stock pushed;
    products deleted or unpublished in the store are deactivated on TikTok."""
    for channel in Channel.objects.filter(store=store):
        templates_apply(channel=channel, product_ids=product_ids)
        listings = Listing.objects.filter(
            channel=channel, product_id__in=product_ids, tiktok_product_id__isnull=False
        )
        for listing in listings.select_related("product"):
            product = listing.product
            if product.deleted_at is not None or product.status in (
                Product.Status.ARCHIVED,
                Product.Status.DRAFT,
            ):
                enqueue_job(
                    "listing.deactivate",
                    f"listing-deactivate:{listing.pk}",
                    payload={"listing_id": listing.pk},
                    merchant_id=channel.merchant_id,
                )
            elif channel.keep_details_in_sync:
                enqueue_job(
                    "listing.push",
                    f"listing:{listing.pk}",
                    payload={"listing_id": listing.pk},
                    merchant_id=channel.merchant_id,
                )
    variant_ids = list(Variant.objects.filter(product_id__in=product_ids).values_list("pk", flat=True))
    listings_request_price_inventory_push(variant_ids=variant_ids)


on_products_changed(products_changed)


def _listings_for(event: InboundEvent) -> list[Listing]:
    product_id = str((event.payload.get("data") or {}).get("product_id") or "")
    if not product_id:
        return []
    return list(Listing.objects.filter(channel__shop_id=event.connection_id, tiktok_product_id=product_id))


@event_handler("tiktok_shop", "PRODUCT_STATUS_CHANGE")
@event_handler("tiktok_shop", "PRODUCT_AUDIT_STATUS_CHANGE")
@event_handler("tiktok_shop", "PRODUCT_INFORMATION_CHANGE")
def tiktok_product_changed(event: InboundEvent) -> None:
    for listing in _listings_for(event):
        enqueue_job(
            "listing.refresh_status",
            f"listing-status:{listing.pk}",
            payload={"listing_id": listing.pk},
            merchant_id=event.merchant_id,
        )


@event_handler("tiktok_shop", "PRODUCT_CATEGORY_CHANGE")
def tiktok_category_changed(event: InboundEvent) -> None:
    """TikTok moved a synced product to another category: show it on the listing (orders may fail if
    its attributes no longer fit) and follow TikTok in the mapping. Payload fields: product_id,
    previous_category_id, current_category_id (../shared/spec/tiktok-shop-api.md §13.4, type 18)."""
    data = event.payload.get("data") or {}
    current = str(data.get("current_category_id") or "")
    for listing in _listings_for(event):
        category = TikTokCategory.objects.filter(shop_id=event.connection_id, category_id=current).first()
        shown = f"“{category.path}” ({current})" if category else (current or "another one")
        Listing.objects.filter(pk=listing.pk).update(
            error_code="category_changed_on_tiktok",
            error_reason=(
                f"TikTok changed this product's category from {data.get('previous_category_id') or 'its old one'} "
                f"to {shown}. Orders for it can fail if its attributes no longer fit."
            ),
            error_fix="Check the product in TikTok Seller Center and update its attributes there.",
        )
        if current:
            CategoryMapping.objects.filter(channel=listing.channel, product=listing.product).update(
                tiktok_category_id=current, tiktok_category_path=category.path if category else ""
            )
        enqueue_job(
            "listing.refresh_status",
            f"listing-status:{listing.pk}",
            payload={"listing_id": listing.pk},
            merchant_id=event.merchant_id,
        )


@event_handler("tiktok_shop", "SELLER_DEAUTHORIZATION")
def tiktok_deauthorized(event: InboundEvent) -> None:
    shop_mark_deauthorized(shop=ShopConnection.objects.get(pk=event.connection_id))


@event_handler("tiktok_shop", "UPCOMING_AUTHORIZATION_EXPIRATION")
def tiktok_authorization_expiring(event: InboundEvent) -> None:
    data = event.payload.get("data") or {}
    shop = ShopConnection.objects.get(pk=event.connection_id)
    expires = data.get("expiration_time")
    if expires:
        from datetime import UTC, datetime

        shop.authorization_expires_at = datetime.fromtimestamp(int(expires), tz=UTC)
    shop.status_code = "authorization_expiring"
    shop.status_reason = "TikTok says the seller's authorisation of ShopBridge ends soon; syncing then stops."
    shop.status_fix = "Re-authorise ShopBridge from Connections before it expires."
    shop.save(
        update_fields=["authorization_expires_at", "status_code", "status_reason", "status_fix", "updated_at"]
    )
