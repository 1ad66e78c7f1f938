"""A URL converter for database ids: at most 18 digits, so no id overflows a 64-bit column (404, not 500)."""

from __future__ import annotations


class IdConverter:
    regex = "[1-9][0-9]{0,17}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
