"""Typed, bounded parameters shared by every router (bounds keep junk from reaching the database)."""

from __future__ import annotations

from typing import Annotated

from ninja import Path, Query

from .pagination import MAX_ID

# Ids are BigAutoFields; out-of-range ids are a 422, never a database overflow.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
# NUL bytes are refused by PostgreSQL in text parameters: reject them as invalid input.
Text = Annotated[str, Query(max_length=200, pattern=r"^[^\x00]*$")]
