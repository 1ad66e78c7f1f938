"""In-memory state of the TikTok Shop emulator: apps, sellers, shops, tokens, catalogue, orders, after-sales.

Everything is plain dataclasses keyed by TikTok ids (digit strings, §6). Ids come from a deterministic
generator so a given seed always produces the same world.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

# Id shapes from ../shared/spec/tiktok-shop-api.md §6 / §15.2: numeric strings of 18-19 digits with
# kind-specific leading digits as seen in the official samples.
_ID_PREFIX = {
    "product": ("1729", 19),
    "sku": ("1729", 19),
    "order": ("5764", 18),
    "line_item": ("5770", 18),
    "package": ("1152", 19),
    "warehouse": ("7068", 19),
    "delivery_option": ("7091", 19),
    "provider": ("7117", 19),
    "shop": ("7495", 19),
    "seller": ("7010", 19),
    "brand": ("7083", 19),
    "cancel": ("4035", 19),
    "return": ("4036", 19),
    "notification": ("7327", 19),
    "buyer": ("7021", 19),
    "value": ("7000", 19),
    "service": ("7431", 19),
}


class IdGen:
    def __init__(self, seed: int) -> None:
        self._counter = 0
        self._offset = (seed * 7_919) % 10**6

    def next(self, kind: str) -> str:
        prefix, length = _ID_PREFIX[kind]
        self._counter += 1
        body = str(self._offset * 10**6 + self._counter)
        return prefix + body.zfill(length - len(prefix))

    def token(self, prefix: str, *parts: object) -> str:
        self._counter += 1
        digest = hashlib.sha256(
            "|".join(map(str, (*parts, self._counter, self._offset))).encode()
        ).hexdigest()
        return f"{prefix}{digest[:48]}"


@dataclass
class App:
    app_key: str
    app_secret: str
    service_id: str
    name: str
    redirect_url: str = "https://localhost/tiktok/callback"
    scopes: set[str] = field(default_factory=set)
    qps: float = 50.0  # §5.4 default 50 QPS per API per (app, shop)


@dataclass
class Seller:
    id: str
    name: str
    base_region: str
    seller_type: str  # CROSS_BORDER | LOCAL (§2.3)
    open_id: str


@dataclass
class Warehouse:
    id: str
    name: str
    type: str  # SALES_WAREHOUSE | RETURN_WAREHOUSE
    is_default: bool
    effect_status: str = "ENABLED"
    sub_type: str = "DOMESTIC_WAREHOUSE"
    address: dict[str, Any] = field(default_factory=dict)


@dataclass
class DeliveryOption:
    id: str
    name: str
    type: str  # STANDARD | EXPRESS | ECONOMY | SEND_BY_SELLER (§9.2)
    provider_ids: list[str] = field(default_factory=list)


@dataclass
class Provider:
    id: str
    name: str


@dataclass
class Shop:
    id: str
    seller_id: str
    name: str
    region: str
    currency: str
    cipher: str
    code: str
    warehouses: list[Warehouse] = field(default_factory=list)
    delivery_options: list[DeliveryOption] = field(default_factory=list)
    daily_listing_quota: int = 100  # §5.4: new shops 100 uploads/day in probation
    listings_by_day: dict[str, int] = field(default_factory=dict)
    custom_brands_by_day: dict[str, int] = field(default_factory=dict)
    active: bool = True

    def sales_warehouse(self) -> Warehouse:
        return next(w for w in self.warehouses if w.type == "SALES_WAREHOUSE" and w.is_default)


@dataclass
class Authorization:
    """One seller's grant to one app: the token pair covers every shop of the seller still authorized."""

    app_key: str
    seller_id: str
    access_token: str
    access_token_expire_in: int
    refresh_token: str
    refresh_token_expire_in: int
    shop_ids: set[str]
    scopes: set[str]
    revoked: bool = False


@dataclass
class AuthCode:
    code: str
    app_key: str
    seller_id: str
    expires_at: float
    used: bool = False


@dataclass
class Image:
    uri: str
    url: str
    width: int
    height: int
    use_case: str


