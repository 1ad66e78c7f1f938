"""Cursor pagination on id, newest first: ``?cursor=&limit=`` -> ``{"items", "next_cursor"}``.

The cursor is opaque to clients (base64 of the last id seen): pages stay stable while rows are
added, unlike offsets, and clients cannot build cursors that skip the merchant filter because
the cursor only narrows an already-scoped queryset.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Annotated, Generic, TypeVar

from django.db.models import Model, QuerySet
from ninja import Query, Schema

from .errors import ApiError

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**63 - 1  # a BigAutoField: larger values would overflow the database driver, not miss

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Cursor = Annotated[
    str, Query(max_length=200, description="next_cursor from the previous page; empty for the first")
]


class Page(Schema, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"id": last_id}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))["id"]
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeError) as exc:
        raise _invalid_cursor() from exc
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_ID:
        raise _invalid_cursor()
    return value


def _invalid_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        "The cursor is not one this API issued.",
        "Pass next_cursor from the previous page unchanged, or no cursor for the first page.",
    )


def paginate(qs: QuerySet[Model], *, cursor: str = "", limit: int = DEFAULT_LIMIT) -> dict:
    """One page of ``qs`` ordered by id descending; ``next_cursor`` is None on the last page."""
    qs = qs.order_by("-id")
    if cursor:
        qs = qs.filter(id__lt=decode_cursor(cursor))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_cursor": encode_cursor(rows[-1].pk) if more else None}
