"""Accuracy of the local category suggester on a hand-labelled set of sample products.

Reads the public sample catalogues and the TikTok UK leaf list from ../shared/data (not shipped),
and the labels from tests/mapping/mapping_category_labels.csv (source, handle/sku -> UK leaf id,
chosen by a person). Prints ``top1_accuracy: x`` and ``top5_accuracy: y``; ``--misses`` lists the
products whose label was not in the top 5.

    .venv/bin/python bench/category_suggest_accuracy.py [--misses]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT / "tests" / "mapping"))  # the sample-catalogue parsers live with the tests

from mapping_samples import catalogue, load_labels, product_text, uk_categories  # noqa: E402

from shopbridge.mapping.suggest import CategoryIndex, suggest_categories  # noqa: E402


def main(argv: list[str]) -> int:
    if not SHARED_DATA.is_dir():
        print(f"skipped: reference data not found at {SHARED_DATA} (a fresh clone has no ../shared)")
        return 0
    labels = load_labels(ROOT / "tests" / "mapping" / "mapping_category_labels.csv")
    products = catalogue(SHARED_DATA)
    index = CategoryIndex(uk_categories(SHARED_DATA))
    paths = {e.id: e.path for e in index.entries}
    top1 = top5 = 0
    misses = []
    started = time.perf_counter()
    for source, key, expected in labels:
        ranked = suggest_categories(product_text(products[(source, key)]), index, k=5)
        ids = [cid for cid, _, _ in ranked]
        top1 += bool(ids) and ids[0] == expected
        top5 += expected in ids
        if expected not in ids:
            misses.append((source, key, products[(source, key)].title, paths.get(expected), ranked[:2]))
    elapsed = time.perf_counter() - started
    print(f"labelled_products: {len(labels)}")
    print(f"top1_accuracy: {top1 / len(labels):.3f}")
    print(f"top5_accuracy: {top5 / len(labels):.3f}")
    print(f"ms_per_product: {1000 * elapsed / len(labels):.1f}")
    if "--misses" in argv:
        for source, key, title, expected_path, ranked in misses:
            print(f"MISS {source}/{key} '{title}': wanted {expected_path}; got {[p for _, p, _ in ranked]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
