"""WooCommerce test support: the merchant driver and a connector factory for the in-process emulator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from shopbridge.connectors.base.protocol import RequestGate
from shopbridge.connectors.woocommerce.connector import WooCommerceConnector
from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator, manifest_entry
from shopbridge_sandbox.woocommerce.hooks import PING_TOPIC

SITE = "https://woo.sandbox.test"
GRAMS_PER_KG = Decimal(1000)


def hook_receiver() -> httpx.MockTransport:
    """Stands in for ShopBridge's webhook endpoint (no network): answers 200 to every delivery."""
    return httpx.MockTransport(lambda request: httpx.Response(200))


class WooCommerceDriver:
    """Plays the merchant through the emulator's control API (``/_sandbox/...``)."""

    def __init__(self, emulator: WooCommerceEmulator, site: str = SITE) -> None:
        self.emulator = emulator
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=site)

    def control(self, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def create_product(
        self,
        *,
        title: str,
        variants: list[dict[str, Any]],
        description_html: str = "",
        category: str | None = None,
        images: list[str] | None = None,
    ) -> str:
        """Options -> a variable product with one variation per variant; none -> a simple product.
        The emulated store weighs in kg (its default setting)."""
        names = list(dict.fromkeys(name for v in variants for name in v.get("options", {})))
        body: dict[str, Any] = {
            "name": title,
            "description": description_html,
            "images": [{"src": url} for url in images or []],
        }
        if category:
            body["category"] = category
        stock = [self._sellable(v) for v in variants]
        if names:
            body["type"] = "variable"
            body["attributes"] = [
                {
                    "name": n,
                    "options": list(dict.fromkeys(v["options"][n] for v in variants)),
                    "variation": True,
                    "visible": True,
                }
                for n in names
            ]
            body["variations"] = [
                {**s, "attributes": [{"name": n, "option": v["options"][n]} for n in names]}
                for s, v in zip(stock, variants, strict=True)
            ]
        else:
            body.update(stock[0])
        return str(self.control("products", body)["id"])

    @staticmethod
    def _sellable(variant: dict[str, Any]) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "sku": variant.get("sku") or "",
            "regular_price": str(variant["price"]),
            "manage_stock": True,
            "stock_quantity": int(variant.get("inventory", 0)),
        }
        if variant.get("weight_g"):
            fields["weight"] = str(Decimal(variant["weight_g"]) / GRAMS_PER_KG)
        return fields

    def set_price(self, product_id: str, variant_id: str, price: Decimal) -> None:
        self.control(
            "price", {"product_id": product_id, "variation_id": variant_id, "regular_price": str(price)}
        )

    def set_inventory(
        self, product_id: str, variant_id: str, quantity: int, location_id: str | None = None
    ) -> None:
        self.control("stock", {"product_id": product_id, "variation_id": variant_id, "quantity": quantity})

    def delete_product(self, product_id: str) -> None:
        self.control("products/delete", {"id": product_id, "force": True})

    def fulfil_order(self, order_id: str, *, tracking_company: str, tracking_number: str) -> str:
        tracking = self.control(
            "fulfil",
            {"order_id": order_id, "tracking_provider": tracking_company, "tracking_number": tracking_number},
        )
        return str(tracking["tracking_id"])

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every event webhook sent; creation pings (unsigned ``webhook_id=<id>`` forms, not events)
        are left out."""
        deliveries = self.control("webhooks/deliveries")["deliveries"]
        return [d for d in deliveries if d["topic"] != PING_TOPIC]

    def subscribe_webhooks(self, address: str) -> None:
        self.control("webhooks/subscribe", {"address": address})


def connector_for(
    emulator: WooCommerceEmulator, *, site: str = SITE, gate: RequestGate | None = None
) -> WooCommerceConnector:
    manifest = manifest_entry(emulator, site)
    return WooCommerceConnector(
        manifest["base_url"],
        manifest["consumer_key"],
        manifest["consumer_secret"],
        webhook_secret=manifest["webhook_secret"],
        transport=httpx.WSGITransport(app=emulator),
        gate=gate,
    )
