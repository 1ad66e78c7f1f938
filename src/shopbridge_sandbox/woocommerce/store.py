"""The state of one emulated WooCommerce site: posts, terms, orders, notes, webhooks, settings.

WordPress stores products, variations, orders (non-HPOS) and image attachments as posts sharing
one id sequence; categories and tags are terms with their own sequence; order notes are
comments. The emulator keeps those id spaces so ids look like a real site's.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from shopbridge_sandbox.kit.clock import Clock

DEFAULT_SETTINGS: dict[str, dict[str, str]] = {
    # ../shared/spec/stores/woocommerce.md §1: currency and units are store settings; the ids
    # are those of GET /settings/general and /settings/products (fluxc fixture
    # wc-fetch-product-settings-response-success.json lists woocommerce_weight_unit / _dimension_unit).
    "general": {
        "woocommerce_currency": "USD",
        "woocommerce_default_country": "US:CA",
        "woocommerce_store_address": "969 Market",
        "woocommerce_store_city": "San Francisco",
        "woocommerce_store_postcode": "94103",
        "woocommerce_prices_include_tax": "no",
        "woocommerce_calc_taxes": "no",
    },
    "products": {
        "woocommerce_weight_unit": "kg",
        "woocommerce_dimension_unit": "cm",
        "woocommerce_manage_stock": "yes",
    },
}


def iso(ts: float | None) -> str | None:
    """WooCommerce dates: ``YYYY-MM-DDTHH:MM:SS`` (site timezone; the emulated site runs on UTC)."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts))


def parse_iso(value: str) -> float:
    value = value.strip().replace("Z", "").split("+")[0]
    if len(value) == 10:
        value += "T00:00:00"
    return float(time.mktime(time.strptime(value[:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone)


@dataclass
class PendingEvent:
    resource: str  # product | order
    event: str  # created | updated | deleted | restored
    resource_id: int


@dataclass
class WooStore:
    clock: Clock
    site_name: str = "ShopBridge Sandbox Store"
    salt: str = "sandbox"
    posts: itertools.count = field(default_factory=lambda: itertools.count(10))
    terms: itertools.count = field(default_factory=lambda: itertools.count(15))
    comments: itertools.count = field(default_factory=lambda: itertools.count(100))
    metas: itertools.count = field(default_factory=lambda: itertools.count(1000))
    webhook_ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    products: dict[int, dict[str, Any]] = field(default_factory=dict)
    variations: dict[int, dict[str, Any]] = field(default_factory=dict)
    categories: dict[int, dict[str, Any]] = field(default_factory=dict)
    tags: dict[int, dict[str, Any]] = field(default_factory=dict)
    global_attributes: dict[str, int] = field(default_factory=dict)  # name -> attribute id (pa_*)
    attachments: dict[int, dict[str, Any]] = field(default_factory=dict)
    orders: dict[int, dict[str, Any]] = field(default_factory=dict)
    notes: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    webhooks: dict[int, dict[str, Any]] = field(default_factory=dict)
    settings: dict[str, dict[str, str]] = field(
        default_factory=lambda: {group: dict(values) for group, values in DEFAULT_SETTINGS.items()}
    )
    pending: list[PendingEvent] = field(default_factory=list)
    skipped_rows: list[dict[str, Any]] = field(default_factory=list)  # CSV rows the importer refused

    # -- ids and time --------------------------------------------------------------------------
    def now(self) -> float:
        return self.clock.now()

    def next_post_id(self) -> int:
        return next(self.posts)

    def next_term_id(self) -> int:
        return next(self.terms)

    def next_meta_id(self) -> int:
        return next(self.metas)

    def wp_hash(self, data: str) -> str:
        # wp_hash() is an HMAC-MD5 keyed by the site's salts; only its shape matters here.
        return hashlib.md5(f"{self.salt}:{data}".encode(), usedforsecurity=False).hexdigest()

    # -- events ----------------------------------------------------------------------------------
    def emit(self, resource: str, event: str, resource_id: int) -> None:
        self.pending.append(PendingEvent(resource, event, resource_id))

    # -- attachments -----------------------------------------------------------------------------
    def sideload_image(
        self, src: str, *, name: str = "", alt: str = "", reuse: bool = False
    ) -> dict[str, Any]:
        """Create an attachment for ``src``. The CSV importer reuses one per source URL
        (``_wc_attachment_source``); the REST API sideloads a new copy every time."""
        if reuse:
            for attachment in self.attachments.values():
                if attachment["source"] == src:
                    return attachment
        attachment_id = self.next_post_id()
        filename = src.rstrip("/").rsplit("/", 1)[-1] or "image"
        attachment = {
            "id": attachment_id,
            "src": src,
            "source": src,
            "name": name or filename.rsplit(".", 1)[0],
            "alt": alt,
            "date_created": self.now(),
        }
        self.attachments[attachment_id] = attachment
        return attachment

    def meta(self, key: str, value: Any) -> dict[str, Any]:
        return {"id": self.next_meta_id(), "key": key, "value": value}
