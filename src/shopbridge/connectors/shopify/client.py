"""Wire protocol of the Shopify Admin REST API: auth, versioned paths, pagination, errors, limits.

Source for every rule: ../shared/spec/stores/shopify.md (section cited at each use).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from shopbridge.connectors.base.protocol import NoGate, RequestGate
from shopbridge.core.errors import (
    AuthExpiredError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryableError,
    SyncError,
    TerminalError,
    ValidationFailed,
)
from shopbridge.core.http import build_client

PLATFORM = "shopify"
CALL_LIMIT_HEADER = "X-Shopify-Shop-Api-Call-Limit"  # "used/bucket", e.g. "32/40" (spec §2)
LINK_PART = re.compile(r'<([^<]+)>; rel="([^"]+)"')  # the official client's regex (spec §3, SJS-LIB)
MAX_PAGE = 250  # spec §2 "REST limit": max 250


def next_page_info(link_header: str | None) -> str | None:
    """The ``page_info`` of the ``rel="next"`` link; None when this was the last page (spec §3)."""
    for url, rel in LINK_PART.findall(link_header or ""):
        if rel == "next":
            values = parse_qs(urlsplit(url).query).get("page_info")
            return values[0] if values else None
    return None


def parse_call_limit(value: str | None) -> tuple[float | None, float | None]:
    """(remaining, bucket size) from ``X-Shopify-Shop-Api-Call-Limit``."""
    if not value or "/" not in value:
        return None, None
    used, _, size = value.partition("/")
    try:
        return float(size) - float(used), float(size)
    except ValueError:
        return None, None


def _errors_of(response: httpx.Response) -> Any:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    if isinstance(body, dict):
        return body.get("errors", body.get("error", body))
    return body


def _field_errors(errors: Any) -> list[FieldError]:
    """Shopify's 422 shapes: {"field": ["msg"]}, ["msg"] or "msg" (spec §4.2, §6.2)."""
    if isinstance(errors, dict):
        found = []
        for field_name, messages in errors.items():
            for message in messages if isinstance(messages, list) else [messages]:
                found.append(
                    FieldError(
                        field=str(field_name),
                        code="shopify_rejected",
                        reason=f"{field_name} {message}" if field_name != "base" else str(message),
                        fix="Correct this field in Shopify or in the order data, then retry.",
                    )
                )
        return found
    messages = errors if isinstance(errors, list) else [errors]
    return [
        FieldError(field="base", code="shopify_rejected", reason=str(m), fix="Correct the data, then retry.")
        for m in messages
    ]


def _summary(errors: Any) -> str:
    if isinstance(errors, dict):
        return "; ".join(
            f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in errors.items()
        )
    if isinstance(errors, list):
        return "; ".join(map(str, errors))
    return str(errors)


def error_for(response: httpx.Response) -> SyncError:
    """Map an error response to the typed error the sync engine acts on."""
    status = response.status_code
    errors = _errors_of(response)
    reason = _summary(errors)
    common: dict[str, Any] = {"platform": PLATFORM, "platform_code": status, "status_code": status}
    if status == 429:
        # 429 + Retry-After in float seconds (spec §2 "Over limit").
        retry_after = response.headers.get("Retry-After")
        try:
            wait = float(retry_after) if retry_after else None
        except ValueError:
            wait = None
        return RateLimitedError(f"Shopify rate limit: {reason}", retry_after=wait, **common)
    if status == 401:
        # Invalid/revoked token or uninstalled app (spec §1 "Bad token"); offline tokens do not expire.
        return AuthExpiredError(
            f"Shopify rejected the access token: {reason}",
            fix="Reinstall or reconnect the Shopify app from Connections.",
            **common,
        )
    if status == 403:
        return PermissionDeniedError(f"Shopify denied the request: {reason}", **common)
    if status == 404:
        return NotFoundError(f"Not found on Shopify: {reason}", **common)
    if status == 422:
        return ValidationFailed(
            f"Shopify rejected the data: {reason}", field_errors=_field_errors(errors), **common
        )
    if status >= 500:
        return RetryableError(f"Shopify is unavailable ({status}): {reason}", **common)
    return TerminalError(f"Shopify refused the request ({status}): {reason}", code="bad_request", **common)


class ShopifyClient:
    """One shop's Admin REST API at a pinned version, with the caller's rate gate."""

    def __init__(
        self,
        shop_domain: str,
        access_token: str,
        *,
        api_version: str,
        base_url: str | None = None,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        self.shop_domain = shop_domain
        self.api_version = api_version
        self.base_url = (base_url or f"https://{shop_domain}").rstrip("/")
        self.http = http or build_client(base_url=self.base_url, transport=transport)
        self.gate: RequestGate = gate or NoGate()
        self.gate_key = f"shopify:{shop_domain}"
        # spec §1: X-Shopify-Access-Token header.
        self.headers = {"X-Shopify-Access-Token": access_token, "Accept": "application/json"}

    def url(self, path: str) -> str:
        return f"{self.base_url}/admin/api/{self.api_version}/{path}"

    def request(
        self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None
    ) -> httpx.Response:
        self.gate.acquire(self.gate_key)
        try:
            response = self.http.request(
                method, self.url(path), params=params, json=json, headers=self.headers
            )
        except httpx.TimeoutException as exc:
            raise RetryableError(
                f"Shopify timed out: {exc}", code="platform_timeout", platform=PLATFORM
            ) from exc
        except httpx.TransportError as exc:
            raise RetryableError(f"Cannot reach Shopify: {exc}", platform=PLATFORM) from exc
        remaining, limit = parse_call_limit(response.headers.get(CALL_LIMIT_HEADER))
        retry_after = response.headers.get("Retry-After")
        self.gate.observe(
            self.gate_key,
            remaining=remaining,
            limit=limit,
            retry_after=float(retry_after)
            if retry_after and retry_after.replace(".", "", 1).isdigit()
            else None,
        )
        if response.status_code >= 400:
            raise error_for(response)
        return response

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.request("GET", path, params=params).json()

    def send(self, method: str, path: str, body: Any) -> dict[str, Any]:
        response = self.request(method, path, json=body)
        return response.json() if response.content else {}

    def page(
        self, path: str, key: str, params: dict[str, Any], page_info: str | None
    ) -> tuple[list[dict[str, Any]], str | None]:
        """One page. With ``page_info`` only ``limit`` and ``fields`` may be sent (spec §3)."""
        if page_info:
            params = {k: v for k, v in params.items() if k in ("limit", "fields")} | {"page_info": page_info}
        response = self.request("GET", path, params=params)
        return response.json()[key], next_page_info(response.headers.get("Link"))

    def each(self, path: str, key: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every record of a list endpoint, following the Link header."""
        query = {"limit": MAX_PAGE, **(params or {})}
        page_info: str | None = None
        while True:
            items, page_info = self.page(path, key, query, page_info)
            yield from items
            if page_info is None:
                return
