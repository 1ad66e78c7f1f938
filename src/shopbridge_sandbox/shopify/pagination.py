"""Cursor pagination the Shopify way: opaque ``page_info`` in a ``Link`` header (spec §3).

``page_info`` is base64url JSON holding the first request's filters and the last id seen (the
real token has the same shape: ``{"last_id": …, "direction": "next", …}``, seen in airbyte#31639).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from .state import ShopifyError

DEFAULT_LIMIT = 50  # spec §2 "REST limit": default 50
MAX_LIMIT = 250  # spec §2: max 250 (UNCONFIRMED-but-standard); larger values are clamped (UNCONFIRMED)
PAGING_PARAMS = {"limit", "page_info", "fields"}
PAGINATION_DOC = "https://shopify.dev/api/usage/pagination-rest"


@dataclass
class Page:
    items: list[dict[str, Any]]
    link: str | None


def encode_page_info(filters: dict[str, str], last_id: int, direction: str) -> str:
    raw = json.dumps({"filters": filters, "last_id": last_id, "direction": direction}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_page_info(token: str) -> tuple[dict[str, str], int, str]:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        filters, last_id, direction = data["filters"], int(data["last_id"]), data["direction"]
        if not isinstance(filters, dict) or direction not in ("next", "prev"):
            raise ValueError(direction)
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        # shopify_python_api#544: 400 {"errors":{"page_info":"Invalid value."}}
        raise ShopifyError(400, {"page_info": "Invalid value."}) from None
    return {str(k): str(v) for k, v in filters.items()}, last_id, direction


def parse_limit(args: dict[str, str]) -> int:
    raw = args.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        raise ShopifyError(400, {"limit": "Invalid value."}) from None
    if limit < 1:
        raise ShopifyError(400, {"limit": "Invalid value."})
    return min(limit, MAX_LIMIT)


def resolve_filters(args: dict[str, str]) -> tuple[dict[str, str], int | None, str]:
    """The filters in force: from the query string, or (with page_info) from the cursor."""
    token = args.get("page_info")
    if not token:
        return {k: v for k, v in args.items() if k not in PAGING_PARAMS}, None, "next"
    for key in args:
        if key not in PAGING_PARAMS:
            # shopify-api-js#755: other params are rejected next to page_info (envelope UNCONFIRMED).
            raise ShopifyError(
                400,
                {
                    key: f"{key} cannot be passed when page_info is present. See {PAGINATION_DOC} for more information."
                },
            )
    return decode_page_info(token)


def paginate(
    args: dict[str, str],
    url: str,
    select: Callable[[dict[str, str]], list[dict[str, Any]]],
) -> Page:
    """One page of ``select(filters)`` (sorted by id ascending) plus its Link header value."""
    limit = parse_limit(args)
    filters, cursor, direction = resolve_filters(args)
    everything = sorted(select(filters), key=lambda r: r["id"])
    if cursor is None:
        window_start = 0
    elif direction == "next":
        window_start = next((i for i, r in enumerate(everything) if r["id"] > cursor), len(everything))
    else:
        before = [i for i, r in enumerate(everything) if r["id"] < cursor]
        window_start = max(0, (before[-1] + 1 if before else 0) - limit)
    items = everything[window_start : window_start + limit]
    links = []
    if window_start + limit < len(everything) and items:
        links.append(_link(url, args, limit, encode_page_info(filters, items[-1]["id"], "next"), "next"))
    if cursor is not None and window_start > 0 and items:
        links.append(_link(url, args, limit, encode_page_info(filters, items[0]["id"], "prev"), "previous"))
    return Page(items=items, link=", ".join(links) or None)


def _link(url: str, args: dict[str, str], limit: int, token: str, rel: str) -> str:
    query = {"limit": str(limit), "page_info": token}
    if "fields" in args:
        query["fields"] = args["fields"]
    # rel values are "next" and "previous", never "prev" (spec §3, D-PAG).
    return f'<{url}?{urlencode(query)}>; rel="{rel}"'
