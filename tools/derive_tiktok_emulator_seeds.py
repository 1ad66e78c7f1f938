"""Derive the TikTok Shop emulator's compact facts files from ../shared/data.

Run from the repository root:  .venv/bin/python tools/derive_tiktok_emulator_seeds.py

Only facts are copied (category ids, parent ids, names, leaf flags, permission statuses, rule flags,
certificate names, attribute ids/names/value ids, tracking-number regexes). The source files are not
shipped: several of them declare no licence (see ../shared/data/README.md).

Outputs (src/shopbridge_sandbox/tiktok_shop/data/):
- categories_gb.json  UK leaves (tiktok-uk-categories-extracted) with their ancestor chain; ancestor ids come
                      from the BR tree, else the ID tree (ids are shared across markets, data/README.md), else a
                      synthetic id derived from the path (documented in the file's "synthetic_ids").
- categories_br.json  the full BR tree (tiktok-categories-br, MIT), with English names overlaid from the UK
                      list where the ids match ("name_en").
- categories_id.json  the ID tree (tiktok-categories-id).
- rules_id.json       ID category rules, only the leaves whose rules differ from the most common default.
- attributes_gb.json  the 19 UK attribute definitions (StaticAttributes).
- tracking_formats.json  tracking-number regexes + valid test numbers per courier (tracking_number_data, MIT).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "src" / "shopbridge_sandbox" / "tiktok_shop" / "data"

TRACKING_COURIERS = ("s10", "dpd", "yodel", "fedex", "ups", "usps", "amazon", "dhl")


def _load(rel: str) -> Any:
    return json.loads((SHARED / rel).read_text(encoding="utf-8"))


def _write(name: str, payload: Any) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    (OUT / name).write_text(text + "\n", encoding="utf-8")
    print(f"wrote {name}: {len(text):,} bytes")


def _tree_rows(categories: list[dict[str, Any]]) -> list[list[Any]]:
    """Compact rows: [id, parent_id, local_name, is_leaf, permission_statuses]."""
    return [
        [
            c["id"],
            c["parent_id"],
            c["local_name"],
            bool(c["is_leaf"]),
            list(c.get("permission_statuses") or []),
        ]
        for c in categories
    ]


def _synthetic_id(path: str) -> str:
    # 9-digit id in a range real category ids do not use (they are 6-7 digits), stable across runs.
    return "9" + str(int(hashlib.sha256(path.encode()).hexdigest(), 16) % 10**8).zfill(8)


def derive_gb(br: dict[str, dict[str, Any]], idt: dict[str, dict[str, Any]]) -> dict[str, Any]:
    uk = _load("tiktok-uk-categories-extracted/CategoryListData.tiktok_uk.json")
    nodes: dict[str, list[Any]] = {}
    synthetic: list[str] = []
    known_paths: dict[str, str] = {}
    resolved: list[tuple[str, list[str], list[str] | None]] = []
    for record in uk:
        leaf_id = str(record["category_id"])
        names = [part.strip() for part in record["category_path"].split(">")]
        chain = _ancestor_ids(leaf_id, br) or _ancestor_ids(leaf_id, idt)
        if chain is not None and len(chain) == len(names):
            for i, cid in enumerate(chain):
                known_paths.setdefault(">".join(names[: i + 1]), cid)
        else:
            chain = None
        resolved.append((leaf_id, names, chain))
    for leaf_id, names, chain in resolved:
        if chain is None:
            # Reuse a real ancestor id reached by the same English path, else a synthetic id.
            prefixes = [">".join(names[: i + 1]) for i in range(len(names) - 1)]
            chain = [known_paths.get(p) or _synthetic_id(p) for p in prefixes] + [leaf_id]
            synthetic.extend(c for c, p in zip(chain, prefixes, strict=False) if p not in known_paths)
        parent = "0"
        for depth, (cid, name) in enumerate(zip(chain, names, strict=True)):
            is_leaf = depth == len(chain) - 1
            permission = (br.get(cid) or idt.get(cid) or {}).get("permission_statuses") or ["AVAILABLE"]
            existing = nodes.get(cid)
            if existing is None or is_leaf:
                nodes[cid] = [cid, parent, name, is_leaf, list(permission)]
            parent = cid
    return {
        "categories": sorted(nodes.values(), key=lambda r: int(r[0])),
        "synthetic_ids": sorted(set(synthetic)),
    }


def _ancestor_ids(leaf_id: str, tree: dict[str, dict[str, Any]]) -> list[str] | None:
    if leaf_id not in tree:
        return None
    chain = [leaf_id]
    node = tree[leaf_id]
    while node["parent_id"] != "0":
        node = tree.get(node["parent_id"])
        if node is None:
            return None
        chain.append(node["id"])
    return list(reversed(chain))


def derive_rules() -> dict[str, Any]:
    raw = _load("tiktok-categories-id/tiktok_category_rules.json")["rules"]

    def flags(rules: dict[str, Any]) -> dict[str, Any]:
        return {
            "cod_supported": bool(rules["cod"]["is_supported"]),
            "epr_required": bool(rules["epr"]["is_required"]),
            "package_dimension_required": bool(rules["package_dimension"]["is_required"]),
            "size_chart_required": bool(rules["size_chart"]["is_required"]),
            "size_chart_supported": bool(rules["size_chart"]["is_supported"]),
        }

    default = Counter(json.dumps(flags(v["rules"]), sort_keys=True) for v in raw.values()).most_common(1)[0][
        0
    ]
    out: dict[str, Any] = {}
    for leaf_id, entry in raw.items():
        f = flags(entry["rules"])
        certs = [
            {"id": c["id"], "name": c["name"], "is_required": bool(c.get("is_required"))}
            for c in entry["rules"].get("product_certifications") or []
        ]
        if json.dumps(f, sort_keys=True) != default or certs:
            out[leaf_id] = {**f, "certifications": certs}
    return {"default": json.loads(default), "rules": out}


def derive_attributes() -> list[dict[str, Any]]:
    raw = _load("tiktok-uk-categories-extracted/StaticAttributes.tiktok_uk.json")
    attrs = []
    for a in raw:
        # Only real TikTok attribute ids (digits); the file's pseudo-attributes (package_*, cod, Brand, ...) are
        # the source app's own form fields, not TikTok attributes.
        if not str(a["id"]).isdigit():
            continue
        attrs.append(
            {
                "id": str(a["id"]),
                "name": a["name"],
                "type": "SALES_PROPERTY" if a.get("attribute_type") == 2 else "PRODUCT_PROPERTY",
                "is_customizable": bool(a.get("customized_name")),
                "is_multiple_selection": bool(a.get("is_multiselect")),
                "values": [{"id": str(v["id"]), "name": v["name"]} for v in a.get("values") or []],
            }
        )
    return attrs


def derive_tracking() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for courier in TRACKING_COURIERS:
        data = _load(f"tracking_number_data/{courier}.json")
        formats = []
        for t in data["tracking_numbers"]:
            regex = t["regex"] if isinstance(t["regex"], str) else "".join(t["regex"])
            regex = re.sub(r"\(\?<([A-Za-z0-9_]+)>", r"(?P<\1>", regex)
            formats.append(
                {
                    "name": t["name"],
                    "regex": regex,
                    "valid": list(t.get("test_numbers", {}).get("valid") or [])[:3],
                }
            )
        out[courier] = {"name": data["name"], "formats": formats}
    return out


def main() -> int:
    if not SHARED.is_dir():
        print(f"reference data not found at {SHARED}", file=sys.stderr)
        return 1
    br_list = _load("tiktok-categories-br/tiktok_categories.json")["data"]["categories"]
    id_list = _load("tiktok-categories-id/tiktok_categories_l3.json")["categories"]
    br = {c["id"]: c for c in br_list}
    idt = {c["id"]: c for c in id_list}
    gb = derive_gb(br, idt)
    english = {row[0]: row[2] for row in gb["categories"]}
    br_rows = _tree_rows(br_list)
    for row in br_rows:
        row.append(english.get(row[0], ""))
    _write("categories_gb.json", gb)
    _write(
        "categories_br.json",
        {"categories": br_rows, "columns": "id,parent_id,local_name,is_leaf,permission_statuses,name_en"},
    )
    _write("categories_id.json", {"categories": _tree_rows(id_list)})
    _write("rules_id.json", derive_rules())
    _write("attributes_gb.json", {"attributes": derive_attributes()})
    _write("tracking_formats.json", derive_tracking())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
