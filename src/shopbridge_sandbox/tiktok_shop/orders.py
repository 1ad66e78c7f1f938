"""Orders (§10) and fulfilment (§11): placing orders (control), search/detail, packages and shipping."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import render, seeds
from .pipeline import ApiError, Ctx, api
from .state import DeliveryOption, Order, Package, Product, Shop

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

    _Base = TikTokShopEmulator
else:
    _Base = object

ORDER_DETAIL_VERSIONS = ("202309", "202507")  # §7: latest 202507, also 202309
MARK_SHIPPED_VERSIONS = ("202309", "202610")  # tiktok-endpoints.md lists 202610; §11.2 documents 202309
PACKAGE_SHIPPING_INFO_VERSIONS = ("202309", "202610")
# §11.1: packages exist from payment except for seller-shipped orders in the Mark-As-Shipped markets and for US
# (created when the seller ships / buys a label).
_BUYER_NAMES = ("Alex Morgan", "Sam Taylor", "Jamie Lee", "Chris Walker", "Pat Kim", "Robin Hughes")


class OrdersMixin(_Base):
    # -- placing orders (control API) ------------------------------------------------------------
    def place_order(self, shop: Shop, body: dict[str, Any]) -> Order:
        items = body.get("items") or []
        if not items:
            raise ValueError("items: [{sku_id, quantity}] is required")
        fulfillment = "FULFILLMENT_BY_TIKTOK" if body.get("fbt") else "FULFILLMENT_BY_SELLER"
        shipping_type = str(body.get("shipping_type") or ("TIKTOK" if body.get("fbt") else "SELLER"))
        if shipping_type not in ("TIKTOK", "SELLER"):
            raise ValueError("shipping_type must be TIKTOK or SELLER")
        option = self._delivery_option_for(shop, shipping_type, body.get("delivery_option_id"))
        lines: list[tuple[Product, dict[str, Any], int]] = []
        for item in items:
            sku_id = str(item["sku_id"])
            product = self.world.products.get(self.world.sku_index.get(sku_id, ""))
            if product is None or product.shop_id != shop.id:
                raise ValueError(f"sku {sku_id} is not a SKU of shop {shop.id}")
            if product.status != "ACTIVATE":
                raise ValueError(
                    f"product {product.id} is {product.status}; buyers can only order ACTIVATE products"
                )
            sku = next(s for s in product.live["skus"] if s["id"] == sku_id)  # type: ignore[index]
            quantity = int(item.get("quantity", 1))
            if quantity < 1 or sum(i["quantity"] for i in sku["inventory"]) < quantity:
                raise ValueError(f"sku {sku_id}: not enough stock for {quantity}")
            lines.append((product, sku, quantity))
        order = self._new_order(shop, body, fulfillment, shipping_type, option, lines)
        self.world.orders[order.id] = order
        for product, sku, quantity in lines:
            self._reserve(product, sku["id"], quantity)
        self.set_order_status(order, "UNPAID")
        if body.get("paid", True):
            self.pay_order(order)
        return order

    def _delivery_option_for(self, shop: Shop, shipping_type: str, wanted: Any) -> DeliveryOption:
        if wanted:
            option = next((o for o in shop.delivery_options if o.id == str(wanted)), None)
            if option is None:
                raise ValueError(f"unknown delivery_option_id {wanted}")
            return option
        kind = "SEND_BY_SELLER" if shipping_type == "SELLER" else "STANDARD"
        return next(o for o in shop.delivery_options if o.type == kind)

    def _new_order(
        self,
        shop: Shop,
        body: dict[str, Any],
        fulfillment: str,
        shipping_type: str,
        option: DeliveryOption,
        lines: list[tuple[Product, dict[str, Any], int]],
    ) -> Order:
        now = self.clock.now_int()
        order_id = self.world.ids.next("order")
        sample = bool(body.get("sample"))
        line_items = []
        subtotal = Decimal("0")
        for product, sku, quantity in lines:
            price = Decimal("0") if sample else Decimal(str(sku["price"]["amount"]))
            main = product.live["main_images"][0]["uri"]  # type: ignore[index]
            sku_name = ", ".join(a.get("value_name", "") for a in sku.get("sales_attributes") or [])
            for _ in range(quantity):  # §10.1: one line item per unit, no quantity field
                subtotal += price
                line_items.append(
                    {
                        "id": self.world.ids.next("line_item"),
                        "sku_id": sku["id"],
                        "product_id": product.id,
                        "seller_sku": sku.get("seller_sku", ""),
                        "product_name": product.live["title"],  # type: ignore[index]
                        "sku_name": sku_name,
                        "sku_image": render.image_view(self.world, main)["urls"][0],
                        "original_price": str(price),
                        "sale_price": str(price),
                        "seller_discount": "0",
                        "platform_discount": "0",
                        "currency": shop.currency,
                        "display_status": "UNPAID",
                        "sku_type": "NORMAL",
                        "is_gift": False,
                        "cancel_user": "",
                        "cancel_reason": "",
                        "shipping_provider_id": "",
                        "shipping_provider_name": "",
                        "tracking_number": "",
                        "rts_time": 0,
                        "package_id": "",
                        "package_status": "",
                        "combined_listing_skus": [],
                        "item_tax": [],
                        "is_dangerous_good": False,
                        "needs_prescription": False,
                    }
                )
        shipping_fee = Decimal("0") if sample else Decimal(str(body.get("shipping_fee", "0")))
        buyer = self._buyer(shop, body.get("buyer") or {})
        payment = {
            "currency": shop.currency,
            "sub_total": str(subtotal),
            "shipping_fee": str(shipping_fee),
            "seller_discount": "0",
            "platform_discount": "0",
            "total_amount": str(subtotal + shipping_fee),
            "original_total_product_price": str(subtotal),
            "original_shipping_fee": str(shipping_fee),
            "shipping_fee_seller_discount": "0",
            "shipping_fee_platform_discount": "0",
            "shipping_fee_cofunded_discount": "0",
            "tax": "0",
            "product_tax": "0",
            "shipping_fee_tax": "0",
            "handling_fee": "0",
        }
        return Order(
            id=order_id,
            shop_id=shop.id,
            buyer=buyer,
            status="UNPAID",
            fulfillment_type=fulfillment,
            shipping_type=shipping_type,
            delivery_option=option,
            warehouse_id=shop.sales_warehouse().id,
            line_items=line_items,
            payment=payment,
            times={"create_time": now, "update_time": now},
            is_sample_order=sample,
            is_cod=bool(body.get("cod")),
            buyer_message=str(body.get("buyer_message", "")),
        )

    def _buyer(self, shop: Shop, given: dict[str, Any]) -> dict[str, Any]:
        rng = self.world.rng
        name = given.get("name") or rng.choice(_BUYER_NAMES)
        user_id = self.world.ids.next("buyer")
        return {
            "user_id": user_id,
            # §10.1: buyer_email is an anonymized relay address.
            "email": f"{user_id[-6:]}@chat.seller.tiktok.com",
            "name": name,
            "phone": given.get("phone") or f"+44{rng.randint(7000000000, 7999999999)}",
            "address_line1": given.get("address_line1") or f"{rng.randint(1, 200)} High Street",
            "city": given.get("city") or ("London" if shop.region == "GB" else "Capital City"),
            "postal_code": given.get("postal_code") or ("SW1A 1AA" if shop.region == "GB" else "10001"),
            "country": shop.region,
        }

    def _reserve(self, product: Product, sku_id: str, quantity: int) -> None:
        """§15.3: paid orders move units from available to committed."""
        for version in product.versions():
            for sku in version["skus"]:
                if sku["id"] == sku_id:
                    sku["inventory"][0]["quantity"] -= quantity
        product.committed[sku_id] = product.committed.get(sku_id, 0) + quantity

    def release(self, order: Order, line_ids: list[str], *, restock: bool) -> None:
        for item in order.line_items:
            if item["id"] not in line_ids:
                continue
            product = self.world.products[item["product_id"]]
            product.committed[item["sku_id"]] = max(0, product.committed.get(item["sku_id"], 0) - 1)
            if restock:
                for version in product.versions():
                    for sku in version["skus"]:
                        if sku["id"] == item["sku_id"]:
                            sku["inventory"][0]["quantity"] += 1

    def pay_order(self, order: Order) -> None:
        shop = self.world.shops[order.shop_id]
        now = self.clock.now_int()
        order.times.update(
            {
                "paid_time": now,
                "rts_sla_time": now + 2 * 86400,
                "tts_sla_time": now + 3 * 86400,
                "delivery_sla_time": now + 7 * 86400,
                "cancel_order_sla_time": now + 3 * 86400,
                "shipping_due_time": now + 3 * 86400,
                "collection_due_time": now + 4 * 86400,
                "delivery_due_time": now + 10 * 86400,
            }
        )
        if self._package_at_payment(shop, order):
            self.create_package(order, [li["id"] for li in order.line_items])
        if seeds.REGIONS[shop.region].has_on_hold and self.timings["on_hold_seconds"] > 0:
            order.is_on_hold_order = True
            self.set_order_status(order, "ON_HOLD")
        else:
            self.set_order_status(order, "AWAITING_SHIPMENT")

    def _package_at_payment(self, shop: Shop, order: Order) -> bool:
        region = seeds.REGIONS[shop.region]
        if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
            return True
        if shop.region == "US":
            return False
        return not (order.shipping_type == "SELLER" and region.mark_shipped_flow)

    def create_package(self, order: Order, line_ids: list[str]) -> Package:
        now = self.clock.now_int()
        package = Package(
            id=self.world.ids.next("package"),
            shop_id=order.shop_id,
            order_id=order.id,
            line_item_ids=list(line_ids),
            status="PROCESSING",
            shipping_type=order.shipping_type,
            delivery_option=order.delivery_option,
            create_time=now,
            update_time=now,
        )
        self.world.packages[package.id] = package
        order.package_ids.append(package.id)
        for item in order.line_items:
            if item["id"] in line_ids:
                item["package_id"] = package.id
                item["package_status"] = "TO_FULFILL"
        return package

    def mark_items_shipped(self, order: Order, line_ids: list[str]) -> None:
        now = self.clock.now_int()
        for item in order.line_items:
            if item["id"] in line_ids:
                package = self.world.packages[item["package_id"]]
                item.update(
                    {
                        "package_status": "PROCESSING",
                        "rts_time": now,
                        "tracking_number": package.tracking_number,
                        "shipping_provider_id": package.provider_id,
                        "shipping_provider_name": package.provider_name,
                    }
                )
        self.release(order, line_ids, restock=False)
        order.times["rts_time"] = now
        open_items = [li for li in order.line_items if li["display_status"] != "CANCELLED"]
        all_shipped = all(li.get("package_status") == "PROCESSING" for li in open_items)
        status = "AWAITING_COLLECTION" if all_shipped else "PARTIALLY_SHIPPING"
        if status != order.status:
            self.set_order_status(order, status)

    # -- order API (§10.3, §10.4) ----------------------------------------------------------------
    @api("POST", "/order/{v}/orders/search", scope="Order Information")
    def get_order_list(self, ctx: Ctx) -> dict[str, Any]:
        size, offset = self._page(ctx, maximum=100)
        body = ctx.body()
        sort_field = ctx.query.get("sort_field") or "create_time"
        descending = (ctx.query.get("sort_order") or "DESC") == "DESC"
        if sort_field not in ("create_time", "update_time"):
            raise ApiError(36009004, "sort_field must be create_time or update_time.", http=200)
        orders = [
            o
            for o in self.world.orders.values()
            if o.shop_id == ctx.shop_required.id and _order_matches(o, body)
        ]
        orders.sort(key=lambda o: (o.times[sort_field], o.id), reverse=descending)
        page = orders[offset : offset + size]
        return {
            "orders": [render.order_view(self.world, o) for o in page],
            "total_count": len(orders),
            "next_page_token": render.page_token(offset + len(page), len(orders)),
        }

    @api("GET", "/order/{v}/orders", versions=ORDER_DETAIL_VERSIONS, scope="Order Information")
    def get_order_detail(self, ctx: Ctx) -> dict[str, Any]:
        ids = [i for i in ctx.query.get("ids", "").split(",") if i]
        if not ids or len(ids) > 50:
            raise ApiError(36009004, "ids is required (comma-separated, at most 50).", http=200)
        views = []
        for order_id in dict.fromkeys(ids):
            order = self.world.orders.get(order_id)
            if order is None:
                continue
            if order.shop_id != ctx.shop_required.id:
                raise ApiError(21008111, "The order or package does not belong to the current seller.")
            views.append(render.order_view(self.world, order))
        return {"orders": views}

    def _order(self, ctx: Ctx, order_id: str) -> Order:
        order = self.world.orders.get(order_id)
        if order is None:
            raise ApiError(21001001, f"Order {order_id} does not exist.")
        if order.shop_id != ctx.shop_required.id:
            raise ApiError(21008111, "The order or package does not belong to the current seller.")
        return order

    def _package(self, ctx: Ctx, package_id: str) -> Package:
        package = self.world.packages.get(package_id)
        if package is None:
            raise ApiError(21001001, f"Package {package_id} does not exist.")
        if package.shop_id != ctx.shop_required.id:
            raise ApiError(21011028, "The package does not belong to this shop.")
        return package

    # -- seller shipping (§11.2) -----------------------------------------------------------------
    def _provider(self, order: Order, provider_id: Any, tracking: Any) -> tuple[str, str]:
        if not isinstance(tracking, str) or not tracking.strip():
            raise ApiError(21001001, "tracking_number is required.")
        if not all(ch.isalnum() or ch in " -" for ch in tracking):
            raise ApiError(21004012, "Tracking number has special characters, verify failed.")
        provider = self.world.providers.get(str(provider_id or ""))
        allowed = order.delivery_option.provider_ids
        if provider is None or provider.id not in allowed:
            raise ApiError(
                21011022, "Invalid tracking number or provider ID. Please double check and try again."
            )
        if not seeds.tracking_number_valid(provider.name, tracking.strip()):
            raise ApiError(21004015, f"Tracking number mismatch provider ({provider.name}).")
        for package in self.world.packages.values():
            if (
                package.tracking_number == tracking
                and package.order_id != order.id
                and package.shop_id == order.shop_id
            ):
                other = self.world.orders[package.order_id]
                # §11.1: one tracking number may cover up to 20 orders with the same recipient (combine).
                if other.buyer["address_line1"] != order.buyer["address_line1"]:
                    raise ApiError(21011025, "Duplicate tracking number.")
        return provider.id, provider.name

    def _check_shippable(self, order: Order) -> None:
        if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
            raise ApiError(21008025, "Seller cannot operate orders which are fulfilled by platform")
        if order.is_buyer_request_cancel:
            raise ApiError(
                21011007, "Package item has after-sale request, please process the after-sale request first."
            )
        if order.status not in ("AWAITING_SHIPMENT", "PARTIALLY_SHIPPING"):
            if order.status in ("AWAITING_COLLECTION", "IN_TRANSIT", "DELIVERED", "COMPLETED"):
                raise ApiError(21011006, "These orders are already shipped.")
            raise ApiError(21042057, f"The order is {order.status}, not AWAITING_SHIPMENT.")

    @api(
        "POST",
        "/fulfillment/{v}/orders/<order_id>/packages",
        versions=MARK_SHIPPED_VERSIONS,
        scope="Fulfillment Basic",
    )
    def mark_package_as_shipped(self, ctx: Ctx, order_id: str) -> dict[str, Any]:
        shop = ctx.shop_required
        order = self._order(ctx, order_id)
        if not seeds.REGIONS[shop.region].mark_shipped_flow:
            raise ApiError(21008106, "This interface cannot be used in this region.")
        self._check_shippable(order)
        if order.shipping_type != "SELLER":
            raise ApiError(21011004, "This order ships with TikTok Shipping; use Ship Package.")
        body = ctx.body()
        provider_id, provider_name = self._provider(
            order, body.get("shipping_provider_id"), body.get("tracking_number")
        )
        unshipped = [
            li["id"]
            for li in order.line_items
            if li["display_status"] != "CANCELLED" and li.get("package_status") in ("", "TO_FULFILL")
        ]
        wanted = [str(i) for i in body.get("order_line_item_ids") or []] or unshipped
        unknown = [i for i in wanted if i not in {li["id"] for li in order.line_items}]
        if unknown:
            raise ApiError(21001001, f"Unknown order_line_item_ids {unknown}.")
        if any(i not in unshipped for i in wanted):
            raise ApiError(21011020, "These orders are already shipped.")
        existing = [self.world.packages[p] for p in order.package_ids if not self.world.packages[p].shipped]
        package = existing[0] if existing and set(existing[0].line_item_ids) == set(wanted) else None
        if package is None:
            for item in order.line_items:
                if item["id"] in wanted and item.get("package_id"):
                    old = self.world.packages[item["package_id"]]
                    old.line_item_ids.remove(item["id"])
            package = self.create_package(order, wanted)
        self._ship(
            package,
            tracking=body["tracking_number"].strip(),
            provider_id=provider_id,
            provider_name=provider_name,
        )
        self.mark_items_shipped(order, wanted)
        return {
            "order_id": order.id,
            "order_line_item_ids": wanted,
            "package_id": package.id,
            "warning": {"message": ""},
        }

    def _ship(
        self, package: Package, *, tracking: str, provider_id: str, provider_name: str, handover: str = ""
    ) -> None:
        now = self.clock.now_int()
        package.shipped = True
        package.tracking_number = tracking
        package.provider_id = provider_id
        package.provider_name = provider_name
        package.handover_method = handover
        package.shipped_at = now
        package.update_time = now
        package.tracking_events.append(
            {
                "description": "Shipping label created; awaiting carrier collection",
                "update_time_millis": now * 1000,
            }
        )

    # -- TikTok shipping / SEA seller shipping (§11.3) -------------------------------------------
    def _ship_package(self, ctx: Ctx, package: Package, body: dict[str, Any]) -> None:
        order = self.world.orders[package.order_id]
        if order.status == "CANCELLED":
            raise ApiError(21011041, "The order has been cancelled.")
        if package.shipped:
            raise ApiError(21008099, "Package has been shipped. Please not ship the package again.")
        self._check_shippable(order)
        self_shipment = body.get("self_shipment")
        if package.delivery_option.type == "SEND_BY_SELLER":
            if not isinstance(self_shipment, dict):
                raise ApiError(
                    21001001,
                    "self_shipment{tracking_number, shipping_provider_id} is required for "
                    "seller-shipping packages.",
                )
            provider_id, provider_name = self._provider(
                order, self_shipment.get("shipping_provider_id"), self_shipment.get("tracking_number")
            )
            tracking = self_shipment["tracking_number"].strip()
        else:
            handover = body.get("handover_method") or "DROP_OFF"
            if handover not in ("PICKUP", "DROP_OFF"):
                raise ApiError(21001001, "handover_method must be PICKUP or DROP_OFF.")
            slot = body.get("pickup_slot")
            if handover == "PICKUP" and isinstance(slot, dict) and slot.get("start_time"):
                valid = {(s["start_time"], s["end_time"]) for s in self._slots(package)}
                if (slot.get("start_time"), slot.get("end_time")) not in valid:
                    raise ApiError(21011053, "The pickup slot is not available.")
                package.pickup_slot = {
                    "start_time": int(slot["start_time"]),
                    "end_time": int(slot["end_time"]),
                }
            provider = self.world.providers[
                self.world.shops[order.shop_id].delivery_options[-1].provider_ids[0]
            ]
            provider_id, provider_name = provider.id, provider.name
            tracking = f"TT{package.id[-12:]}"  # TikTok shipping: the platform assigns the tracking number
        self._ship(
            package,
            tracking=tracking,
            provider_id=provider_id,
            provider_name=provider_name,
            handover=str(body.get("handover_method") or ""),
        )
        self.mark_items_shipped(order, list(package.line_item_ids))

    @api("POST", "/fulfillment/{v}/packages/<package_id>/ship", scope="Fulfillment Basic")
    def ship_package(self, ctx: Ctx, package_id: str) -> dict[str, Any]:
        self._ship_package(ctx, self._package(ctx, package_id), ctx.body())
        return {}

    @api("POST", "/fulfillment/{v}/packages/ship", scope="Fulfillment Basic")
    def batch_ship_packages(self, ctx: Ctx) -> dict[str, Any]:
        errors = []
        for entry in ctx.body().get("packages") or []:
            try:
                self._ship_package(ctx, self._package(ctx, str(entry.get("id"))), entry)
            except ApiError as exc:
                errors.append(
                    {"code": exc.code, "message": exc.message, "detail": {"package_id": str(entry.get("id"))}}
                )
        return {"errors": errors}

    def _slots(self, package: Package) -> list[dict[str, Any]]:
        day = (package.create_time // 86400 + 1) * 86400
        return [
            {"start_time": day + h * 3600, "end_time": day + (h + 4) * 3600, "avaliable": True}  # sic (§11.4)
            for h in (9, 13)
        ]

    @api(
        "GET", "/fulfillment/{v}/packages/<package_id>/handover_time_slots", scope="Package Split And Combine"
    )
    def get_package_handover_time_slots(self, ctx: Ctx, package_id: str) -> dict[str, Any]:
        package = self._package(ctx, package_id)
        shop = ctx.shop_required
        return {
            "can_pickup": True,
            "can_drop_off": True,
            "can_van_collection": shop.region == "GB",
            "drop_off_point_url": "https://shop.tiktok.com/drop-off-points",
            "pickup_slots": self._slots(package),
        }

    # -- fix tracking (§11.5) --------------------------------------------------------------------
    def _update_tracking(self, ctx: Ctx, package: Package) -> None:
        order = self.world.orders[package.order_id]
        if order.status == "CANCELLED":
            raise ApiError(21011041, "The order has been cancelled.")
        if package.shipping_type != "SELLER":
            raise ApiError(21011004, "Only seller-shipped packages can update shipping info.")
        if not package.shipped:
            raise ApiError(21011043, "The package has not been shipped yet.")
        if order.status in ("DELIVERED", "COMPLETED"):
            raise ApiError(21011030, "The package has already been delivered.")
        region = self.world.shops[order.shop_id].region
        # US/UK/SEA: within 72 h of shipment and once per order; others once (§11.1, §14.2).
        if (
            region not in ("ES", "IE", "IT", "DE", "FR", "JP", "BR", "MX")
            and self.clock.now_int() - (package.shipped_at or 0) > 72 * 3600
        ):
            raise ApiError(21011050, "The 72-hour window for updating shipping info has passed.")
        if package.shipping_info_updates >= 1:
            raise ApiError(21011051, "Shipping info can be updated only once.")
        body = ctx.body()
        provider_id, provider_name = self._provider(
            order, body.get("shipping_provider_id"), body.get("tracking_number")
        )
        package.shipping_info_updates += 1
        self._ship(
            package,
            tracking=body["tracking_number"].strip(),
            provider_id=provider_id,
            provider_name=provider_name,
        )
        for item in order.line_items:
            if item["id"] in package.line_item_ids:
                item.update(
                    {
                        "tracking_number": package.tracking_number,
                        "shipping_provider_id": provider_id,
                        "shipping_provider_name": provider_name,
                    }
                )

    @api("POST", "/fulfillment/{v}/orders/<order_id>/shipping_info/update", scope="Logistics Basic")
    def update_shipping_info(self, ctx: Ctx, order_id: str) -> dict[str, Any]:
        order = self._order(ctx, order_id)
        shipped = [self.world.packages[p] for p in order.package_ids if self.world.packages[p].shipped]
        if not shipped:
            raise ApiError(21011043, "The order has not been shipped yet.")
        if len(shipped) > 1:
            raise ApiError(21011048, "The order has several packages; use Update Package Shipping Info.")
        self._update_tracking(ctx, shipped[0])
        return {}

    @api(
        "POST",
        "/fulfillment/{v}/packages/<package_id>/shipping_info/update",
        versions=PACKAGE_SHIPPING_INFO_VERSIONS,
        scope="Fulfillment Basic",
    )
    def update_package_shipping_info(self, ctx: Ctx, package_id: str) -> dict[str, Any]:
        self._update_tracking(ctx, self._package(ctx, package_id))
        return {}

    # -- package reads (§11.6-§11.9) -------------------------------------------------------------
    @api("GET", "/fulfillment/{v}/packages/<package_id>", scope="Fulfillment Basic")
    def get_package_detail(self, ctx: Ctx, package_id: str) -> dict[str, Any]:
        return render.package_view(self.world, self._package(ctx, package_id))

    @api("POST", "/fulfillment/{v}/packages/search", scope="Fulfillment Basic")
    def search_package(self, ctx: Ctx) -> dict[str, Any]:
        size, offset = self._page(ctx, maximum=50)
        body = ctx.body()
        sort_field = ctx.query.get("sort_field") or "create_time"
        descending = (ctx.query.get("sort_order") or "DESC") == "DESC"
        packages = [p for p in self.world.packages.values() if p.shop_id == ctx.shop_required.id]
        if body.get("package_status"):
            packages = [p for p in packages if p.status == body["package_status"]]
        packages = [
            p
            for p in packages
            if _time_window(p.create_time, body, "create_time")
            and _time_window(p.update_time, body, "update_time")
        ]

        def key(p: Package) -> tuple[int, str]:
            if sort_field == "order_pay_time":
                return self.world.orders[p.order_id].times.get("paid_time", 0), p.id
            return (p.update_time if sort_field == "update_time" else p.create_time), p.id

        packages.sort(key=key, reverse=descending)
        page = packages[offset : offset + size]
        return {
            "packages": [
                {
                    "id": p.id,
                    "orders": render.package_view(self.world, p)["orders"],
                    "create_time": p.create_time,
                    "update_time": p.update_time,
                    "status": p.status,
                    "tracking_number": p.tracking_number,
                    "shipping_provider_name": p.provider_name,
                    "shipping_provider_id": p.provider_id,
                    "order_line_item_ids": list(p.line_item_ids),
                }
                for p in page
            ],
            "total_count": len(packages),
            "next_page_token": render.page_token(offset + len(page), len(packages)),
        }

    @api("GET", "/fulfillment/{v}/packages/<package_id>/shipping_documents", scope="Fulfillment Basic")
    def get_package_shipping_document(self, ctx: Ctx, package_id: str) -> dict[str, Any]:
        package = self._package(ctx, package_id)
        doc_type = ctx.query.get("document_type", "")
        if doc_type not in (
            "SHIPPING_LABEL",
            "PACKING_SLIP",
            "SHIPPING_LABEL_AND_PACKING_SLIP",
            "SHIPPING_LABEL_PICTURE",
            "HAZMAT_LABEL",
            "INVOICE_LABEL",
        ):
            raise ApiError(21001001, "document_type is required.")
        order = self.world.orders[package.order_id]
        if order.fulfillment_type == "FULFILLMENT_BY_TIKTOK":
            raise ApiError(21008043, "FBT packages have no shipping documents.")
        if package.shipping_type != "TIKTOK":
            raise ApiError(21008017, "Shipping documents exist only for TikTok Shipping packages.")
        if not package.shipped:
            raise ApiError(21023035, "Arrange shipment (Ship Package) first.")
        if order.status == "CANCELLED":
            raise ApiError(21023059, "The order has been cancelled.")
        return {
            "doc_url": f"https://open-fs.tiktokglobalshop.com/label/{package.id}/{doc_type.lower()}.pdf",
            "tracking_number": package.tracking_number,
        }

    @api("GET", "/fulfillment/{v}/orders/<order_id>/tracking", scope="Logistics Basic")
    def get_tracking(self, ctx: Ctx, order_id: str) -> dict[str, Any]:
        order = self._order(ctx, order_id)
        events = [e for p in order.package_ids for e in self.world.packages[p].tracking_events]
        return {"tracking": sorted(events, key=lambda e: -e["update_time_millis"])}


def _time_window(value: int, body: dict[str, Any], prefix: str) -> bool:
    ge, lt = body.get(f"{prefix}_ge"), body.get(f"{prefix}_lt")
    return (ge is None or value >= int(ge)) and (lt is None or value < int(lt))


def _order_matches(order: Order, body: dict[str, Any]) -> bool:
    """§10.3 filters: `_ge` inclusive, `_lt` exclusive."""
    if body.get("order_status") and order.status != body["order_status"]:
        return False
    if body.get("shipping_type") and order.shipping_type != body["shipping_type"]:
        return False
    if body.get("buyer_user_id") and order.buyer["user_id"] != body["buyer_user_id"]:
        return False
    if (
        "is_buyer_request_cancel" in body
        and body["is_buyer_request_cancel"] is not None
        and order.is_buyer_request_cancel != bool(body["is_buyer_request_cancel"])
    ):
        return False
    if body.get("warehouse_ids") and order.warehouse_id not in body["warehouse_ids"]:
        return False
    return _time_window(order.times["create_time"], body, "create_time") and _time_window(
        order.times["update_time"], body, "update_time"
    )
