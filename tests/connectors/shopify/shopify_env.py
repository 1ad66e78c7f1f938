"""The Shopify test environment: emulator, connector and merchant driver (shared by the test modules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx

from shopbridge.connectors.shopify import ShopifyConnector
from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator


class ShopifyDriver:
    """Plays the merchant through the emulator's control API (``/_sandbox/...``)."""

    def __init__(self, emulator: ShopifyEmulator, shop: str = DEFAULT_SHOP) -> None:
        self.shop = shop
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=f"https://{shop}")

    def control(self, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(f"/_sandbox/{action}", json={"shop": self.shop, **(body or {})})
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
        names = list(dict.fromkeys(name for v in variants for name in v.get("options", {})))
        rest_variants = []
        for v in variants:
            row: dict[str, Any] = {
                "sku": v.get("sku"),
                "price": str(v["price"]),
                "inventory_quantity": v.get("inventory", 0),
                "grams": v.get("weight_g", 0),
                "weight_unit": "g",
            }
            for index, name in enumerate(names, start=1):
                row[f"option{index}"] = v.get("options", {}).get(name)
            rest_variants.append(row)
        payload = {
            "title": title,
            "body_html": description_html,
            "options": [{"name": n} for n in names],
            "variants": rest_variants,
            "images": [{"src": url} for url in images or []],
            "collection": category,
        }
        return str(self.control("products/create", payload)["product"]["id"])

    def set_price(self, product_id: str, variant_id: str, price: Decimal) -> None:
        self.control("variants/update", {"id": int(variant_id), "price": str(price)})

    def set_inventory(
        self, product_id: str, variant_id: str, quantity: int, location_id: str | None = None
    ) -> None:
        body: dict[str, Any] = {"variant_id": int(variant_id), "available": quantity}
        if location_id:
            body["location_id"] = int(location_id)
        self.control("inventory/set", body)

    def delete_product(self, product_id: str) -> None:
        self.control("products/delete", {"id": int(product_id)})

    def fulfil_order(self, order_id: str, *, tracking_company: str, tracking_number: str) -> str:
        body = {
            "order_id": int(order_id),
            "tracking_company": tracking_company,
            "tracking_number": tracking_number,
        }
        return str(self.control("orders/fulfil", body)["fulfillment"]["id"])

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        return self.http.get("/_sandbox/webhooks/deliveries").json()["deliveries"]

    def subscribe_webhooks(self, address: str) -> None:
        self.control("webhooks/subscribe", {"address": address})


def make_emulator(**kwargs: Any) -> ShopifyEmulator:
    emulator = ShopifyEmulator(catalog=kwargs.pop("catalog", "empty"), **kwargs)
    # Webhooks never leave the process: every delivery is answered 200 and recorded by the kit.
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    return emulator


def make_connector(emulator: ShopifyEmulator, **kwargs: Any) -> ShopifyConnector:
    return ShopifyConnector(
        DEFAULT_SHOP,
        kwargs.pop("access_token", DEFAULT_TOKEN),
        api_secret=kwargs.pop("api_secret", DEFAULT_SECRET),
        transport=httpx.WSGITransport(app=emulator),
        **kwargs,
    )
