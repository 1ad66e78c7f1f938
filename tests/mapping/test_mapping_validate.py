"""Pre-flight validation: one FieldError per problem, each with a reason and a fix."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest
from mapping_builders import MATERIAL, TSHIRTS, WAREHOUSE, settings

from shopbridge.mapping.regions import region_rules
from shopbridge.mapping.types import (
    CategoryInfo,
    CertificationRule,
    ChannelDefaults,
    CurrencyRule,
    ListingSettings,
)
from shopbridge.mapping.validate import validate_payload

UK = region_rules("GB")
SG = region_rules("SG")

VALID: dict[str, Any] = {
    "title": "Organic Cotton Crew Neck T-shirt for Women",
    "description": "<p>Soft organic cotton.</p>",
    "category_id": "601302",
    "category_version": "v1",
    "main_images": [{"uri": "tos-x/1"}],
    "skus": [
        {
            "seller_sku": "SKU-1",
            "price": {"currency": "GBP", "amount": "19.99"},
            "inventory": [{"warehouse_id": WAREHOUSE, "quantity": 10}],
        }
    ],
    "package_weight": {"value": "0.25", "unit": "KILOGRAM"},
    "package_dimensions": {"length": "30", "width": "20", "height": "3", "unit": "CENTIMETER"},
    "product_attributes": [{"id": "100157", "values": [{"id": "2001"}]}],
}


def problems(
    payload: dict[str, Any],
    *,
    category: CategoryInfo = TSHIRTS,
    region=UK,
    listing: ListingSettings | None = None,
) -> list[tuple[str, str]]:
    errors = validate_payload(payload, category=category, region=region, settings=listing or settings())
    assert all(e.reason and e.fix for e in errors)
    return [(e.field, e.code) for e in errors]


def changed(**changes: Any) -> dict[str, Any]:
    payload = copy.deepcopy(VALID)
    for path, value in changes.items():
        target = payload
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is None:
            del target[last]
        else:
            target[last] = value
    return payload


def test_the_valid_payload_has_no_problems() -> None:
    assert problems(VALID) == []


@pytest.mark.parametrize(
    ("changes", "region", "expected"),
    [
        ({"title": ""}, UK, [("title", "title_too_short")]),
        ({"title": "Grey Sofa"}, SG, [("title", "title_too_short")]),
        ({"title": "x" * 256}, UK, [("title", "title_too_long")]),
        ({"description": ""}, UK, [("description", "description_missing")]),
        ({"description": "<p>" + "a" * 10_000 + "</p>"}, UK, [("description", "description_too_long")]),
        ({"description": '<img src="x">' * 31}, UK, [("description", "description_too_many_images")]),
        (
            {"description": "<table><tr><td>x</td></tr></table>"},
            UK,
            [("description", "description_markup_not_supported")],
        ),
        ({"main_images": []}, UK, [("main_images", "images_missing")]),
        ({"main_images": [{"uri": str(i)} for i in range(10)]}, UK, [("main_images", "too_many_images")]),
        ({"package_weight": None}, UK, [("package_weight.value", "package_weight_missing")]),
        ({"package_weight__value": "0"}, UK, [("package_weight.value", "package_weight_zero")]),
        ({"package_weight__value": "250"}, UK, [("package_weight.value", "package_weight_too_heavy")]),
        (
            {"package_weight__unit": "POUND"},
            UK,
            [
                ("package_weight.unit", "weight_unit_not_allowed"),
                ("package_dimensions.unit", "unit_system_mismatch"),
            ],
        ),
        ({"package_dimensions": None}, UK, [("package_dimensions", "package_dimensions_required")]),
        (
            {"package_dimensions__height": "2.5"},
            UK,
            [("package_dimensions.height", "package_dimension_invalid")],
        ),
        (
            {"package_dimensions__unit": "INCH"},
            UK,
            [
                ("package_dimensions.unit", "dimension_unit_not_allowed"),
                ("package_dimensions.unit", "unit_system_mismatch"),
            ],
        ),
        ({"skus": []}, UK, [("skus", "no_skus")]),
        ({"skus__0__price__amount": "5600.01"}, UK, [("skus[0].price.amount", "price_out_of_range")]),
        ({"skus__0__price__amount": "0"}, UK, [("skus[0].price.amount", "price_out_of_range")]),
        ({"skus__0__price__currency": "USD"}, UK, [("skus[0].price.currency", "currency_mismatch")]),
        (
            {"skus__0__inventory__0__quantity": 100_000},
            UK,
            [("skus[0].inventory[0].quantity", "inventory_out_of_range")],
        ),
        (
            {"skus__0__inventory__0__quantity": -1},
            UK,
            [("skus[0].inventory[0].quantity", "inventory_out_of_range")],
        ),
        (
            {"skus__0__inventory__0__warehouse_id": ""},
            UK,
            [("skus[0].inventory[0].warehouse_id", "warehouse_missing")],
        ),
        ({"skus__0__seller_sku": "has space"}, UK, [("skus[0].seller_sku", "seller_sku_invalid")]),
        ({"product_attributes": []}, UK, [("product_attributes", "attribute_required")]),
    ],
)
def test_each_rule(changes: dict[str, Any], region, expected: list[tuple[str, str]]) -> None:
    payload = changed(**changes)
    if region is SG:
        payload["skus"][0]["price"]["currency"] = "SGD"
        listing = settings(currency=CurrencyRule("SGD"))
        assert problems(payload, region=SG, listing=listing) == expected
    else:
        assert problems(payload) == expected


def test_dimensions_are_optional_where_neither_region_nor_category_requires_them() -> None:
    payload = changed(package_dimensions=None)
    payload["skus"][0]["price"] = {"currency": "IDR", "amount": "150000"}
    assert problems(payload, region=region_rules("ID"), listing=settings(currency=CurrencyRule("IDR"))) == []


def test_category_rules_leaf_size_chart_and_certificates() -> None:
    category = CategoryInfo(
        id="601152",
        path="Womenswear & Underwear",
        is_leaf=False,
        attributes=(MATERIAL,),
        size_chart_required=True,
        certifications=(
            CertificationRule("c1", "CE mark", is_required=True),
            CertificationRule("c2", "Optional"),
        ),
    )
    assert problems(VALID, category=category) == [
        ("category_id", "category_not_leaf"),
        ("size_chart", "size_chart_required"),
        ("certifications", "certification_required"),
    ]
    fixed = changed(size_chart={"template": {"id": "1"}}, certifications=[{"id": "c1"}])
    assert problems(fixed, category=category) == [("category_id", "category_not_leaf")]


def test_sku_count_duplicates_and_sales_attributes() -> None:
    sku = VALID["skus"][0]

    def with_attrs(seller_sku: str, attrs: list[dict[str, str]]) -> dict[str, Any]:
        return {**copy.deepcopy(sku), "seller_sku": seller_sku, "sales_attributes": attrs}

    many = changed(skus=[with_attrs(f"S{i}", [{"name": "Size", "value_name": str(i)}]) for i in range(301)])
    assert problems(many) == [("skus", "too_many_skus")]
    dupes = changed(
        skus=[
            with_attrs("A", [{"name": "Size", "value_name": "S"}]),
            with_attrs("A", [{"name": "Size", "value_name": "M"}]),
        ]
    )
    assert problems(dupes) == [
        ("skus[0].seller_sku", "duplicate_seller_sku"),
        ("skus[1].seller_sku", "duplicate_seller_sku"),
    ]
    four = [{"name": n, "value_name": "x"} for n in ("A", "B", "C", "D")]
    assert problems(changed(skus=[with_attrs("A", four), with_attrs("B", four)])) == [
        ("skus[].sales_attributes", "too_many_sales_attributes")
    ]
    bare = changed(skus=[with_attrs("A", []), with_attrs("B", [])])
    assert problems(bare) == [("skus[].sales_attributes", "sales_attributes_missing")]
    uneven = changed(skus=[with_attrs("A", [{"name": "Size", "value_name": "S"}]), with_attrs("B", [])])
    assert problems(uneven) == [("skus[1].sales_attributes", "sales_attributes_incomplete")]


def test_missing_currency_rate_when_currencies_differ() -> None:
    listing = ListingSettings(
        warehouse_id=WAREHOUSE, currency=CurrencyRule("USD"), defaults=ChannelDefaults()
    )
    assert problems(VALID, listing=listing) == [("skus[].price.currency", "currency_rate_missing")]
    with_rate = ListingSettings(warehouse_id=WAREHOUSE, currency=CurrencyRule("USD", Decimal("0.79")))
    assert problems(VALID, listing=with_rate) == []


def test_price_range_depends_on_seller_type() -> None:
    payload = changed(skus__0__price__amount="200")
    assert problems(payload) == []
    cross_border = settings(seller_type="global_cross_border")
    assert problems(payload, listing=cross_border) == [("skus[0].price.amount", "price_out_of_range")]


def test_channel_weight_limit_overrides_the_region_sanity_cap() -> None:
    listing = settings(defaults=ChannelDefaults(max_package_weight_kg=Decimal("0.2")))
    assert problems(VALID, listing=listing) == [("package_weight.value", "package_weight_too_heavy")]
