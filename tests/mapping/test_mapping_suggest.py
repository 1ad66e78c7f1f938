"""Local category suggestions."""

from __future__ import annotations

import csv
from pathlib import Path

from mapping_samples import catalogue, load_labels, product_text, uk_categories

from shopbridge.mapping.suggest import CategoryIndex, suggest_categories, tokenize
from shopbridge.mapping.types import CategoryInfo

LABELS = Path(__file__).with_name("mapping_category_labels.csv")
SMALL = [
    {"id": "854152", "path": "Home Supplies>Home Decor>Candles"},
    {"id": "952584", "path": "Toys & Hobbies>DIY>Candle & Soap Making"},
    {"id": "605280", "path": "Fashion Accessories>Costume Jewellery & Accessories>Necklaces"},
    {"id": "974600", "path": "Jewellery Accessories & Derivatives>Pearl>Pearl Necklaces & Pendants"},
    {"id": "601226", "path": "Menswear & Underwear>Men's Tops>T-shirts"},
    {"id": "601302", "path": "Womenswear & Underwear>Women's Tops>T-shirts"},
    {"id": "835720", "path": "Sports & Outdoor>Sport & Outdoor Clothing>Sports T-shirts"},
    {"id": "812936", "path": "Pet Supplies>Dog & Cat Furniture>Beds, Sofas & Mats"},
    {"id": "604468", "path": "Furniture>Indoor Furniture>Sofas"},
]


def ids(text: dict, categories=SMALL, k: int = 5) -> list[str]:
    return [cid for cid, _, _ in suggest_categories(text, categories, k=k)]


def test_leaf_match_wins_over_a_longer_leaf_with_the_same_word() -> None:
    assert ids({"title": "Vanilla candle"})[0] == "854152"


def test_qualifier_words_the_product_lacks_count_against_a_leaf() -> None:
    assert ids({"title": "Dainty Gold Neclace", "tags": ["Gold"]})[:2] == [
        "605280",
        "974600",
    ]  # typo tolerated


def test_gender_and_audience_hints() -> None:
    assert ids({"title": "Crew T-Shirt", "tags": ["women"]})[0] == "601302"
    assert ids({"title": "Crew Tee", "category_path": "Men/Tops/Tees"})[0] == "601226"
    assert ids({"title": "Grey Couch"})[0] == "604468"  # not the pet sofa
    assert ids({"title": "Grey dog sofa", "tags": ["pet"]})[0] == "812936"


def test_results_are_sorted_deterministic_and_accept_category_objects() -> None:
    objects = [CategoryInfo(id=c["id"], path=c["path"]) for c in SMALL]
    ranked = suggest_categories({"title": "Candle"}, objects, k=2)
    assert ranked == suggest_categories({"title": "Candle"}, CategoryIndex(objects), k=2)
    assert [r[0] for r in ranked] == ["854152", "952584"]
    assert ranked[0][2] > ranked[1][2] > 0


def test_no_text_or_no_match_gives_no_suggestion() -> None:
    assert suggest_categories({"title": ""}, SMALL) == []
    assert suggest_categories({"title": "zzzz qqqq"}, SMALL) == []


def test_tokenize_normalises_spellings_plurals_and_store_synonyms() -> None:
    assert tokenize("Women's T-Shirts & Jumpers") == ("women", "tshirt", "jumper")
    assert tokenize("Throw Pillows", expand=True) == ("cushion",)
    assert tokenize("Hair Bands") == ("hair", "band")  # store-side synonyms never touch TikTok's tree


def test_labelled_set_is_big_enough_and_points_at_real_uk_leaves(shared_data: Path) -> None:
    labels = load_labels(LABELS)
    known = {c["id"] for c in uk_categories(shared_data)}
    products = catalogue(shared_data)
    assert len(labels) >= 120
    assert all(cid in known for _, _, cid in labels)
    assert all((source, key) in products for source, key, _ in labels)
    with LABELS.open(encoding="utf-8") as handle:
        assert len({(r["source"], r["key"]) for r in csv.DictReader(handle)}) == len(labels)


def test_top5_accuracy_on_the_labelled_set(shared_data: Path) -> None:
    labels = load_labels(LABELS)
    products = catalogue(shared_data)
    index = CategoryIndex(uk_categories(shared_data))
    hits = sum(expected in ids(product_text(products[(s, k)]), index) for s, k, expected in labels)
    assert hits / len(labels) >= 0.9  # bench/category_suggest_accuracy.py prints the exact figures
