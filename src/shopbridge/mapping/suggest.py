"""Suggest TikTok leaf categories for a store product, locally (no network, no model).

Each category path ("Womenswear & Underwear>Women's Tops>Hoodies & Jumpers") is split into
normalised tokens per segment; the product's title, type, store category path and tags are
tokenised the same way. A product token matching a token of the *leaf* segment counts most, the
middle segment less, the top level least; matches use a synonym table (tee -> t-shirt, couch ->
sofa, colour spellings…) and rapidfuzz for typos and plurals ("neclace", "hoodlie"). Categories
aimed at a different audience (kids, baby, pets, men vs women) are damped unless the product says
so. TikTok's own recommender (§8.5 Recommend Category) is an online alternative; this one works
offline and explains itself through its score.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

# Field weights: what the merchant typed as a type or category is a stronger hint than tags.
FIELD_WEIGHTS = {"title": 1.0, "product_type": 1.0, "category_path": 1.1, "tags": 0.45}
HEAD_NOUN_BOOST = 1.5  # the last word of a title names the thing ("Clay Plant *Pot*")
# Segment weights, top level -> leaf.
SEGMENT_WEIGHTS = (0.6, 1.2, 3.0)
FUZZY_CUTOFF = 86
UNMATCHED_LEAF_PENALTY = 0.35

_STOPWORDS_TEXT = (
    "and the with for of a an in on s to by other others accessories default category collection"
    " collections new sale promotions all misc products"
)
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())

# Phrases normalised on both sides (store text and TikTok paths), applied before tokenising.
SHARED_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bt[\s-]?shirts?\b", "tshirt"),
    (r"\btees?\b", "tshirt"),
    (r"\bmen'?s\b", "men"),
    (r"\bwomen'?s\b", "women"),
    (r"\bmenswear\b", "men"),
    (r"\bwomenswear\b", "women"),
    (r"\bkids'?\b", "kid"),
)
# Store phrases that name a TikTok category in other words (store side only).
STORE_PHRASES: tuple[tuple[str, str], ...] = (
    (r"\bhigh[\s-]?tops?\b", "trainer"),
    (r"\bbean\s?bags?\b", "beanbag"),
    (r"\bbed\s?clothes\b", "bedding set"),
    (r"\bwatering\s+cans?\b", "watering"),
    (r"\bjump(ing)?\s+ropes?\b", "skipping rope"),
    (r"\bbra\s+tops?\b", "sports bra"),
    (r"\byoga\s+(brick|block|strap|mat)s?\b", "yoga pilates"),
    (r"\bfoam\s+roller\b", "yoga pilates"),
    (r"\bpush[\s-]?up\s+grips?\b", "weight training"),
    (r"\bthrow\s+pillows?\b", "cushion"),
    (r"\bbedside\s+tables?\b", "bedside"),
    (r"\bdrawers\b", "cabinet"),
)

# Spellings and plain synonyms, normalised on both sides.
SPELLINGS: dict[str, str] = {
    "tshirts": "tshirt",
    "sweater": "jumper",
    "sweatshirt": "jumper",
    "pullover": "jumper",
    "hoody": "hoodie",
    "coat": "jacket",
    "pant": "trouser",
    "pants": "trouser",
    "tank": "vest",  # UK English: a tank top is a vest
    "sneaker": "trainer",
    "jewelry": "jewellery",
    "jewelery": "jewellery",
    "couch": "sofa",
    "settee": "sofa",
    "man": "men",
    "mens": "men",
    "male": "men",
    "woman": "women",
    "womens": "women",
    "ladies": "women",
    "lady": "women",
    "female": "women",
    "kids": "kid",
    "child": "kid",
    "children": "kid",
    "rucksack": "backpack",
    "sunglass": "sunglasses",
}
# Store words expanded to the words TikTok's tree uses (store side only, so "Hair Bands" in the
# tree never turns into "resistance band").
EXPANSIONS: dict[str, str] = {
    "pullie": "jumper",
    "crewneck": "jumper",
    "hoodlie": "hoodie",
    "hooded": "hoodie",
    "capri": "trouser",
    "jogger": "trouser",
    "tight": "legging",
    "tights": "legging",
    "shell": "jacket",
    "parka": "jacket",
    "jackshirt": "jacket",
    "tunic": "blouse",
    "top": "top blouse",
    "tuxedo": "suit",
    "beanie": "hat",
    "cap": "cap hat",
    "girl": "women",
    "choker": "choker necklace",
    "pendant": "pendant necklace",
    "bangle": "bangle bracelet",
    "armchair": "chair",
    "beanbag": "chair",
    "pillow": "pillow cushion",
    "lamp": "lamp lighting",
    "light": "light lighting",
    "planter": "pot",
    "plant": "plant garden",
    "trowel": "spade",
    "fence": "garden decor",
    "slat": "garden decor",
    "pennant": "hanging decor",
    "duffle": "travel bag",
    "duffel": "travel bag",
    "messenger": "crossbody shoulder bag",
    "tote": "tote bag",
    "band": "resistance band",
    "stasis": "gym ball",
    "cardio": "weight training",
    "analog": "watch",
    "digital": "watch",
}

AUDIENCE_TOKENS = {
    "kid": frozenset({"kid", "baby", "toddler", "infant"}),
    "baby": frozenset({"baby", "infant", "newborn", "toddler"}),
    "pet": frozenset({"pet", "dog", "cat", "puppy"}),
    "muslim": frozenset({"muslim", "islamic", "hijab", "abaya"}),
    "test": frozenset({"test"}),
    "auto": frozenset({"car", "automotive", "motorcycle", "vehicle"}),
    "toy": frozenset({"toy", "game", "kid"}),
}
DAMPING = 0.55  # score factor for an audience the product does not mention


def _singular(token: str) -> str:
    if len(token) <= 3 or token.endswith(("ss", "us", "is")):
        return token
    if token.endswith("ies"):
        return token[:-3] + "y"
    if token.endswith(("ches", "shes", "xes", "sses")):
        return token[:-2]
    if token.endswith("s"):
        return token[:-1]
    return token


def _normalise(raw: str, expand: bool) -> str:
    singular = _singular(raw)
    for table in (SPELLINGS, EXPANSIONS) if expand else (SPELLINGS,):
        found = table.get(raw) or table.get(singular)
        if found:
            return found
    return singular


@lru_cache(maxsize=20_000)
def tokenize(text: str, *, expand: bool = False) -> tuple[str, ...]:
    """Lower-cased, normalised, singular tokens. ``expand`` adds the store-side synonyms."""
    lowered = text.lower().replace("&trade;", " ").replace("&reg;", " ").replace("&amp;", " ")
    for pattern, replacement in SHARED_PHRASES + (STORE_PHRASES if expand else ()):
        lowered = re.sub(pattern, f" {replacement} ", lowered)
    out: list[str] = []
    for raw in re.findall(r"[a-z0-9]+", lowered):
        if raw in STOPWORDS or raw.isdigit():
            continue
        out.extend(t for t in _normalise(raw, expand).split() if t not in STOPWORDS)
    return tuple(out)


@dataclass(frozen=True)
class _Entry:
    id: str
    path: str
    token_weights: Mapping[str, float]  # token -> best segment weight
    audiences: frozenset[str]
    leaf: str
    leaf_tokens: frozenset[str]


def _category_id_and_path(category: Any) -> tuple[str, str]:
    if isinstance(category, Mapping):
        cid = category.get("id", category.get("category_id"))
        path = category.get("path", category.get("category_path"))
    else:
        cid, path = category.id, category.path
    if isinstance(path, (tuple, list)):
        path = ">".join(path)
    return str(cid), str(path)


def _segments(path: str) -> list[str]:
    return [s.strip() for s in re.split(r"\s*>\s*", path) if s.strip()]


class CategoryIndex:
    """Pre-tokenised categories; build once per category list and reuse for many products."""

    def __init__(self, categories: Iterable[Any]) -> None:
        self.entries: list[_Entry] = []
        for category in categories:
            cid, path = _category_id_and_path(category)
            segments = _segments(path)
            if not segments:
                continue
            self.entries.append(self._entry(cid, segments))
        self.vocabulary = sorted({t for e in self.entries for t in e.token_weights})
        # Inverse document frequency: "equipment" (in many paths) tells less than "yoga" (in few).
        counts: dict[str, int] = {}
        for entry in self.entries:
            for token in entry.token_weights:
                counts[token] = counts.get(token, 0) + 1
        total = max(len(self.entries), 1)
        self.idf = {t: math.log((total + 1) / (n + 1)) / math.log(total + 1) + 0.5 for t, n in counts.items()}
        self._vocabulary_set = frozenset(self.vocabulary)
        self._expanded: dict[str, tuple[tuple[str, float], ...]] = {}

    @staticmethod
    def _entry(cid: str, segments: list[str]) -> _Entry:
        weights: dict[str, float] = {}
        offset = len(SEGMENT_WEIGHTS) - len(segments)
        for depth, segment in enumerate(segments):
            weight = SEGMENT_WEIGHTS[max(0, min(depth + offset, len(SEGMENT_WEIGHTS) - 1))]
            if depth == len(segments) - 1:
                weight = SEGMENT_WEIGHTS[-1]  # the leaf always weighs most, whatever the depth
            for token in tokenize(segment):
                weights[token] = max(weights.get(token, 0.0), weight)
        path_tokens = set(weights)
        audiences = frozenset(name for name, tokens in AUDIENCE_TOKENS.items() if path_tokens & tokens)
        leaf_tokens = frozenset(tokenize(segments[-1]))
        return _Entry(cid, ">".join(segments), weights, audiences, segments[-1], leaf_tokens)

    def expand(self, token: str) -> tuple[tuple[str, float], ...]:
        """The token itself, or close spellings in the category vocabulary with a similarity factor."""
        cached = self._expanded.get(token)
        if cached is None:
            cached = self._expand(token)
            self._expanded[token] = cached
        return cached

    def _expand(self, token: str) -> tuple[tuple[str, float], ...]:
        if token in self._vocabulary_set:
            return ((token, 1.0),)
        if len(token) < 4:
            return ()
        # Short words need a closer match: "bead" must not become "bread".
        cutoff = FUZZY_CUTOFF if len(token) > 5 else 92
        matches = process.extract(token, self.vocabulary, scorer=fuzz.ratio, score_cutoff=cutoff, limit=3)
        return tuple((match, score / 100.0) for match, score, _ in matches)


def _product_tokens(product_text: Mapping[str, Any]) -> dict[str, float]:
    """Token -> weight, the strongest field that mentions it."""
    weights: dict[str, float] = {}
    for field_name, field_weight in FIELD_WEIGHTS.items():
        value = product_text.get(field_name)
        if not value:
            continue
        texts = [str(v) for v in value] if isinstance(value, (list, tuple, set)) else [str(value)]
        for text in texts:
            parts = _segments(text.replace("/", ">")) if field_name == "category_path" else [text]
            for position, part in enumerate(parts):
                # In a store category path the deepest segment is the most specific.
                bonus = 1.0 + 0.2 * (position == len(parts) - 1 and len(parts) > 1)
                tokens = tokenize(part, expand=True)
                for i, token in enumerate(tokens):
                    head = HEAD_NOUN_BOOST if field_name == "title" and i == len(tokens) - 1 else 1.0
                    weights[token] = max(weights.get(token, 0.0), field_weight * bonus * head)
    return weights


def _score(
    entry: _Entry,
    tokens: Mapping[str, float],
    index: CategoryIndex,
    mentioned: frozenset[str],
) -> float:
    score = 0.0
    matched: set[str] = set()
    for token, weight in tokens.items():
        best = 0.0
        for match, similarity in index.expand(token):
            value = entry.token_weights.get(match, 0.0) * similarity * index.idf.get(match, 1.0)
            if value > best:
                best = value
                matched.add(match)
        score += weight * best
    if score == 0:
        return 0.0
    # Audience: a kids'/pet/car category for a product that never says so is a poor fit, and so is
    # a general category for a product that explicitly says "dog" or "baby".
    if entry.audiences - mentioned or (mentioned and not entry.audiences & mentioned):
        score *= DAMPING
    # Men's vs women's: a category for the other gender is a worse fit than a unisex one.
    for gender, other in (("men", "women"), ("women", "men")):
        if gender in tokens and other in entry.token_weights and gender not in entry.token_weights:
            score *= 0.7
    # Leaf words the product never mentions are qualifiers it does not have ("*Pearl* Necklaces",
    # "*Life* Jackets", "*Sports* T-shirts"): each one makes the leaf a worse fit.
    unmatched = len(entry.leaf_tokens - matched)
    return score / (1.0 + UNMATCHED_LEAF_PENALTY * unmatched)


def suggest_categories(
    product_text: Mapping[str, Any],
    categories: Sequence[Any] | CategoryIndex,
    k: int = 5,
) -> list[tuple[str, str, float]]:
    """Top ``k`` (category_id, path, score) for a product, best first; ties broken by id.

    ``product_text`` has ``title``, ``product_type``, ``category_path`` (store path, ">" or "/"
    separated) and ``tags`` (list). ``categories`` are objects or dicts with ``id``/``path`` (or
    ``category_id``/``category_path``), or a prebuilt ``CategoryIndex``.
    """
    index = categories if isinstance(categories, CategoryIndex) else CategoryIndex(categories)
    tokens = _product_tokens(product_text)
    if not tokens:
        return []
    mentioned = frozenset(name for name, words in AUDIENCE_TOKENS.items() if set(tokens) & words)
    title = str(product_text.get("title") or "")
    scored = []
    for entry in index.entries:
        score = _score(entry, tokens, index, mentioned)
        if score <= 0:
            continue
        # Whole-string similarity of title and leaf breaks near-ties.
        score += 0.2 * fuzz.token_set_ratio(title.lower(), entry.leaf.lower()) / 100.0
        scored.append((round(score, 4), entry.id, entry.path))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(cid, path, score) for score, cid, path in scored[:k]]
