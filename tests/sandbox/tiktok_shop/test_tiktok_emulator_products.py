"""Products: validation, review to ACTIVATE / FAILED, status batch endpoints, inventory, price, quota."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from tiktok_emulator_helpers import TikTokClient, png_bytes

Body = Callable[..., dict[str, Any]]


def _create(client: TikTokClient, shop: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    return client.call("POST", "/product/202309/products", shop_cipher=shop["shop_cipher"], body=body).json()


def _get(client: TikTokClient, shop: dict[str, Any], product_id: str, **query: str) -> dict[str, Any]:
    return client.ok(
        "GET", f"/product/202309/products/{product_id}", shop_cipher=shop["shop_cipher"], query=query
    )


def _events(client: TikTokClient, event_type: str) -> list[dict[str, Any]]:
    return client.control("events", {"event_type": event_type})["events"]


def test_created_product_is_pending_then_activated_after_review(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    # given a valid GB product
    created = _create(client, gb, product_body())
    assert created["code"] == 0
    product_id = created["data"]["product_id"]
    assert [len(s["id"]) for s in created["data"]["skus"]] == [19, 19]
    assert (
        created["data"]["skus"][0]["sales_attributes"][0]["id"] == "100000"
    )  # "Colour" maps to the UK attribute
    # then it is under review
    pending = _get(client, gb, product_id)
    assert (pending["status"], pending["audit"]["status"]) == ("PENDING", "AUDITING")
    # when the review delay passes on the emulator clock
    client.emulator.clock.advance(60)
    client.control("webhooks/flush")
    # then it is live, with the documented webhooks
    live = _get(client, gb, product_id)
    assert (live["status"], live["product_status"], live["audit"]["status"]) == (
        "ACTIVATE",
        "ACTIVATE",
        "APPROVED",
    )
    assert [e["data"]["status"] for e in _events(client, "PRODUCT_STATUS_CHANGE")] == [
        "PRODUCT_FIRST_PASS_REVIEW"
    ]
    assert [e["data"]["audit"]["status"] for e in _events(client, "PRODUCT_AUDIT_STATUS_CHANGE")] == [
        "AUDITING",
        "APPROVED",
    ]
    assert [e["data"]["product_id"] for e in _events(client, "PRODUCT_CREATION")] == [product_id]
    assert live["category_chains"][-1] == {
        "id": "601226",
        "parent_id": "839944",
        "local_name": "T-shirts",
        "is_leaf": True,
    }


def test_forced_failure_gives_failed_with_reason(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    product_id = _create(client, gb, product_body())["data"]["product_id"]
    client.control("force_review", {"product_id": product_id, "outcome": "FAILED"})
    failed = _get(client, gb, product_id)
    assert (failed["status"], failed["audit"]["status"]) == ("FAILED", "FAILED")
    assert failed["audit_failed_reasons"] == [
        {
            "position": "product",
            "reasons": ["violate listing rules"],
            "suggestions": ["The product violates TikTok Shopping listing rules, please check and resubmit."],
            "listing_platform": "TIKTOK_SHOP",
        }
    ]
    status_events = _events(client, "PRODUCT_STATUS_CHANGE")
    assert [(e["data"]["status"], e["data"]["suspended_reason"]) for e in status_events] == [
        ("PRODUCT_AUDIT_FAILURE", "violate listing rules")
    ]


def test_prohibited_title_words_fail_review_deterministically(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    product_id = _create(client, gb, product_body(title="Designer replica handbag tee"))["data"]["product_id"]
    client.emulator.clock.advance(60)
    failed = _get(client, gb, product_id)
    assert failed["status"] == "FAILED"
    assert failed["audit_failed_reasons"][0]["position"] == "title"


def test_failed_edit_of_a_live_product_keeps_the_live_version(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    product_id = _create(client, gb, product_body())["data"]["product_id"]
    client.emulator.clock.advance(60)
    edited = client.call(
        "POST",
        f"/product/202509/products/{product_id}/partial_edit",
        shop_cipher=gb["shop_cipher"],
        body={"title": "Organic Cotton Crew Neck T-shirt for Women, new colours"},
    ).json()
    assert edited["code"] == 0
    under_review = _get(client, gb, product_id, return_under_review_version="true")
    assert under_review["title"].endswith("new colours")
    assert _get(client, gb, product_id)["title"] == "Organic Cotton Crew Neck T-shirt for Women"
    client.control("force_review", {"product_id": product_id, "outcome": "FAILED"})
    after = _get(client, gb, product_id)
    assert (after["status"], after["audit"]["status"], after["title"]) == (
        "ACTIVATE",
        "FAILED",
        "Organic Cotton Crew Neck T-shirt for Women",
    )
    changes = _events(client, "PRODUCT_INFORMATION_CHANGE")
    assert [e["data"]["changed_fields"] for e in changes] == [["title"]]


def _review_outcomes(seed: int) -> list[str]:
    from tiktok_emulator_helpers import BASE_URL, FROZEN_AT

    from shopbridge_sandbox.kit.clock import Clock
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry

    emulator = TikTokShopEmulator(
        seed=seed, clock=Clock(frozen_at=FROZEN_AT), timings={"review_failure_rate": 0.5}
    )
    manifest = manifest_entry(emulator, BASE_URL)
    shop = manifest["shops"][0]
    client = TikTokClient(emulator, manifest["app_key"], manifest["app_secret"], shop["access_token"])
    warehouse = client.ok("GET", "/logistics/202309/warehouses", shop_cipher=shop["shop_cipher"])[
        "warehouses"
    ][0]["id"]
    image = client.ok(
        "POST",
        "/product/202309/images/upload",
        files={"data": ("a.png", io.BytesIO(png_bytes(800, 800)), "image/png")},
    )["uri"]
    ids = []
    for i in range(8):
        body = {
            "title": f"Kitchen storage jar set number {i}",
            "description": "<p>Glass jars</p>",
            "category_id": "600009",
            "main_images": [{"uri": image}],
            "package_weight": {"value": "1", "unit": "KILOGRAM"},
            "package_dimensions": {"length": "10", "width": "10", "height": "10", "unit": "CENTIMETER"},
            "skus": [
                {
                    "seller_sku": f"JAR{i}",
                    "price": {"amount": "5", "currency": "GBP"},
                    "inventory": [{"warehouse_id": warehouse, "quantity": 1}],
                }
            ],
        }
        ids.append(
            client.ok("POST", "/product/202309/products", shop_cipher=shop["shop_cipher"], body=body)[
                "product_id"
            ]
        )
    emulator.clock.advance(60)
    return [_get(client, shop, pid)["status"] for pid in ids]


def test_review_outcomes_are_deterministic_for_a_seed() -> None:
    first = _review_outcomes(seed=3)
    assert set(first) == {"ACTIVATE", "FAILED"}
    assert _review_outcomes(seed=3) == first


@pytest.mark.parametrize(
    ("override", "code"),
    [
        ({"title": ""}, 12052261),
        ({"title": "x" * 256}, 12052051),
        ({"title": "棉质T恤 cotton tee"}, 12052262),
        ({"description": ""}, 12052015),
        ({"description": "<p>hi</p><script>alert(1)</script>"}, 12052345),
        ({"description": '<p>hi</p><img src="https://p16-oec-va.ibyteimg.com/x.jpg">'}, 12052348),
        ({"category_id": "601152"}, 12052024),
        ({"category_id": "123"}, 12052023),
        ({"category_version": "v2"}, 12052217),
        ({"main_images": []}, 12052028),
        ({"main_images": [{"uri": "tos-maliva-i-o3syd03w52-us/never-uploaded"}]}, 12052300),
        ({"package_weight": {"value": "0", "unit": "KILOGRAM"}}, 12052181),
        ({"package_weight": {"value": "1", "unit": "POUND"}}, 12019061),
        ({"package_dimensions": None}, 12019012),
        ({"product_attributes": []}, 12052104),
        ({"brand_id": "7082427311584347908"}, 12052208),
        ({"is_cod_allowed": True}, 12052222),
        ({"size_chart": None}, 12052673),
    ],
)
def test_validation_errors_use_tiktok_codes(
    client: TikTokClient, gb: dict[str, Any], product_body: Body, override: dict[str, Any], code: int
) -> None:
    body = product_body(**override)
    body = {k: v for k, v in body.items() if v is not None}
    response = _create(client, gb, body)
    assert response["code"] == code, response
    assert response["data"] is None
    assert client.control("products")["products"] == []


def _sku(product_body: Body, **fields: Any) -> dict[str, Any]:
    return dict(product_body()["skus"][0], **fields)


@pytest.mark.parametrize(
    ("skus", "code"),
    [
        ("price_high", 12052570),
        ("price_currency", 12052084),
        ("price_number", 12052073),
        ("inventory_high", 12052055),
        ("warehouse_unknown", 12052097),
        ("four_sales_attributes", 12052525),
        ("mixed_attribute_sets", 12052550),
        ("duplicate_combination", 12052560),
        ("duplicate_seller_sku", 12052910),
        ("seller_sku_long", 12052054),
        ("too_many", 12052050),
    ],
)
def test_sku_validation(
    client: TikTokClient, gb: dict[str, Any], product_body: Body, skus: str, code: int
) -> None:
    base = product_body()["skus"]
    attrs = base[0]["sales_attributes"]
    cases = {
        "price_high": [_sku(product_body, price={"amount": "5600.01", "currency": "GBP"})],
        "price_currency": [_sku(product_body, price={"amount": "10", "currency": "USD"})],
        "price_number": [_sku(product_body, price={"amount": 10, "currency": "GBP"})],
        "inventory_high": [
            _sku(product_body, inventory=[{"warehouse_id": product_body.warehouse_id, "quantity": 100000}])
        ],  # type: ignore[attr-defined]
        "warehouse_unknown": [_sku(product_body, inventory=[{"warehouse_id": "1", "quantity": 1}])],
        "four_sales_attributes": [
            _sku(
                product_body,
                sales_attributes=attrs
                + [{"name": "Fit", "value_name": "Slim"}, {"name": "Cut", "value_name": "V"}],
            )
        ],
        "mixed_attribute_sets": [base[0], dict(base[1], sales_attributes=attrs[:1])],
        "duplicate_combination": [base[0], dict(base[1], sales_attributes=attrs)],
        "duplicate_seller_sku": [base[0], dict(base[1], seller_sku=base[0]["seller_sku"])],
        "seller_sku_long": [_sku(product_body, seller_sku="X" * 51)],
        "too_many": [
            dict(base[0], seller_sku=f"S{i}", sales_attributes=[{"name": "Size", "value_name": f"V{i}"}])
            for i in range(301)
        ],
    }
    response = _create(client, gb, product_body(skus=cases[skus]))
    assert response["code"] == code, response


def test_region_rules_title_length_and_price_range(
    client: TikTokClient, manifest: dict[str, Any], upload_image: Any
) -> None:
    # SG titles need 25-255 characters and prices 0.01-10,000 SGD (§14.2, §14.3)
    sg = next(s for s in manifest["shops"] if s["region"] == "SG")
    warehouse = client.ok("GET", "/logistics/202309/warehouses", shop_cipher=sg["shop_cipher"])["warehouses"][
        0
    ]["id"]
    body = {
        "title": "Short title",
        "description": "<p>Kitchen storage jar</p>",
        "category_id": "600009",
        "main_images": [{"uri": upload_image()}],
        "skus": [
            {
                "price": {"amount": "10001", "currency": "SGD"},
                "inventory": [{"warehouse_id": warehouse, "quantity": 1}],
            }
        ],
        "package_weight": {"value": "1", "unit": "KILOGRAM"},
        "package_dimensions": {"length": "10", "width": "10", "height": "10", "unit": "CENTIMETER"},
    }
    response = client.call(
        "POST", "/product/202309/products/listing_check", shop_cipher=sg["shop_cipher"], body=body
    ).json()
    assert response["data"]["check_result"] == "FAILED"
    assert [r["code"] for r in response["data"]["fail_reasons"]] == [12052931, 12052570]


def test_duplicate_seller_sku_across_products(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    assert _create(client, gb, product_body())["code"] == 0
    second = _create(client, gb, product_body(title="Another tee with the same SKU codes"))
    assert second["code"] == 12052910
    assert "TEE-BLK-S" in second["message"]


def test_daily_listing_quota(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> None:
    client.control("set_quota", {"shop_id": gb["shop_id"], "daily_listing_quota": 2})
    codes = [
        _create(client, gb, product_body(skus=[_sku(product_body, seller_sku=f"Q{i}")]))["code"]
        for i in range(3)
    ]
    assert codes == [0, 0, 12052093]
    assert len(client.control("products")["products"]) == 2
    client.emulator.clock.advance(86400)
    assert _create(client, gb, product_body(skus=[_sku(product_body, seller_sku="Q9")]))["code"] == 0


def test_idempotency_key_returns_the_first_result(
    client: TikTokClient, gb: dict[str, Any], product_body: Body
) -> None:
    first = _create(client, gb, product_body(idempotency_key="k-1"))
    second = _create(client, gb, product_body(idempotency_key="k-1"))
    assert first["data"]["product_id"] == second["data"]["product_id"]
    assert len(client.control("products")["products"]) == 1


def test_status_batch_endpoints(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> None:
    product_id = _create(client, gb, product_body())["data"]["product_id"]
    cipher = gb["shop_cipher"]
    # a PENDING product cannot be deactivated: per-item error, code 0
    early = client.ok(
        "POST", "/product/202309/products/deactivate", shop_cipher=cipher, body={"product_ids": [product_id]}
    )
    assert early["errors"][0]["code"] == 12052901
    client.emulator.clock.advance(60)
    assert client.ok(
        "POST", "/product/202309/products/deactivate", shop_cipher=cipher, body={"product_ids": [product_id]}
    ) == {"errors": []}
    assert _get(client, gb, product_id)["status"] == "SELLER_DEACTIVATED"
    assert _get(client, gb, product_id)["skus"][0]["status_info"] == {
        "status": "DEACTIVATED",
        "deactivation_source": "SELLER",
    }
    client.ok("DELETE", "/product/202309/products", shop_cipher=cipher, body={"product_ids": [product_id]})
    assert _get(client, gb, product_id)["status"] == "DELETED"
    client.ok(
        "POST", "/product/202309/products/recover", shop_cipher=cipher, body={"product_ids": [product_id]}
    )
    assert _get(client, gb, product_id)["status"] == "SELLER_DEACTIVATED"
    client.ok(
        "POST", "/product/202309/products/activate", shop_cipher=cipher, body={"product_ids": [product_id]}
    )
    assert _get(client, gb, product_id)["status"] == "PENDING"
    client.emulator.clock.advance(60)
    assert _get(client, gb, product_id)["status"] == "ACTIVATE"
    unknown = client.ok(
        "POST", "/product/202309/products/deactivate", shop_cipher=cipher, body={"product_ids": ["1"]}
    )
    assert unknown["errors"] == [
        {
            "code": 12052032,
            "message": "The product does not exist.",
            "detail": {"product_id": "1", "extra_errors": []},
        }
    ]
    too_many = client.call(
        "POST",
        "/product/202309/products/deactivate",
        shop_cipher=cipher,
        body={"product_ids": [str(i) for i in range(21)]},
    )
    assert too_many.json()["code"] == 12019120


def test_platform_freeze_blocks_edits(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> None:
    product_id = _create(client, gb, product_body())["data"]["product_id"]
    client.emulator.clock.advance(60)
    client.control(
        "platform_product", {"product_id": product_id, "action": "freeze", "reason": "Counterfeit report"}
    )
    edit = client.call(
        "PUT", f"/product/202309/products/{product_id}", shop_cipher=gb["shop_cipher"], body=product_body()
    )
    assert edit.json()["code"] == 12052901
    events = _events(client, "PRODUCT_STATUS_CHANGE")
    assert (events[-1]["data"]["status"], events[-1]["data"]["suspended_reason"]) == (
        "PRODUCT_STATUS_CHANGED",
        "Counterfeit report",
    )


def test_inventory_and_price_updates(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> None:
    created = _create(client, gb, product_body())["data"]
    product_id, sku_id = created["product_id"], created["skus"][0]["id"]
    cipher = gb["shop_cipher"]
    # not allowed before the product is live
    early = client.call(
        "POST",
        f"/product/202309/products/{product_id}/inventory/update",
        shop_cipher=cipher,
        body={"skus": [{"id": sku_id, "inventory": [{"quantity": 3}]}]},
    )
    assert early.json()["code"] == 12052901
    client.emulator.clock.advance(60)
    client.ok(
        "POST",
        f"/product/202309/products/{product_id}/inventory/update",
        shop_cipher=cipher,
        body={"skus": [{"id": sku_id, "inventory": [{"quantity": 42}]}]},
    )
    client.ok(
        "POST",
        f"/product/202309/products/{product_id}/prices/update",
        shop_cipher=cipher,
        body={"skus": [{"id": sku_id, "price": {"amount": "24.50", "currency": "GBP"}}]},
    )
    sku = _get(client, gb, product_id)["skus"][0]
    assert sku["inventory"][0]["quantity"] == 42
    assert sku["price"]["sale_price"] == "24.50"
    # a price/inventory change does not send the product back to review
    assert _get(client, gb, product_id)["status"] == "ACTIVATE"
    bad = client.call(
        "POST",
        f"/product/202309/products/{product_id}/prices/update",
        shop_cipher=cipher,
        body={"skus": [{"id": sku_id, "price": {"amount": "9999", "currency": "GBP"}}]},
    )
    assert bad.json()["code"] == 12052570
    extra_warehouse = client.call(
        "POST",
        f"/product/202309/products/{product_id}/inventory/update",
        shop_cipher=cipher,
        body={"skus": [{"id": sku_id, "inventory": [{"warehouse_id": "1", "quantity": 1}]}]},
    )
    assert extra_warehouse.json()["code"] == 12052533
    search = client.ok(
        "POST", "/product/202309/inventory/search", shop_cipher=cipher, body={"sku_ids": [sku_id]}
    )
    assert search["inventory"][0]["skus"][0]["total_available_quantity"] == 42


def test_search_pages_with_page_token(client: TikTokClient, gb: dict[str, Any], product_body: Body) -> None:
    for i in range(3):
        _create(client, gb, product_body(skus=[_sku(product_body, seller_sku=f"P{i}")]))
    first = client.ok(
        "POST",
        "/product/202502/products/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "2"},
        body={"status": "PENDING"},
    )
    assert (len(first["products"]), first["total_count"]) == (2, 3)
    second = client.ok(
        "POST",
        "/product/202502/products/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "2", "page_token": first["next_page_token"]},
        body={"status": "PENDING"},
    )
    assert (len(second["products"]), second["next_page_token"]) == (1, "")
    by_sku = client.ok(
        "POST",
        "/product/202502/products/search",
        shop_cipher=gb["shop_cipher"],
        query={"page_size": "10"},
        body={"seller_skus": ["P1"]},
    )
    assert [p["skus"][0]["seller_sku"] for p in by_sku["products"]] == ["P1"]
    assert (
        client.call(
            "POST",
            "/product/202502/products/search",
            shop_cipher=gb["shop_cipher"],
            query={"page_size": "101"},
            body={},
        ).json()["code"]
        == 12019109
    )


def test_image_upload_dedupes_by_content(client: TikTokClient) -> None:
    data = png_bytes(600, 600, seed=7)
    first = client.ok(
        "POST", "/product/202309/images/upload", files={"data": ("a.png", io.BytesIO(data), "image/png")}
    )
    second = client.ok(
        "POST", "/product/202309/images/upload", files={"data": ("b.png", io.BytesIO(data), "image/png")}
    )
    assert first["uri"] == second["uri"]
    assert (first["width"], first["height"]) == (600, 600)
    small = client.call(
        "POST",
        "/product/202309/images/upload",
        files={"data": ("c.png", io.BytesIO(png_bytes(200, 200)), "image/png")},
    )
    assert small.json()["code"] == 12038014
    not_multipart = client.call("POST", "/product/202309/images/upload", body={})
    assert not_multipart.json()["code"] == 36009023


def test_categories_attributes_rules_brands_recommend(
    client: TikTokClient, gb: dict[str, Any], us: dict[str, Any]
) -> None:
    cats = client.ok(
        "GET", "/product/202309/categories", shop_cipher=gb["shop_cipher"], query={"keyword": "t-shirts"}
    )
    assert {c["id"] for c in cats["categories"]} >= {"601226"}
    # US needs category_version=v2 (§8.1)
    assert (
        client.call("GET", "/product/202309/categories", shop_cipher=us["shop_cipher"]).json()["code"]
        == 12052217
    )
    assert client.ok(
        "GET", "/product/202309/categories", shop_cipher=us["shop_cipher"], query={"category_version": "v2"}
    )["categories"]
    attrs = client.ok("GET", "/product/202309/categories/601226/attributes", shop_cipher=gb["shop_cipher"])[
        "attributes"
    ]
    material = next(a for a in attrs if a["id"] == "100157")
    assert (material["is_requried"], material["type"]) == (True, "PRODUCT_PROPERTY")
    rules = client.ok("GET", "/product/202309/categories/601226/rules", shop_cipher=gb["shop_cipher"])
    assert rules["size_chart"] == {"is_supported": True, "is_required": True}
    assert rules["package_dimension"] == {"is_required": True}
    brands = client.ok(
        "GET", "/product/202309/brands", shop_cipher=gb["shop_cipher"], query={"page_size": "2"}
    )
    assert (len(brands["brands"]), brands["total_count"]) == (2, 4)
    created = client.ok("POST", "/product/202309/brands", body={"name": "Harbour Knitwear"})
    assert (
        client.call("POST", "/product/202309/brands", body={"name": "Harbour Knitwear"}).json()["code"]
        == 12052205
    )
    assert created["id"].isdigit()
    recommended = client.ok(
        "POST",
        "/product/202309/categories/recommend",
        shop_cipher=gb["shop_cipher"],
        body={"product_title": "Womens cotton T-shirts"},
    )
    assert recommended["categories"][-1]["id"] == recommended["leaf_category_id"]
    assert recommended["categories"][-1]["is_leaf"] is True


def test_prerequisites_report_quota(client: TikTokClient, gb: dict[str, Any]) -> None:
    client.control("set_quota", {"shop_id": gb["shop_id"], "daily_listing_quota": 0})
    results = client.ok("GET", "/product/202312/prerequisites", shop_cipher=gb["shop_cipher"])[
        "check_results"
    ]
    failed = {r["check_item"] for r in results if r["is_failed"]}
    assert failed == {"PRODUCT_QUANTITY_LIMIT"}
    assert "BANk_ACCOUNT" in {r["check_item"] for r in results}
