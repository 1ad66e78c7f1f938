"""Time-driven state machines: product audit (§8.19, §15.3) and order progression (§10.2), with their webhooks.

Everything moves on the emulator clock: ``advance_due()`` runs before each API call and on clock advances,
so a test can create a product, advance the clock past ``review_seconds`` and see ACTIVATE or FAILED.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from . import seeds
from .state import Order, Product, Shop

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

    _Base = TikTokShopEmulator
else:
    _Base = object

Failure = tuple[int, str] | None
_WRONG_STATUS = 12052901


class LifecycleMixin(_Base):
    # -- products --------------------------------------------------------------------------------
    def new_product(self, shop: Shop, snapshot: dict[str, Any], *, draft: bool) -> Product:
        now = self.clock.now_int()
        product = Product(
            id=self.world.ids.next("product"),
            shop_id=shop.id,
            status="DRAFT" if draft else "PENDING",
            audit_status="NONE",
            live=None,
            pending=None if draft else snapshot,
            draft=snapshot if draft else None,
            create_time=now,
            update_time=now,
        )
        self.world.products[product.id] = product
        self._index_skus(product)
        self.hub.emit(
            shop.id, "PRODUCT_CREATION", {"product_id": product.id, "product_types": [], "update_time": now}
        )
        if not draft:
            self.start_review(product)
        return product

    def _index_skus(self, product: Product) -> None:
        for version in product.versions():
            for sku in version["skus"]:
                self.world.sku_index[sku["id"]] = product.id

    def submit_edit(self, shop: Shop, product: Product, snapshot: dict[str, Any]) -> None:
        """§8.9: edits re-trigger audit; a live version stays online until the new one passes."""
        previous = product.current()
        changed = [
            f
            for f in ("title", "description", "main_images", "product_attributes")
            if previous.get(f) != snapshot.get(f)
        ]
        if previous.get("category_id") != snapshot.get("category_id"):
            self.hub.emit(
                shop.id,
                "PRODUCT_CATEGORY_CHANGE",
                {
                    "product_id": product.id,
                    "previous_category_id": previous.get("category_id"),
                    "current_category_id": snapshot.get("category_id"),
                    "update_time": self.clock.now_int(),
                },
            )
        product.pending = snapshot
        product.draft = None
        product.update_time = self.clock.now_int()
        self._index_skus(product)
        if product.live is not None:
            self.hub.emit(
                shop.id,
                "PRODUCT_INFORMATION_CHANGE",
                {
                    "product_id": product.id,
                    "change_source": "OPEN_API",
                    "changed_fields": changed or ["others"],
                    "update_time": product.update_time,
                },
            )
        self.start_review(product)

    def start_review(self, product: Product) -> None:
        product.review_round += 1
        product.audit_status = "AUDITING"
        product.audit_failed_reasons = []
        product.review_due_at = self.clock.now() + self.timings["review_seconds"]
        if product.status != "ACTIVATE" or product.live is None:
            self._set_product_status(product, "PENDING")
        self._emit_audit(product)

    def _review_outcome(self, product: Product) -> tuple[str, dict[str, Any] | None]:
        """Deterministic given the seed: forced outcome, else prohibited title words, else a seeded draw."""
        snapshot = product.pending or product.current()
        if product.forced_outcome:
            outcome = product.forced_outcome
            product.forced_outcome = None
            if outcome == "FAILED":
                return "FAILED", seeds.AUDIT_FAILURE_REASONS[0]
            return "APPROVED", None
        title = str(snapshot.get("title", "")).lower()
        if any(word in title for word in seeds.PROHIBITED_TITLE_WORDS):
            return "FAILED", seeds.AUDIT_FAILURE_REASONS[2]
        draw = random.Random(f"{self.seed}:{product.id}:{product.review_round}")
        if draw.random() < self.timings["review_failure_rate"]:
            return "FAILED", draw.choice(seeds.AUDIT_FAILURE_REASONS)
        return "APPROVED", None

    def finish_review(self, product: Product) -> None:
        outcome, reason = self._review_outcome(product)
        product.review_due_at = None
        product.update_time = self.clock.now_int()
        shop_id = product.shop_id
        if outcome == "APPROVED":
            product.live = product.pending or product.live
            product.pending = None
            product.audit_status = "APPROVED"
            first = not product.first_review_done
            product.first_review_done = True
            self._set_product_status(product, "ACTIVATE", webhook=False)
            self._emit_audit(product)
            status = "PRODUCT_FIRST_PASS_REVIEW" if first else "PRODUCT_STATUS_CHANGED"
            self._emit_status(shop_id, product, status)
            return
        product.audit_status = "FAILED"
        product.audit_failed_reasons = [dict(reason or seeds.AUDIT_FAILURE_REASONS[0])]
        product.pending = None if product.live is not None else product.pending
        # §8.19: a failed edit of a live product keeps the live version online.
        self._set_product_status(product, "ACTIVATE" if product.live is not None else "FAILED", webhook=False)
        self._emit_audit(product)
        self._emit_status(shop_id, product, "PRODUCT_AUDIT_FAILURE", (reason or {}).get("reasons", [""])[0])

    def _set_product_status(
        self, product: Product, status: str, *, webhook: bool = True, reason: str = ""
    ) -> None:
        changed = product.status != status
        product.status = status
        product.update_time = self.clock.now_int()
        if changed and webhook:
            self._emit_status(product.shop_id, product, "PRODUCT_STATUS_CHANGED", reason)

    def _emit_status(self, shop_id: str, product: Product, status: str, reason: str = "") -> None:
        self.hub.emit(
            shop_id,
            "PRODUCT_STATUS_CHANGE",
            {
                "product_id": product.id,
                "status": status,
                "suspended_reason": reason,
                "update_time": self.clock.now_int(),
            },
        )

    def _emit_audit(self, product: Product) -> None:
        self.hub.emit(
            product.shop_id,
            "PRODUCT_AUDIT_STATUS_CHANGE",
            {
                "product_id": product.id,
                "audit": {"status": product.audit_status, "pre_approved_reasons": []},
                "integrated_platform_statuses": [],
                "update_time": self.clock.now_int(),
            },
        )

    # §8.13 transitions, each returning None or (code, message) for data.errors[].
    def seller_activate(self, product: Product) -> Failure:
        if product.status not in ("SELLER_DEACTIVATED", "PLATFORM_DEACTIVATED"):
            return _WRONG_STATUS, f"Only deactivated products can be activated (status {product.status})."
        if product.pending is None and product.live is not None:
            product.pending = product.live
        self.start_review(product)
        return None

    def seller_deactivate(self, product: Product) -> Failure:
        if product.status != "ACTIVATE":
            return _WRONG_STATUS, f"Only ACTIVATE products can be deactivated (status {product.status})."
        self._set_product_status(product, "SELLER_DEACTIVATED")
        return None

    def seller_delete(self, product: Product) -> Failure:
        if product.status in ("FREEZE", "DELETED"):
            return _WRONG_STATUS, f"Products in status {product.status} cannot be deleted."
        product.review_due_at = None
        self._set_product_status(product, "DELETED")
        return None

    def seller_recover(self, product: Product) -> Failure:
        if product.status != "DELETED":
            return _WRONG_STATUS, f"Only DELETED products can be recovered (status {product.status})."
        self._set_product_status(product, "SELLER_DEACTIVATED")
        return None

    def platform_action(self, product: Product, action: str, reason: str) -> None:
        """Control: TikTok deactivates, freezes or unfreezes (appeal accepted -> PLATFORM_DEACTIVATED, §8.19)."""
        target = {
            "deactivate": "PLATFORM_DEACTIVATED",
            "freeze": "FREEZE",
            "unfreeze": "PLATFORM_DEACTIVATED",
        }[action]
        if action == "unfreeze" and product.status != "FREEZE":
            raise ValueError(f"product {product.id} is not frozen")
        product.review_due_at = None
        self._set_product_status(product, target, reason=reason)

    # -- orders ----------------------------------------------------------------------------------
    def set_order_status(self, order: Order, status: str) -> None:
        now = self.clock.now_int()
        order.status = status
        order.times["update_time"] = now
        order.next_transition_at = self._next_transition(order)
        display = {"ON_HOLD": "AWAITING_SHIPMENT", "PARTIALLY_SHIPPING": "AWAITING_SHIPMENT"}.get(
            status, status
        )
        for item in order.line_items:
            if item.get("display_status") != "CANCELLED":
                item["display_status"] = display
        # §13.4 type 1 lists CANCEL (not CANCELLED) in its enum.
        self.hub.emit(
            order.shop_id,
            "ORDER_STATUS_CHANGE",
            {
                "order_id": order.id,
                "order_status": "CANCEL" if status == "CANCELLED" else status,
                "is_on_hold_order": order.is_on_hold_order,
                "update_time": now,
            },
        )

    def _next_transition(self, order: Order) -> float | None:
        # Timers chain from the moment the previous one fired, so one long clock jump runs several steps.
        now = getattr(self, "_timer_base", None) or self.clock.now()
        t = self.timings
        fbt = order.fulfillment_type == "FULFILLMENT_BY_TIKTOK"
        return {
            "UNPAID": now + t["unpaid_timeout_seconds"],
            "ON_HOLD": now + t["on_hold_seconds"],
            "AWAITING_SHIPMENT": now + t["fbt_dispatch_seconds"] if fbt else None,
            "AWAITING_COLLECTION": now + t["collection_seconds"],
            "IN_TRANSIT": now + t["delivery_seconds"],
            "DELIVERED": now + t["completion_seconds"],
        }.get(order.status)

    def advance_order(self, order: Order) -> None:
        """One step along §10.2 (clock timer or control ``advance_order``)."""
        status = order.status
        if status == "UNPAID":
            self.cancel_order_fully(order, initiator="SYSTEM", reason="system_cancel_unpaid_time_out")
        elif status == "ON_HOLD":
            order.is_on_hold_order = False
            self.set_order_status(order, "AWAITING_SHIPMENT")
        elif status == "AWAITING_SHIPMENT":
            if order.fulfillment_type != "FULFILLMENT_BY_TIKTOK":
                raise ValueError("seller-fulfilled orders leave AWAITING_SHIPMENT when the seller ships")
            self.ship_by_platform(order)
        elif status in ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED"):
            self._carrier_step(order)
        else:
            raise ValueError(f"order {order.id} in {status} has no automatic next state")

    def _carrier_step(self, order: Order) -> None:
        now = self.clock.now_int()
        nxt = {"AWAITING_COLLECTION": "IN_TRANSIT", "IN_TRANSIT": "DELIVERED", "DELIVERED": "COMPLETED"}[
            order.status
        ]
        package_status = {"IN_TRANSIT": "FULFILLING", "DELIVERED": "COMPLETED", "COMPLETED": "COMPLETED"}[nxt]
        event = {
            "IN_TRANSIT": "Parcel collected by the carrier",
            "DELIVERED": "Parcel delivered",
            "COMPLETED": "Order completed",
        }[nxt]
        for pid in order.package_ids:
            package = self.world.packages[pid]
            if package.status == "CANCELLED":
                continue
            package.status = package_status
            package.update_time = now
            package.tracking_events.append({"description": event, "update_time_millis": now * 1000})
            for item in order.line_items:
                if item["id"] in package.line_item_ids:
                    item["package_status"] = package_status
        if nxt == "IN_TRANSIT":
            order.times["collection_time"] = now
        if nxt == "DELIVERED":
            order.times["delivery_time"] = now
        self.set_order_status(order, nxt)

    def ship_by_platform(self, order: Order) -> None:
        """FBT: TikTok's warehouse ships; the seller calls nothing (§11.1)."""
        shop = self.world.shops[order.shop_id]
        if not order.package_ids:
            self.create_package(order, [li["id"] for li in order.line_items])
        provider = self.world.providers.get(next(iter(self.world.providers)))
        for pid in order.package_ids:
            package = self.world.packages[pid]
            package.shipped = True
            package.status = "PROCESSING"
            package.provider_id = provider.id if provider else ""
            package.provider_name = f"TikTok Shop {shop.region} Fulfilment"
            package.tracking_number = f"TT{package.id[-12:]}"
            package.shipped_at = self.clock.now_int()
        self.mark_items_shipped(order, [li["id"] for li in order.line_items])

    def advance_due(self) -> None:
        """Run every timer that is due on the emulator clock."""
        now = self.clock.now()
        for product in list(self.world.products.values()):
            if product.review_due_at is not None and product.review_due_at <= now:
                self.finish_review(product)
        for _ in range(8):  # several steps may be due after a long clock jump
            due = [
                o
                for o in self.world.orders.values()
                if o.next_transition_at is not None and o.next_transition_at <= now
            ]
            if not due:
                break
            for order in due:
                self._timer_base = order.next_transition_at
                try:
                    self.advance_order(order)
                finally:
                    self._timer_base = None
        self.expire_seller_responses(now)

    def on_clock_advanced(self) -> None:
        with self.lock:
            self.advance_due()
        self.webhooks.deliver_due()
