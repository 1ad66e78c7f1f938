"""Cancellations, returns and refunds (../shared/spec/tiktok-shop-api.md §12, reasons §10.5)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import render, seeds
from .pipeline import ApiError, Ctx, api
from .state import Cancellation, Order, ReturnRequest

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

    _Base = TikTokShopEmulator
else:
    _Base = object

AFTERSALES_VERSIONS = (
    "202309",
    "202602",
)  # §7 documents 202309; tiktok-endpoints.md lists 202602 for several
REJECT_RETURN_VERSIONS = ("202309", "202606")
_PAID = ("ON_HOLD", "AWAITING_SHIPMENT")


class AftersalesMixin(_Base):
    # -- state changes ---------------------------------------------------------------------------
    def _new_cancellation(
        self,
        order: Order,
        *,
        cancel_type: str,
        role: str,
        reason: str,
        status: str,
        line_ids: list[str] | None = None,
    ) -> Cancellation:
        now = self.clock.now_int()
        cancellation = Cancellation(
            id=self.world.ids.next("cancel"),
            shop_id=order.shop_id,
            order_id=order.id,
            cancel_type=cancel_type,
            status=status,
            role=role,
            reason=reason,
            line_item_ids=line_ids
            or [li["id"] for li in order.line_items if li["display_status"] != "CANCELLED"],
            create_time=now,
            update_time=now,
        )
        self.world.cancellations[cancellation.id] = cancellation
        self._emit_cancellation(cancellation)
        return cancellation

    def _set_cancel_status(self, cancellation: Cancellation, status: str) -> None:
        cancellation.status = status
        cancellation.update_time = self.clock.now_int()
        cancellation.deadline = None
        self._emit_cancellation(cancellation)

    def _emit_cancellation(self, c: Cancellation) -> None:
        self.hub.emit(
            c.shop_id,
            "CANCELLATION_STATUS_CHANGE",
            {
                "order_id": c.order_id,
                "cancellations_role": c.role,
                "cancel_status": c.status,
                "cancel_id": c.id,
                "create_time": c.create_time,
            },
        )

    def cancel_order_fully(self, order: Order, *, initiator: str, reason: str) -> None:
        """Cancel every open line item; the order becomes CANCELLED (§10.2) and stock returns."""
        self.cancel_lines(
            order,
            [li["id"] for li in order.line_items if li["display_status"] != "CANCELLED"],
            initiator=initiator,
            reason=reason,
        )

    def cancel_lines(self, order: Order, line_ids: list[str], *, initiator: str, reason: str) -> None:
        now = self.clock.now_int()
        shipped = {li["id"] for li in order.line_items if li.get("package_status") == "PROCESSING"}
        self.release(order, [i for i in line_ids if i not in shipped], restock=True)
        for item in order.line_items:
            if item["id"] in line_ids:
                item.update(
                    {
                        "display_status": "CANCELLED",
                        "cancel_user": initiator,
                        "cancel_reason": seeds.reason_text(reason),
                    }
                )
                if item.get("package_id"):
                    item["package_status"] = "CANCELLED"
        for pid in order.package_ids:
            package = self.world.packages[pid]
            if all(
                i in line_ids or self._line(order, i)["display_status"] == "CANCELLED"
                for i in package.line_item_ids
            ):
                package.status = "CANCELLED"
                package.update_time = now
        if all(li["display_status"] == "CANCELLED" for li in order.line_items):
            order.cancel_reason = seeds.reason_text(reason)
            order.cancellation_initiator = initiator
            order.times["cancel_time"] = now
            order.is_buyer_request_cancel = False
            self.set_order_status(order, "CANCELLED")

    def _line(self, order: Order, line_id: str) -> dict[str, Any]:
        return next(li for li in order.line_items if li["id"] == line_id)

    def buyer_cancel(self, order: Order, reason: str | None = None) -> Cancellation:
        """Control: the buyer cancels (§12.1): UNPAID and ON_HOLD cancel at once; AWAITING_SHIPMENT asks the seller."""
        if order.status == "UNPAID":
            reason = reason or seeds.BUYER_CANCEL_REASON_UNPAID
            c = self._new_cancellation(
                order,
                cancel_type="CANCEL",
                role="BUYER",
                reason=reason,
                status="CANCELLATION_REQUEST_SUCCESS",
            )
            self.cancel_order_fully(order, initiator="BUYER", reason=reason)
            self._set_cancel_status(c, "CANCELLATION_REQUEST_COMPLETE")
            return c
        if order.status == "ON_HOLD":
            reason = reason or seeds.BUYER_CANCEL_REASON_PAID
            c = self._new_cancellation(
                order,
                cancel_type="CANCEL",
                role="BUYER",
                reason=reason,
                status="CANCELLATION_REQUEST_SUCCESS",
            )
            self.cancel_order_fully(order, initiator="BUYER", reason=reason)
            self._set_cancel_status(c, "CANCELLATION_REQUEST_COMPLETE")
            return c
        if order.status == "AWAITING_SHIPMENT":
            if any(
                c.order_id == order.id and c.status == "CANCELLATION_REQUEST_PENDING"
                for c in self.world.cancellations.values()
            ):
                raise ValueError("a cancellation request is already pending")
            reason = reason or seeds.BUYER_CANCEL_REASON_PAID
            c = self._new_cancellation(
                order,
                cancel_type="BUYER_CANCEL",
                role="BUYER",
                reason=reason,
                status="CANCELLATION_REQUEST_PENDING",
            )
            c.deadline = self.clock.now_int() + int(self.timings["seller_response_seconds"])
            order.is_buyer_request_cancel = True
            order.times["request_cancel_time"] = self.clock.now_int()
            order.times["update_time"] = self.clock.now_int()
            return c
        raise ValueError(
            f"buyers cannot cancel an order in {order.status} (§12.1); request a refund/return instead"
        )

    def approve_cancellation_now(self, c: Cancellation, role: str = "SELLER") -> None:
        order = self.world.orders[c.order_id]
        self._set_cancel_status(c, "CANCELLATION_REQUEST_SUCCESS")
        self.cancel_lines(order, c.line_item_ids, initiator="BUYER", reason=c.reason)
        self._set_cancel_status(c, "CANCELLATION_REQUEST_COMPLETE")

    def expire_seller_responses(self, now: float) -> None:
        """§12.1: unanswered buyer requests are auto-approved after 48 h."""
        for c in list(self.world.cancellations.values()):
            if c.status == "CANCELLATION_REQUEST_PENDING" and c.deadline is not None and c.deadline <= now:
                self.approve_cancellation_now(c, role="SYSTEM")
        for r in list(self.world.returns.values()):
            if (
                r.status == "RETURN_OR_REFUND_REQUEST_PENDING"
                and r.deadline is not None
                and r.deadline <= now
            ):
                self._approve_return(
                    r, "APPROVE_REFUND" if r.return_type == "REFUND" else "APPROVE_RETURN", False
                )

    def request_return(self, order: Order, body: dict[str, Any], role: str = "BUYER") -> ReturnRequest:
        return_type = body.get("return_type") or "RETURN_AND_REFUND"
        if return_type not in ("REFUND", "RETURN_AND_REFUND", "REPLACEMENT"):
            raise ValueError("return_type must be REFUND, RETURN_AND_REFUND or REPLACEMENT")
        allowed = (
            ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED") if return_type == "REFUND" else ("DELIVERED",)
        )
        if order.status not in allowed:
            raise ValueError(f"{return_type} is not possible for an order in {order.status} (§12.1)")
        line_ids = [str(i) for i in body.get("order_line_item_ids") or []] or [
            li["id"] for li in order.line_items if li["display_status"] != "CANCELLED"
        ]
        now = self.clock.now_int()
        r = ReturnRequest(
            id=self.world.ids.next("return"),
            shop_id=order.shop_id,
            order_id=order.id,
            return_type=return_type,
            status="RETURN_OR_REFUND_REQUEST_PENDING",
            role=role,
            reason=str(
                body.get("return_reason")
                or body.get("reason")
                or "ecom_order_delivered_refund_and_return_reason_damaged"
            ),
            line_item_ids=line_ids,
            create_time=now,
            update_time=now,
            deadline=now + int(self.timings["seller_response_seconds"]),
        )
        self.world.returns[r.id] = r
        self._return_record(r, "REQUEST_CREATED", role, "The request was submitted.")
        self._emit_return(r)
        return r

    def _return_record(self, r: ReturnRequest, event: str, role: str, description: str) -> None:
        r.records.append(
            {
                "event": event,
                "role": role,
                "description": description,
                "reason_text": seeds.reason_text(r.reason),
                "note": "",
                "images": [],
                "videos": [],
                "create_time": self.clock.now_int(),
            }
        )

    def set_return_status(self, r: ReturnRequest, status: str, role: str = "SELLER") -> None:
        r.status = status
        r.update_time = self.clock.now_int()
        r.deadline = None
        self._return_record(r, status, role, f"Status changed to {status}.")
        self._emit_return(r)
        if status == "RETURN_OR_REFUND_REQUEST_SUCCESS":
            self.set_return_status(r, "RETURN_OR_REFUND_REQUEST_COMPLETE", "SYSTEM")
            order = self.world.orders[r.order_id]
            refunded = {
                i
                for x in self.world.returns.values()
                if x.order_id == order.id and x.status == "RETURN_OR_REFUND_REQUEST_COMPLETE"
                for i in x.line_item_ids
            }
            open_items = {li["id"] for li in order.line_items if li["display_status"] != "CANCELLED"}
            # §10.2: a full refund completes the order.
            if open_items <= refunded and order.status != "COMPLETED":
                self.set_order_status(order, "COMPLETED")

    def _emit_return(self, r: ReturnRequest) -> None:
        self.hub.emit(
            r.shop_id,
            "RETURN_STATUS_CHANGE",
            {
                "order_id": r.order_id,
                "return_role": r.role,
                "return_type": r.return_type,
                "return_status": r.status,
                "return_id": r.id,
                "create_time": r.create_time,
                "update_time": r.update_time,
            },
        )

    def buyer_ship_return(self, r: ReturnRequest, tracking_number: str) -> None:
        if r.status != "AWAITING_BUYER_SHIP":
            raise ValueError(f"return {r.id} is {r.status}, not AWAITING_BUYER_SHIP")
        r.tracking_number = tracking_number
        self.set_return_status(r, "BUYER_SHIPPED_ITEM", "BUYER")

    def _approve_return(self, r: ReturnRequest, decision: str, keep_item: bool) -> None:
        if (
            decision == "APPROVE_REFUND"
            and r.status == "RETURN_OR_REFUND_REQUEST_PENDING"
            and r.return_type == "REFUND"
        ):
            self.set_return_status(r, "RETURN_OR_REFUND_REQUEST_SUCCESS")
        elif decision == "APPROVE_RETURN" and r.status == "RETURN_OR_REFUND_REQUEST_PENDING":
            # §12.1: approving with buyer_keep_item=true is a return-less refund.
            self.set_return_status(
                r, "RETURN_OR_REFUND_REQUEST_SUCCESS" if keep_item else "AWAITING_BUYER_SHIP"
            )
        elif decision == "APPROVE_RECEIVED_PACKAGE" and r.status == "BUYER_SHIPPED_ITEM":
            self.set_return_status(r, "RETURN_OR_REFUND_REQUEST_SUCCESS")
        else:
            raise ApiError(25001044, f"Cannot {decision} a {r.return_type} request in status {r.status}.")

    # -- views -----------------------------------------------------------------------------------
    def _refund_amount(self, order: Order, line_ids: list[str]) -> dict[str, Any]:
        subtotal = sum(
            (Decimal(li["sale_price"]) for li in order.line_items if li["id"] in line_ids), Decimal("0")
        )
        return {
            "currency": order.payment["currency"],
            "refund_total": str(subtotal),
            "refund_subtotal": str(subtotal),
            "refund_shipping_fee": "0",
            "refund_tax": "0",
            "retail_delivery_fee": "0",
            "buyer_service_fee": "0",
        }

    def _line_views(self, order: Order, line_ids: list[str], key: str) -> list[dict[str, Any]]:
        return [
            {
                f"{key}_line_item_id": f"{line_id}1",
                "order_line_item_id": line_id,
                "sku_id": li["sku_id"],
                "sku_name": li["sku_name"],
                "product_name": li["product_name"],
                "seller_sku": li["seller_sku"],
                "product_image": {"url": li["sku_image"], "width": 600, "height": 600},
                "refund_amount": self._refund_amount(order, [line_id]),
            }
            for line_id in line_ids
            for li in [self._line(order, line_id)]
        ]

    def cancellation_view(self, c: Cancellation) -> dict[str, Any]:
        order = self.world.orders[c.order_id]
        return {
            "cancel_id": c.id,
            "order_id": c.order_id,
            "cancel_type": c.cancel_type,
            "cancel_status": c.status,
            "role": c.role,
            "cancel_reason": c.reason,
            "cancel_reason_text": seeds.reason_text(c.reason),
            "create_time": c.create_time,
            "update_time": c.update_time,
            "seller_next_action_response": [{"action": "SELLER_RESPOND_CANCEL", "deadline": c.deadline}]
            if c.status == "CANCELLATION_REQUEST_PENDING"
            else [],
            "refund_amount": self._refund_amount(order, c.line_item_ids),
            "cancel_line_items": self._line_views(order, c.line_item_ids, "cancel"),
        }

    def return_view(self, r: ReturnRequest) -> dict[str, Any]:
        order = self.world.orders[r.order_id]
        action = {
            "RETURN_OR_REFUND_REQUEST_PENDING": "SELLER_RESPOND_REFUND"
            if r.return_type == "REFUND"
            else "SELLER_RESPOND_RETURN",
            "BUYER_SHIPPED_ITEM": "SELLER_RESPOND_RECEIVE_PACKAGE",
        }.get(r.status)
        return {
            "return_id": r.id,
            "order_id": r.order_id,
            "return_type": r.return_type,
            "return_status": r.status,
            "arbitration_status": "",
            "role": r.role,
            "return_reason": r.reason,
            "return_reason_text": seeds.reason_text(r.reason),
            "shipment_type": "PLATFORM",
            "handover_method": "DROP_OFF",
            "return_tracking_number": r.tracking_number,
            "return_provider_name": "",
            "return_provider_id": "",
            "pre_return_id": "",
            "next_return_id": "",
            "can_buyer_keep_item": r.return_type != "REPLACEMENT",
            "create_time": r.create_time,
            "update_time": r.update_time,
            "seller_next_action_response": [{"action": action, "deadline": r.deadline}] if action else [],
            "return_line_items": self._line_views(order, r.line_item_ids, "return"),
            "discount_amount": [
                {
                    "currency": order.payment["currency"],
                    "product_seller_discount": "0",
                    "product_platform_discount": "0",
                    "shipping_fee_seller_discount": "0",
                    "shipping_fee_platform_discount": "0",
                }
            ],
            "shipping_fee_amount": [
                {
                    "currency": order.payment["currency"],
                    "seller_paid_return_shipping_fee": "0",
                    "platform_paid_return_shipping_fee": "0",
                    "buyer_paid_return_shipping_fee": "0",
                }
            ],
            "refund_amount": self._refund_amount(order, r.line_item_ids),
            "return_shipping_document_type": "SHIPPING_LABEL",
            "return_method": "PLATFORM_SHIPPED",
            "is_combined_return": False,
            "combined_return_id": "",
            "return_warehouse_address": {
                "full_address": next(
                    w.address.get("full_address", "")
                    for w in self.world.shops[r.shop_id].warehouses
                    if w.type == "RETURN_WAREHOUSE"
                )
            },
        }

    def _search(self, ctx: Ctx, items: list[Any], view: Any) -> tuple[list[dict[str, Any]], int, str]:
        size, offset = self._page(ctx, maximum=50, default=10)
        body = ctx.body()
        sort_field = ctx.query.get("sort_field") or "create_time"
        descending = (ctx.query.get("sort_order") or "ASC") == "DESC"  # §12.2 default ASC
        items = [
            i
            for i in items
            if _window(i.create_time, body, "create_time") and _window(i.update_time, body, "update_time")
        ]
        items.sort(key=lambda i: (getattr(i, sort_field, i.create_time), i.id), reverse=descending)
        page = items[offset : offset + size]
        return [view(i) for i in page], len(items), render.page_token(offset + len(page), len(items))

    # -- cancellations API (§12.2-§12.4) ---------------------------------------------------------
    @api(
        "POST",
        "/return_refund/{v}/cancellations/search",
        versions=AFTERSALES_VERSIONS,
        scope="Return & Refund Basic",
    )
    def search_cancellations(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        # §12.1 quirk: the filter enum says CANCELLATION_REQUEST_CANCEL, responses say ..._CANCELLED.
        statuses = {
            "CANCELLATION_REQUEST_CANCELLED" if s == "CANCELLATION_REQUEST_CANCEL" else s
            for s in body.get("cancel_status") or []
        }
        items = [
            c
            for c in self.world.cancellations.values()
            if c.shop_id == ctx.shop_required.id
            and (not body.get("cancel_ids") or c.id in body["cancel_ids"])
            and (not body.get("order_ids") or c.order_id in body["order_ids"])
            and (not body.get("cancel_types") or c.cancel_type in body["cancel_types"])
            and (not statuses or c.status in statuses)
        ]
        views, total, token = self._search(ctx, items, self.cancellation_view)
        return {"cancellations": views, "total_count": total, "next_page_token": token}

    @api(
        "POST",
        "/return_refund/{v}/cancellations",
        versions=AFTERSALES_VERSIONS,
        scope="Return & Refund Basic",
    )
    def cancel_order(self, ctx: Ctx) -> dict[str, Any]:
        shop = ctx.shop_required
        body = ctx.body()
        order = self.world.orders.get(str(body.get("order_id") or ""))
        if order is None or order.shop_id != shop.id:
            raise ApiError(25020005, "No permission for this order or the order does not exist.")
        reason = seeds.uk_suffix(shop.region, str(body.get("cancel_reason") or ""))
        known = seeds.SELLER_CANCEL_REASONS_UNPAID + seeds.SELLER_CANCEL_REASONS_PAID
        if reason not in known:
            raise ApiError(25001014, f"Unknown cancel reason {body.get('cancel_reason')!r}.")
        if order.status in ("COMPLETED", "CANCELLED"):
            raise ApiError(25001051, "The order is completed or cancelled.")
        us = shop.region == "US"
        if order.status in ("IN_TRANSIT", "DELIVERED") or (order.status == "AWAITING_COLLECTION" and not us):
            raise ApiError(25001045, "The order has already been shipped.")
        expected = (
            seeds.SELLER_CANCEL_REASONS_UNPAID
            if order.status == "UNPAID"
            else seeds.SELLER_CANCEL_REASONS_PAID
        )
        if reason not in expected:
            raise ApiError(25001021, "Reason not match order status")
        line_ids = [str(i) for i in body.get("order_line_item_ids") or []]
        if body.get("skus"):
            for entry in body["skus"]:
                open_lines = [
                    li["id"]
                    for li in order.line_items
                    if li["sku_id"] == str(entry.get("sku_id"))
                    and li["display_status"] != "CANCELLED"
                    and li["id"] not in line_ids
                ]
                line_ids.extend(open_lines[: int(entry.get("quantity", 1))])
        if line_ids and not seeds.REGIONS[shop.region].partial_cancel:
            raise ApiError(25005010, "Individual line items cannot be cancelled in this market.")
        all_open = [li["id"] for li in order.line_items if li["display_status"] != "CANCELLED"]
        line_ids = line_ids or all_open
        c = self._new_cancellation(
            order,
            cancel_type="CANCEL",
            role="SELLER",
            reason=reason,
            status="CANCELLATION_REQUEST_SUCCESS",
            line_ids=line_ids,
        )
        self.cancel_lines(order, line_ids, initiator="SELLER", reason=reason)
        self._set_cancel_status(c, "CANCELLATION_REQUEST_COMPLETE")
        return {"cancel_id": c.id, "cancel_status": "CANCELLATION_REQUEST_SUCCESS"}

    def _own_cancellation(self, ctx: Ctx, cancel_id: str) -> Cancellation:
        c = self.world.cancellations.get(cancel_id)
        if c is None or c.shop_id != ctx.shop_required.id:
            raise ApiError(25007006, "The cancellation or its order was not found.")
        return c

    def _idempotent(self, ctx: Ctx, action: str, run: Any) -> dict[str, Any]:
        key = ctx.query.get("idempotency_key")
        if key and (ctx.shop_required.id, f"{action}:{key}") in self.world.idempotency:
            return self.world.idempotency[(ctx.shop_required.id, f"{action}:{key}")]
        result = run()
        if key:
            self.world.idempotency[(ctx.shop_required.id, f"{action}:{key}")] = result
        return result

    @api("POST", "/return_refund/{v}/cancellations/<cancel_id>/approve", scope="Return & Refund Basic")
    def approve_cancellation(self, ctx: Ctx, cancel_id: str) -> dict[str, Any]:
        c = self._own_cancellation(ctx, cancel_id)

        def run() -> dict[str, Any]:
            if c.status in ("CANCELLATION_REQUEST_SUCCESS", "CANCELLATION_REQUEST_COMPLETE"):
                raise ApiError(25020010, "The cancellation has already been approved.")
            if c.status != "CANCELLATION_REQUEST_PENDING":
                raise ApiError(25011012, f"The cancellation status {c.status} does not allow approval.")
            self.approve_cancellation_now(c)
            return {}

        return self._idempotent(ctx, "approve_cancel", run)

    @api("POST", "/return_refund/{v}/cancellations/<cancel_id>/reject", scope="Return & Refund Basic")
    def reject_cancellation(self, ctx: Ctx, cancel_id: str) -> dict[str, Any]:
        c = self._own_cancellation(ctx, cancel_id)
        body = ctx.body()

        def run() -> dict[str, Any]:
            if c.status != "CANCELLATION_REQUEST_PENDING":
                raise ApiError(25011011, f"The cancellation status {c.status} does not allow rejection.")
            if body.get("reject_reason") not in seeds.SELLER_REJECT_CANCEL_REASONS:
                raise ApiError(25001016, "The reject reason does not match this request.")
            order = self.world.orders[c.order_id]
            order.is_buyer_request_cancel = False
            order.times["update_time"] = self.clock.now_int()
            self._set_cancel_status(c, "CANCELLATION_REQUEST_CANCELLED")
            return {}

        return self._idempotent(ctx, "reject_cancel", run)

    # -- returns API (§12.5-§12.7) ---------------------------------------------------------------
    @api(
        "POST",
        "/return_refund/{v}/returns/search",
        versions=AFTERSALES_VERSIONS,
        scope="Return & Refund Basic",
    )
    def search_returns(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        items = [
            r
            for r in self.world.returns.values()
            if r.shop_id == ctx.shop_required.id
            and (not body.get("return_ids") or r.id in body["return_ids"])
            and (not body.get("order_ids") or r.order_id in body["order_ids"])
            and (not body.get("return_types") or r.return_type in body["return_types"])
            and (not body.get("return_status") or r.status in body["return_status"])
        ]
        views, total, token = self._search(ctx, items, self.return_view)
        return {"return_orders": views, "total_count": total, "next_page_token": token}

    def _own_return(self, ctx: Ctx, return_id: str) -> ReturnRequest:
        r = self.world.returns.get(return_id)
        if r is None or r.shop_id != ctx.shop_required.id:
            raise ApiError(25007006, "The return request or its order was not found.")
        return r

    @api("POST", "/return_refund/{v}/returns/<return_id>/approve", scope="Return & Refund Basic")
    def approve_return(self, ctx: Ctx, return_id: str) -> dict[str, Any]:
        r = self._own_return(ctx, return_id)
        body = ctx.body()
        decision = body.get("decision")
        if decision not in (
            "APPROVE_REFUND",
            "APPROVE_RETURN",
            "APPROVE_RECEIVED_PACKAGE",
            "APPROVE_REPLACEMENT",
            "ISSUE_REPLACEMENT_REFUND",
            "OFFER_PARTIAL_REFUND",
        ):
            raise ApiError(25001001, "decision is required.")
        if self.world.orders[r.order_id].fulfillment_type == "FULFILLMENT_BY_TIKTOK":
            raise ApiError(25011026, "Returns of FBT orders are handled by TikTok.")

        def run() -> dict[str, Any]:
            self._approve_return(r, decision, bool(body.get("buyer_keep_item")))
            return {}

        return self._idempotent(ctx, "approve_return", run)

    @api(
        "POST",
        "/return_refund/{v}/returns/<return_id>/reject",
        versions=REJECT_RETURN_VERSIONS,
        scope="Return & Refund Basic",
    )
    def reject_return(self, ctx: Ctx, return_id: str) -> dict[str, Any]:
        r = self._own_return(ctx, return_id)
        body = ctx.body()
        decision = body.get("decision")
        if body.get("reject_reason") not in {name for name, _ in seeds.RETURN_REJECT_REASONS}:
            raise ApiError(25001016, "reject_reason must come from Get Reject Reasons.")

        def run() -> dict[str, Any]:
            if (
                decision in ("REJECT_REFUND", "REJECT_RETURN", "REJECT_REPLACEMENT")
                and r.status == "RETURN_OR_REFUND_REQUEST_PENDING"
            ):
                self.set_return_status(r, "REFUND_OR_RETURN_REQUEST_REJECT")
            elif decision == "REJECT_RECEIVED_PACKAGE" and r.status == "BUYER_SHIPPED_ITEM":
                self.set_return_status(r, "REJECT_RECEIVE_PACKAGE")
            else:
                raise ApiError(25020012, f"Cannot {decision} a request in status {r.status}.")
            return {}

        return self._idempotent(ctx, "reject_return", run)

    @api("POST", "/return_refund/{v}/returns", versions=AFTERSALES_VERSIONS, scope="Return & Refund Basic")
    def create_return(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        order = self.world.orders.get(str(body.get("order_id") or ""))
        if order is None or order.shop_id != ctx.shop_required.id:
            raise ApiError(25020005, "No permission for this order or the order does not exist.")
        if not body.get("return_reason") or body.get("return_type") not in ("REFUND", "RETURN_AND_REFUND"):
            raise ApiError(
                25001001, "return_reason and return_type (REFUND | RETURN_AND_REFUND) are required."
            )

        def run() -> dict[str, Any]:
            try:
                r = self.request_return(order, body, role="SELLER")
            except ValueError as exc:
                raise ApiError(25001003, str(exc)) from exc
            return {"return_id": r.id, "return_status": r.status}

        return self._idempotent(ctx, "create_return", run)

    @api("GET", "/return_refund/{v}/returns/<return_id>/records", scope="Return & Refund Basic")
    def get_return_records(self, ctx: Ctx, return_id: str) -> dict[str, Any]:
        return {"records": list(self._own_return(ctx, return_id).records)}

    @api("GET", "/return_refund/{v}/reject_reasons", scope="Return & Refund Basic")
    def get_reject_reasons(self, ctx: Ctx) -> dict[str, Any]:
        target = ctx.query.get("return_or_cancel_id", "")
        if target in self.world.cancellations:
            reasons = [(n, seeds.reason_text(n)) for n in seeds.SELLER_REJECT_CANCEL_REASONS]
        else:
            reasons = list(seeds.RETURN_REJECT_REASONS)
        return {"reasons": [{"name": n, "text": t} for n, t in reasons]}

    @api(
        "GET",
        "/return_refund/{v}/orders/<order_id>/aftersale_eligibility",
        versions=AFTERSALES_VERSIONS,
        scope="Return & Refund Basic",
    )
    def get_aftersale_eligibility(self, ctx: Ctx, order_id: str) -> dict[str, Any]:
        order = self.world.orders.get(order_id)
        if order is None or order.shop_id != ctx.shop_required.id:
            raise ApiError(25020005, "No permission for this order or the order does not exist.")
        rules = {
            "CANCEL": order.status in ("UNPAID",) + _PAID,
            "REFUND": order.status in ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED"),
            "RETURN_AND_REFUND": order.status == "DELIVERED",
        }
        by_sku: dict[str, list[str]] = {}
        for li in order.line_items:
            if li["display_status"] != "CANCELLED":
                by_sku.setdefault(li["sku_id"], []).append(li["id"])
        return {
            "sku_eligibility": [
                {
                    "sku_id": sku_id,
                    "line_item_eligibility": [
                        {
                            "request_type": kind,
                            "order_line_items_ids": lines,
                            "eligible": ok,
                            "ineligible_code": 0 if ok else 25001003,
                            "ineligible_reason": ""
                            if ok
                            else f"Not available when the order is {order.status}.",
                        }
                        for kind, ok in rules.items()
                    ],
                }
                for sku_id, lines in by_sku.items()
            ]
        }

    @api(
        "POST",
        "/return_refund/{v}/refunds/calculate",
        versions=AFTERSALES_VERSIONS,
        scope="Return & Refund Basic",
    )
    def calculate_refund(self, ctx: Ctx) -> dict[str, Any]:
        body = ctx.body()
        order = self.world.orders.get(str(body.get("order_id") or ""))
        if order is None or order.shop_id != ctx.shop_required.id:
            raise ApiError(25020005, "No permission for this order or the order does not exist.")
        line_ids = [str(i) for i in body.get("order_line_item_ids") or []] or [
            li["id"] for li in order.line_items
        ]
        amount = self._refund_amount(
            order, [i for i in line_ids if any(li["id"] == i for li in order.line_items)]
        )
        amount.pop("buyer_service_fee", None)
        return {"order_refund_amount": amount}


def _window(value: int, body: dict[str, Any], prefix: str) -> bool:
    ge, lt = body.get(f"{prefix}_ge"), body.get(f"{prefix}_lt")
    return (ge is None or value >= int(ge)) and (lt is None or value < int(lt))
