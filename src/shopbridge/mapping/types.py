"""Settings and category facts the listing transform works from.

Everything here is a frozen value object: the mapping functions are pure, so the same product with
the same settings always gives the same payload (and the same payload hash).

Spec references are to ``../shared/spec/tiktok-shop-api.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from shopbridge.connectors.base.dto import DimensionUnit, WeightUnit

# ---------------------------------------------------------------------------------------------
# Price, inventory and currency rules
# ---------------------------------------------------------------------------------------------


class PriceSource(StrEnum):
    """Which store price a rule starts from.

    The store DTO has ``price`` (what the shopper pays today) and ``compare_at_price`` (the "was"
    price; WooCommerce's regular price while on sale).
    """

    PRICE = "price"  # the current selling price, as is
    SALE_PRICE = "sale_price"  # the lower of price / compare-at (the discounted price when on sale)
    COMPARE_AT = "compare_at_price"  # the "was" price; falls back to price when there is none


class Adjustment(StrEnum):
    NONE = "none"
    PERCENT = "percent"  # amount is a signed percentage: 10 = +10 %, -15 = -15 %
    FIXED = "fixed"  # amount is a signed sum in the *listing* currency: 2 = +2.00, -1 = -1.00


class Rounding(StrEnum):
    NONE = "none"  # only quantised to the currency's minor unit (half up)
    TO_99 = "to_99"  # whole part kept, cents set to .99 (12.30 -> 12.99)
    TO_95 = "to_95"  # whole part kept, cents set to .95 (12.30 -> 12.95)
    WHOLE = "whole"  # nearest whole unit, half up (12.50 -> 13)
    UP_TO_N = "up_to_n"  # up to the next multiple of ``round_to`` (N=5: 12.30 -> 15)


@dataclass(frozen=True)
class PriceRule:
    source: PriceSource = PriceSource.PRICE
    adjustment: Adjustment = Adjustment.NONE
    amount: Decimal = Decimal("0")
    rounding: Rounding = Rounding.NONE
    round_to: Decimal | None = None  # N for Rounding.UP_TO_N (> 0)


@dataclass(frozen=True)
class CurrencyRule:
    """Store currency -> listing currency. ``rate`` = listing units per store unit (None: not set)."""

    store_currency: str
    rate: Decimal | None = None


@dataclass(frozen=True)
class InventoryRule:
    percentage: Decimal = Decimal("100")  # share of the counted stock offered on TikTok
    out_of_stock_threshold: int = 0  # below this many units, send 0
    cap: int | None = None  # never offer more than this
    location_ids: frozenset[str] | None = None  # None: every location counts
    reserved: int = 0  # oversell guard: kept back for other channels


# ---------------------------------------------------------------------------------------------
# Per-channel listing defaults
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CertificationInput:
    """A certificate the merchant uploaded once for this channel (§8.8 ``certifications[]``)."""

    id: str
    image_uris: tuple[str, ...] = ()
    files: tuple[tuple[str, str], ...] = ()  # (file id, file name); format is always PDF (§8.7)
    expiration_date: int | None = None  # Unix seconds


@dataclass(frozen=True)
class ChannelDefaults:
    """What the merchant set once per TikTok shop, used where the product itself says nothing."""

    brand_id: str | None = None
    package_weight: Decimal | None = None
    package_weight_unit: WeightUnit = WeightUnit.KG
    package_length: Decimal | None = None
    package_width: Decimal | None = None
    package_height: Decimal | None = None
    package_dimension_unit: DimensionUnit = DimensionUnit.CM
    size_chart_image_uri: str | None = None
    size_chart_template_id: str | None = None
    certifications: tuple[CertificationInput, ...] = ()
    # attribute id -> value names (template defaults for product attributes, e.g. required ones)
    product_attributes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    is_cod_allowed: bool | None = None
    # Hazardous goods are declared through category attributes on TikTok (there is no top-level
    # hazmat field in §8.8), so a merchant marks them via ``product_attributes``.
    max_package_weight_kg: Decimal | None = None  # from the delivery option's weight_limit (§9.2)


SellerType = Literal["local", "global_local_warehouse", "global_cross_border"]


@dataclass(frozen=True)
class ListingSettings:
    warehouse_id: str
    currency: CurrencyRule
    price_rule: PriceRule = PriceRule()
    inventory_rule: InventoryRule = InventoryRule()
    defaults: ChannelDefaults = ChannelDefaults()
    seller_type: SellerType = "local"
    save_mode: Literal["LISTING", "AS_DRAFT"] = "LISTING"


# ---------------------------------------------------------------------------------------------
# Category facts (from Get Categories / Get Attributes / Get Category Rules, §8.1–§8.3)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttributeValue:
    id: str
    name: str


@dataclass(frozen=True)
class CategoryAttribute:
    """One attribute of a category (§8.2). ``is_sales`` = SALES_PROPERTY (a variant dimension)."""

    id: str
    name: str
    is_sales: bool = False
    is_required: bool = False  # §8.2 ``is_requried`` (sic); meaningful for product properties only
    values: tuple[AttributeValue, ...] = ()
    is_customizable: bool = True
    is_multiple_selection: bool = False

    @classmethod
    def from_api(cls, data: Mapping[str, Any]) -> CategoryAttribute:
        """Build from one ``data.attributes[]`` item of Get Attributes (§8.2; note the typo field)."""
        return cls(
            id=str(data["id"]),
            name=str(data.get("name", "")),
            is_sales=data.get("type") == "SALES_PROPERTY",
            # Accept both the wire name and a model dump that corrected the spelling.
            is_required=bool(data.get("is_requried", data.get("is_required", False))),
            values=tuple(
                AttributeValue(str(v["id"]), str(v.get("name", ""))) for v in data.get("values") or []
            ),
            # A SALES_PROPERTY always accepts custom value names (§8.8 ``value_name``); for product
            # properties the flag decides.
            is_customizable=bool(data.get("is_customizable", data.get("type") == "SALES_PROPERTY")),
            is_multiple_selection=bool(data.get("is_multiple_selection", False)),
        )


@dataclass(frozen=True)
class CertificationRule:
    id: str
    name: str
    is_required: bool = False


@dataclass(frozen=True)
class CategoryInfo:
    """A TikTok leaf category with its attributes and rules. ``path`` is ``"L1>L2>L3"``."""

    id: str
    path: str
    is_leaf: bool = True
    attributes: tuple[CategoryAttribute, ...] = ()
    size_chart_required: bool = False
    size_chart_supported: bool = True
    certifications: tuple[CertificationRule, ...] = ()
    package_dimension_required: bool = False
    cod_supported: bool = True
    category_version: str = "v1"

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(s.strip() for s in self.path.split(">") if s.strip())

    @property
    def sales_attributes(self) -> tuple[CategoryAttribute, ...]:
        return tuple(a for a in self.attributes if a.is_sales)

    @property
    def product_attributes(self) -> tuple[CategoryAttribute, ...]:
        return tuple(a for a in self.attributes if not a.is_sales)

    @classmethod
    def from_api(
        cls,
        *,
        category_id: str,
        path: str,
        is_leaf: bool = True,
        attributes: list[Mapping[str, Any]] | None = None,
        rules: Mapping[str, Any] | None = None,
        category_version: str = "v1",
    ) -> CategoryInfo:
        """Build from Get Attributes ``data.attributes`` and Get Category Rules ``data`` (§8.2, §8.3)."""
        rules = rules or {}
        size_chart = rules.get("size_chart") or {}
        return cls(
            id=str(category_id),
            path=path,
            is_leaf=is_leaf,
            attributes=tuple(CategoryAttribute.from_api(a) for a in attributes or []),
            size_chart_required=bool(size_chart.get("is_required", False)),
            size_chart_supported=bool(size_chart.get("is_supported", True)),
            certifications=tuple(
                CertificationRule(str(c["id"]), str(c.get("name") or ""), bool(c.get("is_required", False)))
                for c in rules.get("product_certifications") or []
            ),
            package_dimension_required=bool((rules.get("package_dimension") or {}).get("is_required", False)),
            cod_supported=bool((rules.get("cod") or {}).get("is_supported", True)),
            category_version=category_version,
        )


# ---------------------------------------------------------------------------------------------
# Region facts (§14)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceRange:
    min: Decimal
    max: Decimal


@dataclass(frozen=True)
class RegionRules:
    code: str  # shop ``region`` (GB, not UK; §14.1)
    name: str
    currency: str
    currency_decimals: int
    locale: str
    title_min: int
    title_max: int
    max_skus: int
    weight_units: tuple[str, ...]  # TikTok enum names, preferred first
    dimension_units: tuple[str, ...]
    package_dimensions_required: bool
    price_ranges: Mapping[str, PriceRange]  # by SellerType; missing key: that seller type cannot sell here
    category_version: str = "v1"
    description_max: int = 10_000
    description_max_images: int = 30
    main_images_min: int = 1
    main_images_max: int = 9
    max_inventory: int = 99_999
    max_package_weight_kg: Decimal = Decimal("100")
    confirmed: bool = True  # False: not in the spec; values are best guesses

    def price_range(self, seller_type: str = "local") -> PriceRange | None:
        return self.price_ranges.get(seller_type)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DescriptionImage:
    """A description image already uploaded to TikTok (§8.6 response ``url``, ``width``, ``height``)."""

    url: str
    width: int
    height: int
