"""``ShopifyConnector``: the StoreConnector for Shopify's Admin REST API.

REST is "legacy" for new public apps but still served to custom and existing apps (spec
§"Status of the REST API"); the connector pins ``2024-10``. Rules cite
../shared/spec/stores/shopify.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
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
    WeightUnit,
)
from shopbridge.connectors.base.protocol import RequestGate
from shopbridge.core.errors import TerminalError

from . import adapter, webhooks
from .client import MAX_PAGE, ShopifyClient

API_VERSION = "2024-10"
INVENTORY_IDS_PER_REQUEST = 50  # keep the ids list short (limit per request UNCONFIRMED)


class ShopifyConnector:
    platform = "shopify"
    capabilities = Capabilities(
        webhooks=True,
        multi_location=True,
        order_tags=True,
        custom_order_number=False,
        cancel_with_restock=True,
        fulfillment_tracking=True,
        refunds=True,
    )

    def __init__(
        self,
        shop_domain: str,
        access_token: str,
        *,
        api_secret: str,
        api_version: str = API_VERSION,
        base_url: str | None = None,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        self.shop_domain = shop_domain
        self.api_secret = api_secret
        self.client = ShopifyClient(
            shop_domain,
            access_token,
            api_version=api_version,
            base_url=base_url,
            http=http,
            transport=transport,
            gate=gate,
        )
        self._memberships: dict[str, list[str]] | None = None

    # -- shop -----------------------------------------------------------------------------------
    def shop_info(self) -> ShopInfo:
        shop = self.client.get("shop.json")["shop"]
        unit = shop.get("weight_unit")
        return ShopInfo(
            name=shop["name"],
            currency=shop["currency"],
            weight_unit=WeightUnit(unit) if unit in WeightUnit._value2member_map_ else WeightUnit.KG,
            timezone=shop.get("iana_timezone") or "UTC",
            domain=shop.get("myshopify_domain") or self.shop_domain,
            country=shop.get("country_code"),
            email=shop.get("email"),
        )

    # -- catalogue ------------------------------------------------------------------------------
    def list_categories(self) -> list[StoreCategory]:
        """Custom and smart collections, plus product types and tags (REST has no list of those,
        so they are collected from the products; GraphQL ``productTypes`` would be cheaper)."""
        categories = [
            StoreCategory(external_id=str(c["id"]), name=c["title"], kind="collection")
            for path, key in (
                ("custom_collections.json", "custom_collections"),
                ("smart_collections.json", "smart_collections"),
            )
            for c in self.client.each(path, key, {"fields": "id,title"})
        ]
        types: set[str] = set()
        tags: set[str] = set()
        for product in self.client.each("products.json", "products", {"fields": "id,product_type,tags"}):
            if product.get("product_type"):
                types.add(product["product_type"])
            tags.update(t.strip() for t in (product.get("tags") or "").split(",") if t.strip())
        categories += [
            StoreCategory(external_id=f"product_type:{t}", name=t, kind="product_type") for t in sorted(types)
        ]
        categories += [StoreCategory(external_id=f"tag:{t}", name=t, kind="tag") for t in sorted(tags)]
        return categories

    def _collection_memberships(self, *, refresh: bool = False) -> dict[str, list[str]]:
        """product id -> collection ids: collects for custom collections, ``collection_id`` for smart ones."""
        if self._memberships is not None and not refresh:
            return self._memberships
        memberships: dict[str, list[str]] = {}
        for collect in self.client.each("collects.json", "collects", {"fields": "product_id,collection_id"}):
            memberships.setdefault(str(collect["product_id"]), []).append(str(collect["collection_id"]))
        for smart in self.client.each("smart_collections.json", "smart_collections", {"fields": "id"}):
            for product in self.client.each(
                "products.json", "products", {"collection_id": smart["id"], "fields": "id"}
            ):
                memberships.setdefault(str(product["id"]), []).append(str(smart["id"]))
        self._memberships = memberships
        return memberships

    def _product_collections(self, product_id: str) -> list[str]:
        """Collections of one product: two filtered list calls (``product_id`` filter, spec §4.4)."""
        found = []
        for path, key in (
            ("custom_collections.json", "custom_collections"),
            ("smart_collections.json", "smart_collections"),
        ):
            found += [
                str(c["id"]) for c in self.client.each(path, key, {"product_id": product_id, "fields": "id"})
            ]
        return found

    def _map_product(self, product: dict[str, Any], collection_ids: list[str]) -> StoreProduct:
        return adapter.product_from_rest(product, shop_domain=self.shop_domain, collection_ids=collection_ids)

    def list_products(
        self, *, cursor: str | None = None, updated_since: datetime | None = None, page_size: int = 50
    ) -> ProductPage:
        params: dict[str, Any] = {"limit": max(1, min(page_size, MAX_PAGE))}
        if updated_since is not None:
            params["updated_at_min"] = updated_since.isoformat()
        memberships = self._collection_memberships(refresh=cursor is None)
        items, next_cursor = self.client.page("products.json", "products", params, cursor)
        products, skipped = [], []
        for raw in items:
            try:
                products.append(self._map_product(raw, memberships.get(str(raw["id"]), [])))
            except (ValueError, KeyError, TypeError) as exc:
                # A product we cannot map is reported, never dropped silently.
                skipped.append(
                    SkippedRecord(external_id=str(raw.get("id")), reason=f"cannot map Shopify product: {exc}")
                )
        return ProductPage(products=products, next_cursor=next_cursor, skipped=skipped)

    def get_product(self, external_id: str) -> StoreProduct:
        product = self.client.get(f"products/{int(external_id)}.json")["product"]
        return self._map_product(product, self._product_collections(external_id))

    def list_product_ids(self) -> list[str]:
        return [str(p["id"]) for p in self.client.each("products.json", "products", {"fields": "id"})]

    # -- inventory ------------------------------------------------------------------------------
    def list_locations(self) -> list[Location]:
        return [adapter.location_from_rest(loc) for loc in self.client.get("locations.json")["locations"]]

    def inventory_levels(self, inventory_item_ids: list[str]) -> list[InventoryLevel]:
        levels = []
        for start in range(0, len(inventory_item_ids), INVENTORY_IDS_PER_REQUEST):
            chunk = ",".join(inventory_item_ids[start : start + INVENTORY_IDS_PER_REQUEST])
            for level in self.client.each(
                "inventory_levels.json", "inventory_levels", {"inventory_item_ids": chunk}
            ):
                levels.append(adapter.level_from_rest(level))
        return levels

    def set_inventory_level(self, inventory_item_id: str, location_id: str, available: int) -> InventoryLevel:
        """Absolute stock write (``inventory_levels/set``, spec §5); not part of the protocol."""
        body = {
            "inventory_item_id": int(inventory_item_id),
            "location_id": int(location_id),
            "available": available,
        }
        return adapter.level_from_rest(
            self.client.send("POST", "inventory_levels/set.json", body)["inventory_level"]
        )

    # -- orders ---------------------------------------------------------------------------------
    def create_order(self, order: MarketplaceOrderIn) -> StoreOrder:
        created = self.client.send("POST", "orders.json", adapter.order_to_rest(order))["order"]
        return adapter.order_from_rest(created, shop_domain=self.shop_domain)

    def find_order_by_reference(
        self, marketplace: str, marketplace_order_id: str, *, placed_after: datetime | None = None
    ) -> StoreOrder | None:
        """Scan the orders this app created (``attribution_app_id=current``) for the reference.

        REST has no search by tag or note attribute (spec §6.1 lists the filters), so this pages
        through id, note_attributes and source fields only; GraphQL ``orders(query: "tag:…")``
        would be the cheaper route once the connector speaks GraphQL.
        """
        params = {
            "status": "any",
            "attribution_app_id": "current",
            "fields": "id,note_attributes,source_name,source_identifier",
        }
        if placed_after is not None:
            # Only orders created since the marketplace order was placed (a minute of clock slack).
            params["created_at_min"] = (placed_after - timedelta(minutes=1)).isoformat()
        for summary in self.client.each("orders.json", "orders", params):
            if adapter.marketplace_reference(summary, marketplace) == marketplace_order_id:
                return self.get_order(str(summary["id"]))
        return None

    def get_order(self, external_id: str) -> StoreOrder:
        order = self.client.get(f"orders/{int(external_id)}.json")["order"]
        return adapter.order_from_rest(order, shop_domain=self.shop_domain)

    def cancel_order(self, external_id: str, *, restock: bool = True, reason: str = "") -> StoreOrder:
        # reason is Shopify's enum (spec §6.3); our free text goes to the order note instead.
        body: dict[str, Any] = {"restock": restock, "reason": "other", "email": False}
        order = self.client.send("POST", f"orders/{int(external_id)}/cancel.json", body)["order"]
        if reason:
            note = "\n".join(filter(None, [order.get("note"), f"Cancelled: {reason}"]))
            order = self.client.send(
                "PUT", f"orders/{int(external_id)}.json", {"order": {"id": order["id"], "note": note}}
            )["order"]
        return adapter.order_from_rest(order, shop_domain=self.shop_domain)

    def refund_order(
        self,
        external_id: str,
        *,
        lines: list[RefundLineIn],
        restock: bool,
        amount: Decimal | None,
        reason: str = "",
    ) -> StoreRefund:
        """``POST orders/{id}/refunds.json`` after ``refunds/calculate.json``.

        The refund API is not in ../shared/spec/stores/shopify.md (it stops at §6.3 cancel); this
        follows shopify.dev "REST Admin API > Refund" (UNCONFIRMED against the spec): calculate first
        for accurate transactions, restock_type ``return`` (with the location to restock) or
        ``no_restock``, shipping not refunded, customer not notified (the marketplace tells the buyer).
        """
        order_id = int(external_id)
        order = self.client.get(f"orders/{order_id}.json")["order"]
        refund_lines = adapter.refund_line_items(order, lines)
        line_ids = [line["line_item_id"] for line in refund_lines]
        locations = self._line_locations(order_id, line_ids) if restock else {}
        for line in refund_lines:
            if restock:
                line.update(restock_type="return", location_id=locations[line["line_item_id"]])
            else:
                line["restock_type"] = "no_restock"
        shipping = {"amount": "0.00"}
        calculated = self.client.send(
            "POST",
            f"orders/{order_id}/refunds/calculate.json",
            {"refund": {"shipping": shipping, "refund_line_items": refund_lines}},
        )["refund"]
        body = {
            "refund": {
                "currency": order.get("currency"),
                "notify": False,
                "note": reason or None,
                "shipping": shipping,
                "refund_line_items": refund_lines,
                "transactions": adapter.refund_transactions(calculated.get("transactions") or [], amount),
            }
        }
        created = self.client.send("POST", f"orders/{order_id}/refunds.json", body)["refund"]
        return adapter.refund_from_rest(created)

    def _line_locations(self, order_id: int, line_ids: list[int]) -> dict[int, int]:
        """line item id -> the location its stock was taken from (its fulfillment order's assigned
        location, spec §7.1); a line without one goes back to the first active location."""
        found: dict[int, int] = {}
        path = f"orders/{order_id}/fulfillment_orders.json"
        for fo in self.client.get(path)["fulfillment_orders"]:
            for line in fo.get("line_items") or []:
                found.setdefault(int(line["line_item_id"]), int(fo["assigned_location_id"]))
        if any(line_id not in found for line_id in line_ids):
            fallback = next(int(loc.external_id) for loc in self.list_locations() if loc.active)
            found = {line_id: found.get(line_id, fallback) for line_id in line_ids}
        return found

    def list_fulfillments(self, order_external_id: str) -> list[StoreFulfillment]:
        path = f"orders/{int(order_external_id)}/fulfillments.json"
        return [adapter.fulfillment_from_rest(f) for f in self.client.get(path)["fulfillments"]]

    def fulfil_order(
        self,
        order_external_id: str,
        *,
        tracking_company: str | None,
        tracking_number: str | None,
        tracking_url: str | None = None,
    ) -> StoreFulfillment:
        """Fulfil every open fulfillment order of the order (spec §7.2); not part of the protocol.

        Used when the marketplace ships the order (fulfilled by TikTok) and the store must be told.
        """
        path = f"orders/{int(order_external_id)}/fulfillment_orders.json"
        open_orders = [
            fo
            for fo in self.client.get(path)["fulfillment_orders"]
            if fo["status"] in ("open", "in_progress")
        ]
        if not open_orders:
            raise TerminalError(
                f"order {order_external_id} has nothing left to fulfil",
                platform="shopify",
                code="nothing_to_fulfil",
            )
        body = {
            "fulfillment": {
                "notify_customer": False,
                "tracking_info": {
                    "company": tracking_company,
                    "number": tracking_number,
                    "url": tracking_url,
                },
                "line_items_by_fulfillment_order": [{"fulfillment_order_id": fo["id"]} for fo in open_orders],
            }
        }
        return adapter.fulfillment_from_rest(
            self.client.send("POST", "fulfillments.json", body)["fulfillment"]
        )

    # -- webhooks -------------------------------------------------------------------------------
    def register_webhooks(self, address: str, topics: list[WebhookTopic]) -> list[WebhookRegistration]:
        """Idempotent: an existing subscription for the same topic and address is reused."""
        existing = {w["topic"]: w for w in self.client.get("webhooks.json", {"address": address})["webhooks"]}
        registrations = []
        for topic in topics:
            shopify_topic = webhooks.SUBSCRIBE_TOPICS[topic]
            hook = existing.get(shopify_topic)
            if hook is None:
                body = {"webhook": {"topic": shopify_topic, "address": address, "format": "json"}}
                hook = self.client.send("POST", "webhooks.json", body)["webhook"]
            registrations.append(
                WebhookRegistration(external_id=str(hook["id"]), topic=topic, address=hook["address"])
            )
        return registrations

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool:
        return webhooks.verify(self.api_secret, headers, body)

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> StoreWebhookEvent:
        return webhooks.parse(headers, body)


__all__ = ["API_VERSION", "ShopifyConnector"]
