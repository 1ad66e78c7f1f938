"""CategoryInfo built from TikTok's documented Get Attributes / Get Category Rules samples (§8.2, §8.3)."""

from __future__ import annotations

import json
from pathlib import Path

from shopbridge.mapping.types import AttributeValue, CategoryAttribute, CategoryInfo, CertificationRule


def test_category_info_from_the_official_samples(shared_spec: Path) -> None:
    official = shared_spec / "tiktok-examples" / "official"
    attributes = json.loads((official / "products.get_attributes.response.json").read_text())["data"][
        "attributes"
    ]
    rules = json.loads((official / "products.get_category_rules.response.json").read_text())["data"]
    info = CategoryInfo.from_api(
        category_id="600001", path="Home Supplies>Home Decor>Candles", attributes=attributes, rules=rules
    )
    assert info.attributes == (
        CategoryAttribute(
            id="100392",
            name="Occasion",
            is_sales=False,
            is_required=False,
            values=(AttributeValue("1001533", "Birthday"),),
            is_customizable=True,
            is_multiple_selection=True,
        ),
    )
    assert (
        info.size_chart_required,
        info.size_chart_supported,
        info.package_dimension_required,
        info.cod_supported,
    ) == (True, True, True, True)
    assert info.certifications == (CertificationRule("602362", "SNI Certificate", True),)
    assert info.segments == ("Home Supplies", "Home Decor", "Candles")


def test_from_api_defaults_and_corrected_spelling() -> None:
    info = CategoryInfo.from_api(
        category_id="1",
        path="A>B",
        attributes=[
            {"id": "7", "name": "Colour", "type": "SALES_PROPERTY"},
            {"id": "8", "name": "Material", "is_required": True},
        ],
        rules={"size_chart": None},
    )
    assert [a.id for a in info.sales_attributes] == ["7"] and info.sales_attributes[0].is_customizable
    assert info.product_attributes[0].is_required
    assert (info.size_chart_required, info.certifications) == (False, ())
