"""Orders through shipping, delivery, cancellation and returns, as a merchant's integration sees them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from tiktok_emulator_helpers import TikTokClient

Body = Callable[..., dict[str, Any]]


@pytest.fixture
def live_sku(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> dict[str, str]:
    created = client.ok(
        "POST", "/product/202309/products", shop_cipher=gb["shop_cipher"], body=product_body()
    )
    client.emulator.clock.advance(60)
    return {"product_id": created["product_id"], "sku_id": created["skus"][0]["id"]}


def _order(client: TikTokClient, shop: dict[str, Any], order_id: str) -> dict[str, Any]:
    return client.ok("GET", "/order/202507/orders", shop_cipher=shop["shop_cipher"], query={"ids": order_id})[
        "orders"
    ][0]


def _provider(client: TikTokClient, shop: dict[str, Any], name: str) -> str:
    shop_state = next(s for s in client.control("state")["shops"] if s["shop_id"] == shop["shop_id"])
    option = next(o for o in shop_state["delivery_options"] if o["type"] == "SEND_BY_SELLER")
    return next(p["id"] for p in option["shipping_providers"] if p["name"] == name)


def _stock(client: TikTokClient, shop: dict[str, Any], sku_id: str) -> tuple[int, int]:
    inv = client.ok(
        "POST",
        "/product/202309/inventory/search",
        shop_cipher=shop["shop_cipher"],
        body={"sku_ids": [sku_id]},
    )
    sku = inv["inventory"][0]["skus"][0]
    return sku["total_available_quantity"], sku["total_committed_quantity"]


def test_seller_shipped_gb_order_lifecycle(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    # given a buyer orders 2 units
    placed = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"], "quantity": 2}]}
    )
    order_id = placed["order"]["id"]
    # then the order is ON_HOLD, one line item per unit, no address yet, stock committed
    order = _order(client, gb, order_id)
    assert order["status"] == "ON_HOLD" and order["is_on_hold_order"] is True
    assert [li["sku_id"] for li in order["line_items"]] == [live_sku["sku_id"]] * 2
    assert "recipient_address" not in order
    assert order["packages"] == []  # GB seller shipping: the package is created when shipping (§11.1)
    assert _stock(client, gb, live_sku["sku_id"]) == (8, 2)
    # when the remorse window passes
    client.emulator.clock.advance(3600)
    order = _order(client, gb, order_id)
    assert order["status"] == "AWAITING_SHIPMENT"
    assert order["recipient_address"]["region_code"] == "GB"
    assert "***" not in order["recipient_address"]["name"]  # seller shipping: not desensitized
    # when the seller marks it shipped with a Royal Mail number
    shipped = client.ok(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=gb["shop_cipher"],
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    assert shipped["order_line_item_ids"] == [li["id"] for li in order["line_items"]]
    order = _order(client, gb, order_id)
    assert (order["status"], order["tracking_number"], order["shipping_provider"]) == (
        "AWAITING_COLLECTION",
        "RB123456785GB",
        "Royal Mail",
    )
    assert {li["package_status"] for li in order["line_items"]} == {"PROCESSING"}
    assert _stock(client, gb, live_sku["sku_id"]) == (8, 0)
    package = client.ok(
        "GET", f"/fulfillment/202309/packages/{shipped['package_id']}", shop_cipher=gb["shop_cipher"]
    )
    assert (package["package_status"], package["shipping_type"]) == ("PROCESSING", "SELLER")
    # then the carrier collects and delivers on the clock, and the order completes
    client.emulator.clock.advance(6 * 3600)
    assert _order(client, gb, order_id)["status"] == "IN_TRANSIT"
    client.emulator.clock.advance(48 * 3600)
    assert _order(client, gb, order_id)["status"] == "DELIVERED"
    tracking = client.ok(
        "GET", f"/fulfillment/202309/orders/{order_id}/tracking", shop_cipher=gb["shop_cipher"]
    )
    assert [t["description"] for t in tracking["tracking"]][0] == "Parcel delivered"
    client.control("advance_order", {"order_id": order_id})
    assert _order(client, gb, order_id)["status"] == "COMPLETED"
    statuses = [
        e["data"]["order_status"]
        for e in client.control("events", {"event_type": "ORDER_STATUS_CHANGE"})["events"]
    ]
    assert statuses == [
        "UNPAID",
        "ON_HOLD",
        "AWAITING_SHIPMENT",
        "AWAITING_COLLECTION",
        "IN_TRANSIT",
        "DELIVERED",
        "COMPLETED",
    ]


@pytest.mark.parametrize(
    ("provider", "tracking", "code"),
    [
        ("Royal Mail", "NOT-A-NUMBER", 21004015),
        ("Yodel", "RB123456785GB", 21004015),
        ("unknown", "RB123456785GB", 21011022),
        ("Royal Mail", "RB12345678/GB", 21004012),
    ],
)
def test_tracking_number_is_validated_per_provider(
    client: TikTokClient,
    gb: dict[str, Any],
    live_sku: dict[str, str],
    provider: str,
    tracking: str,
    code: int,
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.control("advance_order", {"order_id": order_id, "to": "AWAITING_SHIPMENT"})
    provider_id = "7117999999999999999" if provider == "unknown" else _provider(client, gb, provider)
    response = client.call(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=gb["shop_cipher"],
        body={"tracking_number": tracking, "shipping_provider_id": provider_id},
    )
    assert response.json()["code"] == code
    assert _order(client, gb, order_id)["status"] == "AWAITING_SHIPMENT"


def test_yodel_and_dpd_numbers_are_accepted(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    for provider, tracking in (("Yodel", "JJD0002257639032011"), ("DPD", "09 9800 0002 0033 F")):
        order_id = client.control(
            "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
        )["order"]["id"]
        client.control("advance_order", {"order_id": order_id, "to": "AWAITING_SHIPMENT"})
        client.ok(
            "POST",
            f"/fulfillment/202309/orders/{order_id}/packages",
            shop_cipher=gb["shop_cipher"],
            body={"tracking_number": tracking, "shipping_provider_id": _provider(client, gb, provider)},
        )


def test_shipping_before_remorse_window_and_twice_is_refused(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    body = {"tracking_number": "RB123456785GB", "shipping_provider_id": _provider(client, gb, "Royal Mail")}
    early = client.call(
        "POST", f"/fulfillment/202309/orders/{order_id}/packages", shop_cipher=gb["shop_cipher"], body=body
    )
    assert early.json()["code"] == 21042057
    client.emulator.clock.advance(3600)
    client.ok(
        "POST", f"/fulfillment/202309/orders/{order_id}/packages", shop_cipher=gb["shop_cipher"], body=body
    )
    again = client.call(
        "POST", f"/fulfillment/202309/orders/{order_id}/packages", shop_cipher=gb["shop_cipher"], body=body
    )
    assert again.json()["code"] == 21011006


def test_update_shipping_info_once(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.control("advance_order", {"order_id": order_id, "to": "AWAITING_SHIPMENT"})
    royal = _provider(client, gb, "Royal Mail")
    client.ok(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=gb["shop_cipher"],
        body={"tracking_number": "RB123456785GB", "shipping_provider_id": royal},
    )
    fix = {"tracking_number": "JJD0002257639032011", "shipping_provider_id": _provider(client, gb, "Yodel")}
    client.ok(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/shipping_info/update",
        shop_cipher=gb["shop_cipher"],
        body=fix,
    )
    assert _order(client, gb, order_id)["tracking_number"] == "JJD0002257639032011"
    second = client.call(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/shipping_info/update",
        shop_cipher=gb["shop_cipher"],
        body=fix,
    )
    assert second.json()["code"] == 21011051


def test_tiktok_shipping_order_is_masked_and_shipped_with_ship_package(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    placed = client.control(
        "place_order",
        {
            "shop_id": gb["shop_id"],
            "shipping_type": "TIKTOK",
            "items": [{"sku_id": live_sku["sku_id"]}],
            "buyer": {"name": "Jane Doe"},
        },
    )
    order_id = placed["order"]["id"]
    package_id = placed["order"]["packages"][0]["id"]  # TikTok shipping: package exists from payment
    client.control("advance_order", {"order_id": order_id, "to": "AWAITING_SHIPMENT"})
    order = _order(client, gb, order_id)
    assert order["recipient_address"]["name"] == "J*** D***"
    assert "***" in order["recipient_address"]["phone_number"]
    assert order["buyer_email"].endswith("@chat.seller.tiktok.com")
    slots = client.ok(
        "GET", f"/fulfillment/202309/packages/{package_id}/handover_time_slots", shop_cipher=gb["shop_cipher"]
    )
    slot = slots["pickup_slots"][0]
    client.ok(
        "POST",
        f"/fulfillment/202309/packages/{package_id}/ship",
        shop_cipher=gb["shop_cipher"],
        body={
            "handover_method": "PICKUP",
            "pickup_slot": {"start_time": slot["start_time"], "end_time": slot["end_time"]},
        },
    )
    assert _order(client, gb, order_id)["status"] == "AWAITING_COLLECTION"
    label = client.ok(
        "GET",
        f"/fulfillment/202309/packages/{package_id}/shipping_documents",
        shop_cipher=gb["shop_cipher"],
        query={"document_type": "SHIPPING_LABEL"},
    )
    assert label["doc_url"].startswith("https://") and label["tracking_number"]
    # the seller-shipping API refuses TikTok-shipping orders
    other = client.control(
        "place_order",
        {"shop_id": gb["shop_id"], "shipping_type": "TIKTOK", "items": [{"sku_id": live_sku["sku_id"]}]},
    )["order"]["id"]
    client.control("advance_order", {"order_id": other, "to": "AWAITING_SHIPMENT"})
    refused = client.call(
        "POST",
        f"/fulfillment/202309/orders/{other}/packages",
        shop_cipher=gb["shop_cipher"],
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    assert refused.json()["code"] == 21011004


def test_fbt_order_ships_itself_and_refuses_seller_shipping(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "fbt": True, "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.emulator.clock.advance(3600)
    refused = client.call(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=gb["shop_cipher"],
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    assert refused.json()["code"] == 21008025
    order = _order(client, gb, order_id)
    assert order["fulfillment_type"] == "FULFILLMENT_BY_TIKTOK"
    client.emulator.clock.advance(12 * 3600)
    assert _order(client, gb, order_id)["status"] == "AWAITING_COLLECTION"


def test_sample_order_is_free(client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]) -> None:
    order = client.control(
        "place_order", {"shop_id": gb["shop_id"], "sample": True, "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]
    assert order["is_sample_order"] is True
    assert order["payment"]["total_amount"] == "0"


def test_buyer_cancels_during_remorse_window(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"], "quantity": 3}]}
    )["order"]["id"]
    cancel = client.control("buyer_cancel", {"order_id": order_id})
    assert (cancel["cancel_type"], cancel["cancel_status"]) == ("CANCEL", "CANCELLATION_REQUEST_COMPLETE")
    order = _order(client, gb, order_id)
    assert (order["status"], order["cancellation_initiator"]) == ("CANCELLED", "BUYER")
    assert _stock(client, gb, live_sku["sku_id"]) == (10, 0)
    statuses = [
        e["data"]["order_status"]
        for e in client.control("events", {"event_type": "ORDER_STATUS_CHANGE"})["events"]
    ]
    assert statuses[-1] == "CANCEL"  # §13.4: webhook enum spells it CANCEL


def test_buyer_cancel_request_after_window_needs_the_seller(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    cipher = gb["shop_cipher"]
    first = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    second = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.emulator.clock.advance(3600)
    c1 = client.control("buyer_cancel", {"order_id": first})
    c2 = client.control("buyer_cancel", {"order_id": second})
    assert (c1["cancel_type"], c1["cancel_status"]) == ("BUYER_CANCEL", "CANCELLATION_REQUEST_PENDING")
    assert _order(client, gb, first)["is_buyer_request_cancel"] is True
    pending = client.ok(
        "POST",
        "/return_refund/202309/cancellations/search",
        shop_cipher=cipher,
        query={"page_size": "10"},
        body={"cancel_status": ["CANCELLATION_REQUEST_PENDING"]},
    )
    assert {c["cancel_id"] for c in pending["cancellations"]} == {c1["cancel_id"], c2["cancel_id"]}
    assert pending["cancellations"][0]["seller_next_action_response"][0]["action"] == "SELLER_RESPOND_CANCEL"
    # shipping an order with a pending cancel request is refused
    blocked = client.call(
        "POST",
        f"/fulfillment/202309/orders/{first}/packages",
        shop_cipher=cipher,
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    assert blocked.json()["code"] == 21011007
    client.ok(
        "POST",
        f"/return_refund/202309/cancellations/{c1['cancel_id']}/approve",
        shop_cipher=cipher,
        query={"idempotency_key": "a1"},
    )
    assert _order(client, gb, first)["status"] == "CANCELLED"
    client.ok(
        "POST",
        f"/return_refund/202309/cancellations/{c2['cancel_id']}/reject",
        shop_cipher=cipher,
        body={"reject_reason": "seller_reject_apply_product_has_been_packed"},
    )
    assert _order(client, gb, second)["status"] == "AWAITING_SHIPMENT"
    cancelled = client.ok(
        "POST",
        "/return_refund/202309/cancellations/search",
        shop_cipher=cipher,
        body={"cancel_status": ["CANCELLATION_REQUEST_CANCEL"]},
    )  # filter spelling quirk (§12.1)
    assert [c["cancel_status"] for c in cancelled["cancellations"]] == ["CANCELLATION_REQUEST_CANCELLED"]


def test_unanswered_cancel_request_is_auto_approved_after_48h(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.emulator.clock.advance(3600)
    client.control("buyer_cancel", {"order_id": order_id})
    client.emulator.clock.advance(47 * 3600)
    assert _order(client, gb, order_id)["status"] == "AWAITING_SHIPMENT"
    client.emulator.clock.advance(3600)
    assert _order(client, gb, order_id)["status"] == "CANCELLED"


def test_seller_cancel_reason_must_match_status(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    cipher = gb["shop_cipher"]
    mismatch = client.call(
        "POST",
        "/return_refund/202309/cancellations",
        shop_cipher=cipher,
        body={"order_id": order_id, "cancel_reason": "seller_cancel_unpaid_reason_out_of_stock"},
    )
    assert mismatch.json()["code"] == 25001021
    unknown = client.call(
        "POST",
        "/return_refund/202309/cancellations",
        shop_cipher=cipher,
        body={"order_id": order_id, "cancel_reason": "because"},
    )
    assert unknown.json()["code"] == 25001014
    done = client.ok(
        "POST",
        "/return_refund/202309/cancellations",
        shop_cipher=cipher,
        body={"order_id": order_id, "cancel_reason": "seller_cancel_reason_out_of_stock_uk"},
    )
    assert done["cancel_status"] == "CANCELLATION_REQUEST_SUCCESS"
    assert _order(client, gb, order_id)["cancellation_initiator"] == "SELLER"


def test_return_and_refund_flow(client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]) -> None:
    cipher = gb["shop_cipher"]
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    # a return before delivery is not possible
    client.emulator.clock.advance(3600)
    early = client.http.post("/_sandbox/request_return", json={"order_id": order_id})
    assert early.status_code == 400
    client.ok(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=cipher,
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    client.control("advance_order", {"order_id": order_id, "to": "DELIVERED"})
    ret = client.control("request_return", {"order_id": order_id, "return_type": "RETURN_AND_REFUND"})
    assert ret["return_status"] == "RETURN_OR_REFUND_REQUEST_PENDING"
    client.ok(
        "POST",
        f"/return_refund/202309/returns/{ret['return_id']}/approve",
        shop_cipher=cipher,
        body={"decision": "APPROVE_RETURN"},
    )
    client.control("buyer_ship_return", {"return_id": ret["return_id"], "tracking_number": "RB123456785GB"})
    client.ok(
        "POST",
        f"/return_refund/202309/returns/{ret['return_id']}/approve",
        shop_cipher=cipher,
        body={"decision": "APPROVE_RECEIVED_PACKAGE"},
    )
    found = client.ok(
        "POST", "/return_refund/202309/returns/search", shop_cipher=cipher, body={"order_ids": [order_id]}
    )
    assert found["return_orders"][0]["return_status"] == "RETURN_OR_REFUND_REQUEST_COMPLETE"
    assert found["return_orders"][0]["refund_amount"]["refund_total"] == "19.99"
    assert _order(client, gb, order_id)["status"] == "COMPLETED"
    statuses = [
        e["data"]["return_status"]
        for e in client.control("events", {"event_type": "RETURN_STATUS_CHANGE"})["events"]
    ]
    assert statuses == [
        "RETURN_OR_REFUND_REQUEST_PENDING",
        "AWAITING_BUYER_SHIP",
        "BUYER_SHIPPED_ITEM",
        "RETURN_OR_REFUND_REQUEST_SUCCESS",
        "RETURN_OR_REFUND_REQUEST_COMPLETE",
    ]
    records = client.ok(
        "GET", f"/return_refund/202309/returns/{ret['return_id']}/records", shop_cipher=cipher
    )
    assert len(records["records"]) == 5


def test_refund_request_rejected(client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]) -> None:
    cipher = gb["shop_cipher"]
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    client.control("advance_order", {"order_id": order_id, "to": "AWAITING_SHIPMENT"})
    client.ok(
        "POST",
        f"/fulfillment/202309/orders/{order_id}/packages",
        shop_cipher=cipher,
        body={
            "tracking_number": "RB123456785GB",
            "shipping_provider_id": _provider(client, gb, "Royal Mail"),
        },
    )
    ret = client.control("request_return", {"order_id": order_id, "return_type": "REFUND"})
    reasons = client.ok(
        "GET",
        "/return_refund/202309/reject_reasons",
        shop_cipher=cipher,
        query={"return_or_cancel_id": ret["return_id"]},
    )["reasons"]
    client.ok(
        "POST",
        f"/return_refund/202309/returns/{ret['return_id']}/reject",
        shop_cipher=cipher,
        body={"decision": "REJECT_REFUND", "reject_reason": reasons[0]["name"]},
    )
    found = client.ok(
        "POST",
        "/return_refund/202309/returns/search",
        shop_cipher=cipher,
        body={"return_ids": [ret["return_id"]]},
    )
    assert found["return_orders"][0]["return_status"] == "REFUND_OR_RETURN_REQUEST_REJECT"
    assert _order(client, gb, order_id)["status"] == "AWAITING_COLLECTION"


def test_search_orders_by_update_time_with_paging(
    client: TikTokClient, gb: dict[str, Any], live_sku: dict[str, str]
) -> None:
    start = client.emulator.clock.now_int()
    ids = []
    for _ in range(3):
        ids.append(
            client.control(
                "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
            )["order"]["id"]
        )
        client.emulator.clock.advance(10)
    page = client.ok(
        "POST",
        "/order/202309/orders/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "2", "sort_field": "update_time", "sort_order": "ASC"},
        body={"update_time_ge": start},
    )
    assert [o["id"] for o in page["orders"]] == ids[:2]
    rest = client.ok(
        "POST",
        "/order/202309/orders/search",
        shop_cipher=gb["shop_cipher"],
        query={
            "page_size": "2",
            "sort_field": "update_time",
            "sort_order": "ASC",
            "page_token": page["next_page_token"],
        },
        body={"update_time_ge": start},
    )
    assert ([o["id"] for o in rest["orders"]], rest["next_page_token"], rest["total_count"]) == (
        [ids[2]],
        "",
        3,
    )
    none = client.ok(
        "POST",
        "/order/202309/orders/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "20"},
        body={"update_time_ge": client.emulator.clock.now_int() + 1},
    )
    assert none["orders"] == []


def test_orders_of_other_shops_are_not_visible(
    client: TikTokClient, gb: dict[str, Any], us: dict[str, Any], live_sku: dict[str, str]
) -> None:
    order_id = client.control(
        "place_order", {"shop_id": gb["shop_id"], "items": [{"sku_id": live_sku["sku_id"]}]}
    )["order"]["id"]
    response = client.call(
        "GET", "/order/202309/orders", shop_cipher=us["shop_cipher"], query={"ids": order_id}
    )
    assert response.json()["code"] == 21008111
