"""TikTok Shop emulator: one WSGI app serving the API host, the auth host and a sandbox authorize page.

- API host paths (``/product/...``, ``/order/...``, ...) run the §15.1 pipeline (pipeline.py).
- Auth host: ``GET /api/v2/token/get`` and ``GET /api/v2/token/refresh`` (§2.2; no signature).
- Sandbox authorize page: ``GET /oauth/authorize`` or ``/open/authorize`` with ``app_key`` or ``service_id``,
  optional ``state``, ``redirect_uri`` (defaults to the app's registered redirect URL) and ``seller_id`` (defaults
  to the first seller). It skips the login/consent screens and immediately redirects (302) to
  ``{redirect_uri}?code=<auth_code>&state=<state>``; ``deny=1`` redirects with ``code=null&error=auth_denied`` (§2.2).
- Control API under ``/_sandbox/`` (control.py).
"""

from __future__ import annotations

import random
import time
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from ..kit.app import EmulatorApp, route
from ..kit.clock import Clock
from ..kit.ratelimit import TokenBucket
from ..kit.webhooks import Mode
from .aftersales import AftersalesMixin
from .control import ControlMixin
from .lifecycle import LifecycleMixin
from .orders import OrdersMixin
from .pipeline import ApiError, ApiSpec, Ctx, api, envelope_response, verify
from .products import ProductsMixin
from .state import AuthCode, WorldState
from .webhooks import EVENT_TYPES, TikTokWebhookSender, WebhookHub
from .world import ACCESS_TOKEN_LIFETIME, authorize, seed_default

DEFAULT_TIMINGS: dict[str, float] = {
    "review_seconds": 60.0,  # product audit duration (emulator choice; real audits take minutes to days)
    "review_failure_rate": 0.0,  # probability an audit fails, drawn deterministically per product and round
    "on_hold_seconds": 3600.0,  # §10.1 buyer-remorse window
    "collection_seconds": 6 * 3600.0,  # AWAITING_COLLECTION -> IN_TRANSIT
    "delivery_seconds": 48 * 3600.0,  # IN_TRANSIT -> DELIVERED
    "completion_seconds": 7 * 24 * 3600.0,  # DELIVERED -> COMPLETED (after-sales window; UNCONFIRMED length)
    "fbt_dispatch_seconds": 12 * 3600.0,  # FBT: AWAITING_SHIPMENT -> AWAITING_COLLECTION, TikTok ships
    "unpaid_timeout_seconds": 24 * 3600.0,  # UNPAID -> CANCELLED by system (UNCONFIRMED length)
    "seller_response_seconds": 48 * 3600.0,  # §12.1: seller must answer within 48 h, else auto-approved
}


