"""Category templates in the dashboard: list, search TikTok leaves and preview the matches, create
(mapping the unmapped matches at once), delete, apply now; another merchant gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def hoodies(tenant_records):
    """The tenant's product (already mapped) and a second, unmapped one, both of type "Hoodie";
    a non-leaf TikTok category next to the leaf."""
    from shopbridge.catalog.models import Product
    from shopbridge.connections.models import ShopConnection
    from shopbridge.listings.models import TikTokCategory

    Product.objects.filter(pk=tenant_records["product_id"]).update(product_type="Hoodie")
    mapped = Product.objects.get(pk=tenant_records["product_id"])
    unmapped = Product.objects.create(
        store=mapped.store, external_id="acme-p2", title="Zip Hoodie", product_type="hoodie"
    )
    Product.objects.create(store=mapped.store, external_id="acme-p3", title="Cap", product_type="Hat")
    TikTokCategory.objects.create(
        shop=ShopConnection.objects.get(pk=tenant_records["shop_id"]),
        category_id="601200",
        name="Menswear",
        path="Menswear",
        is_leaf=False,
    )
    return mapped, unmapped


def _create_body(**overrides) -> dict:
    return {
        "name": "Hoodies",
        "match_field": "product_type",
        "match_value": "Hoodie",
        "category_id": "601226",
        "priority": "10",
        "attribute_defaults": '{"100198": "Cotton"}',
        "defaults": "",
        "apply": "on",
        **overrides,
    }


def test_the_page_lists_the_channels_templates_and_searches_leaves_with_a_match_preview(
    merchant_client, tenant_records, hoodies
):
    url = reverse("dashboard:channel_templates", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(
        url, {"match_field": "product_type", "match_value": "hoodie", "q": "menswear"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "acme hoodies rule" in body
    assert "Product type = “Hoodie”" in body
    assert [c.category_id for c in response.context["leaves"]] == ["601226"]  # the non-leaf is not offered
    assert 'name="category_id" value="601226"' in body
    preview = response.context["preview"]
    assert (preview.total, preview.unmapped) == (2, 1)
    assert [(p.title, is_mapped) for p, is_mapped in preview.sample] == [
        ("Zip Hoodie", False),
        ("acme Hoodie", True),
    ]
    assert "Would match 2 products" in body


def test_the_preview_fragment_for_htmx_holds_the_create_section(merchant_client, tenant_records, hoodies):
    url = reverse("dashboard:channel_templates", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.get(
        url, {"match_field": "vendor", "match_value": "Nobody", "q": ""}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert response.context["preview"].total == 0
    assert 'id="tpl-create"' in response.content.decode()


def test_creating_a_template_maps_the_unmapped_matches_and_keeps_existing_mappings(
    merchant_client, tenant_records, hoodies
):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    mapped, unmapped = hoodies
    url = reverse("dashboard:template_create", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, _create_body(), follow=True)

    template = CategoryTemplate.objects.get(name="Hoodies")
    assert (template.channel_id, template.match_field, template.match_value, template.priority) == (
        tenant_records["channel_id"],
        "product_type",
        "Hoodie",
        10,
    )
    assert (template.tiktok_category_id, template.tiktok_category_path) == ("601226", "Menswear>Hoodies")
    assert template.attribute_defaults == {"100198": "Cotton"}
    assert template.defaults == {}
    new = CategoryMapping.objects.get(product=unmapped)
    assert (new.source, new.template_id, new.attribute_values) == (
        "template",
        template.pk,
        {"100198": "Cotton"},
    )
    old = CategoryMapping.objects.get(pk=tenant_records["mapping_id"])
    assert (old.source, old.template_id) == ("manual", None)
    assert response.redirect_chain[-1][0].endswith(
        f"/mappings/channels/{tenant_records['channel_id']}/templates/"
    )
    assert _messages(response) == ["Template “Hoodies” created; 1 product(s) mapped to Menswear>Hoodies."]


def test_creating_without_apply_maps_nothing(merchant_client, tenant_records, hoodies):
    from shopbridge.listings.models import CategoryMapping

    _mapped, unmapped = hoodies
    url = reverse("dashboard:template_create", kwargs={"channel_id": tenant_records["channel_id"]})
    body = _create_body()
    del body["apply"]

    response = merchant_client.post(url, body, follow=True)

    assert response.status_code == 200
    assert not CategoryMapping.objects.filter(product=unmapped).exists()
    assert _messages(response) == ["Template “Hoodies” created."]


def test_a_non_leaf_category_is_refused_with_the_fix_and_creates_nothing(
    merchant_client, tenant_records, hoodies
):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    url = reverse("dashboard:template_create", kwargs={"channel_id": tenant_records["channel_id"]})
    before = (CategoryTemplate.objects.count(), CategoryMapping.objects.count())

    response = merchant_client.post(url, _create_body(category_id="601200"))

    assert response.status_code == 422
    assert response.context["form"].errors["category_id"] == [
        "“Menswear” is not a leaf category: TikTok only accepts products in the last level."
    ]
    assert "Choose one of its sub-categories." in response.content.decode()
    assert (CategoryTemplate.objects.count(), CategoryMapping.objects.count()) == before


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("attribute_defaults", "[1, 2]", 'Write a JSON object, e.g. {"attribute id": "…"}.'),
        ("defaults", "{not json", "Enter a valid JSON."),
        ("match_value", "   ", "This field is required."),
        ("category_id", "", "Choose a TikTok category."),
        ("priority", "-1", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_invalid_input_is_shown_on_the_form_and_creates_nothing(
    merchant_client, tenant_records, hoodies, field, value, error
):
    from shopbridge.listings.models import CategoryTemplate

    url = reverse("dashboard:template_create", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, _create_body(**{field: value}))

    assert response.status_code == 422
    assert response.context["form"].errors[field] == [error]
    assert CategoryTemplate.objects.count() == 1  # the tenant's sample only


def test_deleting_a_template_keeps_the_categories_it_mapped(merchant_client, tenant_records):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    CategoryMapping.objects.filter(pk=tenant_records["mapping_id"]).update(
        template_id=tenant_records["template_id"], source="template"
    )
    url = reverse("dashboard:template_delete", kwargs={"template_id": tenant_records["template_id"]})

    response = merchant_client.post(url, follow=True)

    assert not CategoryTemplate.objects.filter(pk=tenant_records["template_id"]).exists()
    mapping = CategoryMapping.objects.get(pk=tenant_records["mapping_id"])
    assert (mapping.tiktok_category_id, mapping.template_id) == ("601226", None)
    assert _messages(response) == [
        "Template “acme hoodies rule” deleted; products it mapped keep their category."
    ]


def test_apply_now_maps_the_unmapped_matches(merchant_client, tenant_records, hoodies):
    from shopbridge.listings.models import CategoryMapping

    _mapped, unmapped = hoodies
    url = reverse("dashboard:templates_apply", kwargs={"channel_id": tenant_records["channel_id"]})

    response = merchant_client.post(url, follow=True)

    mapping = CategoryMapping.objects.get(product=unmapped)
    assert (mapping.tiktok_category_id, mapping.template_id) == ("601226", tenant_records["template_id"])
    assert CategoryMapping.objects.count() == 2
    assert _messages(response) == [
        "1 unmapped product(s) mapped by templates; mapped products were left as they are."
    ]


def test_another_merchant_gets_404_and_changes_nothing(
    other_client, tenant_records, other_tenant_records, hoodies
):
    from shopbridge.listings.models import CategoryMapping, CategoryTemplate

    channel_id = tenant_records["channel_id"]
    before = (CategoryTemplate.objects.count(), CategoryMapping.objects.count())

    page = other_client.get(reverse("dashboard:channel_templates", kwargs={"channel_id": channel_id}))
    create = other_client.post(
        reverse("dashboard:template_create", kwargs={"channel_id": channel_id}), _create_body()
    )
    apply = other_client.post(reverse("dashboard:templates_apply", kwargs={"channel_id": channel_id}))
    delete = other_client.post(
        reverse("dashboard:template_delete", kwargs={"template_id": tenant_records["template_id"]})
    )

    assert [r.status_code for r in (page, create, apply, delete)] == [404, 404, 404, 404]
    assert (CategoryTemplate.objects.count(), CategoryMapping.objects.count()) == before


def test_template_posts_without_a_csrf_token_are_refused(tenant_records, merchant):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from shopbridge.listings.models import CategoryTemplate

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(
        get_user_model().objects.get(username="acme"), backend="django.contrib.auth.backends.ModelBackend"
    )

    response = browser.post(
        reverse("dashboard:template_delete", kwargs={"template_id": tenant_records["template_id"]})
    )

    assert response.status_code == 403
    assert CategoryTemplate.objects.filter(pk=tenant_records["template_id"]).exists()


def test_the_channel_and_mapping_pages_link_to_the_templates(merchant_client, tenant_records):
    url = reverse("dashboard:channel_templates", kwargs={"channel_id": tenant_records["channel_id"]})

    channel_page = merchant_client.get(
        reverse("dashboard:channel", kwargs={"channel_id": tenant_records["channel_id"]})
    )
    mappings_page = merchant_client.get(reverse("dashboard:mappings"))

    assert f'href="{url}"' in channel_page.content.decode()
    assert f'href="{url}"' in mappings_page.content.decode()
