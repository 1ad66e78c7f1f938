"""Per-region listing limits (``../shared/spec/tiktok-shop-api.md`` §8.8, §14.1–§14.3).

One ``RegionRules`` per TikTok Shop market. Values tagged [OFF] in the spec are used as is; where
the newer and older docs disagree the newer one wins and the comment says so. CN and HK are not
TikTok Shop markets in the spec: they are listed because merchants ask for them, with
``confirmed=False`` and the "all other regions" defaults — UNCONFIRMED.
"""

from __future__ import annotations

from decimal import Decimal

from .types import PriceRange, RegionRules

D = Decimal

# §14.2: "Title length: DE/ES/FR/IE/IT/JP/UK/US 1–255; BR/MX 1–300; ID/MY/PH/SG/TH/VN 25–255".
# §14.2: max SKUs "newer: BR, EU, JP, MX, UK, US 300; others 100" — the older doc and error 12052050
# say the reverse (§16 item 12, UNCONFIRMED); we follow the newer doc.
# §14.2: weight units "US KILOGRAM or POUND; BR/JP/MX KILOGRAM or GRAM; others KILOGRAM";
# dimension units "US CENTIMETER or INCH; others CENTIMETER".
# §14.2: package dimensions mandatory for local MY, SG, UK, US ([OFF-old]); otherwise per category rule.
# §14.3: price ranges per seller type, local currency.
# max_package_weight_kg: UNCONFIRMED — §8.8 gives no product-level cap (the real one is the
# delivery option's ``weight_limit``, §9.2); 100 kg is a sanity cap that catches unit mistakes
# (grams typed as kilograms). ChannelDefaults.max_package_weight_kg overrides it.

_METRIC = ("KILOGRAM",)
_METRIC_GRAM = ("KILOGRAM", "GRAM")
_CM = ("CENTIMETER",)


def _range(lo: str, hi: str) -> PriceRange:
    return PriceRange(D(lo), D(hi))


def _eu(code: str, name: str, locale: str, *, global_sellers: bool = True) -> RegionRules:
    ranges = {"local": _range("0.01", "6300")}
    if global_sellers:  # §14.3: "0.01 – 6,300 (not IE)" / "0.01 – 150 (not IE)"
        ranges |= {
            "global_local_warehouse": _range("0.01", "6300"),
            "global_cross_border": _range("0.01", "150"),
        }
    return RegionRules(
        code=code,
        name=name,
        currency="EUR",
        currency_decimals=2,
        locale=locale,
        title_min=1,
        title_max=255,
        max_skus=300,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges=ranges,
    )


