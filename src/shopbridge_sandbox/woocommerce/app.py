"""The WooCommerce emulator: ``/wp-json/wc/v3`` (+ the Shipment Tracking extension's routes).

Request pipeline per API call: optional host rate limit -> injected faults -> WC_REST_Authentication
-> handler -> webhooks for what changed. Behaviour and shapes: ../shared/spec/stores/woocommerce.md;
see COVERAGE.md beside this file for what is and is not emulated.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from shopbridge_sandbox.kit.app import EmulatorApp, json_response, read_json, route
from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.kit.ratelimit import TokenBucket
from shopbridge_sandbox.kit.webhooks import Delivery, Mode

from . import catalog, hooks, orders, refunds
from .auth import ApiKey, Authenticator
from .csv_import import import_csv
from .errors import WooError, invalid_id, invalid_param
from .seed import seed_default_catalogue
from .store import WooStore, parse_iso

API = "/wp-json/wc/v3"
TRACKING_API = "/wp-json/wc-shipment-tracking/v3"
BATCH_LIMIT = 100  # WC-REST check_batch_limit (spec §6)
TENANT = "woocommerce"
SETTING_LABELS = {
    "woocommerce_currency": ("Currency", "select"),
    "woocommerce_default_country": ("Country / State", "single_select_country"),
    "woocommerce_weight_unit": ("Weight unit", "select"),
    "woocommerce_dimension_unit": ("Dimensions unit", "select"),
}


def _credential(seed: int, label: str) -> str:
    return hashlib.sha1(f"shopbridge-woo-sandbox:{seed}:{label}".encode(), usedforsecurity=False).hexdigest()


def api(action: str) -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Wrap a handler in the request pipeline; ``action`` picks the permission error wording."""

    def decorate(fn: Callable[..., Response]) -> Callable[..., Response]:
        @functools.wraps(fn)
        def handler(self: WooCommerceEmulator, request: Request, **kwargs: Any) -> Response:
            with self.lock:
                self.base = request.host_url.rstrip("/")
                limited = self.check_rate_limit()
                if limited is not None:
                    return limited
                fault = self.apply_faults(TENANT, request)
                if fault is not None:
                    return fault
                try:
                    self.auth.authenticate(request, action)
                    response = fn(self, request, **kwargs)
                except WooError as exc:
                    response = json_response(exc.body(), exc.status)
                self.flush_webhooks()
                return response

        return handler

    return decorate


def _body(request: Request) -> Any:
    try:
        return read_json(request)
    except ValueError as exc:
        raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400, {"details": str(exc)}) from exc


