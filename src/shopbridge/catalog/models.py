"""The canonical catalogue: a mirror of each store's products, variants, images and stock.

Every row is keyed by (store, external id): the binding to the store's own record. Importers
upsert on that key, so importing twice changes nothing.
"""

from __future__ import annotations

from django.db import models

from shopbridge.connections.models import StoreConnection
from shopbridge.core.models import TimeStampedModel


class Category(TimeStampedModel):
    """A store grouping used for mapping: category, collection, product type or tag."""

    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="categories")
    kind = models.CharField(max_length=16, default="category")
    external_id = models.CharField(max_length=255)
    name = models.CharField(max_length=500)
    parent_external_id = models.CharField(max_length=255, blank=True)
    path = models.CharField(max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["store", "kind", "external_id"], name="uniq_category_binding")
        ]


class Product(TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active"
        DRAFT = "draft"
        ARCHIVED = "archived"
        DELETED = "deleted"

    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="products")
    external_id = models.CharField(max_length=255)
    title = models.CharField(max_length=1000)
    description_html = models.TextField(blank=True)
    handle = models.CharField(max_length=500, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    vendor = models.CharField(max_length=255, blank=True)
    product_type = models.CharField(max_length=255, blank=True)
    tags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    category_ids = models.JSONField(default=list, blank=True)
    options = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    store_updated_at = models.DateTimeField(null=True, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "external_id"], name="uniq_product_binding")]
        indexes = [models.Index(fields=["store", "status"])]

    def __str__(self) -> str:
        return self.title


class Variant(TimeStampedModel):
    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="variants")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    external_id = models.CharField(max_length=255)
    sku = models.CharField(max_length=255, blank=True)
    barcode = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=500, blank=True)
    options = models.JSONField(default=dict, blank=True)
    price = models.DecimalField(max_digits=14, decimal_places=4)
    compare_at_price = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    weight = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    weight_unit = models.CharField(max_length=4, blank=True)
    dimensions = models.JSONField(default=dict, blank=True)
    inventory_item_id = models.CharField(max_length=255, blank=True)
    tracks_inventory = models.BooleanField(default=True)
    continue_selling = models.BooleanField(default=False)
    requires_shipping = models.BooleanField(default=True)
    image_url = models.URLField(max_length=1000, blank=True)
    position = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)
    stock_refresh_requested_at = models.DateTimeField(
        null=True, blank=True, help_text="A stock webhook named this variant: re-read its levels (batched per store)"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "external_id"], name="uniq_variant_binding")]
        indexes = [models.Index(fields=["store", "sku"]), models.Index(fields=["store", "inventory_item_id"])]


class Image(TimeStampedModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    external_id = models.CharField(max_length=255, blank=True)
    url = models.URLField(max_length=1000)
    position = models.PositiveIntegerField(default=1)
    alt = models.CharField(max_length=500, blank=True)
    variant_ids = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["product", "url"], name="uniq_image_per_product")]
        ordering = ["position"]


class Location(TimeStampedModel):
    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="locations")
    external_id = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "external_id"], name="uniq_location_binding")]


class InventoryLevel(TimeStampedModel):
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="inventory_levels")
    location_external_id = models.CharField(max_length=255)
    available = models.IntegerField()
    read_at = models.DateTimeField(help_text="When this value was read from the store")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["variant", "location_external_id"], name="uniq_inventory_level")
        ]


class ImportRun(TimeStampedModel):
    """Progress of a full or incremental catalogue import."""

    class State(models.TextChoices):
        RUNNING = "running"
        DONE = "done"
        FAILED = "failed"

    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="import_runs")
    kind = models.CharField(max_length=16, default="full")
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    pages = models.PositiveIntegerField(default=0)
    products_seen = models.PositiveIntegerField(default=0)
    products_changed = models.PositiveIntegerField(default=0)
    products_deleted = models.PositiveIntegerField(default=0)
    skipped = models.JSONField(default=list, blank=True)
    error = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
