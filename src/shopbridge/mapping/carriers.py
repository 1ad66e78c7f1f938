"""Carrier names -> canonical carrier keys -> TikTok shipping providers (pure, no I/O).

Stores send free-text carrier names with a fulfilment ("Royal Mail", "RM Tracked 48", "DPD.co.uk",
"Hermes UK"); TikTok's Mark Package As Shipped needs a ``shipping_provider_id`` taken from the
delivery option's provider list (``../shared/spec/tiktok-shop-api.md`` §9.3 ``shipping_providers[]{id,
name}``, §11.2). ``resolve_shipping_provider`` bridges the two, and says how sure it is.

A ``CarrierKey`` is an AfterShip courier slug (``royal-mail``, ``myhermes-uk`` for Evri, ``dpd-uk``),
because AfterShip's list is the most complete open naming of carriers and WooCommerce's AfterShip
plugin stores exactly these slugs. Names and aliases are derived facts (``data/couriers.json``, by
``tools/derive_couriers.py``); the curated aliases below add what merchants actually type.

Matching is deliberately conservative: sending a tracking number under the wrong provider is
rejected by TikTok (§11.1: "Tracking numbers are validated against the chosen provider", errors
21004015 / 11028006) and, worse, shows the buyer the wrong carrier. Two carriers are never
matched because their names share a word ("DHL Express" is not "DPD Express").
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, NewType

from rapidfuzz import fuzz

CarrierKey = NewType("CarrierKey", str)
How = Literal["explicit", "exact", "alias", "fuzzy", "default"]


@dataclass(frozen=True)
class ShippingProvider:
    """One entry of TikTok's ``shipping_providers[]`` for a delivery option (spec §9.3)."""

    id: str
    name: str


@dataclass(frozen=True)
class Resolution:
    """Which TikTok provider to ship under. ``provider_id`` None means "ask the merchant": see reason/fix."""

    provider_id: str | None
    provider_name: str | None
    how: How | None
    confidence: float
    reason: str | None = None
    fix: str | None = None
    carrier: CarrierKey | None = None  # the store carrier, normalised (None when not recognised)


# --- curated knowledge ---------------------------------------------------------------------------

# What merchants and store plugins type that AfterShip's names do not cover. Sources: the fluxc
# shipment-tracking provider list (../shared/data/woocommerce-fluxc-fixtures/test-wc/
# order-shipment-providers.json: "DPD.co.uk", "InterLink", "ParcelForce", "DHL US", "DHL Intraship
# (DE)", ...), the TikTok UK/EU courier tables (../shared/data/tiktok-shop-api-docs/api-reference/
# fulfillment/tiktok-shipping/uk-eu-purchase-shipping-labels-from-tiktok.json: "Evri", "Amazon
# (CBT)", "Colis Prive", "Inpost", "BRT", "SEUR", "CTT", "Correos"), and carriers' own service names.
_CURATED_ALIASES: dict[str, tuple[str, ...]] = {
    "royal-mail": (
        "RM",
        "RM24",
        "RM48",
        "Royal Mail Tracked",
        "Royal Mail Group",
        "Royal Mail Special Delivery",
        "Royal Mail Signed For",
    ),
    # Hermes UK renamed itself Evri in 2022; AfterShip keeps the old slug (myhermes-uk, "EVRi").
    "myhermes-uk": ("Evri", "Hermes UK", "MyHermes", "My Hermes", "Hermes Parcelnet", "Evri UK"),
    "parcel-force": ("Parcelforce", "Parcelforce Worldwide", "Parcel Force Worldwide", "PFW"),
    "dpd-uk": ("DPD.co.uk", "DPD United Kingdom"),
    "interlink-express": ("Interlink", "Interlink Express", "DPD Local", "DPD Local UK"),
    "usps": ("US Postal Service", "U.S. Postal Service", "US Mail", "U.S. Mail"),
    "dhl-global-mail": ("DHL US", "DHL eCommerce US", "DHL eCommerce Solutions"),
    "dhl-germany": ("DHL Intraship", "DHL Intraship DE", "DHL Paket", "DHL Germany", "DHL.de"),
    "hermes-de": ("Hermes DE", "Hermes Germany", "myhermes.de"),
    "amazon-logistics": ("Amazon Logistics", "Amazon Logistics US"),
    "brt-it": ("BRT", "Bartolini"),
    "spain-correos-es": ("Correos Spain",),
    "spanish-seur": ("SEUR Spain",),
    "tourline": ("CTT Express Spain",),
    "colis-prive": ("Colis Prive", "ColisPrive"),
    "inpost-uk": ("InPost UK",),
    "posti": ("Itella", "Itella Posti"),
    "fastway-nz": ("Fastways", "Fastway NZ"),
    "new-zealand-post": ("New Zealand Post", "NZPost"),
    "brazil-correios": ("Correios Brazil",),
    "postnord": ("PostNord Sverige AB", "PostNord Sverige"),
    "bring": ("Bring.se", "Bring Sweden"),
    "dbschenker-se": ("DB Schenker",),
    "ppl": ("PPL.cz", "PPL CZ"),
    "fan": ("Fan Courier",),
    "austrian-post": ("post.at", "Austrian Post"),
    "dhl": ("DHL.at", "DHL.cz", "DHL.se"),
}

