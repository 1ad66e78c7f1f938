"""TikTok listings: the binding between a store product and a TikTok product, per channel.

``Listing`` is unique per (channel, product) and per (channel, tiktok_product_id): the one place
TikTok ids are mapped. Its status is what the merchant sees.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from shopbridge.catalog.models import Product, Variant
from shopbridge.connections.models import Channel, ShopConnection
from shopbridge.core.models import TimeStampedModel


class ListingStatus(models.TextChoices):
    NOT_SYNCED = "not_synced", "Not synced"
    QUEUED = "queued", "Queued"
    FAILED_TO_SYNC = "failed_to_sync", "Failed to sync"
    UNDER_REVIEW = "under_review", "Under review"
    FAILED_REVIEW = "failed_review", "Failed review"
    ACTIVE = "active", "Active"
    SYNCED = "synced", "Synced (unlisted on TikTok)"


class TikTokCategory(TimeStampedModel):
    """TikTok's category tree for a shop, cached from Get Categories (refreshed periodically)."""

    shop = models.ForeignKey(ShopConnection, on_delete=models.CASCADE, related_name="tiktok_categories")
    category_id = models.CharField(max_length=32)
    parent_id = models.CharField(max_length=32, blank=True)
    name = models.CharField(max_length=500)
    path = models.CharField(max_length=1500)
    is_leaf = models.BooleanField(default=False)
    attributes = models.JSONField(default=list, blank=True)
    rules = models.JSONField(default=dict, blank=True)
    details_fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["shop", "category_id"], name="uniq_tiktok_category")]


class CategoryTemplate(TimeStampedModel):
    """A rule that maps matching store products to a TikTok leaf category with attribute defaults."""

    class MatchField(models.TextChoices):
        CATEGORY = "category", "Store category / collection"
        PRODUCT_TYPE = "product_type", "Product type"
        TAG = "tag", "Tag"
        VENDOR = "vendor", "Vendor"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="category_templates")
    name = models.CharField(max_length=200)
    priority = models.IntegerField(default=100)
    match_field = models.CharField(max_length=16, choices=MatchField.choices)
    match_value = models.CharField(max_length=500)
    tiktok_category_id = models.CharField(max_length=32)
    tiktok_category_path = models.CharField(max_length=1500, blank=True)
    attribute_defaults = models.JSONField(default=dict, blank=True)
    defaults = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["priority", "id"]


class CategoryMapping(TimeStampedModel):
    class Source(models.TextChoices):
        MANUAL = "manual"
        TEMPLATE = "template"
        SUGGESTION = "suggestion"
        LINKED = "linked"

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="category_mappings")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="category_mappings")
    tiktok_category_id = models.CharField(max_length=32)
    tiktok_category_path = models.CharField(max_length=1500, blank=True)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    template = models.ForeignKey(CategoryTemplate, null=True, blank=True, on_delete=models.SET_NULL)
    attribute_values = models.JSONField(default=dict, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True, help_text="Set when the product is first synced")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "product"], name="uniq_mapping_per_product")
        ]


class Listing(TimeStampedModel):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="listings")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings")
    status = models.CharField(max_length=20, choices=ListingStatus.choices, default=ListingStatus.NOT_SYNCED)
    tiktok_product_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 - NULL = unbound; unique when set
    tiktok_status = models.CharField(max_length=32, blank=True)
    all_skus = models.BooleanField(default=True, help_text="Sync every variant, or only the chosen ones")
    last_payload_hash = models.CharField(max_length=64, blank=True)
    last_payload = models.JSONField(default=dict, blank=True)
    last_pushed_at = models.DateTimeField(null=True, blank=True)
    create_started_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set before a create call: a crash after it means search before retrying",
    )
    error_code = models.CharField(max_length=64, blank=True)
    error_reason = models.TextField(blank=True)
    error_fix = models.TextField(blank=True)
    field_errors = models.JSONField(default=list, blank=True)
    review_reasons = models.JSONField(default=list, blank=True)
    scheduled_for = models.DateTimeField(
        null=True, blank=True, help_text="When the daily listing cap lets it go"
    )
    sync_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "product"], name="uniq_listing_per_product"),
            models.UniqueConstraint(
                fields=["channel", "tiktok_product_id"],
                condition=Q(tiktok_product_id__isnull=False),
                name="uniq_listing_tiktok_product",
            ),
        ]
        indexes = [models.Index(fields=["channel", "status"])]


class ListingSku(TimeStampedModel):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="listing_skus")
    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="skus")
    variant = models.ForeignKey(
        Variant, null=True, blank=True, on_delete=models.SET_NULL, related_name="listing_skus"
    )
    selected = models.BooleanField(default=True)
    tiktok_sku_id = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001 - NULL = unbound; unique when set
    seller_sku = models.CharField(max_length=255, blank=True)
    linked_manually = models.BooleanField(default=False)
    pushed_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    pushed_inventory = models.IntegerField(null=True, blank=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    push_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["listing", "variant"],
                condition=Q(variant__isnull=False),
                name="uniq_listing_sku_variant",
            ),
            models.UniqueConstraint(
                fields=["channel", "tiktok_sku_id"],
                condition=Q(tiktok_sku_id__isnull=False),
                name="uniq_listing_sku_tiktok",
            ),
        ]


class TikTokImage(TimeStampedModel):
    """An image uploaded to a shop, by source URL and by content: each image is uploaded once."""

    shop = models.ForeignKey(ShopConnection, on_delete=models.CASCADE, related_name="images")
    source_url = models.URLField(max_length=1000)
    content_sha256 = models.CharField(max_length=64)
    use_case = models.CharField(max_length=32, default="MAIN_IMAGE")
    uri = models.CharField(max_length=500)
    url = models.URLField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["shop", "source_url", "use_case"], name="uniq_tiktok_image_source"
            )
        ]
        indexes = [models.Index(fields=["shop", "content_sha256"])]
