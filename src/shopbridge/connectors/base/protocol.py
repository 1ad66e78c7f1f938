"""The StoreConnector protocol: the whole surface the core uses to talk to a store.

A connector does I/O with DTOs in and out, never touches the ORM, and raises only the typed
errors of ``shopbridge.core.errors``. Rate budgets are enforced by the caller through the
``RequestGate`` the connector is given: the connector calls ``gate.acquire(key)`` before every
request, and reports the platform's own rate-limit headers back with ``gate.observe``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Protocol, runtime_checkable

from .dto import (
    Capabilities,
    InventoryLevel,
    Location,
    MarketplaceOrderIn,
    ProductPage,
    RefundLineIn,
    ShopInfo,
    StoreCategory,
    StoreFulfillment,
    StoreOrder,
    StoreProduct,
    StoreRefund,
    StoreWebhookEvent,
    WebhookRegistration,
    WebhookTopic,
)


class RequestGate(Protocol):
    def acquire(self, key: str, weight: int = 1) -> None:
        """Block until the caller's rate budget allows one more request for ``key``."""

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        """Report what the platform said about its limit (headers), so the budget can adapt."""


class NoGate:
    """For tests and one-off scripts: no budget."""

    def acquire(self, key: str, weight: int = 1) -> None:
        return None

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        return None


@runtime_checkable
class StoreConnector(Protocol):
    platform: str
    capabilities: Capabilities

    def shop_info(self) -> ShopInfo: ...

    def list_categories(self) -> list[StoreCategory]: ...

    def list_products(
        self, *, cursor: str | None = None, updated_since: datetime | None = None, page_size: int = 50
    ) -> ProductPage:
        """One page of products; pass the returned ``next_cursor`` back for the next page."""

    def get_product(self, external_id: str) -> StoreProduct:
        """Raises NotFoundError when deleted."""

    def list_product_ids(self) -> list[str]:
        """Every product id currently in the store (to detect deletions on a full import)."""

    def list_locations(self) -> list[Location]: ...

    def inventory_levels(self, inventory_item_ids: list[str]) -> list[InventoryLevel]: ...

    def create_order(self, order: MarketplaceOrderIn) -> StoreOrder: ...

    def find_order_by_reference(
        self, marketplace: str, marketplace_order_id: str, *, placed_after: datetime | None = None
    ) -> StoreOrder | None:
        """The idempotency check: the store order created earlier for this marketplace order, if any.

        ``placed_after`` bounds the search: no store order for a marketplace order can be older than
        the marketplace order itself, so stores that cannot search by reference scan only that window.
        """

    def get_order(self, external_id: str) -> StoreOrder: ...

    def cancel_order(self, external_id: str, *, restock: bool = True, reason: str = "") -> StoreOrder: ...

    def refund_order(
        self,
        external_id: str,
        *,
        lines: list[RefundLineIn],
        restock: bool,
        amount: Decimal | None,
        reason: str = "",
    ) -> StoreRefund:
        """Record a refund of ``lines`` on the store order (the marketplace moved the money).

        ``restock`` puts the refunded quantities back into the stock they were taken from.
        ``amount`` None refunds what the store calculates for the lines; a Decimal records exactly
        that amount (``Decimal("0")``: a stock-only refund). No payment gateway is called. A line
        whose variant is not on the order, or a quantity above what is left to refund, raises
        ValidationFailed before anything is written.
        """

    def list_fulfillments(self, order_external_id: str) -> list[StoreFulfillment]: ...

    def register_webhooks(self, address: str, topics: list[WebhookTopic]) -> list[WebhookRegistration]: ...

    def verify_webhook(self, headers: Mapping[str, str], body: bytes) -> bool: ...

    def parse_webhook(self, headers: Mapping[str, str], body: bytes) -> StoreWebhookEvent:
        """Parse a verified webhook. Raises ValidationFailed for a malformed one."""
