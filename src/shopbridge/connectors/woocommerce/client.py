"""The WooCommerce wire protocol: auth, pagination, error envelope -> typed errors.

../shared/spec/stores/woocommerce.md §1-§2: base ``{site}/wp-json/wc/v3``; HTTP Basic over HTTPS,
OAuth 1.0a one-legged over plain HTTP; ``page``/``per_page`` (max 100) with ``X-WP-Total`` and
``X-WP-TotalPages``; errors ``{"code","message","data":{"status"}}``. WooCommerce core has no
rate limit, but hosts may answer 429 (or 503) with ``Retry-After``: reported to the gate and
raised as RateLimitedError.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

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

from . import oauth

PLATFORM = "woocommerce"
MAX_PER_PAGE = 100


@dataclass
class WooResponse:
    status: int
    data: Any
    headers: httpx.Headers

    @property
    def total_pages(self) -> int:
        return int(self.headers.get("X-WP-TotalPages") or 0)

    @property
    def total(self) -> int:
        return int(self.headers.get("X-WP-Total") or 0)


def _encode_query(params: dict[str, str]) -> str:
    return "&".join(f"{oauth.rfc3986(k)}={oauth.rfc3986(v)}" for k, v in params.items())


def _retry_after(headers: httpx.Headers) -> float | None:
    value = headers.get("Retry-After")
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


class WooCommerceClient:
    def __init__(
        self,
        base_url: str,
        consumer_key: str,
        consumer_secret: str,
        *,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        gate: RequestGate | None = None,
    ) -> None:
        self.site = base_url.rstrip("/")
        self.consumer_key = consumer_key
        self.consumer_secret = consumer_secret
        self.http = http or build_client(transport=transport)
        self.gate = gate or NoGate()
        self.gate_key = f"{PLATFORM}:{urlsplit(self.site).netloc}"
        self.uses_tls = self.site.startswith("https://")

    # -- requests --------------------------------------------------------------------------------
    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        namespace: str = "wc/v3",
    ) -> WooResponse:
        url = f"{self.site}/wp-json/{namespace}{path}"
        query = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in (params or {}).items()}
        auth: tuple[str, str] | None = None
        if self.uses_tls:
            auth = (self.consumer_key, self.consumer_secret)
        else:
            query = oauth.signed_params(
                method, url, query, consumer_key=self.consumer_key, consumer_secret=self.consumer_secret
            )
        full_url = f"{url}?{_encode_query(query)}" if query else url
        self.gate.acquire(self.gate_key)
        try:
            response = self.http.request(
                method,
                full_url,
                auth=auth,
                content=json.dumps(json_body).encode() if json_body is not None else None,
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
        except httpx.TimeoutException as exc:
            raise RetryableError(
                f"WooCommerce timed out: {exc}", platform=PLATFORM, code="platform_timeout"
            ) from exc
        except httpx.HTTPError as exc:
            raise RetryableError(f"could not reach the WooCommerce site: {exc}", platform=PLATFORM) from exc
        return self._handle(response)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, params=params).data

    def _handle(self, response: httpx.Response) -> WooResponse:
        retry_after = _retry_after(response.headers)
        self.gate.observe(
            self.gate_key,
            remaining=_float(response.headers.get("RateLimit-Remaining")),
            limit=_float(response.headers.get("RateLimit-Limit")),
            retry_after=retry_after if response.status_code in (429, 503) else None,
        )
        try:
            data = response.json() if response.content else None
        except ValueError:
            data = None
        if response.is_success:
            if data is None and response.content:
                raise TerminalError(
                    "the site answered with something that is not JSON (is /wp-json/ reachable?)",
                    platform=PLATFORM,
                    status_code=response.status_code,
                    fix="Enable pretty permalinks in WordPress (Settings > Permalinks); default permalinks "
                    "break /wp-json/.",
                )
            return WooResponse(response.status_code, data, response.headers)
        raise error_from_response(response.status_code, data, retry_after)

    # -- pagination ------------------------------------------------------------------------------
    def get_page(self, path: str, *, page: int, per_page: int, **params: Any) -> WooResponse:
        per_page = max(1, min(per_page, MAX_PER_PAGE))
        return self.request("GET", path, params={**params, "page": page, "per_page": per_page})

    def iterate(self, path: str, **params: Any) -> Iterator[dict[str, Any]]:
        """Every item of a collection, 100 per request, following X-WP-TotalPages."""
        page = 1
        while True:
            response = self.get_page(path, page=page, per_page=MAX_PER_PAGE, **params)
            yield from response.data or []
            if page >= response.total_pages or not response.data:
                return
            page += 1


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def error_from_response(status: int, data: Any, retry_after: float | None) -> SyncError:
    """Map WooCommerce's ``{"code","message","data":{"status"}}`` to the typed errors."""
    body = data if isinstance(data, dict) else {}
    code = str(body.get("code") or f"http_{status}")
    message = str(body.get("message") or f"WooCommerce answered HTTP {status}")
    common: dict[str, Any] = {"platform": PLATFORM, "platform_code": code, "status_code": status}
    if status == 429 or (status == 503 and retry_after is not None):
        return RateLimitedError(message, retry_after=retry_after, **common)
    if code == "woocommerce_rest_cannot_create_order_refund":
        # wc_create_refund's rule failures ("Invalid refund amount.", gateway cannot refund) come
        # back as 500 (v3 refunds controller): a business rule, so retrying cannot help.
        return ValidationFailed(message, **common)
    if status >= 500 or status == 408:
        return RetryableError(message, **common)
    if status in (401, 403):
        if "permission" in message.lower() or code.startswith("woocommerce_rest_cannot_") and status == 403:
            return PermissionDeniedError(
                message,
                fix="Give the REST API key Read/Write permission in WooCommerce > Settings > Advanced > REST API.",
                **common,
            )
        return AuthExpiredError(
            message,
            fix="Create a new REST API key in WooCommerce > Settings > Advanced > REST API and reconnect.",
            **common,
        )
    if status == 404 or code.endswith("_invalid_id"):
        # PUT on a missing id answers 400 with the same *_invalid_id code (WC-CRUD).
        return NotFoundError(message, **common)
    if code == "rest_invalid_param":
        params = (body.get("data") or {}).get("params") or {}
        field_errors = [
            FieldError(
                field=name, code="invalid", reason=str(reason), fix="Send a value of the documented type."
            )
            for name, reason in params.items()
        ]
        return ValidationFailed(message, field_errors=field_errors, **common)
    return (
        ValidationFailed(message, **common)
        if status in (400, 409, 413, 422)
        else TerminalError(message, **common)
    )
