"""TikTok-specific control actions under ``/_sandbox/<action>`` (JSON in, JSON out). See COVERAGE.md."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..kit.app import json_response
from . import render
from .state import Order, Product, Shop
from .webhooks import EVENT_TYPES
from .world import add_app, add_seller, add_shop, authorize

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

    _Base = TikTokShopEmulator
else:
    _Base = object

ORDER_STATUSES = (
    "UNPAID",
    "ON_HOLD",
    "AWAITING_SHIPMENT",
    "AWAITING_COLLECTION",
    "IN_TRANSIT",
    "DELIVERED",
    "COMPLETED",
)


class ControlMixin(_Base):
    def control(self, action: str, request: Request, body: dict[str, Any]) -> Response | None:
        handler = getattr(self, "ctl_" + action.replace("/", "_"), None)
        if handler is None:
            return None
        self.advance_due()  # time-driven state first, as the API pipeline does
        return json_response(handler(body))

    # -- lookups ---------------------------------------------------------------------------------
    def _shop(self, body: dict[str, Any]) -> Shop:
        world = self.world
        if body.get("shop_id"):
            return world.shops[str(body["shop_id"])]
        if body.get("shop_cipher"):
            shop = world.shop_by_cipher(str(body["shop_cipher"]))
            if shop is None:
                raise KeyError(f"unknown shop_cipher {body['shop_cipher']}")
            return shop
        region = str(body.get("region") or "GB")
        return next(s for s in world.shops.values() if s.region == region)

    def _product(self, body: dict[str, Any]) -> Product:
        return self.world.products[str(body["product_id"])]

    def _order_of(self, body: dict[str, Any]) -> Order:
        return self.world.orders[str(body["order_id"])]

    # -- world -----------------------------------------------------------------------------------
    def ctl_state(self, body: dict[str, Any]) -> dict[str, Any]:
        world = self.world
        return {
            "apps": [
                {
                    "app_key": a.app_key,
                    "app_secret": a.app_secret,
                    "service_id": a.service_id,
                    "qps": a.qps,
                    "scopes": sorted(a.scopes),
                }
                for a in world.apps.values()
            ],
            "sellers": [vars(s) for s in world.sellers.values()],
            "shops": [
                {
                    "shop_id": s.id,
                    "seller_id": s.seller_id,
                    "name": s.name,
                    "region": s.region,
                    "currency": s.currency,
                    "shop_cipher": s.cipher,
                    "daily_listing_quota": s.daily_listing_quota,
                    "warehouses": [{"id": w.id, "type": w.type, "name": w.name} for w in s.warehouses],
                    "delivery_options": [
                        {
                            "id": o.id,
                            "name": o.name,
                            "type": o.type,
                            "shipping_providers": [
                                {"id": p, "name": world.providers[p].name} for p in o.provider_ids
                            ],
                        }
                        for o in s.delivery_options
                    ],
                }
                for s in world.shops.values()
            ],
            "authorizations": [
                {
                    "app_key": a.app_key,
                    "seller_id": a.seller_id,
                    "access_token": a.access_token,
                    "refresh_token": a.refresh_token,
                    "access_token_expire_in": a.access_token_expire_in,
                    "shop_ids": sorted(a.shop_ids),
                    "revoked": a.revoked,
                }
                for a in world.authorizations
            ],
            "timings": dict(self.timings),
        }

    def ctl_add_app(self, body: dict[str, Any]) -> dict[str, Any]:
        app = add_app(
            self.world,
            name=str(body.get("name") or "Sandbox App"),
            app_key=body.get("app_key"),
            app_secret=body.get("app_secret"),
            scopes=body.get("scopes"),
            redirect_url=body.get("redirect_url"),
            qps=float(body.get("qps", 50)),
        )
        return {"app_key": app.app_key, "app_secret": app.app_secret, "service_id": app.service_id}

    def ctl_add_seller(self, body: dict[str, Any]) -> dict[str, Any]:
        seller = add_seller(
            self.world,
            name=str(body.get("name") or "Sandbox Seller"),
            base_region=str(body.get("base_region") or "GB"),
            seller_type=str(body.get("seller_type") or "LOCAL"),
        )
        return {"seller_id": seller.id}

    def ctl_add_shop(self, body: dict[str, Any]) -> dict[str, Any]:
        seller = self.world.sellers[str(body["seller_id"])]
        shop = add_shop(
            self.world,
            seller=seller,
            region_code=str(body["region"]),
            name=body.get("name"),
            daily_listing_quota=int(body.get("daily_listing_quota", 100)),
        )
        for auth in self.world.authorizations:
            if auth.seller_id == seller.id and not auth.revoked:
                auth.shop_ids.add(shop.id)
        return {"shop_id": shop.id, "shop_cipher": shop.cipher, "currency": shop.currency}

    def ctl_authorize(self, body: dict[str, Any]) -> dict[str, Any]:
        app = self.world.apps[str(body["app_key"])]
        seller = self.world.sellers[str(body["seller_id"])]
        auth = authorize(self.world, app=app, seller=seller, now=self.clock.now_int())
        return {
            "access_token": auth.access_token,
            "refresh_token": auth.refresh_token,
            "access_token_expire_in": auth.access_token_expire_in,
            "shop_ids": sorted(auth.shop_ids),
        }

    def ctl_set_timings(self, body: dict[str, Any]) -> dict[str, Any]:
        for key, value in body.items():
            if key not in self.timings:
                raise KeyError(f"unknown timing {key!r}")
            self.timings[key] = float(value)
        return {"timings": dict(self.timings)}

    def ctl_set_quota(self, body: dict[str, Any]) -> dict[str, Any]:
        shop = self._shop(body)
        shop.daily_listing_quota = int(body["daily_listing_quota"])
        return {"shop_id": shop.id, "daily_listing_quota": shop.daily_listing_quota}

    def ctl_set_rate_limit(self, body: dict[str, Any]) -> dict[str, Any]:
        apps = (
            [self.world.apps[str(body["app_key"])]] if body.get("app_key") else list(self.world.apps.values())
        )
        for app in apps:
            app.qps = float(body["qps"])
        self.buckets.clear()
        return {"apps": [{"app_key": a.app_key, "qps": a.qps} for a in apps]}

    # -- tokens and grants -----------------------------------------------------------------------
    def _grants(self, body: dict[str, Any]) -> list[Any]:
        grants = self.world.authorizations
        if body.get("app_key"):
            grants = [g for g in grants if g.app_key == body["app_key"]]
        if body.get("shop_id") or body.get("shop_cipher"):
            shop = self._shop(body)
            grants = [g for g in grants if shop.id in g.shop_ids]
        if body.get("access_token"):
            grants = [g for g in grants if g.access_token == body["access_token"]]
        return grants

    def ctl_expire_token(self, body: dict[str, Any]) -> dict[str, Any]:
        grants = self._grants(body)
        now = self.clock.now_int()
        for grant in grants:
            if body.get("which", "access") == "refresh":
                grant.refresh_token_expire_in = now - 1
            grant.access_token_expire_in = now - 1
        return {"expired": len(grants)}

    def ctl_deauthorize(self, body: dict[str, Any]) -> dict[str, Any]:
        """The seller revokes the app for one shop: calls with its cipher then fail (101000), webhook type 6."""
        shop = self._shop(body)
        grants = [g for g in self._grants(body) if shop.id in g.shop_ids]
        for grant in grants:
            grant.shop_ids.discard(shop.id)
            if not grant.shop_ids:
                grant.revoked = True
            self.hub.emit_to_app(
                grant.app_key,
                shop.id,
                "SELLER_DEAUTHORIZATION",
                {"message": f"Shop_id {shop.id} is deauthorized from your APP by merchant."},
            )
        return {"deauthorized": len(grants)}

    def ctl_authorization_expiring(self, body: dict[str, Any]) -> dict[str, Any]:
        """Webhook type 7 (§2.2: sent daily from 30 days before expiry); sets the refresh expiry accordingly."""
        shop = self._shop(body)
        days = int(body.get("days", 30))
        grants = self._grants(body)
        for grant in grants:
            grant.refresh_token_expire_in = self.clock.now_int() + days * 86400
            self.hub.emit_to_app(
                grant.app_key,
                shop.id,
                "UPCOMING_AUTHORIZATION_EXPIRATION",
                {
                    "message": f"Authorization of shop_id {shop.id} is expiring in {days} days. Please direct the merchant "
                    "to re-authorize.",
                    "expiration_time": str(grant.refresh_token_expire_in),
                },
            )
        return {"notified": len(grants)}

    def ctl_subscribe_webhook(self, body: dict[str, Any]) -> dict[str, Any]:
        shop = self._shop(body)
        types = body.get("event_types") or [body.get("event_type") or "ALL"]
        if types == ["ALL"]:
            types = list(EVENT_TYPES)
        apps = (
            [str(body["app_key"])]
            if body.get("app_key")
            else [g.app_key for g in self.world.authorizations_for_shop(shop.id)]
        )
        for event_type in types:
            if event_type not in EVENT_TYPES:
                raise ValueError(f"unknown event_type {event_type}")
            for app_key in apps:
                self.hub.subscribe(app_key, shop.id, event_type, str(body["address"]))
        return {"shop_id": shop.id, "event_types": types, "app_keys": apps}

    def ctl_events(self, body: dict[str, Any]) -> dict[str, Any]:
        events = self.hub.events
        if body.get("event_type"):
            events = [e for e in events if e["event_type"] == body["event_type"]]
        return {"events": events[-int(body.get("limit", 500)) :]}

    # -- catalogue -------------------------------------------------------------------------------
    def ctl_products(self, body: dict[str, Any]) -> dict[str, Any]:
        shop_filter = (
            self._shop(body).id
            if (body.get("shop_id") or body.get("shop_cipher") or body.get("region"))
            else None
        )
        return {
            "products": [
                {
                    "product_id": p.id,
                    "shop_id": p.shop_id,
                    "status": p.status,
                    "audit_status": p.audit_status,
                    "review_due_at": p.review_due_at,
                    "audit_failed_reasons": p.audit_failed_reasons,
                    "skus": [
                        {
                            "id": s["id"],
                            "seller_sku": s.get("seller_sku", ""),
                            "inventory": s["inventory"],
                            "price": s["price"],
                        }
                        for s in p.current()["skus"]
                    ],
                    "committed": dict(p.committed),
                }
                for p in self.world.products.values()
                if shop_filter in (None, p.shop_id)
            ]
        }

    def ctl_force_review(self, body: dict[str, Any]) -> dict[str, Any]:
        product = self._product(body)
        outcome = str(body.get("outcome", "APPROVED")).upper()
        if outcome not in ("APPROVED", "FAILED"):
            raise ValueError("outcome must be APPROVED or FAILED")
        if product.review_due_at is None:
            raise ValueError(f"product {product.id} is not under review (status {product.status})")
        product.forced_outcome = outcome
        if body.get("now", True):
            self.finish_review(product)
        return {"product_id": product.id, "status": product.status, "audit_status": product.audit_status}

    def ctl_platform_product(self, body: dict[str, Any]) -> dict[str, Any]:
        product = self._product(body)
        self.platform_action(product, str(body.get("action", "deactivate")), str(body.get("reason", "")))
        return {"product_id": product.id, "status": product.status}

    # -- orders and after-sales ------------------------------------------------------------------
    def ctl_orders(self, body: dict[str, Any]) -> dict[str, Any]:
        shop_filter = (
            self._shop(body).id
            if (body.get("shop_id") or body.get("shop_cipher") or body.get("region"))
            else None
        )
        return {
            "orders": [
                render.order_view(self.world, o)
                for o in self.world.orders.values()
                if shop_filter in (None, o.shop_id)
            ]
        }

    def ctl_place_order(self, body: dict[str, Any]) -> dict[str, Any]:
        order = self.place_order(self._shop(body), body)
        return {"order": render.order_view(self.world, order)}

    def ctl_pay_order(self, body: dict[str, Any]) -> dict[str, Any]:
        order = self._order_of(body)
        if order.status != "UNPAID":
            raise ValueError(f"order {order.id} is {order.status}, not UNPAID")
        self.pay_order(order)
        return {"order_id": order.id, "status": order.status}

    def ctl_advance_order(self, body: dict[str, Any]) -> dict[str, Any]:
        """One step along §10.2, or until ``to`` is reached."""
        order = self._order_of(body)
        target = body.get("to")
        if target is not None and target not in ORDER_STATUSES:
            raise ValueError(f"to must be one of {ORDER_STATUSES}")
        for _ in range(10):
            if target is not None and order.status == target:
                break
            self.advance_order(order)
            if target is None:
                break
        return {"order_id": order.id, "status": order.status}

    def ctl_update_address(self, body: dict[str, Any]) -> dict[str, Any]:
        order = self._order_of(body)
        order.buyer.update(
            {k: v for k, v in body.items() if k in ("address_line1", "city", "postal_code", "name", "phone")}
        )
        order.has_updated_recipient_address = True
        order.times["update_time"] = self.clock.now_int()
        self.hub.emit(
            order.shop_id,
            "RECIPIENT_ADDRESS_UPDATE",
            {"order_id": order.id, "update_time": order.times["update_time"]},
        )
        return {"order_id": order.id}

    def ctl_buyer_cancel(self, body: dict[str, Any]) -> dict[str, Any]:
        c = self.buyer_cancel(self._order_of(body), body.get("reason"))
        return {"cancel_id": c.id, "cancel_status": c.status, "cancel_type": c.cancel_type}

    def ctl_request_return(self, body: dict[str, Any]) -> dict[str, Any]:
        r = self.request_return(self._order_of(body), body)
        return {"return_id": r.id, "return_status": r.status}

    def ctl_buyer_ship_return(self, body: dict[str, Any]) -> dict[str, Any]:
        r = self.world.returns[str(body["return_id"])]
        self.buyer_ship_return(r, str(body.get("tracking_number") or "RB123456785GB"))
        return {"return_id": r.id, "return_status": r.status}
