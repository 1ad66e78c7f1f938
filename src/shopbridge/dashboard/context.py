"""Template context shared by every page: the navigation, with the current section marked."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

# (key, label, url name, path prefixes that belong to the section)
NAV = [
    ("connections", "Connections", "dashboard:connections", ("/connections/", "/channels/")),
    ("catalogue", "Catalogue", "dashboard:catalogue", ("/catalogue/", "/imports/", "/listings/")),
    ("mappings", "Category mapping", "dashboard:mappings", ("/mappings/",)),
    ("orders", "Orders", "dashboard:orders", ("/orders/",)),
    ("activity", "Activity", "dashboard:jobs", ("/activity/",)),
    ("tokens", "API tokens", "dashboard:tokens", ("/settings/",)),
]


def _section(path: str) -> str:
    for key, _label, _url, prefixes in NAV:
        if path.startswith(prefixes):
            return key
    return "home"


def navigation(request: HttpRequest) -> dict:
    if request.path.startswith(("/api/", "/admin/")):
        return {}
    current = _section(request.path)
    items = [{"key": "home", "label": "Home", "url": reverse("dashboard:home"), "current": current == "home"}]
    items += [
        {"key": key, "label": label, "url": reverse(url_name), "current": key == current}
        for key, label, url_name, _prefixes in NAV
    ]
    return {"nav_items": items}