class TikTokShopEmulator(
    ProductsMixin, OrdersMixin, AftersalesMixin, ControlMixin, LifecycleMixin, EmulatorApp
):
    platform = "tiktok_shop"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        webhook_mode: Mode = "immediate",
        timings: dict[str, float] | None = None,
    ) -> None:
        self.timings = dict(DEFAULT_TIMINGS, **(timings or {}))
        super().__init__(seed=seed, clock=clock, webhook_mode=webhook_mode)
        self.webhooks = TikTokWebhookSender(clock=self.clock, faults=self.faults, mode=webhook_mode)
        self.hub.sender = self.webhooks

    # -- state -----------------------------------------------------------------------------------
    def reset_state(self) -> None:
        self.world = WorldState(self.seed)
        self._request_rng = random.Random(self.seed)
        self.buckets: dict[tuple[str, str, str], TokenBucket] = {}
        sender = getattr(self, "webhooks", None)
        self.hub = WebhookHub(self.world, sender, self.clock.now_int)  # type: ignore[arg-type]
        seed_default(self.world, self.clock.now_int())

    def request_id(self) -> str:
        """§15.2: UTC ``YYYYMMDDhhmmss`` + 20 upper-case hex characters."""
        stamp = time.strftime("%Y%m%d%H%M%S", time.gmtime(self.clock.now()))
        return stamp + f"{self._request_rng.getrandbits(80):020X}"

    # -- pipeline --------------------------------------------------------------------------------
    def run_api(self, request: Request, spec: ApiSpec, fn: Any, kwargs: dict[str, str]) -> Response:
        version = kwargs.pop("version", "")
        try:
            with self.lock:
                self.advance_due()
                ctx = verify(self, request, spec, version)
                tenant = ctx.shop.id if ctx.shop else f"seller:{ctx.auth.seller_id}"
                self.check_rate_limit(ctx, tenant)
            fault = self.apply_faults(tenant, request)
            if fault is not None:
                return fault
            with self.lock:
                data = fn(self, ctx, **kwargs)
        except ApiError as exc:
            return envelope_response(self, code=exc.code, message=exc.message, data=exc.data, http=exc.http)
        return envelope_response(self, data=data)

    def check_rate_limit(self, ctx: Ctx, tenant: str) -> None:
        """§5.4: 50 QPS per API per (app, shop) by default; HTTP 429 + 36009002."""
        key = (ctx.app.app_key, tenant, ctx.spec.name)
        bucket = self.buckets.get(key)
        if bucket is None or bucket.rate != ctx.app.qps:
            bucket = TokenBucket(rate=ctx.app.qps, burst=ctx.app.qps, clock=self.clock)
            self.buckets[key] = bucket
        allowed, _ = bucket.try_take()
        if not allowed:
            raise ApiError(36009002, "Too many requests. Please retry later.")

    def fault_response(self, kind: str, request: Request) -> Response:
        if kind == "rate_limit":
            return envelope_response(
                self, code=36009002, message="Too many requests. Please retry later.", http=429
            )
        if kind == "timeout":
            return envelope_response(self, code=36009007, message="Request timeout. Please retry.", http=504)
        return envelope_response(
            self,
            code=36009003,
            message="Internal error. Please try again. If the issue persists after multiple attempts, please "
            "contact platform support.",
            http=500,
        )

    def not_found(self, request: Request) -> Response:
        return envelope_response(
            self, code=36009009, message="The request path does not match any API.", http=404
        )

    def method_not_allowed(self, request: Request) -> Response:
        return envelope_response(
            self, code=36009010, message="The HTTP method is not supported by this API.", http=405
        )

    # -- auth host (§2.2) ------------------------------------------------------------------------
    @route("/oauth/authorize", methods=("GET",))
    def oauth_authorize(self, request: Request) -> Response:
        return self._authorize(request)

    @route("/open/authorize", methods=("GET",))
    def open_authorize(self, request: Request) -> Response:
        return self._authorize(request)

    def _authorize(self, request: Request) -> Response:
        with self.lock:
            args = request.args
            app = self.world.apps.get(args.get("app_key", "")) or next(
                (a for a in self.world.apps.values() if a.service_id == args.get("service_id")), None
            )
            if app is None:
                return envelope_response(self, code=36009004, message=MSG_UNKNOWN_APP, http=400)
            seller_id = args.get("seller_id") or next(iter(self.world.sellers))
            if seller_id not in self.world.sellers:
                return envelope_response(self, code=36009004, message="Unknown seller_id.", http=400)
            redirect = args.get("redirect_uri") or app.redirect_url
            params: dict[str, str] = {}
            if args.get("deny"):
                params = {"code": "null", "error": "auth_denied"}
            else:
                code = self.world.ids.token("", "code", app.app_key, seller_id)[:32]
                # §2.2: auth_code valid 30 minutes, single use.
                self.world.auth_codes[code] = AuthCode(code, app.app_key, seller_id, self.clock.now() + 1800)
                params["code"] = code
            if args.get("state"):
                params["state"] = args["state"].strip()
            separator = "&" if "?" in redirect else "?"
            return Response(status=302, headers={"Location": f"{redirect}{separator}{urlencode(params)}"})

    @route("/api/v2/token/get", methods=("GET",))
    def token_get(self, request: Request) -> Response:
        with self.lock:
            args = request.args
            app = self.world.apps.get(args.get("app_key", ""))
            if app is None or app.app_secret != args.get("app_secret"):
                return envelope_response(self, code=36004004, message=MSG_UNKNOWN_APP)
            return self._token_get(args, app)

    def _token_get(self, args: Any, app: Any) -> Response:
        if args.get("grant_type") != "authorized_code":
            return envelope_response(self, code=36004004, message="grant_type must be authorized_code.")
        code = self.world.auth_codes.get(args.get("auth_code", ""))
        if code is None or code.used or code.app_key != app.app_key or code.expires_at < self.clock.now():
            # 36004004 "invalid auth code" (§2.2, third-party; UNCONFIRMED).
            return envelope_response(self, code=36004004, message="invalid auth code")
        code.used = True
        seller = self.world.sellers[code.seller_id]
        auth = authorize(self.world, app=app, seller=seller, now=self.clock.now_int())
        return envelope_response(self, message="success", data=self._token_data(auth))

    @route("/api/v2/token/refresh", methods=("GET",))
    def token_refresh(self, request: Request) -> Response:
        with self.lock:
            args = request.args
            app = self.world.apps.get(args.get("app_key", ""))
            if app is None or app.app_secret != args.get("app_secret"):
                return envelope_response(self, code=36004004, message=MSG_UNKNOWN_APP)
            if args.get("grant_type") != "refresh_token":
                return envelope_response(self, code=36004004, message="grant_type must be refresh_token.")
            auth = self.world.authorization_by_refresh(args.get("refresh_token", ""))
            if auth is None or auth.app_key != app.app_key or auth.revoked:
                return envelope_response(self, code=36004005, message="can not find related auth record")
            if auth.refresh_token_expire_in <= self.clock.now_int():
                return envelope_response(self, code=36004001, message="rt has expired")
            # Refresh rotates the access token; the refresh token is reissued too (clients must store the returned
            # one, §16.2). The old refresh token stops working.
            prefix = auth.access_token[:4]
            auth.access_token = self.world.ids.token(prefix, "access", auth.app_key, auth.seller_id)
            auth.access_token_expire_in = self.clock.now_int() + ACCESS_TOKEN_LIFETIME
            auth.refresh_token = self.world.ids.token(prefix, "refresh", auth.app_key, auth.seller_id)
            return envelope_response(self, message="success", data=self._token_data(auth))

    def _token_data(self, auth: Any) -> dict[str, Any]:
        seller = self.world.sellers[auth.seller_id]
        return {
            "access_token": auth.access_token,
            "access_token_expire_in": auth.access_token_expire_in,
            "refresh_token": auth.refresh_token,
            "refresh_token_expire_in": auth.refresh_token_expire_in,
            "open_id": seller.open_id,
            "seller_name": seller.name,
            "seller_base_region": seller.base_region,
            "user_type": 0,
            "granted_scopes": sorted(auth.scopes),
        }

    # -- authorization / seller (§2.3) -----------------------------------------------------------
    @api("GET", "/authorization/{v}/shops", cipher=False, scope="Shop Authorized Information")
    def get_authorized_shops(self, ctx: Ctx) -> dict[str, Any]:
        seller = self.world.sellers[ctx.auth.seller_id]
        shops = [s for s in self.world.shops.values() if s.id in ctx.auth.shop_ids]
        return {
            "shops": [
                {
                    "id": s.id,
                    "name": s.name,
                    "region": s.region,
                    "seller_type": seller.seller_type,
                    "cipher": s.cipher,
                    "code": s.code,
                }
                for s in shops
            ]
        }

    @api("GET", "/seller/{v}/shops", cipher=False, scope="Global Shop Information")
    def get_active_shops(self, ctx: Ctx) -> dict[str, Any]:
        shops = [s for s in self.world.shops.values() if s.id in ctx.auth.shop_ids and s.active]
        return {"shops": [{"id": s.id, "region": s.region} for s in shops]}

    @api("GET", "/seller/{v}/permissions", cipher=False, scope="Global Shop Information")
    def get_seller_permissions(self, ctx: Ctx) -> dict[str, Any]:
        seller = self.world.sellers[ctx.auth.seller_id]
        return {"permissions": ["MANAGE_GLOBAL_PRODUCT"] if seller.seller_type == "CROSS_BORDER" else []}

    # -- Event API (§13.5) -----------------------------------------------------------------------
    @api("GET", "/event/{v}/webhooks", scope="Shop Authorized Information")
    def get_shop_webhooks(self, ctx: Ctx) -> dict[str, Any]:
        subs = self.world.webhook_subscriptions.get((ctx.app.app_key, ctx.shop_required.id), {})
        return {"webhooks": list(subs.values()), "total_count": len(subs)}

    @api("PUT", "/event/{v}/webhooks", scope="Shop Authorized Information")
    def update_shop_webhook(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        event_type = body.get("event_type")
        address = body.get("address")
        if event_type not in EVENT_TYPES:
            raise ApiError(36009004, f"Invalid event_type {event_type!r}.", http=200)
        if not isinstance(address, str) or not address or len(address) > 255:
            raise ApiError(36009004, "address must be a URL of at most 255 characters.", http=200)
        # §13.1 requires https + domain name + no port in production; the sandbox also accepts http://localhost
        # style addresses so local receivers can be used (documented deviation).
        self.hub.subscribe(ctx.app.app_key, ctx.shop_required.id, event_type, address)
        return {}

    @api("DELETE", "/event/{v}/webhooks", scope="Shop Authorized Information")
    def delete_shop_webhook(self, ctx: Ctx) -> dict[str, Any]:
        event_type = ctx.body().get("event_type")
        if event_type not in EVENT_TYPES:
            raise ApiError(36009004, f"Invalid event_type {event_type!r}.", http=200)
        self.hub.unsubscribe(ctx.app.app_key, ctx.shop_required.id, event_type)
        return {}

    # -- logistics (§9) --------------------------------------------------------------------------
    @api("GET", "/logistics/{v}/warehouses", scope="Logistics Basic")
    def get_warehouse_list(self, ctx: Ctx) -> dict[str, Any]:
        return {
            "warehouses": [
                {
                    "id": w.id,
                    "entity_id": w.id,
                    "name": w.name,
                    "effect_status": w.effect_status,
                    "type": w.type,
                    "sub_type": w.sub_type,
                    "is_default": w.is_default,
                    "address": dict(w.address),
                }
                for w in ctx.shop_required.warehouses
            ]
        }

    @api("GET", "/logistics/{v}/warehouses/<warehouse_id>/delivery_options", scope="Logistics Basic")
    def get_warehouse_delivery_options(self, ctx: Ctx, warehouse_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        if not any(w.id == warehouse_id for w in shop.warehouses):
            raise ApiError(12052097, "The warehouse does not exist")
        scope = ctx.query.get("scope", "WAREHOUSE")
        options = []
        for option in shop.delivery_options:
            if scope == "PRODUCT":
                options.append({"id": option.id, "name": option.name})
                continue
            options.append(
                {
                    "id": option.id,
                    "name": option.name,
                    "type": option.type,
                    "description": f"{option.name} ({shop.region})",
                    "dimension_limit": {"max_height": 100, "max_length": 100, "max_width": 100, "unit": "CM"},
                    "weight_limit": {"max_weight": 30000, "min_weight": 1, "unit": "GRAM"},
                    "platform": ["TIKTOK_SHOP"],
                }
            )
        return {"delivery_options": options}

    @api(
        "GET",
        "/logistics/{v}/delivery_options/<delivery_option_id>/shipping_providers",
        scope="Logistics Basic",
    )
    def get_shipping_providers(self, ctx: Ctx, delivery_option_id: str) -> dict[str, Any]:
        option = next((o for o in ctx.shop_required.delivery_options if o.id == delivery_option_id), None)
        if option is None:
            raise ApiError(21008116, "No subscription for this delivery option.")
        if option.type != "SEND_BY_SELLER":
            raise ApiError(
                21008117, "The delivery option is fulfilled by TikTok Shop; no shipping providers."
            )
        return {
            "shipping_providers": [
                {"id": pid, "name": self.world.providers[pid].name} for pid in option.provider_ids
            ]
        }

    @api("GET", "/logistics/{v}/global_warehouses", cipher=False, scope="Global Shop Information")
    def get_global_warehouses(self, ctx: Ctx) -> dict[str, Any]:
        shops = [s for s in self.world.shops.values() if s.seller_id == ctx.auth.seller_id]
        return {
            "global_warehouses": [
                {"id": s.sales_warehouse().id, "name": s.sales_warehouse().name, "ownership": "SELLER"}
                for s in shops
            ]
        }


MSG_UNKNOWN_APP = "Invalid app_key or app_secret."


def create_emulator(*, seed: int = 0, webhook_mode: str = "immediate") -> TikTokShopEmulator:
    return TikTokShopEmulator(seed=seed, webhook_mode=webhook_mode)  # type: ignore[arg-type]


def manifest_entry(emulator: TikTokShopEmulator, base_url: str) -> dict[str, Any]:
    """Sandbox credentials of the default app and every shop it is authorized for."""
    world = emulator.world
    app = next(iter(world.apps.values()))
    shops = []
    for auth in world.authorizations:
        if auth.app_key != app.app_key or auth.revoked:
            continue
        for shop in world.shops.values():
            if shop.id in auth.shop_ids:
                shops.append(
                    {
                        "region": shop.region,
                        "currency": shop.currency,
                        "shop_id": shop.id,
                        "shop_cipher": shop.cipher,
                        "access_token": auth.access_token,
                        "refresh_token": auth.refresh_token,
                        "name": shop.name,
                    }
                )
    return {
        "api_base_url": base_url,
        "auth_base_url": base_url,
        "app_key": app.app_key,
        "app_secret": app.app_secret,
        "service_id": app.service_id,
        "shops": shops,
    }
