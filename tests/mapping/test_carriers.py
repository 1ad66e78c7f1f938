"""Carrier-name normalisation and TikTok shipping-provider resolution, on real carrier names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shopbridge.mapping.carriers import (
    ShippingProvider,
    carrier_name,
    default_provider_name,
    fold_name,
    normalise_carrier,
    resolve_shipping_provider,
)

P = ShippingProvider
UK_PROVIDERS = [
    P("7001", "Royal Mail"),
    P("7002", "Evri"),
    P("7003", "DPD"),
    P("7004", "Parcelforce"),
    P("7005", "Yodel"),
    P("7006", "Amazon (CBT)"),
]
US_PROVIDERS = [
    P("7117858858072016686", "USPS"),
    P("8002", "UPS"),
    P("8003", "FedEx"),
    P("8004", "DHL eCommerce"),
]


def resolve(store_carrier, providers, *, region="GB", mapping=None, default_provider_id=None):
    return resolve_shipping_provider(
        store_carrier,
        providers,
        mapping=mapping or {},
        region=region,
        default_provider_id=default_provider_id,
    )


# --- normalise_carrier ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Royal Mail", "royal-mail"),
        ("royalmail", "royal-mail"),
        ("ROYAL-MAIL", "royal-mail"),
        ("RM Tracked 48", "royal-mail"),
        ("Royal Mail Tracked 24", "royal-mail"),
        ("RM48", "royal-mail"),
        ("RoyalMail Tracked 48", "royal-mail"),
        ("Hermes UK", "myhermes-uk"),
        ("Evri", "myhermes-uk"),
        ("myHermes", "myhermes-uk"),
        ("DPD UK", "dpd-uk"),
        ("DPD.co.uk", "dpd-uk"),
        ("  dpd   uk ", "dpd-uk"),
        ("Parcel Force", "parcel-force"),
        ("ParcelForce", "parcel-force"),
        ("Parcelforce Worldwide", "parcel-force"),
        ("USPS", "usps"),
        ("United States Postal Service", "usps"),
        ("USPS Priority Mail", "usps"),
        ("UPS", "ups"),
        ("UPS Ground", "ups"),
        ("FedEx", "fedex"),
        ("FedEx®", "fedex"),
        ("Federal Express", "fedex"),
        ("Yodel", "yodel"),
        ("Colis Privé", "colis-prive"),
        ("colis prive", "colis-prive"),
        ("Česká pošta", "ceska-posta"),
        ("Почта России", "russian-post"),
    ],
)
def test_names_merchants_type_normalise_to_the_carrier(name, key):
    assert normalise_carrier(name) == key


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "Standard Shipping",
        "Free shipping",
        "Next Day Delivery",
        "Express",
        "Courier",
        "Post",
        "Flat rate",
    ],
)
def test_shipping_method_words_are_not_carriers(name):
    assert normalise_carrier(name) is None


def test_hermes_depends_on_the_market():
    # UK Hermes is Evri; TikTok's DE 4PL row "Hermes" is Hermes Germany
    assert normalise_carrier("Hermes", region="GB") == "myhermes-uk"
    assert normalise_carrier("Hermes", region="UK") == "myhermes-uk"
    assert normalise_carrier("Hermes", region="DE") == "hermes-de"
    assert carrier_name("myhermes-uk") == "Evri"


def _aftership_rows(shared_data: Path) -> list[dict]:
    return json.loads((shared_data / "aftership-couriers" / "couriers.json").read_text(encoding="utf-8"))


def test_every_aftership_name_normalises_to_a_carrier_of_that_name(shared_data):
    # given every AfterShip courier name, and which slugs claim each folded name
    rows = _aftership_rows(shared_data)
    claimants: dict[str, set[str]] = {}
    for row in rows:
        names = [row["name"], row["slug"].replace("-", " "), *(row.get("other_name") or "").split(",")]
        for name in names:
            claimants.setdefault(fold_name(name), set()).add(row["slug"])

    # when each name is normalised
    results = {row["slug"]: normalise_carrier(row["name"]) for row in rows}

    # then it lands on a slug claiming that name, or the base carrier of that slug ("dpd-uk-sftp" -> "dpd-uk"),
    # except where we know better: AfterShip's "Hermes UK" integration is Evri since the 2022 rename
    overrides = {"hermes-uk-sftp": "myhermes-uk"}

    def acceptable(slug: str, key: str | None) -> bool:
        if slug in overrides:
            return key == overrides[slug]
        candidates = claimants[fold_name(next(r["name"] for r in rows if r["slug"] == slug))]
        return key is not None and any(c == key or c.startswith(key + "-") for c in candidates)

    assert [(s, k) for s, k in results.items() if not acceptable(s, k)] == []
    assert len(results) == 1555


def test_aftership_names_claimed_by_one_carrier_normalise_to_exactly_it(shared_data):
    rows = _aftership_rows(shared_data)
    by_name: dict[str, set[str]] = {}
    for row in rows:
        by_name.setdefault(fold_name(row["name"]), set()).add(row["slug"])
    unique = [row for row in rows if len(by_name[fold_name(row["name"])]) == 1]
    overrides = {"hermes-uk-sftp": "myhermes-uk"}  # see the test above
    variants = {"api", "sftp", "ftp", "webhook", "reference", "connum", "parcelid", "sender-ref"}

    results = {r["slug"]: normalise_carrier(r["name"]) for r in unique}

    # then each is that carrier, or the carrier an integration variant belongs to ("usps-api" -> "usps")
    wrong = {
        slug: key
        for slug, key in results.items()
        if key != overrides.get(slug, slug)
        and not (key and slug.startswith(key + "-") and slug[len(key) + 1 :] in variants)
    }
    assert wrong == {}
    assert len(unique) > 1000


# WooCommerce shipment-tracking providers (fluxc fixture) -> expected carrier, per the country they are listed in.
FLUXC_EXPECTED = {
    "Australia Post": "australia-post",
    "Fastway Couriers": "fastway-au",
    "post.at": "austrian-post",
    "dhl.at": "dhl",
    "DPD.at": "dpd-at",
    "Correios": "brazil-correios",
    "bpost": "bpost",
    "Canada Post": "canada-post",
    "PPL.cz": "ppl",
    "Česká pošta": "ceska-posta",
    "DHL.cz": "dhl",
    "DPD.cz": "dpd",
    "Itella": "posti",
    "Colissimo": "colissimo",
    "DHL Intraship (DE)": "dhl-germany",
    "Hermes": "hermes-de",
    "Deutsche Post DHL": "dhl-germany",
    "UPS Germany": "ups",
    "DPD.de": "dpd-de",
    "DPD.ie": "dpd-ireland",
    "An Post": "an-post",
    "BRT (Bartolini)": "brt-it",
    "DHL Express": "dhl",
    "DTDC": "dtdc",
    "PostNL": "postnl",
    "DPD.NL": "dpd-nl",
    "UPS Netherlands": "ups",
    "Courier Post": "courierpost",
    "NZ Post": "new-zealand-post",
    "Fastways": "fastway-nz",
    "PBT Couriers": None,  # not in AfterShip's list: stays unrecognised rather than guessed
    "Fan Courier": "fan",
    "DPD Romania": "dpd-ro",
    "Urgent Cargus": "urgent-cargus",
    "SAPO": "sapo",
    "PostNord Sverige AB": "postnord",
    "DHL.se": "dhl",
    "Bring.se": "bring",
    "UPS.se": "ups",
    "DB Schenker": "dbschenker-se",
    "DHL": "dhl",
    "DPD.co.uk": "dpd-uk",
    "InterLink": "interlink-express",
    "ParcelForce": "parcel-force",
    "Royal Mail": "royal-mail",
    "TNT Express (consignment)": "tnt",
    "TNT Express (reference)": "tnt",
    "UK Mail": "uk-mail",
    "Fedex": "fedex",
    "FedEx Sameday": "fedex",
    "OnTrac": "ontrac",
    "UPS": "ups",
    "USPS": "usps",
    "DHL US": "dhl-global-mail",
}
FLUXC_REGIONS = {"Brazil": "BR", "Germany": "DE", "United Kingdom": "GB", "United States": "US"}


def test_woocommerce_shipment_tracking_provider_names_normalise(shared_data):
    # given WooCommerce's shipment-tracking provider list (country -> provider name -> URL)
    path = shared_data / "woocommerce-fluxc-fixtures" / "test-wc" / "order-shipment-providers.json"
    by_country = json.loads(path.read_text(encoding="utf-8"))

    # when every name is normalised in its country's market
    results = {
        name: normalise_carrier(name, region=FLUXC_REGIONS.get(country))
        for country, providers in by_country.items()
        for name in providers
    }

    # then each is the expected carrier
    assert results == FLUXC_EXPECTED


# --- the TikTok UK / EU courier tables ------------------------------------------------------------------


def _courier_table(shared_data: Path, heading: str) -> list[list[str]]:
    doc = shared_data / "tiktok-shop-api-docs/api-reference/fulfillment/tiktok-shipping"
    content = json.loads((doc / "uk-eu-purchase-shipping-labels-from-tiktok.json").read_text("utf-8"))[
        "content"
    ]
    block = content.split(heading, 1)[1].split("\n\n", 1)[0]
    rows = [line for line in block.splitlines() if line.startswith("|")][2:]  # skip header and ---
    return [
        [re.sub(r"<br>|\(Default\)", "", cell).strip() for cell in row.strip("|").split("|")] for row in rows
    ]


# What UK stores call the carriers of TikTok's UK courier table.
UK_STORE_NAMES = {
    "Evri": ["Evri", "EVRi", "Hermes UK", "Hermes", "myHermes", "Hermes Parcelnet"],
    "Amazon (CBT)": ["Amazon", "Amazon Logistics", "Amazon Logistics UK", "Amazon Shipping"],
    "DPD": ["DPD", "DPD UK", "DPD.co.uk", "DPD Local", "InterLink"],
}


def test_every_carrier_of_the_tiktok_uk_courier_table_resolves_to_its_provider(shared_data):
    # given TikTok's UK courier table as the provider list, next to other UK carriers
    table = [row[0] for row in _courier_table(shared_data, "Courier options for the **UK**:")]
    providers = [P(f"uk-{i}", name) for i, name in enumerate(table)] + [
        P("rm", "Royal Mail"),
        P("pf", "Parcelforce"),
        P("yo", "Yodel"),
    ]
    assert table == list(UK_STORE_NAMES)

    # when each store-side name is resolved
    results = {
        store: resolve(store, providers, region="GB").provider_name
        for names in UK_STORE_NAMES.values()
        for store in names
    }

    # then it lands on that table row's provider
    assert results == {store: table_name for table_name, names in UK_STORE_NAMES.items() for store in names}


def test_every_lsp_of_the_tiktok_eu_courier_table_resolves_in_its_country(shared_data):
    # given TikTok's EU table: country, LSP (the country cell is blank on follow-on rows)
    rows = _courier_table(shared_data, "Courier options for the **EU**:")
    by_country: dict[str, list[str]] = {}
    country = ""
    for row in rows:
        country = row[0] or country
        by_country.setdefault(country, []).append(row[1])

    # when each LSP name is resolved against its country's list
    results = {
        (c, lsp): resolve(lsp, [P(f"{c}-{i}", n) for i, n in enumerate(lsps)], region=c).provider_name
        for c, lsps in by_country.items()
        for lsp in lsps
    }

    # then each picks itself
    assert results == {(c, lsp): lsp for c, lsps in by_country.items() for lsp in lsps}
    assert sorted(by_country) == ["DE", "ES", "FR", "IT"]


def test_hermes_germany_is_not_evri():
    de = [P("1", "Hermes"), P("2", "DPD"), P("3", "GLS")]

    assert resolve("Hermes Germany", de, region="DE").provider_id == "1"
    evri = resolve("Evri", de, region="DE")
    assert evri.provider_id is None
    assert evri.carrier == "myhermes-uk"


# --- resolution order -------------------------------------------------------------------------------


def test_exact_name_resolves_with_full_confidence():
    result = resolve("Royal Mail", UK_PROVIDERS)

    assert (result.provider_id, result.how, result.confidence, result.carrier) == (
        "7001",
        "exact",
        1.0,
        "royal-mail",
    )
    assert (result.reason, result.fix) == (None, None)


def test_alias_resolves_service_names_to_the_carrier():
    result = resolve("RM Tracked 48", UK_PROVIDERS)

    assert (result.provider_id, result.provider_name, result.how, result.confidence) == (
        "7001",
        "Royal Mail",
        "alias",
        0.95,
    )


def test_family_member_resolves_to_the_plain_brand_with_lower_confidence():
    result = resolve("DPD Local", UK_PROVIDERS)

    assert (result.provider_id, result.how, result.confidence, result.carrier) == (
        "7003",
        "alias",
        0.85,
        "interlink-express",
    )


def test_explicit_mapping_wins_over_an_exact_name():
    # given the merchant maps their "Royal Mail" to TikTok's Parcelforce
    result = resolve("royal mail", UK_PROVIDERS, mapping={"Royal Mail": "7004"})

    assert (result.provider_id, result.provider_name, result.how, result.confidence) == (
        "7004",
        "Parcelforce",
        "explicit",
        1.0,
    )


def test_explicit_mapping_to_a_provider_not_offered_stops_instead_of_guessing():
    result = resolve("Royal Mail", UK_PROVIDERS, mapping={"Royal Mail": "9999"}, default_provider_id="7002")

    assert result.provider_id is None
    assert result.how is None
    assert "9999" in result.reason
    assert "Change the mapping for 'Royal Mail'" in result.fix


def test_unknown_carrier_falls_back_to_the_region_default_when_offered():
    result = resolve("Bob's Van", UK_PROVIDERS, region="UK")

    assert (result.provider_id, result.provider_name, result.how, result.confidence) == (
        "7001",
        "Royal Mail",
        "default",
        0.3,
    )
    assert result.carrier is None


def test_missing_carrier_falls_back_to_the_us_default():
    result = resolve(None, US_PROVIDERS, region="US")

    assert (result.provider_id, result.how) == ("7117858858072016686", "default")


def test_merchant_default_wins_over_the_region_default():
    result = resolve("", UK_PROVIDERS, default_provider_id="7002")

    assert (result.provider_id, result.provider_name, result.how, result.confidence) == (
        "7002",
        "Evri",
        "default",
        0.5,
    )


def test_region_default_not_offered_gives_a_reason_and_fix():
    result = resolve("Bob's Van", [P("1", "Yodel"), P("2", "DPD")], region="GB")

    assert (result.provider_id, result.provider_name, result.how, result.confidence) == (
        None,
        None,
        None,
        0.0,
    )
    assert (
        result.reason
        == "'Bob's Van' does not match any shipping provider TikTok offers here (offered: Yodel, DPD)."
    )
    assert "set a default provider" in result.fix


def test_a_recognised_carrier_that_is_not_offered_is_never_replaced_by_a_default():
    # given the store shipped with UPS, which this UK delivery option does not offer
    result = resolve("UPS", UK_PROVIDERS, default_provider_id="7001")

    # then no provider is picked, and the merchant is told why
    assert result.provider_id is None
    assert result.carrier == "ups"
    assert result.reason.startswith("The store shipped with UPS, which TikTok does not offer")
    assert result.fix


def test_no_providers_at_all_explains_the_delivery_option():
    result = resolve("Royal Mail", [], default_provider_id="7001")

    assert result.provider_id is None
    assert "no shipping providers" in result.reason


@pytest.mark.parametrize(
    ("region", "name"),
    [("GB", "Royal Mail"), ("UK", "Royal Mail"), ("gb", "Royal Mail"), ("US", "USPS"), ("ZZ", None)],
)
def test_default_provider_name_per_region(region, name):
    assert default_provider_name(region) == name


# --- fuzzy: typos yes, different carriers never -----------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "provider"), [("Royl Mail", "Royal Mail"), ("Parcelfroce", "Parcelforce"), ("Yodell", "Yodel")]
)
def test_typos_resolve_fuzzily_with_reduced_confidence(typo, provider):
    result = resolve(typo, UK_PROVIDERS)

    assert result.provider_name == provider
    assert result.how == "fuzzy"
    assert 0.7 <= result.confidence < 0.9


@pytest.mark.parametrize(
    ("store", "provider"),
    [
        ("DPD Express", "DHL Express"),
        ("DHL Express", "DPD Express"),
        ("UPS", "USPS"),
        ("USPS", "UPS"),
        ("Speedex", "SpeedX"),
        ("Royal Mail", "UK Mail"),
        ("Royal Mail", "Royal Shipments"),
        ("DHL eCommerce", "DHL Express"),
        ("Parcel Force", "Parcel2Go"),
        ("Canada Post", "Canpar"),
        ("Amazon Logistics", "Amazon Shipping"),
        ("Yodel Express", "Evri Express"),
        ("Bobs Express Couriers", "Robs Express Courier"),
        ("Swift Parcels", "Swift Couriers"),
    ],
)
def test_distinct_carriers_sharing_words_are_never_matched(store, provider):
    # given a provider list holding only a near-miss of the store's carrier (and no region default)
    result = resolve(store, [P("1", provider)], region="GB")

    # then nothing is picked
    assert (result.provider_id, result.how) == (None, None)
    assert result.reason and result.fix


def test_two_equally_close_providers_are_not_guessed_between():
    result = resolve("Swif Parcel", [P("1", "Swift Parcel"), P("2", "Swiff Parcel")], region="ZZ")

    assert (result.provider_id, result.how) == (None, None)


def test_the_closest_of_two_spellings_wins_when_clearly_closer():
    result = resolve("Swiftt Parcel", [P("1", "Swift Parcel"), P("2", "Swiftt Parcels")], region="ZZ")

    assert (result.provider_id, result.how) == ("2", "fuzzy")
