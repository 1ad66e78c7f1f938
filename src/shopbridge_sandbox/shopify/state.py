"""Per-shop state of the Shopify emulator, and the small helpers every resource module shares.

Resources are stored already in their REST shape (``dict``); keys starting with ``_`` are
internal bookkeeping and are stripped by ``public()`` before anything leaves the emulator.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..kit.clock import Clock
from ..kit.ratelimit import LeakyBucket

# Standard plan: bucket of 40 requests leaking 2/s (spec/stores/shopify.md §2 "REST (leaky bucket)").
BUCKET_SIZE = 40
LEAK_RATE = 2.0
# Timestamps carry the shop's offset (spec §10 item 3). A fixed -05:00 (New York, no DST) keeps
# the emulator deterministic; real shops follow their IANA zone.
SHOP_OFFSET = timezone(timedelta(hours=-5))
FIRST_ID = 8_000_000_000_001  # ids are positive int64 (spec §10 item 1); 13 digits like modern shops


class ShopifyError(Exception):
    """An answer in Shopify's own error shape: ``{"errors": ...}`` with an HTTP status."""

    def __init__(self, status: int, errors: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{status}: {errors}")
        self.status = status
        self.errors = errors
        self.headers = headers or {}


def not_found() -> ShopifyError:
    # GET of a missing/deleted resource: 404 {"errors":"Not Found"} (spec §6.2 "Missing / deleted", CODE-ERR).
    return ShopifyError(404, "Not Found")


def unprocessable(field_name: str, *messages: str) -> ShopifyError:
    # Validation errors: 422 {"errors": {"field": ["msg"]}} (spec §4.2 duplicate-variant example).
    return ShopifyError(422, {field_name: list(messages)})


def money(value: Any) -> str:
    """REST money is a string with 2 decimals (spec §10 item 2)."""
    return str(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def money_set(value: Any, currency: str) -> dict[str, Any]:
    amount = money(value)
    return {
        "shop_money": {"amount": amount, "currency_code": currency},
        "presentment_money": {"amount": amount, "currency_code": currency},
    }


def gid(kind: str, resource_id: int) -> str:
    return f"gid://shopify/{kind}/{resource_id}"


def iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, tz=SHOP_OFFSET).isoformat(timespec="seconds")


def parse_iso(value: str) -> float:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def public(resource: Any) -> Any:
    """A deep copy without internal ``_`` keys: what the API returns."""
    if isinstance(resource, dict):
        return {k: public(v) for k, v in resource.items() if not k.startswith("_")}
    if isinstance(resource, list):
        return [public(v) for v in resource]
    return copy.deepcopy(resource)


@dataclass
class Shop:
    domain: str
    access_token: str
    clock: Clock
    name: str = "ShopBridge Demo Store"
    currency: str = "USD"
    email: str = "owner@shopbridge-demo.example"
    country_code: str = "US"
    weight_unit: str = "kg"
    shop_id: int = 0
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    inventory_items: dict[int, dict[str, Any]] = field(default_factory=dict)
    levels: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)  # (item, location)
    locations: dict[int, dict[str, Any]] = field(default_factory=dict)
    custom_collections: dict[int, dict[str, Any]] = field(default_factory=dict)
    smart_collections: dict[int, dict[str, Any]] = field(default_factory=dict)
    collects: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    fulfillment_orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    fulfillments: dict[int, dict[str, Any]] = field(default_factory=dict)
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    import_reports: list[dict[str, Any]] = field(default_factory=list)
    public_url: str = ""
    bucket: LeakyBucket = field(init=False)
    _ids: itertools.count = field(init=False)
    _order_numbers: itertools.count = field(init=False)

    def __post_init__(self) -> None:
        self.bucket = LeakyBucket(size=BUCKET_SIZE, leak_rate=LEAK_RATE, clock=self.clock)
        self._ids = itertools.count(FIRST_ID)
        self._order_numbers = itertools.count(1001)
        self.shop_id = self.shop_id or next(self._ids)
        self.public_url = self.public_url or f"https://{self.domain}"

    def next_id(self) -> int:
        return next(self._ids)

    def next_order_number(self) -> int:
        return next(self._order_numbers)

    def now(self) -> float:
        return self.clock.now()

    def now_iso(self) -> str:
        return iso(self.clock.now())

    def stamp(self, resource: dict[str, Any], *, created: bool = False) -> None:
        now = self.now()
        if created:
            resource["created_at"] = iso(now)
            resource["_created_ts"] = now
        resource["updated_at"] = iso(now)
        resource["_updated_ts"] = now

    @property
    def primary_location_id(self) -> int:
        return min(self.locations)

    def add_location(
        self, name: str, *, city: str, zip_code: str, province: str, province_code: str
    ) -> dict[str, Any]:
        location_id = self.next_id()
        location = {
            "id": location_id,
            "name": name,
            "address1": "1 Sandbox Way",
            "address2": None,
            "city": city,
            "zip": zip_code,
            "province": province,
            "country": self.country_code,
            "phone": None,
            "country_code": self.country_code,
            "country_name": "United States",
            "province_code": province_code,
            "legacy": False,
            "active": True,
            "deleted_at": None,
            "localized_country_name": "United States",
            "localized_province_name": province,
            "admin_graphql_api_id": gid("Location", location_id),
        }
        self.stamp(location, created=True)
        self.locations[location_id] = location
        return location

    def variant_index(self) -> dict[int, tuple[dict[str, Any], dict[str, Any]]]:
        return {v["id"]: (p, v) for p in self.products.values() for v in p["variants"]}

    def find_variant(self, variant_id: int) -> tuple[dict[str, Any], dict[str, Any]] | None:
        return self.variant_index().get(variant_id)

    def available(self, inventory_item_id: int) -> int:
        return sum(lvl["available"] for (item, _), lvl in self.levels.items() if item == inventory_item_id)

    def shop_payload(self) -> dict[str, Any]:
        return {
            "id": self.shop_id,
            "name": self.name,
            "email": self.email,
            "domain": self.domain,
            "myshopify_domain": self.domain,
            "province": "New York",
            "province_code": "NY",
            "country": self.country_code,
            "country_code": self.country_code,
            "country_name": "United States",
            "address1": "1 Sandbox Way",
            "city": "New York",
            "zip": "10001",
            "phone": None,
            "created_at": iso(0),
            "updated_at": self.now_iso(),
            "currency": self.currency,
            "enabled_presentment_currencies": [self.currency],
            "money_format": "${{amount}}",
            "money_with_currency_format": "${{amount}} USD",
            "timezone": "(GMT-05:00) America/New_York",
            "iana_timezone": "America/New_York",
            "weight_unit": self.weight_unit,
            "plan_name": "basic",
            "plan_display_name": "Basic",
            "shop_owner": "Sandbox Owner",
            "taxes_included": False,
            "tax_shipping": None,
            "source": None,
            "public": False,
        }
