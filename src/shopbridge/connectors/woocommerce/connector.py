"""WooCommerceConnector: the StoreConnector for WooCommerce sites (REST API wc/v3).

Spec: ../shared/spec/stores/woocommerce.md. Wire details live in ``client.py``, payload mapping in
``adapter.py``, webhook verification in ``webhooks.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from shopbridge.connectors.base.dto import (
    Capabilities,
    InventoryLevel,
    Location,
    MarketplaceOrderIn,
    ProductPage,
    RefundLineIn,
    ShopInfo,
    SkippedRecord,
    StoreCategory,
    StoreFulfillment,
    StoreOrder,
    StoreProduct,
    StoreRefund,
    StoreWebhookEvent,
    WebhookRegistration,
    WebhookTopic,
)
from shopbridge.connectors.base.protocol import RequestGate
from shopbridge.core.errors import FieldError, NotFoundError, ValidationFailed

from . import adapter, webhooks
from .client import PLATFORM, WooCommerceClient

# WooCommerce has one stock figure per product/variation: a single virtual location.
DEFAULT_LOCATION = Location(external_id="default", name="Store stock")
# find_order_by_reference scans the newest orders this deep (see its docstring).
REFERENCE_SCAN_PAGES = 10


@dataclass
class VariantUpdate:
    """A price and/or stock change for one product (simple) or variation, applied in batches."""

    product_id: str
    variant_id: str
    regular_price: Decimal | None = None
    sale_price: Decimal | None = None
    stock_quantity: int | None = None


class WooCommerceConnector:
    platform = PLATFORM
    capabilities = Capabilities(
        webhooks=True,
        multi_location=False,
        order_tags=False,  # orders have no tags in WooCommerce
        custom_order_number=False,  # the number is the post id unless a plugin changes it
        cancel_with_restock=True,  # core restores reduced stock when an order is cancelled
        fulfillment_tracking=True,  # through the Shipment Tracking extension
        refunds=True,  # POST /orders/{id}/refunds, recorded without calling the payment gateway
    )

    def __init__(
        self,
        base_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        webhook_secret: str,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        self.client = WooCommerceClient(
            base_url, consumer_key, consumer_secret, http=http, transport=transport, gate=gate
        )
        self.base_url = self.client.site
        self.webhook_secret = webhook_secret
        self._units: adapter.Units | None = None

    # -- shop --------------------------------------------------------------------------------------
    def _settings(self, group: str) -> dict[str, str]:
        return {s["id"]: s.get("value") for s in self.client.get(f"/settings/{group}")}

    def units(self) -> adapter.Units:
        if self._units is None:
            products = self._settings("products")
            self._units = adapter.Units(
                products.get("woocommerce_weight_unit", "kg"),
                products.get("woocommerce_dimension_unit", "cm"),
            )
        return self._units

    def shop_info(self) -> ShopInfo:
        index = self.client.request("GET", "/", namespace="").data or {}
        general = self._settings("general")
        units = self.units()
        country = (general.get("woocommerce_default_country") or "").split(":")[0] or None
        return ShopInfo(
            name=index.get("name") or self.base_url,
            currency=general.get("woocommerce_currency") or "USD",
            weight_unit=units.weight,
            dimension_unit=units.dimension,
            timezone=index.get("timezone_string") or "UTC",
            domain=self.base_url.split("://", 1)[-1],
            country=country,
            email=general.get("woocommerce_email_from_address"),
        )

    def list_categories(self) -> list[StoreCategory]:
        """Product categories (tree from ``parent``, spec §5) followed by product tags."""
        raw = list(self.client.iterate("/products/categories"))
        by_id = {c["id"]: c for c in raw}

        def path(category: dict[str, Any]) -> str:
            names, seen = [], set()
            while category and category["id"] not in seen:
                seen.add(category["id"])
                names.append(category["name"])
                category = by_id.get(category.get("parent") or 0)
            return " > ".join(reversed(names))

        categories = [
            StoreCategory(
                external_id=str(c["id"]),
                name=c["name"],
                kind="category",
                parent_id=str(c["parent"]) if c.get("parent") else None,
                path=path(c),
            )
            for c in raw
        ]
        tags = [
            StoreCategory(external_id=str(t["id"]), name=t["name"], kind="tag", path=t["name"])
            for t in self.client.iterate("/products/tags")
        ]
        return categories + tags

    # -- products ----------------------------------------------------------------------------------
    def _variations(self, product: dict[str, Any]) -> list[dict[str, Any]]:
        if product.get("type") != "variable" or not product.get("variations"):
            return []
        items = self.client.iterate(
            f"/products/{product['id']}/variations", orderby="menu_order", order="asc"
        )
        return sorted(items, key=lambda v: (v.get("menu_order", 0), v["id"]))

    def _map(self, product: dict[str, Any]) -> tuple[StoreProduct | None, list[SkippedRecord]]:
        """Map one product, or return why it (or some of its variations) cannot be sold."""
        variations = self._variations(product)
        skipped = [
            SkippedRecord(external_id=str(v["id"]), reason=f"variation of product {product['id']}: {reason}")
            for v in variations
            if (reason := adapter.unpriced_reason(v))
        ]
        priced = [v for v in variations if adapter.unpriced_reason(v) is None]
        reason = adapter.skip_reason(product, priced)
        if reason is None and product.get("type") == "simple":
            reason = adapter.unpriced_reason(product)
        if reason is not None:
            return None, [*skipped, SkippedRecord(external_id=str(product["id"]), reason=reason)]
        mapped = adapter.product_from_payloads(product, priced, units=self.units(), base_url=self.base_url)
        return mapped, skipped

    def list_products(
        self, *, cursor: str | None = None, updated_since: datetime | None = None, page_size: int = 50
    ) -> ProductPage:
        """One page; the cursor is the next page number. Ordered by id so pages stay stable while
        products change; ``updated_since`` uses ``modified_after`` in GMT (spec §3 incremental sync)."""
        page = int(cursor or 1)
        params: dict[str, Any] = {"orderby": "id", "order": "asc"}
        if updated_since is not None:
            params["modified_after"] = updated_since.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
            params["dates_are_gmt"] = True
        response = self.client.get_page("/products", page=page, per_page=page_size, **params)
        products, skipped = [], []
        for raw in response.data or []:
            mapped, reasons = self._map(raw)
            skipped.extend(reasons)
            if mapped is not None:
                products.append(mapped)
        next_cursor = str(page + 1) if page < response.total_pages else None
        return ProductPage(products=products, next_cursor=next_cursor, skipped=skipped)

    def _raw_product(self, external_id: str) -> dict[str, Any]:
        product = self.client.get(f"/products/{int(external_id)}")
        if product.get("status") == "trash":
            raise NotFoundError(f"product {external_id} is in the trash", platform=PLATFORM)
        return product

    def get_product(self, external_id: str) -> StoreProduct:
        product = self._raw_product(external_id)
        mapped, skipped = self._map(product)
        if mapped is None:
            reasons = "; ".join(s.reason for s in skipped if s.external_id == str(product["id"]))
            raise ValidationFailed(
                f"product {external_id} cannot be synced: {reasons}",
                platform=PLATFORM,
                code="product_not_sellable",
            )
        return mapped

    def list_product_ids(self) -> list[str]:
        return [
            str(p["id"]) for p in self.client.iterate("/products", orderby="id", order="asc", _fields="id")
        ]

    # -- inventory ---------------------------------------------------------------------------------
    def list_locations(self) -> list[Location]:
        return [DEFAULT_LOCATION]

    def inventory_levels(self, inventory_item_ids: list[str]) -> list[InventoryLevel]:
        """Stock per product/variation id (its inventory item id). A variation is read through the
        products endpoint, which resolves variation ids too (spec §4); untracked items are skipped."""
        levels = []
        for item_id in inventory_item_ids:
            try:
                item = self.client.get(f"/products/{int(item_id)}")
            except NotFoundError:
                continue
            managed, quantity = item.get("manage_stock"), item.get("stock_quantity")
            if managed == "parent" and item.get("parent_id"):
                quantity = self.client.get(f"/products/{item['parent_id']}").get("stock_quantity")
            elif managed is not True:
                continue
            levels.append(
                InventoryLevel(
                    inventory_item_id=item_id,
                    location_id=DEFAULT_LOCATION.external_id,
                    available=int(quantity or 0),
                    updated_at=adapter.parse_date(item.get("date_modified_gmt")),
                )
            )
        return levels

    def update_variants(self, updates: list[VariantUpdate]) -> list[str]:
        """Apply price/stock changes with the batch endpoints (100 objects per call, spec §6).
        Returns the ids that failed (per-item errors do not fail the batch)."""
        failed: list[str] = []
        by_endpoint: dict[str, list[dict[str, Any]]] = {}
        for update in updates:
            body: dict[str, Any] = {"id": int(update.variant_id)}
            if update.regular_price is not None:
                body["regular_price"] = adapter.money_str(update.regular_price)
            if update.sale_price is not None:
                body["sale_price"] = adapter.money_str(update.sale_price)
            if update.stock_quantity is not None:
                body.update({"manage_stock": True, "stock_quantity": update.stock_quantity})
            is_variation = update.variant_id != update.product_id
            path = (
                f"/products/{int(update.product_id)}/variations/batch" if is_variation else "/products/batch"
            )
            by_endpoint.setdefault(path, []).append(body)
        for path, bodies in by_endpoint.items():
            for start in range(0, len(bodies), 100):
                result = self.client.request(
                    "POST", path, json_body={"update": bodies[start : start + 100]}
                ).data
                failed += [str(item.get("id")) for item in result.get("update", []) if "error" in item]
        return failed

    # -- orders ------------------------------------------------------------------------------------
    def _check_lines(self, order: MarketplaceOrderIn) -> None:
        """WooCommerce silently saves a line for an unknown product as an unlinked line (spec §7.1),
        so every product and variation is read first and a missing one rejects the order."""
        errors = []
        for i, line in enumerate(order.lines):
            try:
                if line.variant_external_id != line.product_external_id:
                    path = f"/products/{int(line.product_external_id)}/variations/{int(line.variant_external_id)}"
                    self.client.get(path)
                else:
                    self._raw_product(line.product_external_id)
            except (NotFoundError, ValueError):
                errors.append(
                    FieldError(
                        field=f"lines[{i}].variant_external_id",
                        code="unknown_variant",
                        reason=f"product {line.product_external_id} / variant {line.variant_external_id} "
                        "does not exist in the store",
                        fix="Relink the listing SKU to an existing store product.",
                    )
                )
        if errors:
            raise ValidationFailed(
                "order lines reference products missing from the store",
                field_errors=errors,
                platform=PLATFORM,
                code="unknown_store_product",
            )

    def create_order(self, order: MarketplaceOrderIn) -> StoreOrder:
        self._check_lines(order)
        created = self.client.request("POST", "/orders", json_body=adapter.order_payload(order)).data
        return adapter.order_from_payload(created, base_url=self.base_url)

    def find_order_by_reference(
        self, marketplace: str, marketplace_order_id: str, *, placed_after: datetime | None = None
    ) -> StoreOrder | None:
        """WooCommerce cannot filter orders by meta over REST v3 and its order search does not look
        at meta values, so the newest orders are scanned (REFERENCE_SCAN_PAGES x 100) for our meta
        key. This check only matters right after a create that may have succeeded unseen."""
        key = adapter.marketplace_meta_key(marketplace)
        for page in range(1, REFERENCE_SCAN_PAGES + 1):
            bounds = {"after": (placed_after - timedelta(minutes=1)).isoformat()} if placed_after else {}
            response = self.client.get_page(
                "/orders", page=page, per_page=100, orderby="date", order="desc", **bounds
            )
            for raw in response.data or []:
                if str(adapter.meta_value(raw, key) or "") == marketplace_order_id:
                    return self._order(raw)
            if page >= response.total_pages:
                break
        return None

    def get_order(self, external_id: str) -> StoreOrder:
        return self._order(self.client.get(f"/orders/{int(external_id)}"))

    def _order(self, raw: dict[str, Any]) -> StoreOrder:
        """Map an order; one more read, only when it has refunds, for their restock flags."""
        refunds = None
        if raw.get("refunds"):
            refunds = [
                adapter.refund_from_payload(str(raw["id"]), r) for r in self._raw_refunds(str(raw["id"]))
            ]
        return adapter.order_from_payload(raw, base_url=self.base_url, refunds=refunds)

    def _raw_refunds(self, order_id: str) -> list[dict[str, Any]]:
        return list(self.client.iterate(f"/orders/{int(order_id)}/refunds"))

    def add_order_note(self, external_id: str, note: str, *, customer_note: bool = False) -> str:
        created = self.client.request(
            "POST",
            f"/orders/{int(external_id)}/notes",
            json_body={"note": note, "customer_note": customer_note},
        ).data
        return str(created["id"])

    def cancel_order(self, external_id: str, *, restock: bool = True, reason: str = "") -> StoreOrder:
        """``PUT status=cancelled`` (no cancel endpoint, spec §7.2). WooCommerce core itself puts
        reduced stock back on cancellation; ``restock=False`` cannot stop that and is not honoured."""
        current = self.client.get(f"/orders/{int(external_id)}")
        if current.get("status") != "cancelled":
            current = self.client.request(
                "PUT", f"/orders/{int(external_id)}", json_body={"status": "cancelled"}
            ).data
        if reason:
            self.add_order_note(external_id, f"Cancelled on the marketplace: {reason}")
        return self._order(current)

    def refund_order(
        self,
        external_id: str,
        *,
        lines: list[RefundLineIn],
        restock: bool,
        amount: Decimal | None,
        reason: str = "",
    ) -> StoreRefund:
        """``POST /orders/{id}/refunds`` (WooCommerce REST docs "Order refunds"; not in the spec).

        ``api_refund=false``: the marketplace moved the money, the store only records it (true would
        ask the payment gateway, which a marketplace order does not have). ``api_restock`` is the
        REST name of ``wc_create_refund``'s ``restock_items``. ``amount`` None = the lines' value at
        the price paid; an explicit amount takes precedence over the line totals.
        """
        raw = self.client.get(f"/orders/{int(external_id)}")
        refunded = adapter.refunded_quantities(self._raw_refunds(external_id)) if raw.get("refunds") else {}
        line_items = adapter.refund_line_items(raw, lines, refunded)
        if amount == 0:
            line_items = [{**item, "refund_total": "0.00"} for item in line_items]
        total = sum((Decimal(item["refund_total"]) for item in line_items), Decimal("0"))
        body = {
            "amount": adapter.money_str(total if amount is None else amount),
            "reason": reason,
            "line_items": line_items,
            "api_refund": False,
            "api_restock": restock,
            "meta_data": [{"key": adapter.RESTOCK_META, "value": "yes" if restock else "no"}],
        }
        created = self.client.request("POST", f"/orders/{int(external_id)}/refunds", json_body=body).data
        return adapter.refund_from_payload(external_id, created)

    def list_fulfillments(self, order_external_id: str) -> list[StoreFulfillment]:
        """Trackings of the Shipment Tracking extension; without the extension (no route), the
        items it would have stored in the order's meta are read instead (spec §7.4)."""
        try:
            items = self.client.request(
                "GET",
                f"/orders/{int(order_external_id)}/shipment-trackings",
                namespace="wc-shipment-tracking/v3",
            ).data
        except NotFoundError as exc:
            if exc.platform_code != "rest_no_route":
                raise
            return adapter.fulfillments_from_meta(self.client.get(f"/orders/{int(order_external_id)}"))
        return [adapter.fulfillment_from_tracking(order_external_id, item) for item in items or []]

    # -- webhooks ----------------------------------------------------------------------------------
    def register_webhooks(self, address: str, topics: list[WebhookTopic]) -> list[WebhookRegistration]:
        """One WooCommerce webhook per Woo topic (several of ours share ``product.updated`` /
        ``order.updated``); an existing active one for the same topic and URL is reused."""
        existing = {
            (w["topic"], w["delivery_url"]): str(w["id"])
            for w in self.client.iterate("/webhooks")
            if w.get("status") == "active"
        }
        registrations = []
        for topic in topics:
            woo_topic = webhooks.WOO_TOPIC_FOR.get(topic)
            if woo_topic is None:
                raise ValidationFailed(
                    f"WooCommerce has no webhook topic for {topic.value}",
                    platform=PLATFORM,
                    code="unsupported_webhook_topic",
                )
            if (woo_topic, address) not in existing:
                created = self.client.request(
                    "POST",
                    "/webhooks",
                    json_body={
                        "name": f"ShopBridge {woo_topic}",
                        "topic": woo_topic,
                        "delivery_url": address,
                        "secret": self.webhook_secret,
                        "status": "active",
                    },
                ).data
                existing[(woo_topic, address)] = str(created["id"])
            registrations.append(
                WebhookRegistration(
                    external_id=f"{existing[(woo_topic, address)]}:{topic.value}",
                    topic=topic,
                    address=address,
                )
            )
        return registrations

    def is_ping(self, headers: Mapping[str, str], body: bytes) -> bool:
        """WooCommerce's unsigned creation ping (answer 200, record nothing)."""
        return webhooks.is_ping(headers, body)

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return webhooks.verify(self.webhook_secret, headers, body)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> StoreWebhookEvent:
        return webhooks.parse(headers, body)