# Names whose carrier depends on the shop's market. "Hermes" in the UK is Evri (renamed 2022); in
# Germany TikTok's 4PL table lists "Hermes" under DE, i.e. Hermes Germany (4PL guide, EU table).
# Spain's "Correos"/"SEUR" and the bare "CTT" are the Spanish operators in TikTok's ES row;
# "Correios" is Brazil's post in WooCommerce's provider list (fluxc order-shipment-providers.json).
_REGIONAL_ALIASES: dict[str, dict[str, str]] = {
    "hermes": {"GB": "myhermes-uk", "DE": "hermes-de"},
    "correos": {"ES": "spain-correos-es"},
    "correios": {"BR": "brazil-correios", "PT": "portugal-ctt"},
    "seur": {"ES": "spanish-seur"},
    "ctt": {"ES": "tourline", "PT": "portugal-ctt"},
    "inpost": {"GB": "inpost-uk", "PL": "inpost-paczkomaty"},
    "dpd": {"GB": "dpd-uk"},
    "amazon": {"GB": "amazon-logistics-uk", "US": "amazon-logistics"},
}

# Brands whose plain name ("DPD", "Amazon (CBT)") stands for every carrier of the family: a provider
# named just "DPD" on TikTok UK is where "DPD UK" and "DPD Local" shipments go. A *qualified* name
# ("DHL Express") does not stand for its siblings ("DHL eCommerce"): their numbers differ.
_BRAND_WORDS = ("dpd", "dhl", "ups", "usps", "fedex", "gls", "tnt", "amazon", "yodel", "evri", "hermes")
_BRAND_OF_KEY: dict[str, str] = {"interlink-express": "dpd", "myhermes-uk": "evri", "yodeldirect": "yodel"}

# Words that say nothing about *which* carrier: ignored when comparing names fuzzily.
_GENERIC_WORDS = frozenset(
    [
        "express",
        "logistics",
        "logistic",
        "parcel",
        "parcels",
        "delivery",
        "deliveries",
        "courier",
        "couriers",
        "shipping",
        "shipment",
        "international",
        "intl",
        "global",
        "worldwide",
        "service",
        "services",
        "freight",
        "group",
        "ecommerce",
        "e",
        "commerce",
        "tracked",
        "standard",
        "economy",
        "priority",
        "next",
        "day",
        "same",
        "mail",
        "post",
        "postal",
        "uk",
        "us",
        "usa",
        "eu",
        "the",
        "and",
        "of",
        "ltd",
        "limited",
        "inc",
        "llc",
        "plc",
        "gmbh",
        "co",
        "company",
        "corp",
        "corporation",
        "sa",
        "srl",
        "bv",
        "ag",
        "pte",
    ]
)
_LEGAL_SUFFIXES = ("ltd", "limited", "inc", "llc", "plc", "gmbh", "pte", "co")

# Region -> the national carrier a merchant most often ships with when the store names none.
# The brief and common practice give GB Royal Mail and US USPS; TikTok documents no default for
# seller shipping (§11.1), and its UK *platform-shipping* default is Evri (4PL guide), which does not
# apply here. The other rows are each country's postal operator — UNCONFIRMED, best known.
_DEFAULT_PROVIDER_NAMES: dict[str, str] = {
    "GB": "Royal Mail",
    "US": "USPS",
    "DE": "DHL",  # UNCONFIRMED: DHL Paket / Deutsche Post is the incumbent parcel carrier
    "FR": "Colissimo",  # UNCONFIRMED: La Poste's parcel brand
    "IT": "Poste Italiane",  # UNCONFIRMED
    "ES": "Correos",  # UNCONFIRMED; also TikTok's ES default drop-off carrier in the 4PL table
    "IE": "An Post",  # UNCONFIRMED
    "JP": "Japan Post",  # UNCONFIRMED
    "BR": "Correios",  # UNCONFIRMED
    "MX": "Correos de Mexico",  # UNCONFIRMED
}


