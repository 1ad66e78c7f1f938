"""Category suggestions for a store product: top TikTok leaves of the shop, ranked locally."""

from __future__ import annotations

import threading

from shopbridge.catalog.models import Category, Product
from shopbridge.connections.models import ShopConnection
from shopbridge.mapping.suggest import CategoryIndex, suggest_categories

from .categories import ensure_categories
from .models import TikTokCategory

_indexes: dict[tuple[int, int], CategoryIndex] = {}
_lock = threading.Lock()


def _index(shop: ShopConnection) -> CategoryIndex:
    ensure_categories(shop)
    leaves = TikTokCategory.objects.filter(shop=shop, is_leaf=True)
    version = (leaves.count(), int(max((c.pk for c in leaves.only("pk")), default=0)))
    key = (shop.pk, hash(version))
    with _lock:
        index = _indexes.get(key)
        if index is None:
            index = CategoryIndex(
                [{"id": c.category_id, "path": c.path} for c in leaves.only("category_id", "path")]
            )
            _indexes[key] = index
        return index


def product_text(product: Product) -> dict:
    names = Category.objects.filter(
        store=product.store, external_id__in=[str(c) for c in product.category_ids or []]
    )
    return {
        "title": product.title,
        "product_type": product.product_type,
        "category_path": " > ".join(c.path or c.name for c in names),
        "tags": list(product.tags or []),
    }


def suggest_for_product(*, shop: ShopConnection, product: Product, k: int = 5) -> list[dict]:
    return [
        {"category_id": cid, "path": path, "score": round(score, 4)}
        for cid, path, score in suggest_categories(product_text(product), _index(shop), k=k)
    ]
