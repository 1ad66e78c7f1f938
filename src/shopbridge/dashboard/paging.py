"""Page-number pagination and filter parsing for dashboard lists."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PER_PAGE = 25


def page_of(request: HttpRequest, qs: QuerySet, *, per_page: int = PER_PAGE) -> Page:
    """The requested page; out-of-range or junk page numbers give the nearest valid page."""
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def text_param(request: HttpRequest, name: str, *, max_length: int = 200) -> str:
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]


def id_param(request: HttpRequest, name: str) -> int | None:
    """A positive integer filter, or None for anything else (never an error page for a bad filter)."""
    value = request.GET.get(name, "")
    if value.isdigit() and 0 < int(value) < 2**63:
        return int(value)
    return None


def choice_param(request: HttpRequest, name: str, choices: list[str]) -> str:
    value = request.GET.get(name, "")
    return value if value in choices else ""
