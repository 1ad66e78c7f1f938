"""Channel settings (JSON on the channel) <-> the typed rules the pure mapping functions take.

Stored shape (every key optional)::

    {"price_rule": {"source": "price", "adjustment": "percent", "amount": "10", "rounding": "to_99"},
     "inventory_rule": {"percentage": "100", "out_of_stock_threshold": 0, "cap": null, "location_ids": null},
     "defaults": {"brand_id": null, "package_weight": "0.5", "package_weight_unit": "kg",
                  "package_length": "20", "package_width": "15", "package_height": "5",
                  "package_dimension_unit": "cm", "size_chart_image_uri": null,
                  "product_attributes": {"100107": ["Cotton"]},
                  "certifications": [{"id": "<rule id>", "image_uris": ["<uri>"], "files": [["<file id>", "a.pdf"]],
                                      "expiration_date": 1767225600}]},
     "carriers": {"mapping": {"Royal Mail Tracked 48": "<provider id>"}, "default_provider_id": null},
     "orders": {...}}
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shopbridge.connections.models import Channel
from shopbridge.connectors.base.dto import DimensionUnit, WeightUnit
from shopbridge.mapping.types import (
    Adjustment,
    CertificationInput,
    ChannelDefaults,
    CurrencyRule,
    InventoryRule,
    ListingSettings,
    PriceRule,
    PriceSource,
    Rounding,
)

# Used when a product and the channel both say nothing: a small parcel. The merchant sees a note
# on every listing that used a default.
FALLBACK_PACKAGE_WEIGHT_KG = Decimal("0.5")
FALLBACK_DIMENSIONS_CM = (Decimal("20"), Decimal("15"), Decimal("5"))


def _dec(value: Any, default: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return default
    return Decimal(str(value))


def price_rule(data: dict[str, Any]) -> PriceRule:
    return PriceRule(
        source=PriceSource(data.get("source", "price")),
        adjustment=Adjustment(data.get("adjustment", "none")),
        amount=_dec(data.get("amount"), Decimal("0")),
        rounding=Rounding(data.get("rounding", "none")),
        round_to=_dec(data.get("round_to")),
    )


def inventory_rule(data: dict[str, Any], *, reserved: int = 0) -> InventoryRule:
    locations = data.get("location_ids")
    return InventoryRule(
        percentage=_dec(data.get("percentage"), Decimal("100")),
        out_of_stock_threshold=int(data.get("out_of_stock_threshold") or 0),
        cap=int(data["cap"]) if data.get("cap") not in (None, "") else None,
        location_ids=frozenset(locations) if locations else None,
        reserved=reserved,
    )


def certifications(items: list[dict[str, Any]] | None) -> tuple[CertificationInput, ...]:
    """Certificates the merchant uploaded once per channel/template; sent only to categories whose
    rules ask for them (../shared/spec/tiktok-shop-api.md §8.3, §8.8 certifications)."""
    return tuple(
        CertificationInput(
            id=str(item["id"]),
            image_uris=tuple(item.get("image_uris") or ()),
            files=tuple((str(f[0]), str(f[1])) for f in item.get("files") or ()),
            expiration_date=int(item["expiration_date"]) if item.get("expiration_date") else None,
        )
        for item in items or []
        if item.get("id")
    )


def channel_defaults(
    data: dict[str, Any], template_defaults: dict[str, Any] | None = None
) -> ChannelDefaults:
    merged = {**data, **(template_defaults or {})}
    attrs = {
        **(data.get("product_attributes") or {}),
        **((template_defaults or {}).get("product_attributes") or {}),
    }
    length, width, height = FALLBACK_DIMENSIONS_CM
    return ChannelDefaults(
        brand_id=merged.get("brand_id") or None,
        package_weight=_dec(merged.get("package_weight"), FALLBACK_PACKAGE_WEIGHT_KG),
        package_weight_unit=WeightUnit(merged.get("package_weight_unit", "kg")),
        package_length=_dec(merged.get("package_length"), length),
        package_width=_dec(merged.get("package_width"), width),
        package_height=_dec(merged.get("package_height"), height),
        package_dimension_unit=DimensionUnit(merged.get("package_dimension_unit", "cm")),
        size_chart_image_uri=merged.get("size_chart_image_uri") or None,
        size_chart_template_id=merged.get("size_chart_template_id") or None,
        certifications=certifications(merged.get("certifications")),
        product_attributes={str(k): tuple(v if isinstance(v, list) else [v]) for k, v in attrs.items()},
        is_cod_allowed=merged.get("is_cod_allowed"),
    )


def listing_settings(
    channel: Channel, *, template_defaults: dict[str, Any] | None = None, reserved: int = 0
) -> ListingSettings:
    s = channel.settings or {}
    return ListingSettings(
        warehouse_id=channel.shop.warehouse_id,
        currency=CurrencyRule(
            store_currency=channel.store.currency or channel.shop.currency, rate=channel.currency_rate
        ),
        price_rule=price_rule(s.get("price_rule") or {}),
        inventory_rule=inventory_rule(s.get("inventory_rule") or {}, reserved=reserved),
        defaults=channel_defaults(s.get("defaults") or {}, template_defaults),
    )
