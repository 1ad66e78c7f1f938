"""Store and TikTok Shop connections, and the channels that pair them.

Credentials live in one encrypted JSON bundle per connection (tokens, secrets, keys); nothing
secret is ever stored in plaintext or logged. ``webhook_token`` makes each connection's webhook
URL unguessable.
"""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.db import models

from shopbridge.accounts.models import Merchant
from shopbridge.core.fields import EncryptedJSONField
from shopbridge.core.models import TimeStampedModel


def new_webhook_token() -> str:
    return secrets.token_urlsafe(24)


class StorePlatform(models.TextChoices):
    SHOPIFY = "shopify", "Shopify"
    WOOCOMMERCE = "woocommerce", "WooCommerce"
    BIGCOMMERCE = "bigcommerce", "BigCommerce"
    MAGENTO2 = "magento2", "Magento 2"
    PRESTASHOP = "prestashop", "PrestaShop"
    WIX = "wix", "Wix"
    SFCC = "sfcc", "Salesforce Commerce Cloud"
    AMAZON = "amazon", "Amazon Seller Central"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop (another region)"


class Region(models.TextChoices):
    US = "US", "United States"
    GB = "GB", "United Kingdom"
    SG = "SG", "Singapore"
    VN = "VN", "Vietnam"
    TH = "TH", "Thailand"
    MY = "MY", "Malaysia"
    ID = "ID", "Indonesia"
    PH = "PH", "Philippines"
    CN = "CN", "China"
    HK = "HK", "Hong Kong"


# TikTok Shop market currencies (../shared/spec/tiktok-shop-api.md §14.1).
REGION_CURRENCY = {
    "US": "USD",
    "GB": "GBP",
    "SG": "SGD",
    "VN": "VND",
    "TH": "THB",
    "MY": "MYR",
    "ID": "IDR",
    "PH": "PHP",
    "CN": "CNY",
    "HK": "HKD",
}


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACTIVE = "active", "Connected"
    ERROR = "error", "Needs attention"
    DISCONNECTED = "disconnected", "Disconnected"


class StoreConnection(TimeStampedModel):
    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="stores")
    platform = models.CharField(max_length=32, choices=StorePlatform.choices)
    name = models.CharField(max_length=200)
    base_url = models.URLField(max_length=500)
    external_id = models.CharField(max_length=255, help_text="Shop domain or the platform's store id")
    credentials = EncryptedJSONField(default=dict)
    currency = models.CharField(max_length=3, blank=True)
    weight_unit = models.CharField(max_length=4, blank=True)
    timezone = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=ConnectionStatus.choices, default=ConnectionStatus.PENDING
    )
    status_code = models.CharField(max_length=64, blank=True)
    status_reason = models.TextField(blank=True)
    status_fix = models.TextField(blank=True)
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token)
    import_cursor = models.CharField(max_length=255, blank=True)
    last_import_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=300)
    connected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "platform", "external_id"], name="uniq_store_per_merchant"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.name}"


class ShopConnection(TimeStampedModel):
    """One authorised TikTok Shop (one region)."""

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="shops")
    region = models.CharField(max_length=2, choices=Region.choices)
    shop_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    shop_cipher = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    api_base_url = models.URLField(max_length=500, default="https://open-api.tiktokglobalshop.com")
    auth_base_url = models.URLField(max_length=500, default="https://auth.tiktok-shops.com")
    # {"app_key", "app_secret", "access_token", "refresh_token"}
    credentials = EncryptedJSONField(default=dict)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    authorization_expires_at = models.DateTimeField(
        null=True, blank=True, help_text="Refresh token expiry: the end of the seller's authorisation"
    )
    warehouse_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=16, choices=ConnectionStatus.choices, default=ConnectionStatus.PENDING
    )
    status_code = models.CharField(max_length=64, blank=True)
    status_reason = models.TextField(blank=True)
    status_fix = models.TextField(blank=True)
    webhook_token = models.CharField(max_length=64, unique=True, default=new_webhook_token)
    orders_cursor = models.BigIntegerField(default=0, help_text="update_time of the newest order seen")
    last_success_at = models.DateTimeField(null=True, blank=True)
    poll_interval_seconds = models.PositiveIntegerField(default=120)
    connected_at = models.DateTimeField(null=True, blank=True)
    daily_listing_quota = models.PositiveIntegerField(default=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "shop_id"], name="uniq_shop_per_merchant")]

    def __str__(self) -> str:
        return f"TikTok Shop {self.region} {self.name}"


class Channel(TimeStampedModel):
    """A store feeding one TikTok shop, with its own rules. One store may feed several shops."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Syncing"
        PAUSED = "paused", "Paused"
        BLOCKED = "blocked", "Stopped"

    class OrderHold(models.TextChoices):
        CREATE_NOW = "create_now", "Create in the store at once"
        WAIT_HOLD = "wait_hold", "Wait until TikTok's cancellation window ends"

    merchant = models.ForeignKey(Merchant, on_delete=models.CASCADE, related_name="channels")
    store = models.ForeignKey(StoreConnection, on_delete=models.CASCADE, related_name="channels")
    shop = models.ForeignKey(ShopConnection, on_delete=models.CASCADE, related_name="channels")
    name = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    status_code = models.CharField(max_length=64, blank=True)
    status_reason = models.TextField(blank=True)
    status_fix = models.TextField(blank=True)
    currency_rate = models.DecimalField(
        max_digits=18,
        decimal_places=8,
        null=True,
        blank=True,
        help_text="Store currency -> shop currency. Needed when they differ.",
    )
    product_sync_enabled = models.BooleanField(default=True)
    order_sync_enabled = models.BooleanField(default=True)
    keep_details_in_sync = models.BooleanField(default=False)
    order_hold = models.CharField(max_length=16, choices=OrderHold.choices, default=OrderHold.CREATE_NOW)
    push_store_cancellations = models.BooleanField(default=False)
    # Price, inventory, defaults, order numbering, placeholders, carrier mapping: see listings.rules / orders.options.
    settings = models.JSONField(default=dict, blank=True)
    orders_since = models.DateTimeField(
        null=True, blank=True, help_text="Orders placed before this are not synced"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "shop"], name="uniq_channel_store_shop")]

    def __str__(self) -> str:
        return self.name or f"{self.store} → {self.shop}"

    @property
    def currencies_differ(self) -> bool:
        return bool(self.store.currency) and self.store.currency != self.shop.currency

    @property
    def effective_rate(self) -> Decimal | None:
        return None if not self.currencies_differ else self.currency_rate
