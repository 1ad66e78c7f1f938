"""The Shopify Admin REST emulator: routes, the request pipeline and the merchant control API.

Pipeline of every Admin API request (spec/stores/shopify.md): pinned version in the path (§1),
``X-Shopify-Access-Token`` (§1, 401 body from CODE-ERR), leaky bucket 40/2 per second with the
``X-Shopify-Shop-Api-Call-Limit`` header and 429 + ``Retry-After`` (§2), injected faults, then the
handler. State is per shop; a token belongs to one shop. See COVERAGE.md for what is served.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from ..kit.app import EmulatorApp, json_response, read_json, route
from ..kit.clock import Clock
from ..kit.ratelimit import LeakyBucket
from ..kit.webhooks import Mode
from . import catalog, orders, refunds
from .csv_import import import_csv
from .pagination import paginate
from .seeds import product_png, seed_demo, seed_generated
from .state import Shop, ShopifyError, not_found, parse_iso, public
from .webhooks import TOPICS, WebhookEmitter, subscribe

API_VERSION = "2024-10"  # the version ShopBridge pins (spec §1: quarterly versions)
API_VERSIONS = ("2024-01", "2024-04", "2024-07", "2024-10", "2025-01", "2025-04", "2025-07", "unstable")
DEFAULT_SHOP = "shopbridge-demo.myshopify.com"
DEFAULT_TOKEN = "shpat_sandbox0demo0000000000000000"  # custom-app tokens start shpat_ (spec §1, UNCONFIRMED)
DEFAULT_SECRET = "shpss_sandbox0app0secret000000000"
CALL_LIMIT_HEADER = "X-Shopify-Shop-Api-Call-Limit"
# spec §1 "Bad token" and §2 "Over limit" (CODE-ERR).
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"
THROTTLED = (
    "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service."
)
RETRY_AFTER = "2.0"  # spec §10 item 4

Reply = tuple[Any, int, dict[str, str]]


def ok(payload: Any, status: int = 200, link: str | None = None) -> Reply:
    return payload, status, ({"Link": link} if link else {})


def api(path: str, methods: tuple[str, ...] = ("GET",)) -> Callable[[Callable[..., Reply]], Any]:
    """Route ``/admin/api/<version>/<path>`` through the Admin API pipeline."""

    def decorate(fn: Callable[..., Reply]) -> Any:
        def handler(self: ShopifyEmulator, request: Request, version: str, **kwargs: Any) -> Response:
            return self.run_api(fn, request, version, kwargs)

        handler.__name__ = fn.__name__
        return route(f"/admin/api/<version>/{path}", methods, endpoint=fn.__name__)(handler)

    return decorate


def body_of(request: Request, key: str) -> dict[str, Any]:
    """The write body, wrapped in its singular resource key (spec §1 "Request wrapper")."""
    try:
        data = read_json(request)
    except ValueError as exc:
        raise ShopifyError(400, {"error": str(exc)}) from None
    if not isinstance(data, dict) or not isinstance(data.get(key), dict):
        raise ShopifyError(400, {key: "Required parameter missing or invalid"})
    return data[key]


def trimmed(resource: dict[str, Any], args: dict[str, str]) -> dict[str, Any]:
    out = public(resource)
    if args.get("fields"):
        wanted = {f.strip() for f in args["fields"].split(",")}
        out = {k: v for k, v in out.items() if k in wanted}
    return out


def id_list(value: str | None) -> set[int]:
    return {int(x) for x in (value or "").split(",") if x.strip().isdigit()}


def time_filters(resource: dict[str, Any], filters: dict[str, str]) -> bool:
    for key, ts_key, is_min in (
        ("created_at_min", "_created_ts", True),
        ("created_at_max", "_created_ts", False),
        ("updated_at_min", "_updated_ts", True),
        ("updated_at_max", "_updated_ts", False),
    ):
        if key in filters:
            bound = parse_iso(filters[key])
            if (resource[ts_key] < bound) if is_min else (resource[ts_key] > bound):
                return False
    return True


class ShopifyEmulator(EmulatorApp):
    platform = "shopify"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        webhook_mode: Mode = "immediate",
        catalog: str = "demo",
        api_secret: str = DEFAULT_SECRET,
        public_url: str | None = None,
    ) -> None:
        self.catalog_kind = catalog
        self.api_secret = api_secret
        self.public_url = public_url
        super().__init__(seed=seed, clock=clock, webhook_mode=webhook_mode)

    # -- state ------------------------------------------------------------------------------------
    def reset_state(self) -> None:
        self.shops: dict[str, Shop] = {}
        self.emitter = WebhookEmitter(self.webhooks, self.api_secret, self.seed)
        self.add_shop(DEFAULT_SHOP, DEFAULT_TOKEN, catalog=self.catalog_kind)

    def add_shop(self, domain: str, token: str, *, catalog: str = "empty") -> Shop:
        shop = Shop(domain=domain, access_token=token, clock=self.clock, public_url=self.public_url or "")
        shop.add_location(
            "Main Warehouse", city="New York", zip_code="10001", province="New York", province_code="NY"
        )
        shop.add_location(
            "Brooklyn Store", city="Brooklyn", zip_code="11201", province="New York", province_code="NY"
        )
        if catalog == "demo":
            seed_demo(shop)
        self.shops[domain] = shop
        return shop

    @property
    def default_shop(self) -> Shop:
        return self.shops[DEFAULT_SHOP]

    def shop_for_token(self, token: str | None) -> Shop | None:
        return next((s for s in self.shops.values() if token and s.access_token == token), None)

    def set_public_url(self, base_url: str) -> None:
        self.public_url = base_url.rstrip("/")
        for shop in self.shops.values():
            shop.public_url = self.public_url

    def emit(self, shop: Shop, topic: str, payload: dict[str, Any]) -> None:
        self.emitter.emit(shop, topic, public(payload))

    def emit_product(self, shop: Shop, topic: str, product: dict[str, Any]) -> None:
        self.emit(shop, topic, catalog.render_product(shop, product))

    def emit_level(self, shop: Shop, item_id: int, location_id: int) -> None:
        self.emit(shop, "inventory_levels/update", shop.levels[(item_id, location_id)])

    # -- pipeline ---------------------------------------------------------------------------------
    def run_api(
        self, fn: Callable[..., Reply], request: Request, version: str, kwargs: dict[str, Any]
    ) -> Response:
        if version not in API_VERSIONS:
            return json_response({"errors": "Not Found"}, 404)
        shop = self.shop_for_token(request.headers.get("X-Shopify-Access-Token"))
        if shop is None:
            return json_response({"errors": INVALID_TOKEN}, 401)
        allowed, _wait = shop.bucket.try_add()
        if not allowed:
            limit = f"{shop.bucket.size}/{shop.bucket.size}"
            return json_response(
                {"errors": THROTTLED}, 429, {"Retry-After": RETRY_AFTER, CALL_LIMIT_HEADER: limit}
            )
        fault = self.apply_faults(shop.domain, request)
        if fault is not None:
            return fault
        with self.lock:
            try:
                payload, status, headers = fn(self, shop, request, **kwargs)
            except ShopifyError as exc:
                payload, status, headers = {"errors": exc.errors}, exc.status, exc.headers
        response = json_response(payload, status, headers)
        response.headers[CALL_LIMIT_HEADER] = f"{shop.bucket.level}/{shop.bucket.size}"
        return response

    def fault_response(self, kind: str, request: Request) -> Response:
        if kind == "rate_limit":
            return json_response({"errors": THROTTLED}, 429, {"Retry-After": RETRY_AFTER})
        if kind == "timeout":
            return json_response({"errors": "Gateway Timeout"}, 504)
        return json_response({"errors": "Internal Server Error"}, 500)

    def not_found(self, request: Request) -> Response:
        return json_response({"errors": "Not Found"}, 404)

    def url_of(self, request: Request) -> str:
        return request.host_url.rstrip("/") + request.path

    # -- shop ---------------------------------------------------------------------------------------
    @api("shop.json")
    def get_shop(self, shop: Shop, request: Request) -> Reply:
        return ok({"shop": shop.shop_payload()})

    # -- products -----------------------------------------------------------------------------------
    def select_products(self, shop: Shop, f: dict[str, str]) -> list[dict[str, Any]]:
        ids, statuses = id_list(f.get("ids")), set((f.get("status") or "").split(",")) - {""}
        handles = set((f.get("handle") or "").split(",")) - {""}
        members = (
            catalog.collection_product_ids(shop, int(f["collection_id"])) if f.get("collection_id") else None
        )
        out = []
        for p in shop.products.values():
            if (ids and p["id"] not in ids) or (statuses and p["status"] not in statuses):
                continue
            if (handles and p["handle"] not in handles) or (members is not None and p["id"] not in members):
                continue
            if any(f.get(k) and p[k] != f[k] for k in ("product_type", "vendor", "title")):
                continue
            if f.get("since_id") and p["id"] <= int(f["since_id"]):
                continue
            if time_filters(p, f):
                out.append(p)
        return out

    @api("products.json")
    def list_products(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        page = paginate(args, self.url_of(request), lambda f: self.select_products(shop, f))
        products = [trimmed(catalog.render_product(shop, p), args) for p in page.items]
        return ok({"products": products}, link=page.link)

    @api("products/count.json")
    def count_products(self, shop: Shop, request: Request) -> Reply:
        return ok({"count": len(self.select_products(shop, request.args.to_dict()))})

    @api("products/<int:product_id>.json")
    def get_product(self, shop: Shop, request: Request, product_id: int) -> Reply:
        product = catalog.get_product(shop, product_id)
        return ok({"product": trimmed(catalog.render_product(shop, product), request.args.to_dict())})

    @api("products.json", ("POST",))
    def create_product(self, shop: Shop, request: Request) -> Reply:
        product = catalog.create_product(shop, body_of(request, "product"))
        self.emit_product(shop, "products/create", product)
        return ok({"product": public(catalog.render_product(shop, product))}, 201)

    @api("products/<int:product_id>.json", ("PUT",))
    def update_product(self, shop: Shop, request: Request, product_id: int) -> Reply:
        product = catalog.update_product(shop, product_id, body_of(request, "product"))
        self.emit_product(shop, "products/update", product)
        return ok({"product": public(catalog.render_product(shop, product))})

    @api("products/<int:product_id>.json", ("DELETE",))
    def delete_product(self, shop: Shop, request: Request, product_id: int) -> Reply:
        self.delete_product_as(shop, product_id)
        return ok({})

    def delete_product_as(self, shop: Shop, product_id: int) -> None:
        catalog.delete_product(shop, product_id)
        # products/delete carries only the id (spec §6.2 "Product deletion", shape UNCONFIRMED).
        self.emit(shop, "products/delete", {"id": product_id})

    @api("products/<int:product_id>/variants.json")
    def list_variants(self, shop: Shop, request: Request, product_id: int) -> Reply:
        product = catalog.get_product(shop, product_id)
        args = request.args.to_dict()
        page = paginate(
            args,
            self.url_of(request),
            lambda f: [v for v in product["variants"] if v["id"] > int(f.get("since_id") or 0)],
        )
        return ok(
            {"variants": [trimmed(catalog.render_variant(shop, v), args) for v in page.items]}, link=page.link
        )

    @api("products/<int:product_id>/variants.json", ("POST",))
    def create_variant(self, shop: Shop, request: Request, product_id: int) -> Reply:
        variant = catalog.add_variant(shop, product_id, body_of(request, "variant"))
        self.emit_product(shop, "products/update", shop.products[product_id])
        return ok({"variant": public(catalog.render_variant(shop, variant))}, 201)

    @api("variants/<int:variant_id>.json")
    def get_variant(self, shop: Shop, request: Request, variant_id: int) -> Reply:
        found = shop.find_variant(variant_id)
        if found is None:
            raise not_found()
        return ok({"variant": trimmed(catalog.render_variant(shop, found[1]), request.args.to_dict())})

    @api("variants/<int:variant_id>.json", ("PUT",))
    def update_variant(self, shop: Shop, request: Request, variant_id: int) -> Reply:
        product, variant = catalog.update_variant(shop, variant_id, body_of(request, "variant"))
        self.emit_product(shop, "products/update", product)
        return ok({"variant": public(catalog.render_variant(shop, variant))})

    @api("products/<int:product_id>/variants/<int:variant_id>.json", ("DELETE",))
    def delete_variant(self, shop: Shop, request: Request, product_id: int, variant_id: int) -> Reply:
        product = catalog.delete_variant(shop, product_id, variant_id)
        self.emit_product(shop, "products/update", product)
        return ok({})

    @api("products/<int:product_id>/images.json")
    def list_images(self, shop: Shop, request: Request, product_id: int) -> Reply:
        product = catalog.get_product(shop, product_id)
        return ok({"images": [public(catalog.render_image(shop, i)) for i in product["images"]]})

    @api("products/<int:product_id>/images.json", ("POST",))
    def create_image(self, shop: Shop, request: Request, product_id: int) -> Reply:
        image = catalog.add_image(shop, product_id, body_of(request, "image"))
        self.emit_product(shop, "products/update", shop.products[product_id])
        return ok({"image": public(catalog.render_image(shop, image))}, 201)

    # -- collections --------------------------------------------------------------------------------
    def _collections(
        self, shop: Shop, source: dict[int, dict[str, Any]], f: dict[str, str]
    ) -> list[dict[str, Any]]:
        ids = id_list(f.get("ids"))
        product_id = int(f["product_id"]) if f.get("product_id") else None
        out = []
        for c in source.values():
            if ids and c["id"] not in ids:
                continue
            if f.get("title") and c["title"] != f["title"]:
                continue
            if product_id is not None and product_id not in catalog.collection_product_ids(shop, c["id"]):
                continue
            if c["id"] > int(f.get("since_id") or 0):
                out.append(c)
        return out

    @api("custom_collections.json")
    def list_custom_collections(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        page = paginate(
            args, self.url_of(request), lambda f: self._collections(shop, shop.custom_collections, f)
        )
        return ok({"custom_collections": [trimmed(c, args) for c in page.items]}, link=page.link)

    @api("smart_collections.json")
    def list_smart_collections(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        page = paginate(
            args, self.url_of(request), lambda f: self._collections(shop, shop.smart_collections, f)
        )
        return ok({"smart_collections": [trimmed(c, args) for c in page.items]}, link=page.link)

    @api("collects.json")
    def list_collects(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()

        def select(f: dict[str, str]) -> list[dict[str, Any]]:
            return [
                c
                for c in shop.collects.values()
                if all(not f.get(k) or str(c[k]) == f[k] for k in ("product_id", "collection_id"))
                and c["id"] > int(f.get("since_id") or 0)
            ]

        page = paginate(args, self.url_of(request), select)
        return ok({"collects": [trimmed(c, args) for c in page.items]}, link=page.link)

    @api("collects.json", ("POST",))
    def create_collect(self, shop: Shop, request: Request) -> Reply:
        body = body_of(request, "collect")
        collect = catalog.add_collect(
            shop, int(body.get("product_id") or 0), int(body.get("collection_id") or 0)
        )
        return ok({"collect": public(collect)}, 201)

    # -- locations and inventory --------------------------------------------------------------------
    @api("locations.json")
    def list_locations(self, shop: Shop, request: Request) -> Reply:
        return ok({"locations": [public(loc) for loc in shop.locations.values()]})

    @api("locations/<int:location_id>.json")
    def get_location(self, shop: Shop, request: Request, location_id: int) -> Reply:
        if location_id not in shop.locations:
            raise not_found()
        return ok({"location": public(shop.locations[location_id])})

    @api("locations/<int:location_id>/inventory_levels.json")
    def location_levels(self, shop: Shop, request: Request, location_id: int) -> Reply:
        if location_id not in shop.locations:
            raise not_found()
        levels = [lvl for (_, loc), lvl in shop.levels.items() if loc == location_id]
        return ok({"inventory_levels": [public(lvl) for lvl in levels]})

    @api("inventory_items.json")
    def list_inventory_items(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        ids = id_list(args.get("ids"))
        if not ids and not args.get("page_info"):
            # ids is required (spec §5); envelope UNCONFIRMED.
            raise ShopifyError(422, {"ids": ["can't be blank"]})
        page = paginate(
            args,
            self.url_of(request),
            lambda f: [i for i in shop.inventory_items.values() if i["id"] in id_list(f.get("ids"))],
        )
        return ok({"inventory_items": [trimmed(i, args) for i in page.items]}, link=page.link)

    @api("inventory_items/<int:item_id>.json")
    def get_inventory_item(self, shop: Shop, request: Request, item_id: int) -> Reply:
        if item_id not in shop.inventory_items:
            raise not_found()
        return ok({"inventory_item": public(shop.inventory_items[item_id])})

    @api("inventory_levels.json")
    def list_inventory_levels(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        if not args.get("page_info") and not (args.get("inventory_item_ids") or args.get("location_ids")):
            # spec §5: at least one of inventory_item_ids / location_ids (message UNCONFIRMED).
            raise ShopifyError(422, {"base": ["inventory_item_ids or location_ids must be specified"]})

        def select(f: dict[str, str]) -> list[dict[str, Any]]:
            items, locations = id_list(f.get("inventory_item_ids")), id_list(f.get("location_ids"))
            rows = []
            for (item, loc), lvl in sorted(shop.levels.items()):
                if (items and item not in items) or (locations and loc not in locations):
                    continue
                if f.get("updated_at_min") and lvl["_updated_ts"] < parse_iso(f["updated_at_min"]):
                    continue
                rows.append({**lvl, "id": item * 10**13 + loc % 10**13})  # synthetic sort key, stripped below
            return rows

        page = paginate(args, self.url_of(request), select)
        levels = [{k: v for k, v in public(lvl).items() if k != "id"} for lvl in page.items]
        return ok({"inventory_levels": levels}, link=page.link)

    @api("inventory_levels/set.json", ("POST",))
    def set_inventory_level(self, shop: Shop, request: Request) -> Reply:
        body = self._plain_body(request)
        item_id, location_id = int(body.get("inventory_item_id") or 0), int(body.get("location_id") or 0)
        if not isinstance(body.get("available"), int):
            raise ShopifyError(422, {"available": ["is not a number"]})
        level = catalog.set_level(shop, item_id, location_id, body["available"])
        self.emit_level(shop, item_id, location_id)
        return ok({"inventory_level": public(level)})

    @api("inventory_levels/adjust.json", ("POST",))
    def adjust_inventory_level(self, shop: Shop, request: Request) -> Reply:
        body = self._plain_body(request)
        item_id, location_id = int(body.get("inventory_item_id") or 0), int(body.get("location_id") or 0)
        if (item_id, location_id) not in shop.levels:
            raise ShopifyError(422, {"base": ["Inventory item is not stocked at the location"]})
        level = catalog.adjust_level(shop, item_id, location_id, int(body.get("available_adjustment") or 0))
        self.emit_level(shop, item_id, location_id)
        return ok({"inventory_level": public(level)})

    def _plain_body(self, request: Request) -> dict[str, Any]:
        try:
            data = read_json(request)
        except ValueError as exc:
            raise ShopifyError(400, {"error": str(exc)}) from None
        if not isinstance(data, dict):
            raise ShopifyError(400, {"error": "body must be a JSON object"})
        return data

    # -- orders -------------------------------------------------------------------------------------
    def select_orders(self, shop: Shop, f: dict[str, str]) -> list[dict[str, Any]]:
        status = f.get("status") or "open"  # default status=open (spec §6.1)
        ids = id_list(f.get("ids"))
        out = []
        for o in shop.orders.values():
            state = "cancelled" if o["cancelled_at"] else ("closed" if o["closed_at"] else "open")
            if status != "any" and state != status:
                continue
            if (ids and o["id"] not in ids) or o["id"] <= int(f.get("since_id") or 0):
                continue
            if (
                f.get("financial_status") not in (None, "", "any")
                and o["financial_status"] != f["financial_status"]
            ):
                continue
            if f.get("attribution_app_id") == "current" and not o["_via_api"]:
                continue
            if time_filters(o, f):
                out.append(o)
        return out

    @api("orders.json")
    def list_orders(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        page = paginate(args, self.url_of(request), lambda f: self.select_orders(shop, f))
        return ok({"orders": [trimmed(o, args) for o in page.items]}, link=page.link)

    @api("orders/count.json")
    def count_orders(self, shop: Shop, request: Request) -> Reply:
        return ok({"count": len(self.select_orders(shop, request.args.to_dict()))})

    @api("orders/<int:order_id>.json")
    def get_order(self, shop: Shop, request: Request, order_id: int) -> Reply:
        return ok({"order": trimmed(orders.get_order(shop, order_id), request.args.to_dict())})

    @api("orders.json", ("POST",))
    def create_order(self, shop: Shop, request: Request) -> Reply:
        order = orders.create_order(shop, body_of(request, "order"))
        self.emit(shop, "orders/create", order)
        for line in order["line_items"]:
            if line["_decremented"]:
                self.emit_level(shop, line["_inventory_item_id"], line["_location_id"])
        return ok({"order": public(order)}, 201)

    @api("orders/<int:order_id>.json", ("PUT",))
    def update_order(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = orders.update_order(shop, order_id, body_of(request, "order"))
        self.emit(shop, "orders/updated", order)
        return ok({"order": public(order)})

    @api("orders/<int:order_id>/cancel.json", ("POST",))
    def cancel_order(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = self.cancel_order_as(shop, order_id, self._plain_body(request) if request.get_data() else {})
        return ok({"order": public(order)})

    def cancel_order_as(self, shop: Shop, order_id: int, payload: dict[str, Any]) -> dict[str, Any]:
        before = {line["id"]: line["_decremented"] for line in orders.get_order(shop, order_id)["line_items"]}
        order = orders.cancel_order(shop, order_id, payload)
        self.emit(shop, "orders/cancelled", order)
        self.emit(shop, "orders/updated", order)
        for line in order["line_items"]:
            if before[line["id"]] and not line["_decremented"]:
                self.emit_level(shop, line["_inventory_item_id"], line["_location_id"])
        return order

    @api("orders/<int:order_id>/refunds/calculate.json", ("POST",))
    def calculate_refund(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = orders.get_order(shop, order_id)
        return ok({"refund": refunds.calculate(shop, order, body_of(request, "refund"))})

    @api("orders/<int:order_id>/refunds.json", ("POST",))
    def create_refund(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = orders.get_order(shop, order_id)
        refund, restocked = refunds.create_refund(shop, order, body_of(request, "refund"))
        self.emit(shop, "refunds/create", refund)
        self.emit(shop, "orders/updated", order)
        for item_id, location_id in restocked:
            self.emit_level(shop, item_id, location_id)
        return ok({"refund": public(refund)}, 201)

    @api("orders/<int:order_id>/refunds.json")
    def list_refunds(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = orders.get_order(shop, order_id)
        return ok({"refunds": [trimmed(r, request.args.to_dict()) for r in order["refunds"]]})

    @api("orders/<int:order_id>/refunds/<int:refund_id>.json")
    def get_refund(self, shop: Shop, request: Request, order_id: int, refund_id: int) -> Reply:
        order = orders.get_order(shop, order_id)
        refund = next((r for r in order["refunds"] if r["id"] == refund_id), None)
        if refund is None:
            raise not_found()
        return ok({"refund": trimmed(refund, request.args.to_dict())})

    @api("orders/<int:order_id>/fulfillment_orders.json")
    def list_fulfillment_orders(self, shop: Shop, request: Request, order_id: int) -> Reply:
        return ok({"fulfillment_orders": [public(fo) for fo in orders.fulfillment_orders_of(shop, order_id)]})

    @api("fulfillment_orders/<int:fo_id>.json")
    def get_fulfillment_order(self, shop: Shop, request: Request, fo_id: int) -> Reply:
        if fo_id not in shop.fulfillment_orders:
            raise not_found()
        return ok({"fulfillment_order": public(shop.fulfillment_orders[fo_id])})

    @api("fulfillments.json", ("POST",))
    def create_fulfillment(self, shop: Shop, request: Request) -> Reply:
        fulfillment = self.fulfil_as(shop, body_of(request, "fulfillment"))
        return ok({"fulfillment": public(fulfillment)}, 201)

    def fulfil_as(self, shop: Shop, payload: dict[str, Any]) -> dict[str, Any]:
        fulfillment = orders.create_fulfillment(shop, payload)
        order = shop.orders[fulfillment["order_id"]]
        self.emit(shop, "fulfillments/create", fulfillment)
        fulfilled = (
            "orders/fulfilled" if order["fulfillment_status"] == "fulfilled" else "orders/partially_fulfilled"
        )
        self.emit(shop, fulfilled, order)
        self.emit(shop, "orders/updated", order)
        return fulfillment

    @api("orders/<int:order_id>/fulfillments.json")
    def list_fulfillments(self, shop: Shop, request: Request, order_id: int) -> Reply:
        order = orders.get_order(shop, order_id)
        return ok({"fulfillments": [trimmed(f, request.args.to_dict()) for f in order["fulfillments"]]})

    @api("orders/<int:order_id>/fulfillments/<int:fulfillment_id>.json")
    def get_fulfillment(self, shop: Shop, request: Request, order_id: int, fulfillment_id: int) -> Reply:
        fulfillment = shop.fulfillments.get(fulfillment_id)
        if fulfillment is None or fulfillment["order_id"] != order_id:
            raise not_found()
        return ok({"fulfillment": public(fulfillment)})

    @api("fulfillments/<int:fulfillment_id>/update_tracking.json", ("POST",))
    def update_tracking(self, shop: Shop, request: Request, fulfillment_id: int) -> Reply:
        fulfillment = orders.update_tracking(shop, fulfillment_id, body_of(request, "fulfillment"))
        self.emit(shop, "fulfillments/update", fulfillment)
        return ok({"fulfillment": public(fulfillment)})

    # -- webhooks -----------------------------------------------------------------------------------
    @api("webhooks.json")
    def list_webhooks(self, shop: Shop, request: Request) -> Reply:
        args = request.args.to_dict()
        hooks = [
            w
            for w in shop.webhooks.values()
            if all(not args.get(k) or w[k] == args[k] for k in ("topic", "address"))
        ]
        return ok({"webhooks": [public(w) for w in hooks]})

    @api("webhooks.json", ("POST",))
    def create_webhook(self, shop: Shop, request: Request) -> Reply:
        api_version = request.path.split("/")[3]  # /admin/api/<version>/webhooks.json
        return ok({"webhook": public(subscribe(shop, body_of(request, "webhook"), api_version))}, 201)

    @api("webhooks/<int:webhook_id>.json", ("DELETE",))
    def delete_webhook(self, shop: Shop, request: Request, webhook_id: int) -> Reply:
        if shop.webhooks.pop(webhook_id, None) is None:
            raise not_found()
        return ok({})

    # -- control API (the merchant) -----------------------------------------------------------------
    def control(self, action: str, request: Request, body: dict[str, Any]) -> Response | None:
        if action.startswith("images/"):
            return Response(product_png(action), content_type="image/png")
        handler = self.CONTROL_ACTIONS.get(action)
        if handler is None:
            return None
        if action == "shops":
            return handler(self, None, body)
        shop = self.shops.get(str(body.pop("shop", DEFAULT_SHOP)))
        if shop is None:
            return json_response({"error": "unknown shop"}, 404)
        try:
            return handler(self, shop, body)
        except ShopifyError as exc:
            return json_response({"errors": exc.errors}, exc.status)

    def _c_shops(self, _shop: None, body: dict[str, Any]) -> Response:
        shop = self.add_shop(
            str(body["shop_domain"]), str(body["access_token"]), catalog=str(body.get("catalog", "empty"))
        )
        return json_response({"shop": shop.shop_payload()}, 201)

    def _c_create_product(self, shop: Shop, body: dict[str, Any]) -> Response:
        collection = body.pop("collection", None)
        product = catalog.create_product(shop, body)
        if collection:
            catalog.add_collect(
                shop, product["id"], catalog.create_custom_collection(shop, str(collection))["id"]
            )
        self.emit_product(shop, "products/create", product)
        return json_response({"product": public(catalog.render_product(shop, product))}, 201)

    def _c_update_product(self, shop: Shop, body: dict[str, Any]) -> Response:
        product = catalog.update_product(shop, int(body.pop("id")), body)
        self.emit_product(shop, "products/update", product)
        return json_response({"product": public(catalog.render_product(shop, product))})

    def _c_update_variant(self, shop: Shop, body: dict[str, Any]) -> Response:
        product, variant = catalog.update_variant(shop, int(body.pop("id")), body)
        self.emit_product(shop, "products/update", product)
        return json_response({"variant": public(catalog.render_variant(shop, variant))})

    def _c_delete_product(self, shop: Shop, body: dict[str, Any]) -> Response:
        self.delete_product_as(shop, int(body["id"]))
        return json_response({})

    def _c_delete_variant(self, shop: Shop, body: dict[str, Any]) -> Response:
        product = catalog.delete_variant(shop, int(body["product_id"]), int(body["id"]))
        self.emit_product(shop, "products/update", product)
        return json_response({})

    def _c_set_inventory(self, shop: Shop, body: dict[str, Any]) -> Response:
        item_id = body.get("inventory_item_id")
        if item_id is None:
            found = shop.find_variant(int(body["variant_id"]))
            if found is None:
                raise not_found()
            item_id = found[1]["inventory_item_id"]
        location_id = int(body.get("location_id") or shop.primary_location_id)
        level = catalog.set_level(shop, int(item_id), location_id, int(body["available"]))
        self.emit_level(shop, int(item_id), location_id)
        return json_response({"inventory_level": public(level)})

    def _c_fulfil(self, shop: Shop, body: dict[str, Any]) -> Response:
        order_id = int(body["order_id"])
        open_fos = [
            fo
            for fo in orders.fulfillment_orders_of(shop, order_id)
            if fo["status"] in ("open", "in_progress")
        ]
        fulfillment = self.fulfil_as(
            shop,
            {
                "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]} for fo in open_fos],
                "tracking_info": {
                    "company": body.get("tracking_company"),
                    "number": body.get("tracking_number"),
                    "url": body.get("tracking_url"),
                },
            },
        )
        return json_response({"fulfillment": public(fulfillment)}, 201)

    def _c_cancel(self, shop: Shop, body: dict[str, Any]) -> Response:
        order = self.cancel_order_as(shop, int(body.pop("order_id")), body)
        return json_response({"order": public(order)})

    def _c_subscribe(self, shop: Shop, body: dict[str, Any]) -> Response:
        created = []
        for topic in body.get("topics") or TOPICS:
            if not any(
                w["topic"] == topic and w["address"] == body["address"] for w in shop.webhooks.values()
            ):
                created.append(subscribe(shop, {"topic": topic, "address": body["address"]}, API_VERSION))
        return json_response({"webhooks": public(created)})

    def _c_smart_collection(self, shop: Shop, body: dict[str, Any]) -> Response:
        collection = catalog.create_smart_collection(
            shop, str(body["title"]), list(body["rules"]), bool(body.get("disjunctive", False))
        )
        return json_response({"smart_collection": public(collection)}, 201)

    def _c_seed_demo(self, shop: Shop, body: dict[str, Any]) -> Response:
        return json_response({"products": len(seed_demo(shop))})

    def _c_seed_csv(self, shop: Shop, body: dict[str, Any]) -> Response:
        return json_response(import_csv(shop, Path(str(body["path"]))))

    def _c_seed_generated(self, shop: Shop, body: dict[str, Any]) -> Response:
        created = seed_generated(
            shop, int(body.get("products", 100)), int(body.get("variants", 3)), seed=self.seed
        )
        return json_response({"products": len(created)})

    def _c_rate_limit(self, shop: Shop, body: dict[str, Any]) -> Response:
        shop.bucket = LeakyBucket(
            size=int(body.get("bucket_size", shop.bucket.size)),
            leak_rate=float(body.get("leak_rate", shop.bucket.leak_rate)),
            clock=self.clock,
        )
        return json_response({"bucket_size": shop.bucket.size, "leak_rate": shop.bucket.leak_rate})

    def _c_uninstall(self, shop: Shop, body: dict[str, Any]) -> Response:
        self.emit(shop, "app/uninstalled", shop.shop_payload())
        shop.access_token = ""  # the token dies with the installation
        return json_response({"ok": True})

    def _c_state(self, shop: Shop, body: dict[str, Any]) -> Response:
        return json_response(
            {
                "products": len(shop.products),
                "variants": sum(len(p["variants"]) for p in shop.products.values()),
                "orders": len(shop.orders),
                "webhooks": len(shop.webhooks),
                "bucket_level": shop.bucket.level,
                "import_reports": shop.import_reports,
            }
        )

    CONTROL_ACTIONS: dict[str, Callable[..., Response]] = {
        "shops": _c_shops,
        "products/create": _c_create_product,
        "products/update": _c_update_product,
        "products/delete": _c_delete_product,
        "variants/update": _c_update_variant,
        "variants/delete": _c_delete_variant,
        "inventory/set": _c_set_inventory,
        "orders/fulfil": _c_fulfil,
        "orders/cancel": _c_cancel,
        "webhooks/subscribe": _c_subscribe,
        "collections/smart": _c_smart_collection,
        "seed_demo": _c_seed_demo,
        "seed_csv": _c_seed_csv,
        "seed_generated": _c_seed_generated,
        "rate_limit": _c_rate_limit,
        "uninstall": _c_uninstall,
        "state": _c_state,
    }


def create_emulator(*, seed: int = 0, webhook_mode: Mode = "immediate") -> ShopifyEmulator:
    return ShopifyEmulator(seed=seed, webhook_mode=webhook_mode)


def manifest_entry(emulator: ShopifyEmulator, base_url: str) -> dict[str, Any]:
    emulator.set_public_url(base_url)
    return {
        "base_url": base_url,
        "shop_domain": DEFAULT_SHOP,
        "api_version": API_VERSION,
        "access_token": DEFAULT_TOKEN,
        "api_secret": emulator.api_secret,
    }
