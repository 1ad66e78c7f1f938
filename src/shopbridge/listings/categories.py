"""TikTok's category tree per shop, cached in the database and refreshed from the API."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from shopbridge.connections.models import ShopConnection
from shopbridge.core.errors import ValidationFailed
from shopbridge.mapping.regions import region_rules
from shopbridge.mapping.types import CategoryInfo

from .models import TikTokCategory

DETAILS_MAX_AGE = timedelta(days=1)


def _version(shop: ShopConnection) -> str:
    """US shops use category tree v2, the others v1 (../shared/spec/tiktok-shop-api.md §8.1)."""
    return region_rules(shop.region).category_version


def categories_refresh(*, shop: ShopConnection) -> int:
    """Fetch the shop's categories and store them with full paths ("L1>L2>Leaf")."""
    from shopbridge.sync.clients import tiktok_client

    cats = tiktok_client(shop).products.categories(category_version=_version(shop))
    by_id = {str(c.id): c for c in cats}

    def path_of(cid: str) -> str:
        names, seen = [], set()
        while cid and cid in by_id and cid not in seen:
            seen.add(cid)
            names.append(by_id[cid].local_name)
            cid = str(by_id[cid].parent_id or "")
            if cid in ("0", ""):
                break
        return ">".join(reversed(names))

    rows = [
        TikTokCategory(
            shop=shop,
            category_id=str(c.id),
            parent_id=str(c.parent_id or ""),
            name=c.local_name,
            path=path_of(str(c.id))[:1500],
            is_leaf=bool(c.is_leaf),
        )
        for c in cats
    ]
    with transaction.atomic():
        TikTokCategory.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["shop", "category_id"],
            update_fields=["parent_id", "name", "path", "is_leaf", "updated_at"],
        )
    return len(rows)


def ensure_categories(shop: ShopConnection) -> None:
    if not TikTokCategory.objects.filter(shop=shop).exists():
        categories_refresh(shop=shop)


def leaf_category(shop: ShopConnection, category_id: str) -> TikTokCategory:
    ensure_categories(shop)
    cat = TikTokCategory.objects.filter(shop=shop, category_id=str(category_id)).first()
    if cat is None:
        raise ValidationFailed(
            f"TikTok category {category_id} does not exist in the {shop.region} shop.",
            code="category_unknown",
            fix="Pick a category from the list or the suggestions.",
        )
    if not cat.is_leaf:
        raise ValidationFailed(
            f"“{cat.path}” is not a leaf category: TikTok only accepts products in the last level.",
            code="category_not_leaf",
            fix="Choose one of its sub-categories.",
        )
    return cat


def category_info(shop: ShopConnection, category_id: str) -> CategoryInfo:
    """The leaf with its attributes and rules, fetched from TikTok at most once a day."""
    from shopbridge.sync.clients import tiktok_client

    cat = leaf_category(shop, category_id)
    fresh = cat.details_fetched_at and timezone.now() - cat.details_fetched_at < DETAILS_MAX_AGE
    if not fresh:
        client = tiktok_client(shop)
        version = _version(shop)
        attributes = [
            a.model_dump(mode="json")
            for a in client.products.attributes(cat.category_id, category_version=version)
        ]
        rules = client.products.category_rules(cat.category_id, category_version=version).model_dump(
            mode="json"
        )
        TikTokCategory.objects.filter(pk=cat.pk).update(
            attributes=attributes, rules=rules, details_fetched_at=timezone.now()
        )
        cat.attributes, cat.rules = attributes, rules
    return CategoryInfo.from_api(
        category_id=cat.category_id,
        path=cat.path,
        is_leaf=cat.is_leaf,
        attributes=cat.attributes,
        rules=cat.rules,
    )
