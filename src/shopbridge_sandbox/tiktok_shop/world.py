"""Building the emulator's world: apps, sellers, shops (with warehouses, delivery options, carriers), grants.

Used by the default seed and by the control API (add_app, add_shop, authorize).
"""

from __future__ import annotations

import hashlib
from typing import Any

from . import seeds
from .state import App, Authorization, DeliveryOption, Provider, Seller, Shop, Warehouse, WorldState

ACCESS_TOKEN_LIFETIME = 7 * 24 * 3600  # §2.2: access token valid 7 days
REFRESH_TOKEN_LIFETIME = 365 * 24 * 3600  # §16.2: commonly quoted 365 days (UNCONFIRMED)

_CITY = {
    "GB": ("London", "Greater London", "EC1A 1BB", "+44"),
    "US": ("San Jose", "California", "95110", "+1"),
    "ID": ("Jakarta", "DKI Jakarta", "10110", "+62"),
}


def _hex(seed: object, length: int) -> str:
    return hashlib.sha256(str(seed).encode()).hexdigest()[:length]


def add_app(
    world: WorldState,
    *,
    name: str,
    app_key: str | None = None,
    app_secret: str | None = None,
    scopes: list[str] | None = None,
    redirect_url: str | None = None,
    qps: float = 50.0,
) -> App:
    # §2.1: app_key like "6kc76cungq9pl" (13 lowercase alphanumerics), hex-ish secret, numeric service_id.
    index = len(world.apps)
    key = app_key or ("6" + _hex(f"key{world.seed}:{index}", 12))
    app = App(
        app_key=key,
        app_secret=app_secret or _hex(f"secret{world.seed}:{index}", 40),
        service_id=world.ids.next("service"),
        name=name,
        scopes=set(scopes if scopes is not None else seeds.ALL_SCOPES),
        qps=qps,
    )
    if redirect_url:
        app.redirect_url = redirect_url
    world.apps[app.app_key] = app
    return app


def add_seller(world: WorldState, *, name: str, base_region: str, seller_type: str) -> Seller:
    seller = Seller(world.ids.next("seller"), name, base_region, seller_type, world.ids.next("seller"))
    world.sellers[seller.id] = seller
    return seller


def _providers_for(world: WorldState, region: seeds.Region) -> list[str]:
    ids = []
    for name in region.providers:
        existing = next((p for p in world.providers.values() if p.name == name), None)
        if existing is None:
            existing = Provider(seeds.KNOWN_PROVIDER_IDS.get(name) or world.ids.next("provider"), name)
            world.providers[existing.id] = existing
        ids.append(existing.id)
    return ids


def _address(region: str, label: str) -> dict[str, Any]:
    city, state, postal, phone = _CITY.get(region, ("Capital City", "Central", "10000", "+00"))
    return {
        "region": region,
        "state": state,
        "city": city,
        "distict": "",  # sic (§9.1)
        "town": "",
        "contact_person": f"{label} Manager",
        "postal_code": postal,
        "full_address": f"1 {label} Road, {city} {postal}",
        "region_code": region,
        "phone_number": f"({phone})188****2234",
        "address_line1": f"1 {label} Road",
        "address_line2": "",
        "address_line3": "",
        "address_line4": "",
        "first_name": "",
        "last_name": "",
        "first_name_local_script": "",
        "last_name_local_script": "",
        "geolocation": {"latitude": "51.5072", "longitude": "-0.1276"},
    }


def add_shop(
    world: WorldState,
    *,
    seller: Seller,
    region_code: str,
    name: str | None = None,
    daily_listing_quota: int = 100,
) -> Shop:
    region = seeds.REGIONS[region_code]
    shop_id = world.ids.next("shop")
    shop = Shop(
        id=shop_id,
        seller_id=seller.id,
        name=name or f"{seller.name} {region_code}",
        region=region_code,
        currency=region.currency,
        # §2.3: opaque cipher with a ROW_/GCP_/TTP_ prefix.
        cipher=("TTP_" if region_code == "US" else "ROW_") + _hex(f"cipher{shop_id}", 28),
        code=(region_code + _hex(f"code{shop_id}", 10)).upper(),
        daily_listing_quota=daily_listing_quota,
    )
    sales = Warehouse(
        world.ids.next("warehouse"),
        f"{region_code} Main Warehouse",
        "SALES_WAREHOUSE",
        True,
        address=_address(region_code, "Main Warehouse"),
    )
    returns = Warehouse(
        world.ids.next("warehouse"),
        f"{region_code} Returns Centre",
        "RETURN_WAREHOUSE",
        True,
        address=_address(region_code, "Returns Centre"),
    )
    shop.warehouses = [sales, returns]
    providers = _providers_for(world, region)
    # §9.2 delivery option types. SEND_BY_SELLER carries the market's carriers; TikTok-shipping options have none
    # (§9.3: 21008117 "delivery option is fulfilled by TikTok").
    shop.delivery_options = [
        DeliveryOption(world.ids.next("delivery_option"), "Standard shipping", "STANDARD"),
        DeliveryOption(world.ids.next("delivery_option"), "Express shipping", "EXPRESS"),
        DeliveryOption(world.ids.next("delivery_option"), "Shipped by seller", "SEND_BY_SELLER", providers),
    ]
    world.shops[shop.id] = shop
    return shop


def authorize(world: WorldState, *, app: App, seller: Seller, now: int) -> Authorization:
    """A seller's grant to an app, covering all of the seller's shops (§2.2, §2.3)."""
    prefix = "TTP_" if seller.base_region == "US" else "ROW_"
    auth = Authorization(
        app_key=app.app_key,
        seller_id=seller.id,
        access_token=world.ids.token(prefix, "access", app.app_key, seller.id),
        access_token_expire_in=now + ACCESS_TOKEN_LIFETIME,
        refresh_token=world.ids.token(prefix, "refresh", app.app_key, seller.id),
        refresh_token_expire_in=now + REFRESH_TOKEN_LIFETIME,
        shop_ids={s.id for s in world.shops.values() if s.seller_id == seller.id},
        scopes=set(app.scopes),
    )
    world.authorizations.append(auth)
    return auth


def seed_default(world: WorldState, now: int) -> None:
    app = add_app(world, name="ShopBridge Sandbox App")
    for spec in seeds.DEFAULT_SELLERS:
        seller = add_seller(
            world, name=spec["name"], base_region=spec["base_region"], seller_type=spec["seller_type"]
        )
        for region_code in spec["shops"]:
            add_shop(world, seller=seller, region_code=region_code)
        authorize(world, app=app, seller=seller, now=now)
    for brand in seeds.SEED_BRANDS:
        world.brands[brand["id"]] = dict(brand, seller_id=None)