def _int_arg(request: Request, name: str, default: int, minimum: int, maximum: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.lstrip("-").isdigit():
        raise invalid_param(name, f"{name} is not of type integer.")
    value = int(raw)
    if value < minimum or (maximum is not None and value > maximum):
        bounds = (
            f"between {minimum} (inclusive) and {maximum} (inclusive)"
            if maximum
            else (f"greater than or equal to {minimum}")
        )
        raise invalid_param(name, f"{name} must be {bounds}", "rest_out_of_bounds")
    return value


def _force(request: Request) -> bool:
    return request.args.get("force", "").lower() in ("1", "true")


class WooCommerceEmulator(EmulatorApp):
    platform = "woocommerce"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        webhook_mode: Mode = "immediate",
        catalogue: str = "default",  # "default" (own small catalogue) or "empty"
    ) -> None:
        self.catalogue = catalogue
        self.consumer_key = "ck_" + _credential(seed, "key")
        self.consumer_secret = "cs_" + _credential(seed, "secret")
        self.webhook_secret = "whsec_" + _credential(seed, "webhook")[:32]
        self.base = "http://woocommerce.sandbox.test"
        super().__init__(seed=seed, clock=clock, webhook_mode=webhook_mode)
        self.webhooks.add_listener(self._on_delivery)

    # -- state -----------------------------------------------------------------------------------
    def reset_state(self) -> None:
        self.store = WooStore(clock=self.clock, salt=self.consumer_secret)
        self.key = ApiKey(self.consumer_key, self.consumer_secret)
        self.auth = Authenticator(self.key, self.clock.now)
        self.dispatcher = hooks.Dispatcher(self.store, self.webhooks, TENANT)
        self.rate_bucket: TokenBucket | None = None
        if self.catalogue == "default":
            seed_default_catalogue(self.store)

    def _on_delivery(self, delivery: Delivery) -> None:
        self.dispatcher.on_attempt(delivery)

    def flush_webhooks(self) -> None:
        self.dispatcher.flush(self.base, self._payload_for)

    def _payload_for(self, resource: str, resource_id: int) -> dict[str, Any] | None:
        if resource == "order":
            order = self.store.orders.get(resource_id)
            return orders.order_json(self.store, order, self.base) if order else None
        return self._product_or_variation_json(resource_id)

    def _product_or_variation_json(self, resource_id: int) -> dict[str, Any] | None:
        if resource_id in self.store.products:
            return catalog.product_json(self.store, self.store.products[resource_id], self.base)
        if resource_id in self.store.variations:
            return catalog.variation_as_product_json(
                self.store, self.store.variations[resource_id], self.base
            )
        return None

    # -- faults and the optional host rate limit -------------------------------------------------
    def check_rate_limit(self) -> Response | None:
        """WooCommerce core has no REST rate limit (spec §2); hosts/WAFs add one. When configured,
        over-limit requests get 429 + Retry-After with the RateLimit-* headers and error shape of
        WooCommerce's own Store API limiter (UNCONFIRMED wording)."""
        if self.rate_bucket is None:
            return None
        allowed, wait = self.rate_bucket.try_take()
        if allowed:
            return None
        return self._too_many(max(1, math.ceil(wait)))

    def _too_many(self, wait: int) -> Response:
        limit = int(self.rate_bucket.burst) if self.rate_bucket else 0
        body = {
            "code": "rate_limit_exceeded",
            "message": f"Too many requests. Please wait {wait} seconds before trying again.",
            "data": {"status": 429},
        }
        headers = {
            "Retry-After": str(wait),
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": "0",
            "RateLimit-Reset": str(int(self.clock.now()) + wait),
        }
        return json_response(body, 429, headers)

    def fault_response(self, kind: str, request: Request) -> Response:
        if kind == "rate_limit":
            return self._too_many(1)
        if kind == "timeout":
            return Response(
                "<html><body><h1>504 Gateway Time-out</h1></body></html>", 504, content_type="text/html"
            )
        body = {
            "code": "internal_server_error",
            "message": "There has been a critical error on this website.",
            "data": {"status": 500},
        }
        return json_response(body, 500)

    def not_found(self, request: Request) -> Response:
        body = {
            "code": "rest_no_route",
            "message": "No route was found matching the URL and request method.",
            "data": {"status": 404},
        }
        return json_response(body, 404)

    def method_not_allowed(self, request: Request) -> Response:
        return self.not_found(request)

    # -- pagination ------------------------------------------------------------------------------
    def paginate(
        self, request: Request, items: list[Any], serialize: Callable[[Any], dict[str, Any]]
    ) -> Response:
        """page/per_page/offset; X-WP-Total, X-WP-TotalPages and Link; a page past the end is an
        empty list with the real totals (spec §2, WC-CRUD)."""
        per_page = _int_arg(request, "per_page", 10, 1, 100)
        page = _int_arg(request, "page", 1, 1)
        offset = _int_arg(request, "offset", (page - 1) * per_page, 0)
        total = len(items)
        pages = math.ceil(total / per_page) if total else 0
        chunk = items[offset : offset + per_page]
        headers = {"X-WP-Total": str(total), "X-WP-TotalPages": str(pages)}
        links = []
        base = f"{self.base}{request.path}"
        if page > 1:
            links.append(f'<{base}?page={min(page - 1, max(pages, 1))}&per_page={per_page}>; rel="prev"')
        if page < pages:
            links.append(f'<{base}?page={page + 1}&per_page={per_page}>; rel="next"')
        if links:
            headers["Link"] = ", ".join(links)
        return json_response([serialize(item) for item in chunk], 200, headers)

    @staticmethod
    def _ordered(
        request: Request,
        records: list[dict[str, Any]],
        default_orderby: str,
        default_order: str,
        keys: dict[str, Callable[[dict[str, Any]], Any]],
    ) -> list[dict[str, Any]]:
        orderby = request.args.get("orderby", default_orderby)
        if orderby not in keys:
            raise invalid_param("orderby", f"orderby is not one of {', '.join(keys)}.", "rest_not_in_enum")
        order = request.args.get("order", default_order)
        if order not in ("asc", "desc"):
            raise invalid_param("order", "order is not one of asc, desc.", "rest_not_in_enum")
        return sorted(records, key=lambda r: (keys[orderby](r), r["id"]), reverse=order == "desc")

    @staticmethod
    def _date_filters(request: Request, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for name, field, newer in (
            ("after", "date_created", True),
            ("before", "date_created", False),
            ("modified_after", "date_modified", True),
            ("modified_before", "date_modified", False),
        ):
            if request.args.get(name):
                try:
                    stamp = parse_iso(request.args[name])
                except ValueError as exc:
                    raise invalid_param(name, "Invalid date.", "rest_invalid_date") from exc
                records = [r for r in records if (r[field] > stamp) == newer]
        return records

    # -- index and settings ----------------------------------------------------------------------
    @route("/wp-json/", methods=("GET",))
    def index(self, request: Request) -> Response:
        self.base = request.host_url.rstrip("/")
        return json_response(
            {
                "name": self.store.site_name,
                "description": "An emulated WooCommerce store",
                "url": self.base,
                "home": self.base,
                "gmt_offset": 0,
                "timezone_string": "UTC",
                "namespaces": ["wp/v2", "wc/v3", "wc-shipment-tracking/v3"],
            }
        )

    def _setting_json(self, group: str, setting_id: str) -> dict[str, Any]:
        label, kind = SETTING_LABELS.get(setting_id, (setting_id, "text"))
        return {
            "id": setting_id,
            "label": label,
            "description": "",
            "type": kind,
            "default": "",
            "tip": "",
            "value": self.store.settings[group][setting_id],
            "_links": {
                "self": [{"href": f"{self.base}{API}/settings/{group}/{setting_id}"}],
                "collection": [{"href": f"{self.base}{API}/settings/{group}"}],
            },
        }

    @route(f"{API}/settings/<group>", methods=("GET",))
    @api("list")
    def list_settings(self, request: Request, group: str) -> Response:
        if group not in self.store.settings:
            raise WooError("rest_setting_setting_group_invalid", "Invalid setting group.", 404)
        return json_response([self._setting_json(group, s) for s in self.store.settings[group]])

    @route(f"{API}/settings/<group>/<setting_id>", methods=("GET",))
    @api("view")
    def get_setting(self, request: Request, group: str, setting_id: str) -> Response:
        if setting_id not in self.store.settings.get(group, {}):
            raise WooError("rest_setting_setting_invalid", "Invalid setting.", 404)
        return json_response(self._setting_json(group, setting_id))

    # -- products --------------------------------------------------------------------------------
    def _product_json(self, record: dict[str, Any]) -> dict[str, Any]:
        return catalog.product_json(self.store, record, self.base)

    @route(f"{API}/products", methods=("GET",))
    @api("list")
    def list_products(self, request: Request) -> Response:
        records = list(self.store.products.values())
        args = request.args
        status = args.get("status", "any")
        records = [
            r for r in records if (r["status"] != "trash" if status == "any" else r["status"] == status)
        ]
        if args.get("type"):
            records = [r for r in records if r["type"] == args["type"]]
        if args.get("sku"):
            wanted = set(args["sku"].split(","))
            records = [r for r in records if r["sku"] in wanted]
        if args.get("search"):
            records = [r for r in records if args["search"].lower() in r["name"].lower()]
        if args.get("category"):
            records = [r for r in records if int(args["category"]) in r["categories"]]
        if args.get("tag"):
            records = [r for r in records if int(args["tag"]) in r["tags"]]
        if args.get("include"):
            wanted_ids = {int(i) for i in args["include"].split(",") if i.isdigit()}
            records = [r for r in records if r["id"] in wanted_ids]
        records = self._date_filters(request, records)
        records = self._ordered(
            request,
            records,
            "date",
            "desc",
            {
                "date": lambda r: r["date_created"],
                "id": lambda r: r["id"],
                "title": lambda r: r["name"],
                "slug": lambda r: r["slug"],
                "modified": lambda r: r["date_modified"],
            },
        )
        return self.paginate(request, records, self._product_json)

    @route(f"{API}/products", methods=("POST",))
    @api("create")
    def create_product(self, request: Request) -> Response:
        record = catalog.create_product(self.store, _body(request))
        return json_response(
            self._product_json(record), 201, {"Location": f"{self.base}{API}/products/{record['id']}"}
        )

    @route(f"{API}/products/<int:product_id>", methods=("GET",))
    @api("view")
    def get_product(self, request: Request, product_id: int) -> Response:
        payload = self._product_or_variation_json(product_id)
        if payload is None:
            raise invalid_id("product")
        return json_response(payload)

    @route(f"{API}/products/<int:product_id>", methods=("PUT", "PATCH", "POST"))
    @api("edit")
    def update_product(self, request: Request, product_id: int) -> Response:
        record = catalog.get_product(self.store, product_id, status=400)
        return json_response(self._product_json(catalog.update_product(self.store, record, _body(request))))

    @route(f"{API}/products/<int:product_id>", methods=("DELETE",))
    @api("delete")
    def delete_product(self, request: Request, product_id: int) -> Response:
        record = catalog.get_product(self.store, product_id)
        if not _force(request) and record["status"] == "trash":
            raise WooError("woocommerce_rest_already_trashed", "The product has already been deleted.", 410)
        before = self._product_json(record)
        catalog.delete_product(self.store, product_id, _force(request))
        return json_response(before if _force(request) else self._product_json(record))

    @route(f"{API}/products/batch", methods=("POST", "PUT", "PATCH"))
    @api("batch")
    def batch_products(self, request: Request) -> Response:
        return self._batch(
            _body(request),
            create=lambda body: self._product_json(catalog.create_product(self.store, body)),
            update=lambda body: self._product_json(
                catalog.update_product(
                    self.store, catalog.get_product(self.store, int(body.get("id") or 0), 400), body
                )
            ),
            delete=lambda item_id: self._delete_product_forced(item_id),
        )

    def _delete_product_forced(self, product_id: int) -> dict[str, Any]:
        payload = self._product_json(catalog.get_product(self.store, product_id))
        catalog.delete_product(self.store, product_id, force=True)
        return payload

    def _batch(
        self,
        body: Any,
        *,
        create: Callable[[Any], dict[str, Any]],
        update: Callable[[Any], dict[str, Any]],
        delete: Callable[[int], dict[str, Any]],
    ) -> Response:
        """Per-item failures become ``{"id", "error"}`` entries; more than 100 objects is 413 (spec §6)."""
        body = body or {}
        if not isinstance(body, dict):
            raise WooError("rest_invalid_json", "Invalid JSON body passed.", 400)
        total = sum(len(body.get(k) or []) for k in ("create", "update", "delete"))
        if total > BATCH_LIMIT:
            raise WooError(
                "woocommerce_rest_request_entity_too_large",
                f"Unable to accept more than {BATCH_LIMIT} items for this request.",
                413,
            )
        result: dict[str, list[Any]] = {}
        for kind, fn in (("create", create), ("update", update), ("delete", delete)):
            if kind not in body:
                continue
            result[kind] = []
            for item in body[kind] or []:
                try:
                    result[kind].append(fn(int(item) if kind == "delete" else item))
                except WooError as exc:
                    item_id = (
                        0 if kind == "create" else (item if kind == "delete" else (item or {}).get("id", 0))
                    )
                    result[kind].append(
                        {
                            "id": item_id,
                            "error": {
                                "code": exc.code,
                                "message": exc.message,
                                "data": {"status": exc.status},
                            },
                        }
                    )
        return json_response(result)

    # -- variations ------------------------------------------------------------------------------
    def _variation_json(self, record: dict[str, Any]) -> dict[str, Any]:
        return catalog.variation_json(self.store, record, self.base)

    @route(f"{API}/products/<int:product_id>/variations", methods=("GET",))
    @api("list")
    def list_variations(self, request: Request, product_id: int) -> Response:
        catalog.get_product(self.store, product_id)
        records = [self.store.variations[i] for i in catalog.children(self.store, product_id)]
        if request.args.get("sku"):
            records = [r for r in records if r["sku"] == request.args["sku"]]
        records = self._ordered(
            request,
            records,
            "date",
            "desc",
            {
                "date": lambda r: r["date_created"],
                "id": lambda r: r["id"],
                "menu_order": lambda r: r["menu_order"],
            },
        )
        return self.paginate(request, records, self._variation_json)

    @route(f"{API}/products/<int:product_id>/variations", methods=("POST",))
    @api("create")
    def create_variation(self, request: Request, product_id: int) -> Response:
        parent = catalog.get_product(self.store, product_id)
        record = catalog.create_variation(self.store, parent, _body(request))
        return json_response(
            self._variation_json(record),
            201,
            {"Location": f"{self.base}{API}/products/{product_id}/variations/{record['id']}"},
        )

    @route(f"{API}/products/<int:product_id>/variations/<int:variation_id>", methods=("GET",))
    @api("view")
    def get_variation(self, request: Request, product_id: int, variation_id: int) -> Response:
        return json_response(
            self._variation_json(catalog.get_variation(self.store, product_id, variation_id))
        )

    @route(f"{API}/products/<int:product_id>/variations/<int:variation_id>", methods=("PUT", "PATCH", "POST"))
    @api("edit")
    def update_variation(self, request: Request, product_id: int, variation_id: int) -> Response:
        record = catalog.get_variation(self.store, product_id, variation_id, status=400)
        return json_response(
            self._variation_json(catalog.update_variation(self.store, record, _body(request)))
        )

    @route(f"{API}/products/<int:product_id>/variations/<int:variation_id>", methods=("DELETE",))
    @api("delete")
    def delete_variation(self, request: Request, product_id: int, variation_id: int) -> Response:
        record = catalog.get_variation(self.store, product_id, variation_id)
        if not _force(request):
            # Variations have no trash (spec §4: force required).
            raise WooError(
                "woocommerce_rest_trash_not_supported",
                "The product_variation does not support trashing.",
                501,
            )
        payload = self._variation_json(record)
        catalog.delete_variation(self.store, record)
        return json_response(payload)

    @route(f"{API}/products/<int:product_id>/variations/batch", methods=("POST", "PUT", "PATCH"))
    @api("batch")
    def batch_variations(self, request: Request, product_id: int) -> Response:
        parent = catalog.get_product(self.store, product_id)

        def update(body: Any) -> dict[str, Any]:
            record = catalog.get_variation(self.store, product_id, int((body or {}).get("id") or 0), 400)
            return self._variation_json(catalog.update_variation(self.store, record, body))

        def delete(item_id: int) -> dict[str, Any]:
            record = catalog.get_variation(self.store, product_id, item_id)
            payload = self._variation_json(record)
            catalog.delete_variation(self.store, record)
            return payload

        return self._batch(
            _body(request),
            create=lambda body: self._variation_json(catalog.create_variation(self.store, parent, body)),
            update=update,
            delete=delete,
        )

    # -- categories and tags ---------------------------------------------------------------------
    def _terms(self, taxonomy: str) -> dict[int, dict[str, Any]]:
        return self.store.categories if taxonomy == "product_cat" else self.store.tags

    def _list_terms(self, request: Request, taxonomy: str) -> Response:
        records = list(self._terms(taxonomy).values())
        if request.args.get("parent") is not None and taxonomy == "product_cat":
            records = [r for r in records if r["parent"] == int(request.args["parent"])]
        if request.args.get("search"):
            records = [r for r in records if request.args["search"].lower() in r["name"].lower()]
        records = self._ordered(
            request,
            records,
            "name",
            "asc",
            {"name": lambda r: r["name"], "id": lambda r: r["id"], "slug": lambda r: r["slug"]},
        )
        return self.paginate(
            request, records, lambda t: catalog.term_json(self.store, taxonomy, t, self.base)
        )

    @route(f"{API}/products/categories", methods=("GET",))
    @api("list")
    def list_categories(self, request: Request) -> Response:
        return self._list_terms(request, "product_cat")

    @route(f"{API}/products/tags", methods=("GET",))
    @api("list")
    def list_tags(self, request: Request) -> Response:
        return self._list_terms(request, "product_tag")

    @route(f"{API}/products/categories", methods=("POST",))
    @api("create")
    def create_category(self, request: Request) -> Response:
        term = catalog.create_term(self.store, "product_cat", _body(request))
        return json_response(catalog.term_json(self.store, "product_cat", term, self.base), 201)

    @route(f"{API}/products/tags", methods=("POST",))
    @api("create")
    def create_tag(self, request: Request) -> Response:
        term = catalog.create_term(self.store, "product_tag", _body(request))
        return json_response(catalog.term_json(self.store, "product_tag", term, self.base), 201)

    @route(f"{API}/products/categories/<int:term_id>", methods=("GET",))
    @api("view")
    def get_category(self, request: Request, term_id: int) -> Response:
        term = self.store.categories.get(term_id)
        if term is None:
            raise WooError("woocommerce_rest_term_invalid", "Resource does not exist.", 404)
        return json_response(catalog.term_json(self.store, "product_cat", term, self.base))

    # -- orders ----------------------------------------------------------------------------------
    def _order_json(self, order: dict[str, Any]) -> dict[str, Any]:
        return orders.order_json(self.store, order, self.base)

    @route(f"{API}/orders", methods=("GET",))
    @api("list")
    def list_orders(self, request: Request) -> Response:
        records = list(self.store.orders.values())
        statuses = [s for s in request.args.get("status", "any").split(",") if s]
        if "any" not in statuses:
            for status in statuses:
                if status not in orders.ORDER_STATUSES:
                    raise invalid_param(
                        "status",
                        f"status[0] is not one of any, {', '.join(orders.ORDER_STATUSES)}.",
                        "rest_not_in_enum",
                    )
            records = [r for r in records if r["status"] in statuses]
        else:
            records = [r for r in records if r["status"] != "trash"]
        if request.args.get("search"):
            records = [r for r in records if orders.order_matches_search(r, request.args["search"])]
        if request.args.get("include"):
            wanted = {int(i) for i in request.args["include"].split(",") if i.isdigit()}
            records = [r for r in records if r["id"] in wanted]
        records = self._date_filters(request, records)
        records = self._ordered(
            request,
            records,
            "date",
            "desc",
            {
                "date": lambda r: r["date_created"],
                "id": lambda r: r["id"],
                "modified": lambda r: r["date_modified"],
            },
        )
        return self.paginate(request, records, self._order_json)

    @route(f"{API}/orders", methods=("POST",))
    @api("create")
    def create_order(self, request: Request) -> Response:
        order = orders.create_order(self.store, _body(request))
        return json_response(
            self._order_json(order), 201, {"Location": f"{self.base}{API}/orders/{order['id']}"}
        )

    @route(f"{API}/orders/<int:order_id>", methods=("GET",))
    @api("view")
    def get_order(self, request: Request, order_id: int) -> Response:
        return json_response(self._order_json(orders.get_order(self.store, order_id)))

    @route(f"{API}/orders/<int:order_id>", methods=("PUT", "PATCH", "POST"))
    @api("edit")
    def update_order(self, request: Request, order_id: int) -> Response:
        order = orders.get_order(self.store, order_id, status=400)
        return json_response(self._order_json(orders.update_order(self.store, order, _body(request))))

    @route(f"{API}/orders/<int:order_id>", methods=("DELETE",))
    @api("delete")
    def delete_order(self, request: Request, order_id: int) -> Response:
        order = orders.get_order(self.store, order_id)
        payload = self._order_json(order)
        if _force(request):
            del self.store.orders[order_id]
        else:
            orders.set_status(self.store, order, "trash")
        self.store.emit("order", "deleted", order_id)
        return json_response(payload)

    @route(f"{API}/orders/<int:order_id>/refunds", methods=("GET",))
    @api("list")
    def list_refunds(self, request: Request, order_id: int) -> Response:
        order = self._refund_order(order_id)
        return self.paginate(
            request, refunds.refunds_of(order), lambda r: refunds.refund_json(order, r, self.base)
        )

    @route(f"{API}/orders/<int:order_id>/refunds", methods=("POST",))
    @api("create")
    def create_refund(self, request: Request, order_id: int) -> Response:
        order = self._refund_order(order_id)
        total = orders.order_totals(order)["total"]
        refund = refunds.create_refund(self.store, order, _body(request), total)
        return json_response(refunds.refund_json(order, refund, self.base), 201)

    @route(f"{API}/orders/<int:order_id>/refunds/<int:refund_id>", methods=("GET",))
    @api("view")
    def get_refund(self, request: Request, order_id: int, refund_id: int) -> Response:
        order = self._refund_order(order_id)
        refund = next((r for r in refunds.refunds_of(order) if r["id"] == refund_id), None)
        if refund is None:
            raise WooError("woocommerce_rest_shop_order_refund_invalid_id", "Invalid ID.", 404)
        return json_response(refunds.refund_json(order, refund, self.base))

    def _refund_order(self, order_id: int) -> dict[str, Any]:
        order = self.store.orders.get(order_id)
        if order is None:
            raise WooError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        return order

    @route(f"{API}/orders/<int:order_id>/notes", methods=("GET",))
    @api("list")
    def list_notes(self, request: Request, order_id: int) -> Response:
        orders.get_order(self.store, order_id)
        kind = request.args.get("type", "any")
        notes = self.store.notes.get(order_id, [])
        if kind == "customer":
            notes = [n for n in notes if n["customer_note"]]
        elif kind == "internal":
            notes = [n for n in notes if not n["customer_note"]]
        ordered = sorted(notes, key=lambda n: (n["date_created"], n["id"]), reverse=True)
        return json_response([orders.note_json(order_id, n, self.base) for n in ordered])

    @route(f"{API}/orders/<int:order_id>/notes", methods=("POST",))
    @api("create")
    def create_note(self, request: Request, order_id: int) -> Response:
        order = orders.get_order(self.store, order_id)
        note = orders.create_note(self.store, order, _body(request))
        return json_response(orders.note_json(order_id, note, self.base), 201)

    # -- shipment tracking extension -------------------------------------------------------------
    @route(f"{TRACKING_API}/orders/<int:order_id>/shipment-trackings", methods=("GET",))
    @api("list")
    def list_trackings(self, request: Request, order_id: int) -> Response:
        order = orders.get_order(self.store, order_id)
        return json_response(
            [orders.tracking_json(order_id, i, self.base) for i in orders.tracking_items(order)]
        )

    @route(f"{TRACKING_API}/orders/<int:order_id>/shipment-trackings", methods=("POST",))
    @api("create")
    def create_tracking(self, request: Request, order_id: int) -> Response:
        order = orders.get_order(self.store, order_id)
        item = orders.add_tracking(self.store, order, _body(request))
        return json_response(orders.tracking_json(order_id, item, self.base), 201)

    @route(f"{TRACKING_API}/orders/<int:order_id>/shipment-trackings/<tracking_id>", methods=("DELETE",))
    @api("delete")
    def delete_tracking(self, request: Request, order_id: int, tracking_id: str) -> Response:
        order = orders.get_order(self.store, order_id)
        item = next((i for i in orders.tracking_items(order) if i["tracking_id"] == tracking_id), None)
        if item is None or not orders.delete_tracking(self.store, order, tracking_id):
            raise WooError("woocommerce_rest_order_invalid_id", "Invalid tracking ID.", 404)
        return json_response(orders.tracking_json(order_id, item, self.base))

    # -- webhooks --------------------------------------------------------------------------------
    @route(f"{API}/webhooks", methods=("GET",))
    @api("list")
    def list_webhooks(self, request: Request) -> Response:
        records = sorted(self.store.webhooks.values(), key=lambda w: w["id"])
        if request.args.get("status"):
            records = [w for w in records if w["status"] == request.args["status"]]
        return self.paginate(request, records, lambda w: hooks.webhook_json(w, self.base))

    @route(f"{API}/webhooks", methods=("POST",))
    @api("create")
    def create_webhook(self, request: Request) -> Response:
        webhook = hooks.create_webhook(self.store, _body(request))
        if webhook["status"] == "active":
            self.dispatcher.ping(webhook)
        return json_response(hooks.webhook_json(webhook, self.base), 201)

    def _webhook(self, webhook_id: int, status: int = 404) -> dict[str, Any]:
        webhook = self.store.webhooks.get(webhook_id)
        if webhook is None:
            raise WooError("woocommerce_rest_webhook_invalid_id", "Invalid ID.", status)
        return webhook

    @route(f"{API}/webhooks/<int:webhook_id>", methods=("GET",))
    @api("view")
    def get_webhook(self, request: Request, webhook_id: int) -> Response:
        return json_response(hooks.webhook_json(self._webhook(webhook_id), self.base))

    @route(f"{API}/webhooks/<int:webhook_id>", methods=("PUT", "PATCH", "POST"))
    @api("edit")
    def update_webhook(self, request: Request, webhook_id: int) -> Response:
        webhook = hooks.update_webhook(self.store, self._webhook(webhook_id, 400), _body(request))
        return json_response(hooks.webhook_json(webhook, self.base))

    @route(f"{API}/webhooks/<int:webhook_id>", methods=("DELETE",))
    @api("delete")
    def delete_webhook(self, request: Request, webhook_id: int) -> Response:
        webhook = self._webhook(webhook_id)
        if not _force(request):
            raise WooError("woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.", 501)
        del self.store.webhooks[webhook_id]
        return json_response(hooks.webhook_json(webhook, self.base))

    # -- control API: act as the merchant -------------------------------------------------------
    def control(self, action: str, request: Request, body: dict[str, Any]) -> Response | None:
        self.base = request.host_url.rstrip("/")
        handler = getattr(self, "_control_" + action.replace("/", "_").replace("-", "_"), None)
        if handler is None:
            return None
        try:
            result = handler(body)
        except WooError as exc:
            return json_response(exc.body(), exc.status)
        self.flush_webhooks()
        return json_response(result)

    def _control_products(self, body: dict[str, Any]) -> dict[str, Any]:
        """Create a product as the merchant: a REST product body plus optional ``variations``."""
        variations = body.pop("variations", [])
        if "category" in body:
            body["categories"] = [{"id": catalog.ensure_category_path(self.store, [body.pop("category")])}]
        record = catalog.create_product(self.store, body)
        for variation in variations:
            catalog.create_variation(self.store, record, variation)
        return self._product_json(record)

    def _control_products_update(self, body: dict[str, Any]) -> dict[str, Any]:
        record = catalog.get_product(self.store, int(body.pop("id")))
        return self._product_json(catalog.update_product(self.store, record, body))

    def _sellable(self, body: dict[str, Any]) -> tuple[dict[str, Any], Callable[[dict[str, Any]], Any]]:
        product_id = int(body["product_id"])
        variation_id = int(body.get("variation_id") or 0)
        if variation_id and variation_id != product_id:
            record = catalog.get_variation(self.store, product_id, variation_id)
            return record, lambda data: catalog.update_variation(self.store, record, data)
        record = catalog.get_product(self.store, product_id)
        return record, lambda data: catalog.update_product(self.store, record, data)

    def _control_price(self, body: dict[str, Any]) -> dict[str, Any]:
        _, update = self._sellable(body)
        update({k: str(body[k]) for k in ("regular_price", "sale_price") if k in body})
        return {"ok": True}

    def _control_stock(self, body: dict[str, Any]) -> dict[str, Any]:
        _, update = self._sellable(body)
        update({"manage_stock": True, "stock_quantity": int(body["quantity"])})
        return {"ok": True}

    def _control_products_delete(self, body: dict[str, Any]) -> dict[str, Any]:
        catalog.delete_product(self.store, int(body["id"]), bool(body.get("force", True)))
        return {"ok": True}

    def _control_variations_delete(self, body: dict[str, Any]) -> dict[str, Any]:
        record = catalog.get_variation(self.store, int(body["product_id"]), int(body["variation_id"]))
        catalog.delete_variation(self.store, record)
        return {"ok": True}

    def _control_fulfil(self, body: dict[str, Any]) -> dict[str, Any]:
        """Add a Shipment Tracking item and (by default) complete the order, as a merchant does."""
        order = orders.get_order(self.store, int(body["order_id"]))
        item = orders.add_tracking(
            self.store,
            order,
            {
                k: body[k]
                for k in (
                    "tracking_provider",
                    "custom_tracking_provider",
                    "tracking_number",
                    "custom_tracking_link",
                    "date_shipped",
                )
                if k in body
            },
        )
        if body.get("complete", True):
            orders.set_status(self.store, order, "completed")
            self.store.emit("order", "updated", order["id"])
        return orders.tracking_json(order["id"], item, self.base)

    def _control_orders_cancel(self, body: dict[str, Any]) -> dict[str, Any]:
        order = orders.get_order(self.store, int(body["order_id"]))
        orders.update_order(self.store, order, {"status": "cancelled"})
        return self._order_json(order)

    def _control_import_csv(self, body: dict[str, Any]) -> dict[str, Any]:
        return import_csv(self.store, str(body["csv"]), adopt_units=bool(body.get("adopt_units", True)))

    def _control_rate_limit(self, body: dict[str, Any]) -> dict[str, Any]:
        requests = int(body.get("requests", 0))
        if requests <= 0:
            self.rate_bucket = None
        else:
            self.rate_bucket = TokenBucket(
                rate=requests / float(body.get("per_seconds", 1)), burst=requests, clock=self.clock
            )
        return {"ok": True, "requests": requests}

    def _control_webhooks_subscribe(self, body: dict[str, Any]) -> dict[str, Any]:
        """Register a webhook per topic (all core product/order topics by default) to ``address``."""
        topics = body.get("topics") or [t for t in hooks.TOPICS if t.split(".")[0] in ("product", "order")]
        created = [
            hooks.create_webhook(
                self.store,
                {
                    "name": f"Sandbox {topic}",
                    "topic": topic,
                    "delivery_url": body["address"],
                    "secret": body.get("secret", self.webhook_secret),
                },
            )["id"]
            for topic in topics
        ]
        return {"webhook_ids": created}

    def _control_settings(self, body: dict[str, Any]) -> dict[str, Any]:
        self.store.settings[body.get("group", "general")].update(
            {k: str(v) for k, v in body["values"].items()}
        )
        return {"settings": self.store.settings}

    def _control_keys(self, body: dict[str, Any]) -> dict[str, Any]:
        self.key.permissions = body.get("permissions", "read_write")
        return {"permissions": self.key.permissions}

    def _control_state(self, body: dict[str, Any]) -> dict[str, Any]:
        return {
            "products": len(self.store.products),
            "variations": len(self.store.variations),
            "orders": len(self.store.orders),
            "webhooks": [
                hooks.webhook_json(w, self.base) | {"failure_count": w["failure_count"]}
                for w in self.store.webhooks.values()
            ],
            "skipped_rows": self.store.skipped_rows,
        }


def create_emulator(
    *, seed: int = 0, webhook_mode: str = "immediate", catalogue: str = "default"
) -> WooCommerceEmulator:
    return WooCommerceEmulator(seed=seed, webhook_mode=webhook_mode, catalogue=catalogue)  # type: ignore[arg-type]


def manifest_entry(emulator: WooCommerceEmulator, base_url: str) -> dict[str, Any]:
    return {
        "base_url": base_url,
        "consumer_key": emulator.consumer_key,
        "consumer_secret": emulator.consumer_secret,
        "webhook_secret": emulator.webhook_secret,
    }
