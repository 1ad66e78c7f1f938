"""Building the Create Product body from store products."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from mapping_builders import TSHIRTS, WAREHOUSE, all_uploaded, product, settings, variant
from mapping_samples import shopify_products

from shopbridge.connectors.base.dto import StoreImage, WeightUnit
from shopbridge.mapping.payload import build_product_payload
from shopbridge.mapping.regions import region_rules
from shopbridge.mapping.types import (
    CategoryInfo,
    ChannelDefaults,
    CurrencyRule,
    InventoryRule,
    ListingSettings,
    PriceRule,
    Rounding,
)

UK = region_rules("GB")
US = region_rules("US")
D = Decimal


def build(item, **kwargs):
    args = {"category": TSHIRTS, "region": UK, "settings": settings(), "image_uris": all_uploaded(item)}
    args.update(kwargs)
    return build_product_payload(item, **args)


def test_simple_product_gives_the_exact_tiktok_body() -> None:
    # given a one-variant product with weight, dimensions, an image and a required attribute default
    item = product()
    # when built for the UK
    result = build(item)
    # then the body has TikTok's field names and formats, and nothing is wrong with it
    assert result.errors == []
    assert result.pending_image_urls == []
    assert result.payload == {
        "title": "Organic Cotton Crew Neck T-shirt for Women",
        "description": "<p>Soft organic cotton.</p>",
        "category_id": "601302",
        "category_version": "v1",
        "main_images": [{"uri": all_uploaded(item)["https://cdn.example.com/a.jpg"]}],
        "skus": [
            {
                "seller_sku": "SKU-v1",
                "external_sku_id": "v1",
                "price": {"currency": "GBP", "amount": "19.99"},
                "inventory": [{"warehouse_id": WAREHOUSE, "quantity": 10}],
            }
        ],
        "external_product_id": "8001",
        "save_mode": "LISTING",
        "package_weight": {"value": "0.25", "unit": "KILOGRAM"},
        "package_dimensions": {"length": "30", "width": "20", "height": "3", "unit": "CENTIMETER"},
        "product_attributes": [{"id": "100157", "values": [{"id": "2001", "name": "Cotton"}]}],
    }
    assert result.ready_to_send


def test_same_input_same_hash_and_a_change_changes_it() -> None:
    item = product()
    first, second = build(item), build(item)
    assert first.payload_hash == second.payload_hash and len(first.payload_hash) == 64
    changed = build(product([variant(price=D("21.00"))]))
    assert changed.payload_hash != first.payload_hash


def test_multi_variant_product_with_chosen_variants_rules_and_per_location_stock() -> None:
    # given three colour variants, a price rule, an inventory rule and per-location stock
    variants = [
        variant("r", options={"Color": "Red"}, image_url="https://cdn.example.com/red.jpg"),
        variant(
            "b", options={"Color": "Blue"}, image_url="https://cdn.example.com/blue.jpg", price=D("24.00")
        ),
        variant("g", options={"Color": "Green"}),
    ]
    item = product(variants)
    rules = settings(
        price_rule=PriceRule(rounding=Rounding.WHOLE),
        inventory_rule=InventoryRule(location_ids=frozenset({"main"}), reserved=1),
    )
    # when only red and blue are listed
    result = build(
        item, variants=["b", "r"], settings=rules, inventory={"r": {"main": 5, "shop": 9}, "b": {"main": 0}}
    )
    # then SKUs follow store order, carry Colour ids, images on the primary attribute, rules applied
    assert result.errors == []
    skus = result.payload["skus"]
    assert [s["seller_sku"] for s in skus] == ["SKU-r", "SKU-b"]
    assert [s["price"]["amount"] for s in skus] == ["20.00", "24.00"]
    assert [s["inventory"][0]["quantity"] for s in skus] == [4, 0]
    assert skus[0]["sales_attributes"] == [
        {
            "id": "100000",
            "name": "Colour",
            "value_id": "1001",
            "value_name": "Red",
            "sku_img": {"uri": all_uploaded(item)["https://cdn.example.com/red.jpg"]},
        }
    ]
    assert len(result.payload["main_images"]) == 3  # product image + the two variant images


def test_unknown_variant_id_is_an_error() -> None:
    result = build(product(), variants=["v1", "gone"])
    assert [(e.field, e.code) for e in result.errors] == [("skus", "variant_not_found")]


def test_images_are_deduplicated_capped_and_pending_ones_reported() -> None:
    images = [StoreImage(url=f"https://cdn.example.com/{i}.jpg", position=i) for i in range(12)]
    images.append(StoreImage(url="https://cdn.example.com/0.jpg", position=20))  # duplicate
    item = product(images=images)
    uploaded = {"https://cdn.example.com/0.jpg": "tos-x/0"}
    result = build(item, image_uris=uploaded)
    assert [i["uri"] for i in result.payload["main_images"]] == ["tos-x/0"] + [
        f"https://cdn.example.com/{i}.jpg" for i in range(1, 9)
    ]
    assert result.pending_image_urls == [f"https://cdn.example.com/{i}.jpg" for i in range(1, 9)]
    assert "Only the first 9 of 12 images are used (TikTok's limit)." in result.notes
    assert "1 duplicate image(s) were listed once." in result.notes
    assert result.errors == [] and not result.ready_to_send


def test_missing_sku_gets_a_stable_generated_one_and_spaces_are_replaced() -> None:
    item = product(
        [variant("v1", sku=None, options={"Size": "S"}), variant("v2", sku="AB 12", options={"Size": "M"})]
    )
    result = build(item)
    assert [s["seller_sku"] for s in result.payload["skus"]] == ["SB-8001-v1", "AB-12"]
    assert "Spaces in SKU 'AB 12' were replaced with '-'." in result.notes


def test_us_listing_uses_imperial_units_for_an_imperial_store_and_v2_tree() -> None:
    item = product([variant(weight=D("1.5"), weight_unit=WeightUnit.LB, dimensions=None)])
    rules = settings(
        currency=CurrencyRule("USD"),
        defaults=ChannelDefaults(package_length=D("12"), package_width=D("10"), package_height=D("4")),
    )
    result = build(item, region=US, settings=rules, category=CategoryInfo(id="601302", path="A>B>C"))
    assert result.payload["package_weight"] == {"value": "1.5", "unit": "POUND"}
    assert result.payload["package_dimensions"] == {
        "length": "5",
        "width": "4",
        "height": "2",
        "unit": "INCH",
    }
    assert result.payload["category_version"] == "v2"
    assert result.errors == []


def test_defaults_fill_weight_size_chart_brand_and_certificates() -> None:
    category = CategoryInfo.from_api(
        category_id="601302",
        path="A>B>C",
        rules={
            "size_chart": {"is_supported": True, "is_required": True},
            "product_certifications": [{"id": "c1", "name": "CE", "is_required": True}],
            "cod": {"is_supported": False},
        },
    )
    from shopbridge.mapping.types import CertificationInput

    defaults = ChannelDefaults(
        brand_id="777",
        package_weight=D("0.4"),
        size_chart_template_id="555",
        certifications=(CertificationInput(id="c1", image_uris=("tos/ce",)), CertificationInput(id="other")),
        is_cod_allowed=True,
    )
    item = product([variant(weight=None)])
    result = build(item, category=category, settings=settings(defaults=defaults))
    assert result.errors == []
    assert (result.payload["brand_id"], result.payload["size_chart"], result.payload["certifications"]) == (
        "777",
        {"template": {"id": "555"}},
        [{"id": "c1", "images": [{"uri": "tos/ce"}]}],
    )
    assert result.payload["package_weight"] == {"value": "0.4", "unit": "KILOGRAM"}
    assert result.payload["is_cod_allowed"] is False  # category without COD (§8.3)
    assert "The product has no weight; the channel's default package weight is used." in result.notes


def test_empty_description_falls_back_to_the_title() -> None:
    result = build(product(description_html=""))
    assert result.payload["description"] == "<p>Organic Cotton Crew Neck T-shirt for Women</p>"
    assert "The product has no description; the title is used as the description." in result.notes


def test_every_shopify_sample_product_is_valid_or_fails_with_fixable_reasons(shared_data: Path) -> None:
    # given the 60 Shopify sample products (no SKUs, weight 0 g on most, "Title/Default Title" options)
    products = shopify_products(shared_data)
    category = CategoryInfo(id="605280", path="Fashion Accessories>Costume Jewellery & Accessories>Necklaces")
    bare = ListingSettings(warehouse_id=WAREHOUSE, currency=CurrencyRule("GBP"))
    with_defaults = ListingSettings(
        warehouse_id=WAREHOUSE,
        currency=CurrencyRule("GBP"),
        defaults=ChannelDefaults(
            package_weight=D("0.5"), package_length=D("20"), package_width=D("15"), package_height=D("5")
        ),
    )
    for item in products:
        # when built without channel defaults
        result = build_product_payload(
            item, category=category, region=UK, settings=bare, image_uris=all_uploaded(item)
        )
        # then each failure names a field, a reason and a fix
        assert all(e.field and e.code and e.reason and e.fix for e in result.errors), item.handle
        codes = {e.code for e in result.errors}
        assert codes <= {"package_weight_missing", "package_dimensions_required"}, (item.handle, codes)
        # and with weight/size defaults every product is valid
        fixed = build_product_payload(
            item, category=category, region=UK, settings=with_defaults, image_uris=all_uploaded(item)
        )
        assert fixed.errors == [], (item.handle, fixed.errors)
        assert fixed.payload["skus"] and fixed.payload["main_images"]
    weighed = [p.handle for p in products if any(v.weight for v in p.variants)]
    assert weighed == ["boho-earrings"]  # the one sample with a real weight (28 g)


def test_eur_store_without_rate_reports_one_error_not_one_per_sku() -> None:
    item = product([variant("a", options={"Size": "S"}), variant("b", options={"Size": "M"})])
    result = build(item, settings=settings(currency=CurrencyRule("EUR")))
    assert [(e.field, e.code) for e in result.errors] == [("skus[].price.currency", "currency_rate_missing")]
    assert all("amount" not in s["price"] for s in result.payload["skus"])
