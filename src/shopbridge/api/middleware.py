"""Wrap errors Django answers before ninja runs (unknown /api/ path, wrong method, a crash in
middleware) in the API's error envelope, so clients parse one shape for every failure."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .errors import error_response

API_PREFIX = "/api/"


def _is_envelope(response: HttpResponse) -> bool:
    if not response.get("Content-Type", "").startswith("application/json"):
        return False
    try:
        return "error" in json.loads(response.content)
    except (ValueError, TypeError, AttributeError):
        return False


class ApiErrorEnvelopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(API_PREFIX) or response.status_code < 400:
            return response
        if getattr(response, "streaming", False) or _is_envelope(response):
            return response
        wrapped = error_response(response.status_code)
        if response.has_header("Allow"):
            wrapped["Allow"] = response["Allow"]
        return wrapped