@dataclass
class Product:
    id: str
    shop_id: str
    status: str  # §8.19 combined status
    audit_status: str  # NONE | AUDITING | FAILED | PRE_APPROVED | APPROVED
    live: dict[str, Any] | None  # approved version (what buyers see)
    pending: dict[str, Any] | None  # version under audit
    draft: dict[str, Any] | None
    create_time: int
    update_time: int
    audit_failed_reasons: list[dict[str, Any]] = field(default_factory=list)
    review_due_at: float | None = None
    forced_outcome: str | None = None  # APPROVED | FAILED
    review_round: int = 0
    first_review_done: bool = False
    suspended_reason: str = ""
    committed: dict[str, int] = field(default_factory=dict)  # sku_id -> units in unshipped orders

    def current(self) -> dict[str, Any]:
        """The newest content: pending over live over draft."""
        snapshot = self.pending or self.live or self.draft
        assert snapshot is not None
        return snapshot

    def versions(self) -> list[dict[str, Any]]:
        return [v for v in (self.live, self.pending, self.draft) if v is not None]


@dataclass
class Order:
    id: str
    shop_id: str
    buyer: dict[str, Any]
    status: str
    fulfillment_type: str  # FULFILLMENT_BY_SELLER | FULFILLMENT_BY_TIKTOK
    shipping_type: str  # TIKTOK | SELLER
    delivery_option: DeliveryOption
    warehouse_id: str
    line_items: list[dict[str, Any]]
    payment: dict[str, Any]
    times: dict[str, int]
    is_sample_order: bool = False
    is_cod: bool = False
    is_on_hold_order: bool = False
    is_buyer_request_cancel: bool = False
    has_updated_recipient_address: bool = False
    package_ids: list[str] = field(default_factory=list)
    cancel_reason: str = ""
    cancellation_initiator: str = ""
    next_transition_at: float | None = None
    buyer_message: str = ""


@dataclass
class Package:
    id: str
    shop_id: str
    order_id: str
    line_item_ids: list[str]
    status: str  # PROCESSING | FULFILLING | COMPLETED | CANCELLED (§11.6); line items show TO_FULFILL before shipping
    shipping_type: str
    delivery_option: DeliveryOption
    create_time: int
    update_time: int
    shipped: bool = False
    tracking_number: str = ""
    provider_id: str = ""
    provider_name: str = ""
    handover_method: str = ""
    pickup_slot: dict[str, int] | None = None
    shipped_at: int | None = None
    shipping_info_updates: int = 0
    tracking_events: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Cancellation:
    id: str
    shop_id: str
    order_id: str
    cancel_type: str  # CANCEL | BUYER_CANCEL
    status: str
    role: str  # BUYER | SELLER | SYSTEM
    reason: str
    line_item_ids: list[str]
    create_time: int
    update_time: int
    deadline: int | None = None


@dataclass
class ReturnRequest:
    id: str
    shop_id: str
    order_id: str
    return_type: str  # REFUND | RETURN_AND_REFUND | REPLACEMENT
    status: str
    role: str
    reason: str
    line_item_ids: list[str]
    create_time: int
    update_time: int
    deadline: int | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    tracking_number: str = ""


class WorldState:
    """Everything the emulator knows. Mutated only under ``EmulatorApp.lock``."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.ids = IdGen(seed)
        self.rng = random.Random(seed)
        self.apps: dict[str, App] = {}
        self.sellers: dict[str, Seller] = {}
        self.shops: dict[str, Shop] = {}
        self.providers: dict[str, Provider] = {}
        self.authorizations: list[Authorization] = []
        self.auth_codes: dict[str, AuthCode] = {}
        self.images: dict[str, Image] = {}
        self.image_by_hash: dict[str, str] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.brands: dict[str, dict[str, Any]] = {}
        self.products: dict[str, Product] = {}
        self.sku_index: dict[str, str] = {}  # sku_id -> product_id
        self.orders: dict[str, Order] = {}
        self.packages: dict[str, Package] = {}
        self.cancellations: dict[str, Cancellation] = {}
        self.returns: dict[str, ReturnRequest] = {}
        self.webhook_subscriptions: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
        self.idempotency: dict[tuple[str, str], dict[str, Any]] = {}

    # -- lookups ---------------------------------------------------------------------------------
    def shop_by_cipher(self, cipher: str) -> Shop | None:
        return next((s for s in self.shops.values() if s.cipher == cipher), None)

    def authorization_by_access(self, token: str) -> Authorization | None:
        return next((a for a in self.authorizations if a.access_token == token), None)

    def authorization_by_refresh(self, token: str) -> Authorization | None:
        return next((a for a in self.authorizations if a.refresh_token == token), None)

    def authorizations_for_shop(self, shop_id: str) -> list[Authorization]:
        return [a for a in self.authorizations if shop_id in a.shop_ids and not a.revoked]

    def provider_by_name(self, name: str) -> Provider:
        return next(p for p in self.providers.values() if p.name == name)
