"""Store options -> TikTok sales attributes."""

from __future__ import annotations

from mapping_builders import TSHIRTS, product, variant

from shopbridge.connectors.base.dto import ProductOption
from shopbridge.mapping.options import map_options
from shopbridge.mapping.types import CategoryAttribute, CategoryInfo


def test_single_variant_has_no_sales_attributes() -> None:
    item = product([variant(options={"Title": "Default Title"})])
    assert map_options(item, item.variants, TSHIRTS).sales_attributes == {"v1": []}


def test_colour_spellings_map_to_the_builtin_attribute_with_value_ids() -> None:
    # given a store that spells it "Color" and a UK category that calls it "Colour"
    variants = [
        variant("v1", options={"Color": "Red", "Size": "S"}),
        variant("v2", options={"Color": "Green", "Size": "S"}),
        variant("v3", options={"Color": "Red", "Size": "M"}),
    ]
    item = product(variants)
    # when mapped
    result = map_options(item, variants, TSHIRTS)
    # then the built-in ids are used, known values get their value_id, new ones go as custom names
    assert result.errors == []
    assert result.sales_attributes["v1"] == [
        {"id": "100000", "name": "Colour", "value_id": "1001", "value_name": "Red"},
        {"id": "100007", "name": "Size", "value_name": "S"},
    ]
    assert result.sales_attributes["v2"][0] == {"id": "100000", "name": "Colour", "value_name": "Green"}


def test_unknown_option_becomes_a_custom_attribute_and_placeholder_is_skipped() -> None:
    variants = [variant("v1", options={"Scent": "Vanilla"}), variant("v2", options={"Scent": "Rose"})]
    item = product(variants, options=[ProductOption(name="Scent", values=["Vanilla", "Rose"])])
    result = map_options(item, variants, CategoryInfo(id="854152", path="Home Supplies>Home Decor>Candles"))
    assert result.sales_attributes == {
        "v1": [{"name": "Scent", "value_name": "Vanilla"}],
        "v2": [{"name": "Scent", "value_name": "Rose"}],
    }
    assert result.notes == ["Option 'Scent' is sent as a custom TikTok attribute 'Scent'."]


def test_option_with_one_value_is_left_out() -> None:
    variants = [
        variant("v1", options={"Size": "S", "Fit": "Regular"}),
        variant("v2", options={"Size": "M", "Fit": "Regular"}),
    ]
    result = map_options(product(variants), variants, TSHIRTS)
    assert [a["name"] for a in result.sales_attributes["v1"]] == ["Size"]
    assert (
        "Option 'Fit' has the same value on every chosen variant, so it is not a TikTok SKU attribute."
        in result.notes
    )


def test_more_than_three_options_is_an_error_and_nothing_is_mapped() -> None:
    variants = [
        variant("v1", options={"Color": "Red", "Size": "S", "Material": "Silk", "Style": "Slim"}),
        variant("v2", options={"Color": "Blue", "Size": "M", "Material": "Cotton", "Style": "Loose"}),
    ]
    result = map_options(product(variants), variants, TSHIRTS)
    assert [(e.field, e.code) for e in result.errors] == [
        ("skus[].sales_attributes", "too_many_sales_attributes")
    ]
    assert result.sales_attributes == {"v1": [], "v2": []}
    assert "at most 3" in result.errors[0].fix


def test_missing_value_duplicates_and_closed_value_lists_are_errors() -> None:
    closed = CategoryInfo(
        id="1",
        path="A>B>C",
        attributes=(CategoryAttribute(id="9", name="Size", is_sales=True, is_customizable=False, values=()),),
    )
    variants = [
        variant("v1", options={"Size": "S"}),
        variant("v2", options={"Size": "S"}),
        variant("v3", options={"Size": "M"}),
        variant("v4", options={}),
    ]
    result = map_options(product(variants), variants, closed)
    assert [(e.field, e.code) for e in result.errors] == [
        ("skus[0].sales_attributes", "sales_attribute_value_not_allowed"),
        ("skus[1].sales_attributes", "sales_attribute_value_not_allowed"),
        ("skus[1].sales_attributes", "duplicate_sales_attributes"),
        ("skus[2].sales_attributes", "sales_attribute_value_not_allowed"),
        ("skus[3].sales_attributes", "sales_attribute_missing"),
    ]
    assert all(e.fix for e in result.errors)