# --- name folding ---------------------------------------------------------------------------------


def fold_name(name: str) -> str:
    """Lower-case words without accents: "Colis Privé" -> "colis prive", "DPD.co.uk" -> "dpd co uk", "FedEx®" -> "fedex"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = text.replace("&", " and ").replace("'", "").replace("\u2019", "")
    # Letters of any script survive ("Почта России", "日本郵便"); punctuation and symbols separate words.
    words = re.sub(r"[\W_]+", " ", text).split()
    while len(words) > 1 and words[-1] in _LEGAL_SUFFIXES and not (words[-1] == "co" and len(words) == 2):
        words.pop()
    return " ".join(words)


def _squash(folded: str) -> str:
    return folded.replace(" ", "")


def _without_brackets(name: str) -> str:
    return re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", name)


def _region(region: str | None) -> str | None:
    if not region:
        return None
    code = region.strip().upper()
    return "GB" if code == "UK" else code  # TikTok's UK shop region is GB (spec §14.1)


# --- index ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Index:
    spaced: dict[str, str]  # folded alias -> key
    squashed: dict[str, str]  # folded alias without spaces -> key
    prefixable: frozenset[str]  # squashed aliases precise enough to match the start of a longer name
    names: dict[str, str]  # key -> display name


@cache
def _index() -> _Index:
    raw = json.loads(resources.files(__package__).joinpath("data/couriers.json").read_text("utf-8"))
    # Lower rank wins a clash; then the shorter slug (the main carrier, not a sub-service).
    ranked: list[tuple[int, str, str]] = []
    names: dict[str, str] = {}
    for slug, name, aliases in raw["carriers"]:
        names[slug] = name.replace("®", "").strip()
        ranked.append((1, name, slug))
        ranked.append((2, slug.replace("-", " "), slug))
        ranked.extend((3, alias, slug) for alias in aliases)
    for slug, aliases in _CURATED_ALIASES.items():
        ranked.extend((0, alias, slug) for alias in aliases)
    names["myhermes-uk"] = "Evri"  # AfterShip spells it "EVRi"
    spaced: dict[str, tuple[int, int, str]] = {}
    squashed: dict[str, tuple[int, int, str]] = {}
    prefixable: set[str] = set()
    for rank, alias, slug in ranked:
        folded = fold_name(alias)
        if not folded:
            continue
        choice = (rank, len(slug), slug)
        for table, key in ((spaced, folded), (squashed, _squash(folded))):
            if key not in table or choice < table[key]:
                table[key] = choice
        # Alternative names (rank 3) include generic phrases such as "EMS" for many posts: too loose.
        if rank <= 2 and len(folded) >= (2 if rank == 0 else 3):
            prefixable.add(_squash(folded))
    return _Index(
        spaced={k: v[2] for k, v in spaced.items()},
        squashed={k: v[2] for k, v in squashed.items()},
        prefixable=frozenset(prefixable),
        names=names,
    )


def carrier_name(key: CarrierKey | str) -> str | None:
    """Display name of a carrier key ("myhermes-uk" -> "Evri")."""
    return _index().names.get(key)


def _lookup_whole(folded: str, region: str | None) -> str | None:
    index = _index()
    regional = _REGIONAL_ALIASES.get(folded, {})
    if region in regional:
        return regional[region]
    return index.spaced.get(folded) or index.squashed.get(_squash(folded))


def _lookup_prefix(folded: str, region: str | None) -> str | None:
    """Longest known carrier name that starts the text: "rm tracked 48" -> royal-mail."""
    index = _index()
    words = folded.split()
    for size in range(len(words) - 1, 0, -1):
        prefix = " ".join(words[:size])
        regional = _REGIONAL_ALIASES.get(prefix, {})
        if region in regional:
            return regional[region]
        if _squash(prefix) in index.prefixable:
            return index.spaced.get(prefix) or index.squashed[_squash(prefix)]
    return None


def normalise_carrier(name: str | None, *, region: str | None = None) -> CarrierKey | None:
    """The carrier a free-text name denotes, or None when it is not recognised.

    Case, punctuation, spacing and diacritics do not matter; service suffixes are ignored
    ("RM Tracked 48" -> royal-mail, "UPS Ground" -> ups). ``region`` (a TikTok shop region,
    "GB"/"UK", "DE", ...) settles names that differ by market, such as "Hermes".
    """
    if not name:
        return None
    folded = fold_name(name)
    if not folded:
        return None
    code = _region(region)
    key = _lookup_whole(folded, code) or _lookup_prefix(folded, code)
    if key is None:
        bare = fold_name(_without_brackets(name))
        if bare and bare != folded:
            key = _lookup_whole(bare, code) or _lookup_prefix(bare, code)
    return CarrierKey(key) if key else None


def _brand(key: str | None) -> str | None:
    if key is None:
        return None
    if key in _BRAND_OF_KEY:
        return _BRAND_OF_KEY[key]
    head = key.split("-", 1)[0]
    return head if head in _BRAND_WORDS else None


def _is_brand_name(name: str) -> bool:
    return fold_name(_without_brackets(name)) in _BRAND_WORDS


# --- defaults ---------------------------------------------------------------------------------------


def default_provider_name(region: str) -> str | None:
    """The carrier used when the store names none, per TikTok shop region ("GB"/"UK" -> "Royal Mail")."""
    return _DEFAULT_PROVIDER_NAMES.get(_region(region) or "")


# --- resolution -------------------------------------------------------------------------------------


def _offered(providers: list[ShippingProvider]) -> str:
    return ", ".join(p.name for p in providers) or "none"


def _explicit(
    store_carrier: str, providers: list[ShippingProvider], mapping: dict[str, str]
) -> Resolution | None:
    target = mapping.get(store_carrier)
    if target is None:
        folded = fold_name(store_carrier)
        target = next((pid for name, pid in mapping.items() if fold_name(name) == folded), None)
    if target is None:
        return None
    for provider in providers:
        if provider.id == target:
            return Resolution(provider.id, provider.name, "explicit", 1.0)
    # The merchant chose a provider this delivery option does not offer: guessing another carrier
    # would override their decision, so stop and say so.
    return Resolution(
        None,
        None,
        None,
        0.0,
        reason=(
            f"Your carrier mapping sends '{store_carrier}' to TikTok shipping provider {target}, which "
            f"TikTok does not offer for this order's delivery option (offered: {_offered(providers)})."
        ),
        fix=f"Change the mapping for '{store_carrier}' to one of the offered providers, then retry.",
    )


def _exact(store_carrier: str, providers: list[ShippingProvider]) -> Resolution | None:
    folded = fold_name(store_carrier)
    for provider in providers:
        if fold_name(provider.name) == folded or _squash(fold_name(provider.name)) == _squash(folded):
            return Resolution(provider.id, provider.name, "exact", 1.0)
    return None


def _alias(
    store_carrier: str, key: str | None, providers: list[ShippingProvider], region: str | None
) -> Resolution | None:
    if key is None:
        return None
    keyed = [(p, normalise_carrier(p.name, region=region)) for p in providers]
    for provider, provider_key in keyed:
        if provider_key == key:
            return Resolution(provider.id, provider.name, "alias", 0.95, carrier=CarrierKey(key))
    brand = _brand(key)
    for provider, provider_key in keyed:
        same_family = brand is not None and _brand(provider_key) == brand
        if same_family and (_is_brand_name(provider.name) or _is_brand_name(store_carrier)):
            return Resolution(provider.id, provider.name, "alias", 0.85, carrier=CarrierKey(key))
    return None


def _distinctive(folded: str) -> str:
    return " ".join(word for word in folded.split() if word not in _GENERIC_WORDS)


def _fuzzy(
    store_carrier: str, key: str | None, providers: list[ShippingProvider], region: str | None
) -> Resolution | None:
    """Typos only ("Royl Mail", "Parcelfroce"): never two carriers we can tell apart."""
    folded = fold_name(store_carrier)
    core = _distinctive(folded)
    if len(core) < 4:
        return None
    scored: list[tuple[float, ShippingProvider]] = []
    for provider in providers:
        if key is not None and normalise_carrier(provider.name, region=region) is not None:
            continue  # both sides are known carriers and the alias step said they differ
        provider_core = _distinctive(fold_name(provider.name))
        if len(provider_core) < 4:
            continue
        whole = fuzz.ratio(folded, fold_name(provider.name))
        distinctive = fuzz.ratio(core, provider_core)
        if whole >= 88 and distinctive >= 85:
            scored.append((min(whole, distinctive), provider))
    scored.sort(key=lambda item: item[0], reverse=True)
    if not scored or (len(scored) > 1 and scored[0][0] - scored[1][0] < 3):
        return None  # nothing close, or two providers equally close: do not guess
    score, provider = scored[0]
    return Resolution(provider.id, provider.name, "fuzzy", round(0.9 * score / 100, 2))


def _default(
    providers: list[ShippingProvider], region: str | None, default_provider_id: str | None
) -> Resolution | None:
    if default_provider_id is not None:
        for provider in providers:
            if provider.id == default_provider_id:
                return Resolution(provider.id, provider.name, "default", 0.5)
    name = default_provider_name(region or "")
    if name is None:
        return None
    default_key = normalise_carrier(name, region=region)
    for provider in providers:
        if fold_name(provider.name) == fold_name(name) or (
            default_key is not None and normalise_carrier(provider.name, region=region) == default_key
        ):
            return Resolution(provider.id, provider.name, "default", 0.3)
    return None


def _unresolved(store_carrier: str | None, key: str | None, providers: list[ShippingProvider]) -> Resolution:
    offered = _offered(providers)
    if not providers:
        # §9.3: error 21008117 — a delivery option fulfilled by TikTok has no providers to choose.
        reason = "TikTok offers no shipping providers for this order's delivery option."
        fix = "Check the order's delivery option in TikTok Seller Center; platform-shipped orders are not marked shipped by the seller."
    elif not store_carrier or not store_carrier.strip():
        reason = (
            f"The store sent no carrier name, and no default shipping provider applies (offered: {offered})."
        )
        fix = "Set a default shipping provider for this shop, or make the store send the carrier with the tracking number."
    elif key is not None:
        reason = (
            f"The store shipped with {carrier_name(key) or store_carrier}, which TikTok does not offer for "
            f"this order's delivery option (offered: {offered})."
        )
        fix = f"Map '{store_carrier}' to an offered provider in the carrier mapping, or ship with an offered carrier."
    else:
        reason = (
            f"'{store_carrier}' does not match any shipping provider TikTok offers here (offered: {offered})."
        )
        fix = f"Map '{store_carrier}' to one of the offered providers in the carrier mapping, or set a default provider."
    return Resolution(None, None, None, 0.0, reason=reason, fix=fix, carrier=CarrierKey(key) if key else None)


def resolve_shipping_provider(
    store_carrier: str | None,
    providers: list[ShippingProvider],
    *,
    mapping: dict[str, str],
    region: str,
    default_provider_id: str | None,
) -> Resolution:
    """Pick the TikTok shipping provider for a store's carrier name.

    Order: the merchant's explicit mapping (store name -> provider id); the same name; the same
    carrier under another name; a close spelling of a carrier we cannot otherwise tell apart; then
    the merchant's default provider, else the region's usual carrier, when offered. A default
    never replaces a carrier we recognise: a Yodel number shipped as Royal Mail fails TikTok's
    tracking check (§11.1) and misleads the buyer, so that case returns ``provider_id=None``.
    """
    code = _region(region)
    key = normalise_carrier(store_carrier, region=code) if store_carrier else None
    if store_carrier and store_carrier.strip():
        found = (
            _explicit(store_carrier, providers, mapping)
            or _exact(store_carrier, providers)
            or _alias(store_carrier, key, providers, code)
            or _fuzzy(store_carrier, key, providers, code)
        )
        if found is not None:
            return _with_carrier(found, key)
        if key is not None:
            return _unresolved(store_carrier, key, providers)
    found = _default(providers, code, default_provider_id)
    if found is not None:
        return _with_carrier(found, key)
    return _unresolved(store_carrier, key, providers)


def _with_carrier(found: Resolution, key: str | None) -> Resolution:
    if found.carrier is not None or key is None:
        return found
    return Resolution(
        found.provider_id,
        found.provider_name,
        found.how,
        found.confidence,
        found.reason,
        found.fix,
        CarrierKey(key),
    )
