"""Dashboard forms: plain Django forms whose cleaned data maps one-to-one onto service arguments."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from shopbridge.connections.models import Channel
from shopbridge.listings.models import CategoryTemplate
from shopbridge.mapping.types import Adjustment, PriceSource, Rounding

STORE_PLATFORMS = [("shopify", "Shopify"), ("woocommerce", "WooCommerce")]


class StoreConnectForm(forms.Form):
    platform = forms.ChoiceField(choices=STORE_PLATFORMS)
    name = forms.CharField(
        max_length=200, required=False, help_text="Shown in ShopBridge; defaults to the store's name."
    )
    base_url = forms.URLField(label="Store address", max_length=500, assume_scheme="https")
    shop_domain = forms.CharField(
        max_length=255, required=False, help_text="Shopify: the *.myshopify.com domain."
    )
    access_token = forms.CharField(
        max_length=500, required=False, help_text="Shopify: Admin API access token."
    )
    api_secret = forms.CharField(
        max_length=500, required=False, help_text="Shopify: API secret key (verifies webhooks)."
    )
    consumer_key = forms.CharField(
        max_length=500, required=False, help_text="WooCommerce: REST API consumer key."
    )
    consumer_secret = forms.CharField(
        max_length=500, required=False, help_text="WooCommerce: consumer secret."
    )
    webhook_secret = forms.CharField(max_length=500, required=False, help_text="WooCommerce: webhook secret.")

    REQUIRED = {
        "shopify": ("shop_domain", "access_token", "api_secret"),
        "woocommerce": ("consumer_key", "consumer_secret"),
    }

    def clean(self) -> dict:
        data = super().clean()
        for name in self.REQUIRED.get(data.get("platform", ""), ()):
            if not (data.get(name) or "").strip():
                self.add_error(name, "Required for this platform.")
        return data

    def service_kwargs(self) -> dict:
        """The arguments of ``connections.services.store_connect``."""
        d = self.cleaned_data
        if d["platform"] == "shopify":
            external_id = d["shop_domain"].strip()
            credentials = {
                "access_token": d["access_token"].strip(),
                "api_secret": d["api_secret"].strip(),
                "api_version": "2024-10",
            }
        else:
            external_id = d["base_url"].rstrip("/")
            credentials = {k: d[k].strip() for k in ("consumer_key", "consumer_secret", "webhook_secret")}
        return {
            "platform": d["platform"],
            "base_url": d["base_url"],
            "external_id": external_id,
            "credentials": credentials,
            "name": d["name"].strip(),
        }


class TikTokAppForm(forms.Form):
    """The TikTok Partner app ShopBridge acts as (from settings.TIKTOK_APP, or typed here)."""

    app_key = forms.CharField(max_length=200)
    app_secret = forms.CharField(max_length=500, widget=forms.PasswordInput(render_value=True))
    service_id = forms.CharField(max_length=200)
    api_base_url = forms.URLField(max_length=500, assume_scheme="https")
    auth_base_url = forms.URLField(max_length=500, assume_scheme="https")
    authorize_url = forms.URLField(
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="The seller authorisation page; empty: TikTok's own for the region.",
    )
    us = forms.BooleanField(required=False, label="United States shop (US authorisation page)")


class ChannelCreateForm(forms.Form):
    store = forms.IntegerField(min_value=1)
    shop = forms.IntegerField(min_value=1)
    name = forms.CharField(max_length=200, required=False)


class CurrencyRateForm(forms.Form):
    rate = forms.DecimalField(
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
        required=False,
        help_text="1 unit of the store's currency in the shop's currency. Empty: no conversion.",
    )


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(m.value, m.value.replace("_", " ")) for m in enum]


class ChannelSettingsForm(forms.Form):
    """Every editable channel setting, flattened; ``to_service`` rebuilds the stored JSON shape."""

    product_sync_enabled = forms.BooleanField(required=False, label="Sync products")
    keep_details_in_sync = forms.BooleanField(required=False, label="Keep titles and descriptions in sync")
    order_sync_enabled = forms.BooleanField(required=False, label="Sync orders")
    push_store_cancellations = forms.BooleanField(required=False, label="Push store cancellations to TikTok")
    order_hold = forms.ChoiceField(choices=Channel.OrderHold.choices, label="New orders")
    price_source = forms.ChoiceField(choices=_choices(PriceSource), label="Price from")
    price_adjustment = forms.ChoiceField(choices=_choices(Adjustment), label="Adjust by")
    price_amount = forms.DecimalField(required=False, max_digits=12, decimal_places=4, label="Amount")
    price_rounding = forms.ChoiceField(choices=_choices(Rounding), label="Rounding")
    price_round_to = forms.DecimalField(
        required=False,
        max_digits=12,
        decimal_places=4,
        min_value=Decimal("0.01"),
        label="Round up to a multiple of",
    )
    stock_percentage = forms.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=100,
        initial=100,
        label="Share of store stock listed (%)",
    )
    stock_threshold = forms.IntegerField(min_value=0, initial=0, label="Show out of stock at or below")
    stock_cap = forms.IntegerField(min_value=0, required=False, label="Never list more than")
    brand_id = forms.CharField(max_length=64, required=False, label="Default TikTok brand id")
    package_weight = forms.DecimalField(
        required=False,
        max_digits=10,
        decimal_places=3,
        min_value=Decimal("0.001"),
        label="Default package weight",
    )
    package_weight_unit = forms.ChoiceField(choices=[("kg", "kg"), ("g", "g"), ("lb", "lb"), ("oz", "oz")])
    package_length = forms.DecimalField(
        required=False, max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    package_width = forms.DecimalField(
        required=False, max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    package_height = forms.DecimalField(
        required=False, max_digits=10, decimal_places=2, min_value=Decimal("0.01")
    )
    package_dimension_unit = forms.ChoiceField(choices=[("cm", "cm"), ("inch", "inch")])
    order_numbering = forms.ChoiceField(
        choices=[("store", "The store's own numbers"), ("tiktok", "TikTok order id with prefix/suffix")]
    )
    order_prefix = forms.CharField(max_length=20, required=False)
    order_suffix = forms.CharField(max_length=20, required=False)
    order_tag = forms.CharField(max_length=50, required=False)
    fulfilment_hold = forms.ChoiceField(
        choices=[
            ("off", "Push at once"),
            ("warn", "Push, with a warning"),
            ("hold", "Hold until TikTok's cancellation hour ends"),
        ]
    )
    require_address = forms.BooleanField(required=False, label="Wait for the buyer's address")
    sync_samples = forms.BooleanField(required=False, label="Sync free sample orders")
    carrier_mapping = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line: store carrier name = TikTok shipping provider id",
    )
    default_provider_id = forms.CharField(
        max_length=64, required=False, label="Default TikTok shipping provider id"
    )

    GROUPS = {
        "sync_fields": (
            "product_sync_enabled",
            "keep_details_in_sync",
            "order_sync_enabled",
            "push_store_cancellations",
            "order_hold",
        ),
        "price_fields": (
            "price_source",
            "price_adjustment",
            "price_amount",
            "price_rounding",
            "price_round_to",
        ),
        "stock_fields": ("stock_percentage", "stock_threshold", "stock_cap"),
        "default_fields": (
            "brand_id",
            "package_weight",
            "package_weight_unit",
            "package_length",
            "package_width",
            "package_height",
            "package_dimension_unit",
        ),
        "order_fields": (
            "order_numbering",
            "order_prefix",
            "order_suffix",
            "order_tag",
            "fulfilment_hold",
            "require_address",
            "sync_samples",
        ),
        "carrier_fields": ("carrier_mapping", "default_provider_id"),
    }

    def groups(self) -> dict[str, list]:
        return {group: [self[name] for name in names] for group, names in self.GROUPS.items()}

    def clean_carrier_mapping(self) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for n, line in enumerate(self.cleaned_data["carrier_mapping"].splitlines(), 1):
            if not line.strip():
                continue
            name, sep, provider = line.partition("=")
            if not sep or not name.strip() or not provider.strip():
                raise forms.ValidationError(f"Line {n}: write “store carrier name = provider id”.")
            mapping[name.strip()] = provider.strip()
        return mapping

    @classmethod
    def initial_for(cls, channel: Channel) -> dict:
        s = channel.settings or {}
        price, stock, dflt = s.get("price_rule") or {}, s.get("inventory_rule") or {}, s.get("defaults") or {}
        orders, carriers = s.get("orders") or {}, s.get("carriers") or {}
        return {
            **{
                f: getattr(channel, f)
                for f in (
                    "product_sync_enabled",
                    "keep_details_in_sync",
                    "order_sync_enabled",
                    "push_store_cancellations",
                    "order_hold",
                )
            },
            "price_source": price.get("source", "price"),
            "price_adjustment": price.get("adjustment", "none"),
            "price_amount": price.get("amount"),
            "price_rounding": price.get("rounding", "none"),
            "price_round_to": price.get("round_to"),
            "stock_percentage": stock.get("percentage", 100),
            "stock_threshold": stock.get("out_of_stock_threshold", 0),
            "stock_cap": stock.get("cap"),
            **{
                k: dflt.get(k)
                for k in ("brand_id", "package_weight", "package_length", "package_width", "package_height")
            },
            "package_weight_unit": dflt.get("package_weight_unit", "kg"),
            "package_dimension_unit": dflt.get("package_dimension_unit", "cm"),
            "order_numbering": orders.get("numbering", "store"),
            "order_prefix": orders.get("prefix", "TT-"),
            "order_suffix": orders.get("suffix", ""),
            "order_tag": orders.get("tag", "TikTok"),
            "fulfilment_hold": orders.get("fulfilment_hold", "off"),
            "require_address": orders.get("require_address", False),
            "sync_samples": orders.get("sync_samples", True),
            "carrier_mapping": "\n".join(f"{k} = {v}" for k, v in (carriers.get("mapping") or {}).items()),
            "default_provider_id": carriers.get("default_provider_id") or "",
        }

    def to_service(self, channel: Channel) -> dict:
        """Arguments for ``channel_settings_update``; keys the form does not edit are kept."""
        d = self.cleaned_data
        s = channel.settings or {}

        def text(value: object) -> str | None:
            return None if value in (None, "") else str(value)

        defaults = {
            **(s.get("defaults") or {}),
            "brand_id": d["brand_id"] or None,
            "package_weight": text(d["package_weight"]),
            "package_weight_unit": d["package_weight_unit"],
            "package_length": text(d["package_length"]),
            "package_width": text(d["package_width"]),
            "package_height": text(d["package_height"]),
            "package_dimension_unit": d["package_dimension_unit"],
        }
        orders = {
            **(s.get("orders") or {}),
            "numbering": d["order_numbering"],
            "prefix": d["order_prefix"],
            "suffix": d["order_suffix"],
            "tag": d["order_tag"] or "TikTok",
            "fulfilment_hold": d["fulfilment_hold"],
            "require_address": d["require_address"],
            "sync_samples": d["sync_samples"],
        }
        return {
            "settings": {
                "price_rule": {
                    "source": d["price_source"],
                    "adjustment": d["price_adjustment"],
                    "amount": text(d["price_amount"]) or "0",
                    "rounding": d["price_rounding"],
                    "round_to": text(d["price_round_to"]),
                },
                "inventory_rule": {
                    **(s.get("inventory_rule") or {}),
                    "percentage": str(d["stock_percentage"]),
                    "out_of_stock_threshold": d["stock_threshold"],
                    "cap": d["stock_cap"],
                },
                "defaults": defaults,
                "orders": orders,
                "carriers": {
                    "mapping": d["carrier_mapping"],
                    "default_provider_id": d["default_provider_id"] or None,
                },
            },
            "order_hold": d["order_hold"],
            **{
                f: d[f]
                for f in (
                    "product_sync_enabled",
                    "keep_details_in_sync",
                    "order_sync_enabled",
                    "push_store_cancellations",
                )
            },
        }


def _json_object(value: object, field: str) -> dict:
    """JSON typed in a textarea: empty means {}, anything but an object is refused."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise forms.ValidationError(f'Write a JSON object, e.g. {{"{field}": "…"}}.')
    return value


