"""The wire models accept every official sample they cover, and lose nothing.

Responses: ``model_dump(exclude_unset)`` of the parsed ``data`` equals the sample, except for the
documented normalisations listed in NORMALISED. Requests: ``to_wire()`` reproduces the sample
byte-for-byte as JSON objects (request models forbid unknown fields, so this also proves every
documented field is modelled).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from shopbridge.connectors.tiktok_shop import models as m

# (sample name, key inside data holding a list, or None for data itself, model)
RESPONSES = [
    ("authorization.get_authorized_shops", "shops", m.AuthorizedShop),
    ("products.get_categories", "categories", m.Category),
    ("products.get_attributes", "attributes", m.Attribute),
    ("products.get_category_rules", None, m.CategoryRules),
    ("products.get_brands", None, m.BrandPage),
    ("products.recommend_category", None, m.RecommendCategoryResult),
    ("products.upload_product_image", None, m.UploadedImage),
    ("products.create_product", None, m.CreateProductResult),
    ("products.edit_product", None, m.CreateProductResult),
    ("products.partial_edit_product", None, m.CreateProductResult),
    ("products.get_product", None, m.Product),
    ("products.search_products", None, m.ProductSearchPage),
    ("products.activate_product", None, m.BatchResult),
    ("products.deactivate_products", None, m.BatchResult),
    ("products.delete_products", None, m.BatchResult),
    ("products.recover_products", None, m.BatchResult),
    ("products.update_inventory", None, m.BatchResult),
    ("products.check_listing_prerequisites", "check_results", m.PrerequisiteCheck),
    ("products.check_product_listing", None, m.ListingCheckResult),
    ("logistics.get_warehouse_list", "warehouses", m.Warehouse),
    ("logistics.get_warehouse_delivery_options", "delivery_options", m.DeliveryOption),
    ("logistics.get_shipping_providers", "shipping_providers", m.ShippingProvider),
    ("orders.get_order_detail", "orders", m.Order),
    ("orders.get_order_list", None, m.OrderPage),
    ("fulfillment.mark_package_as_shipped", None, m.MarkPackageAsShippedResult),
    ("fulfillment.get_package_detail", None, m.PackageDetail),
    ("fulfillment.get_tracking", "tracking", m.TrackingEvent),
    ("return_and_refund.search_cancellations", None, m.CancellationPage),
    ("return_and_refund.cancel_order", None, m.CancelOrderResult),
    ("return_and_refund.search_returns", None, m.ReturnPage),
]

REQUESTS = [
    ("products.create_product", m.CreateProductRequest),
    ("products.edit_product", m.EditProductRequest),
    ("products.partial_edit_product", m.PartialEditProductRequest),
    ("products.check_product_listing", m.CreateProductRequest),
    ("products.update_inventory", m.UpdateInventoryRequest),
    ("products.update_price", m.UpdatePriceRequest),
    ("products.search_products", m.SearchProductsRequest),
    ("products.recommend_category", m.RecommendCategoryRequest),
    ("orders.get_order_list", m.SearchOrdersRequest),
    ("fulfillment.mark_package_as_shipped", m.MarkPackageAsShippedRequest),
    ("fulfillment.ship_package", m.ShipPackageRequest),
    ("fulfillment.update_shipping_info", m.ShippingInfoUpdate),
    ("fulfillment.update_package_shipping_info", m.ShippingInfoUpdate),
    ("return_and_refund.cancel_order", m.CancelOrderRequest),
    ("return_and_refund.search_cancellations", m.SearchCancellationsRequest),
    ("return_and_refund.search_returns", m.SearchReturnsRequest),
]


def _normalise_rules(data: dict[str, Any]) -> None:
    # §8.3: "official sample wrongly shows a string" -> we expose a list.
    data["allowed_special_product_types"] = ["PRE_ORDER"]


def _normalise_returns(data: dict[str, Any]) -> None:
    # The sample sends is_combined_return as the string "true"; it is a boolean.
    for item in data["return_orders"]:
        item["is_combined_return"] = True


NORMALISED = {
    "products.get_category_rules": _normalise_rules,
    "return_and_refund.search_returns": _normalise_returns,
}


def _official(shared_spec: Path, name: str) -> Any:
    return json.loads((shared_spec / "tiktok-examples/official" / name).read_text())


@pytest.mark.parametrize(("sample", "key", "model"), RESPONSES, ids=[r[0] for r in RESPONSES])
def test_official_response_sample_parses_without_loss(shared_spec, sample, key, model: type[BaseModel]):
    data = _official(shared_spec, f"{sample}.response.json")["data"]
    expected = copy.deepcopy(data)
    if sample in NORMALISED:
        NORMALISED[sample](expected)

    items = data[key] if key else [data]
    dumped = [model.model_validate(item).model_dump(mode="json", exclude_unset=True) for item in items]

    assert dumped == (expected[key] if key else [expected])


@pytest.mark.parametrize(("sample", "model"), REQUESTS, ids=[r[0] for r in REQUESTS])
def test_official_request_sample_round_trips(shared_spec, sample, model: type[m.WireRequest]):
    data = _official(shared_spec, f"{sample}.request.json")

    assert model.model_validate(data).to_wire() == data


@pytest.mark.parametrize(
    "name",
    ["products.create_product.request.us_minimal.json", "products.create_product.request.my_single_sku.json"],
)
def test_reconstructed_create_payloads_round_trip(shared_spec, name):
    data = json.loads((shared_spec / "tiktok-examples/reconstructed" / name).read_text())

    assert m.CreateProductRequest.model_validate(data).to_wire() == data


@pytest.mark.parametrize("name", ["auth.token_get.response.json", "auth.token_refresh.response.json"])
def test_token_samples_parse(shared_spec, name):
    data = json.loads((shared_spec / "tiktok-examples/reconstructed" / name).read_text())["data"]

    token = m.TokenData.model_validate(data)

    assert token.model_dump(mode="json", exclude_unset=True) == data
    assert token.access_token_expire_in == 1660556783


def test_request_models_reject_unknown_fields():
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        m.ShippingInfoUpdate.model_validate(
            {"tracking_number": "1", "shipping_provider_id": "2", "carrier": "x"}
        )


def test_ids_accept_numbers_and_money_accepts_decimal():
    from decimal import Decimal

    price = m.Price(amount=Decimal("9.90"), currency="USD")
    inventory = m.InventoryEntry(warehouse_id=7068517275539719942, quantity=3)

    assert price.to_wire() == {"amount": "9.90", "currency": "USD"}
    assert inventory.to_wire() == {"warehouse_id": "7068517275539719942", "quantity": 3}


def test_attribute_typo_field_and_brand_usability():
    attribute = m.Attribute.model_validate({"id": "1", "type": "PRODUCT_PROPERTY", "is_requried": True})
    authorized = m.Brand(id="1", authorized_status="AUTHORIZED", brand_status="AVAILABLE", is_t1_brand=True)
    unauthorized_t1 = m.Brand(id="2", authorized_status="UNAUTHORIEZD", is_t1_brand=True)
    unauthorized_plain = m.Brand(id="3", authorized_status="UNAUTHORIEZD", is_t1_brand=False)

    assert attribute.is_required is True
    assert [authorized.is_usable, unauthorized_t1.is_usable, unauthorized_plain.is_usable] == [
        True,
        False,
        True,
    ]


def test_missing_next_page_token_means_last_page():
    assert m.OrderPage.model_validate({"orders": [], "next_page_token": None}).next_page_token == ""
    assert m.OrderPage.model_validate({"orders": []}).next_page_token == ""
