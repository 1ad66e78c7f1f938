"""What the store contract suite needs from each store emulator: acting as the merchant.

Each store's test package provides a ``store_env`` fixture returning a ``StoreEnv``: a
connector pointed at its emulator (in-process, ``httpx.WSGITransport``) and a driver that
uses the emulator's control API (``/_sandbox/...``) to change the store as a merchant would.

Conventions the contract suite relies on (``suite.StoreContract``):
- ``variants[i]["price"]`` is a ``Decimal``; ``weight_g`` is grams; ``inventory`` is the stock at
  the store's default location; ``options`` maps option name to value.
- Webhooks must never leave the process: the fixture points the emulator's webhook sender at a
  recording transport (for example ``httpx.MockTransport`` answering 200), and
  ``webhook_deliveries()`` returns the kit's ``Delivery.as_dict()`` records (``url``, ``topic``,
  ``body`` as text, ``headers``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from shopbridge.connectors.base.protocol import StoreConnector


class StoreDriver(Protocol):
    def create_product(
        self,
        *,
        title: str,
        variants: list[
            dict[str, Any]
        ],  # [{"sku", "price", "options": {"Size": "M"}, "inventory": 5, "weight_g": 200}]
        description_html: str = "",
        category: str | None = None,
        images: list[str] | None = None,
    ) -> str:
        """Create a product as the merchant; returns its store id."""

    def set_price(self, product_id: str, variant_id: str, price: Decimal) -> None: ...

    def set_inventory(
        self, product_id: str, variant_id: str, quantity: int, location_id: str | None = None
    ) -> None: ...

    def delete_product(self, product_id: str) -> None: ...

    def fulfil_order(self, order_id: str, *, tracking_company: str, tracking_number: str) -> str:
        """Fulfil the whole order; returns the fulfilment id."""

    def webhook_deliveries(self) -> list[dict[str, Any]]:
        """Every webhook the emulator sent (with body and headers)."""

    def subscribe_webhooks(self, address: str) -> None:
        """Make the emulator send webhooks for every topic to ``address``."""


@dataclass
class StoreEnv:
    connector: StoreConnector
    driver: StoreDriver
    webhook_secret: str
    currency: str