class CategoryTemplateForm(forms.Form):
    """The arguments of ``listings.services.template_create`` (the channel comes from the URL)."""

    name = forms.CharField(max_length=200)
    match_field = forms.ChoiceField(choices=CategoryTemplate.MatchField.choices, label="Match on")
    match_value = forms.CharField(max_length=500, label="Value")
    category_id = forms.RegexField(
        regex=r"^[0-9]{1,32}$",
        label="TikTok leaf category",
        error_messages={"required": "Choose a TikTok category.", "invalid": "Choose a TikTok category."},
    )
    priority = forms.IntegerField(
        min_value=0,
        max_value=1_000_000,
        initial=100,
        help_text="Lower numbers win when several templates match a product.",
    )
    attribute_defaults = forms.JSONField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='TikTok attribute values for mapped products, e.g. {"100198": "Cotton"}.',
    )
    defaults = forms.JSONField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text='Listing defaults, e.g. {"brand_id": "7082427311584347905"}.',
    )
    apply = forms.BooleanField(required=False, initial=True, label="Map matching unmapped products now")

    def clean_match_value(self) -> str:
        value = self.cleaned_data["match_value"].strip()
        if not value:
            raise forms.ValidationError("Give the value products must have.")
        return value

    def clean_attribute_defaults(self) -> dict:
        return _json_object(self.cleaned_data["attribute_defaults"], "attribute id")

    def clean_defaults(self) -> dict:
        return _json_object(self.cleaned_data["defaults"], "brand_id")