REGIONS: dict[str, RegionRules] = {
    "US": RegionRules(
        code="US",
        name="United States",
        currency="USD",
        currency_decimals=2,
        locale="en-US",
        title_min=1,
        title_max=255,
        max_skus=300,
        weight_units=("POUND", "KILOGRAM"),
        dimension_units=("INCH", "CENTIMETER"),
        package_dimensions_required=True,
        price_ranges={
            "local": _range("0.01", "7600"),
            "global_local_warehouse": _range("0.01", "7600"),
            "global_cross_border": _range("0.01", "800"),
        },
        category_version="v2",  # §8.1: "US shops must pass v2"
    ),
    "GB": RegionRules(
        code="GB",
        name="United Kingdom",
        currency="GBP",
        currency_decimals=2,
        locale="en-GB",
        title_min=1,
        title_max=255,
        max_skus=300,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=True,
        price_ranges={
            "local": _range("0.01", "5600"),
            "global_local_warehouse": _range("0.01", "5600"),
            "global_cross_border": _range("0.01", "134.5"),
        },
    ),
    "SG": RegionRules(
        code="SG",
        name="Singapore",
        currency="SGD",
        currency_decimals=2,
        locale="en-SG",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=True,
        price_ranges={
            "local": _range("0.01", "10000"),
            "global_local_warehouse": _range("0.01", "10000"),
            "global_cross_border": _range("0.01", "400"),
        },
    ),
    "VN": RegionRules(
        code="VN",
        name="Vietnam",
        currency="VND",
        currency_decimals=0,
        locale="vi-VN",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={
            "local": _range("1", "180000000"),
            "global_local_warehouse": _range("1", "180000000"),
            "global_cross_border": _range("1", "1000000"),
        },
    ),
    "TH": RegionRules(
        code="TH",
        name="Thailand",
        currency="THB",
        currency_decimals=2,
        locale="th-TH",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={
            "local": _range("30", "260000"),
            "global_local_warehouse": _range("30", "260000"),
            "global_cross_border": _range("0.01", "260000"),
        },
    ),
    "MY": RegionRules(
        code="MY",
        name="Malaysia",
        currency="MYR",
        currency_decimals=2,
        locale="ms-MY",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=True,
        price_ranges={
            "local": _range("0.01", "320000"),
            "global_local_warehouse": _range("0.01", "320000"),
            "global_cross_border": _range("0.01", "320000"),
        },
    ),
    "ID": RegionRules(
        code="ID",
        name="Indonesia",
        # IDR has 2 minor digits in ISO 4217 but is priced in whole rupiah in practice, and the
        # §14.3 range starts at 100; we quantise to whole units (UNCONFIRMED whether TikTok
        # rejects decimals).
        currency="IDR",
        currency_decimals=0,
        locale="id-ID",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={"local": _range("100", "100000000")},  # §14.3: local sellers only
    ),
    "PH": RegionRules(
        code="PH",
        name="Philippines",
        currency="PHP",
        currency_decimals=2,
        locale="en-PH",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={
            "local": _range("0.01", "400000"),
            "global_local_warehouse": _range("0.01", "400000"),
            "global_cross_border": _range("0.01", "400000"),
        },
    ),
    "JP": RegionRules(
        code="JP",
        name="Japan",
        currency="JPY",
        currency_decimals=0,
        locale="ja-JP",
        title_min=1,
        title_max=255,
        max_skus=300,
        weight_units=_METRIC_GRAM,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={
            "local": _range("1", "500000"),
            "global_local_warehouse": _range("1", "500000"),
            "global_cross_border": _range("1", "10000"),
        },
    ),
    "BR": RegionRules(
        code="BR",
        name="Brazil",
        currency="BRL",
        currency_decimals=2,
        locale="pt-BR",
        title_min=1,
        title_max=300,
        max_skus=300,
        weight_units=_METRIC_GRAM,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={"local": _range("0.5", "10000")},
    ),
    "MX": RegionRules(
        code="MX",
        name="Mexico",
        currency="MXN",
        currency_decimals=2,
        locale="es-MX",
        title_min=1,
        title_max=300,
        max_skus=300,
        weight_units=_METRIC_GRAM,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={"local": _range("1", "50000")},
    ),
    "DE": _eu("DE", "Germany", "de-DE"),
    "FR": _eu("FR", "France", "fr-FR"),
    "IT": _eu("IT", "Italy", "it-IT"),
    "ES": _eu("ES", "Spain", "es-ES"),
    "IE": _eu("IE", "Ireland", "en-IE", global_sellers=False),
    # UNCONFIRMED: CN and HK are not in §14.1. Values are the "all other regions" defaults of §14.2;
    # no documented price range, so only "greater than zero" is checked. §14.1 also says Chinese
    # text is rejected in content fields, which makes CN listings unlikely to pass.
    "CN": RegionRules(
        code="CN",
        name="China (unconfirmed)",
        currency="CNY",
        currency_decimals=2,
        locale="zh-CN",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={},
        confirmed=False,
    ),
    "HK": RegionRules(
        code="HK",
        name="Hong Kong (unconfirmed)",
        currency="HKD",
        currency_decimals=2,
        locale="zh-HK",
        title_min=25,
        title_max=255,
        max_skus=100,
        weight_units=_METRIC,
        dimension_units=_CM,
        package_dimensions_required=False,
        price_ranges={},
        confirmed=False,
    ),
}

# Merchants (and TikTok's own category file names) say "UK"; the API's shop region is "GB" (§14.1).
_ALIASES = {"UK": "GB"}

# ISO 4217 minor units for currencies a store may price in (conversion source side).
CURRENCY_DECIMALS: dict[str, int] = {r.currency: r.currency_decimals for r in REGIONS.values()} | {
    "AUD": 2,
    "CAD": 2,
    "CHF": 2,
    "KRW": 0,
    "NZD": 2,
    "SAR": 2,
}


def region_rules(code: str) -> RegionRules:
    """Rules for a shop region code (``GB``/``UK``, ``US``, …). Raises KeyError for unknown codes."""
    key = code.strip().upper()
    return REGIONS[_ALIASES.get(key, key)]


def currency_decimals(currency: str) -> int:
    """Minor-unit digits of a currency (2 when unknown, the ISO 4217 default)."""
    return CURRENCY_DECIMALS.get(currency.upper(), 2)
