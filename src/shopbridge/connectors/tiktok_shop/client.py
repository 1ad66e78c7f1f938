"""TikTok Shop wire protocol: common parameters, signing, rate gate, envelope, typed errors.

Service-facing API (typed, pydantic in and out) hangs off the client as namespaces::

    client = TikTokShopClient(app_key, app_secret, access_token=token, shop_cipher=cipher, shop_id=shop_id,
                              gate=gate)
    client.auth.exchange_code(code)            -> TokenSet           (auth.py)
    client.auth.authorized_shops()             -> list[AuthorizedShop]
    client.products.create(CreateProductRequest(...)) -> CreateProductResult   (adapter.py)
    client.products.search(...)                -> Iterator[ProductSummary]
    client.logistics.warehouses()              -> list[Warehouse]
    client.orders.search(update_time_ge=...)   -> Iterator[Order]
    client.fulfillment.mark_package_as_shipped(order_id, MarkPackageAsShippedRequest(...))
    client.returns.cancel_order(CancelOrderRequest(...))
    client.events.update_webhook(event_type, address)

Every request (../shared/spec/tiktok-shop-api.md):
- carries ``app_key``, ``timestamp`` (Unix s) and ``sign`` in the query (§4), ``shop_cipher`` only
  where the endpoint takes it (§2.3) and the token in the ``x-tts-access-token`` header (§4);
- is signed over the exact JSON bytes it sends, serialised once (§3.3, §15.4);
- waits on ``gate.acquire("tiktok:{shop_id or app_key}:{path template}")`` first: TikTok's limit is
  50 QPS per API per (app, shop) (§5.4). GET and POST of one path template share a bucket, which
  only errs on the safe side;
- raises the typed errors of ``shopbridge.core.errors`` (see errors.py) for a non-zero ``code``,
  HTTP 429/5xx, timeouts and network failures.

Secrets never reach a log line: only method, path template, status and request id are logged.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from shopbridge.connectors.base.protocol import NoGate, RequestGate
from shopbridge.core.errors import RetryableError, TerminalError
from shopbridge.core.http import build_client

from .adapter import EventsApi, FulfillmentApi, LogisticsApi, OrdersApi, ProductsApi, ReturnsApi
from .auth import AuthApi
from .endpoints import Endpoint, UploadFile
from .errors import PLATFORM, error_from_envelope, error_from_transport
from .models import WireRequest
from .signing import sign

logger = logging.getLogger(__name__)

DEFAULT_API_BASE_URL = "https://open-api.tiktokglobalshop.com"  # §1
DEFAULT_AUTH_BASE_URL = "https://auth.tiktok-shops.com"  # §1
JSON_CONTENT_TYPE = "application/json"

QueryValue = str | int | bool | Sequence[str] | None


class TikTokShopClient:
    platform = PLATFORM

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        *,
        api_base_url: str = DEFAULT_API_BASE_URL,
        auth_base_url: str = DEFAULT_AUTH_BASE_URL,
        access_token: str | None = None,
        shop_cipher: str | None = None,
        shop_id: str | None = None,
        http: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
        gate: RequestGate | None = None,
        clock: Callable[[], float] = time.time,
        timeout: httpx.Timeout | float | None = None,
    ) -> None:
        self.app_key = app_key
        self._app_secret = app_secret
        self.api_base_url = api_base_url.rstrip("/")
        self.auth_base_url = auth_base_url.rstrip("/")
        self.access_token = access_token
        self.shop_cipher = shop_cipher
        self.shop_id = shop_id
        self.gate: RequestGate = gate or NoGate()
        self.clock = clock
        self._owns_http = http is None
        self._http = http or build_client(transport=transport, timeout=timeout)
        self.auth = AuthApi(self)
        self.products = ProductsApi(self)
        self.logistics = LogisticsApi(self)
        self.orders = OrdersApi(self)
        self.fulfillment = FulfillmentApi(self)
        self.returns = ReturnsApi(self)
        self.events = EventsApi(self)

    def __repr__(self) -> str:  # never show the secret or the token
        return f"TikTokShopClient(app_key={self.app_key!r}, shop_id={self.shop_id!r})"

    # -- lifecycle -----------------------------------------------------------------------------
    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> TikTokShopClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def use_shop(self, *, shop_cipher: str, shop_id: str | None = None) -> None:
        """Point later calls at another authorised shop (cross-border sellers have several, §2.3)."""
        self.shop_cipher = shop_cipher
        self.shop_id = shop_id

    # -- the one request path ------------------------------------------------------------------
    def gate_key(self, endpoint: Endpoint) -> str:
        return f"tiktok:{self.shop_id or self.app_key}:{endpoint.path}"

    def call(
        self,
        endpoint: Endpoint,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        body: WireRequest | Mapping[str, Any] | None = None,
        upload: UploadFile | None = None,
        form: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one signed request and return the envelope's ``data`` (``{}`` when TikTok sends none)."""
        path = endpoint.format(path_params)
        params = self._query(endpoint, query)
        content, content_type = _serialise(body, multipart=endpoint.multipart)
        key = self.gate_key(endpoint)
        self.gate.acquire(key)
        # Stamp and sign after the gate: a long wait must not age the timestamp (§3.3: 5-minute window).
        params["timestamp"] = str(int(self.clock()))
        params["sign"] = sign(self._app_secret, path, params, content, content_type)
        response = self._send(endpoint, path, params, content, content_type, upload, form)
        return self._unwrap(endpoint, response, key)

    def send_unsigned(self, url: str, params: Mapping[str, str], gate_key: str) -> Any:
        """GET an auth-host URL (token endpoints take no signature, §2.2) and return ``data``."""
        self.gate.acquire(gate_key)
        try:
            response = self._http.get(url, params=dict(params))
        except httpx.TransportError as exc:
            raise error_from_transport(exc) from None
        return self._unwrap(Endpoint("GET", url.removeprefix(self.auth_base_url), False), response, gate_key)

    def _query(self, endpoint: Endpoint, query: Mapping[str, QueryValue] | None) -> dict[str, str]:
        params = {"app_key": self.app_key}
        if endpoint.shop_scoped:
            if not self.shop_cipher:
                # §2.3 / §5.3 106013: TikTok would refuse it; don't spend a request to find out.
                raise TerminalError(
                    "No TikTok shop is selected for this connection (shop_cipher missing).",
                    code="shop_cipher_missing",
                    fix="Reconnect the TikTok shop so its shop cipher is stored.",
                    platform=PLATFORM,
                )
            params["shop_cipher"] = self.shop_cipher
        for name, value in (query or {}).items():
            text = _query_value(value)
            if text is not None:
                params[name] = text
        return params

    def _send(
        self,
        endpoint: Endpoint,
        path: str,
        params: dict[str, str],
        content: bytes,
        content_type: str,
        upload: UploadFile | None,
        form: Mapping[str, str] | None,
    ) -> httpx.Response:
        headers = {}
        if self.access_token:
            headers["x-tts-access-token"] = self.access_token
        kwargs: dict[str, Any] = {"params": params, "headers": headers}
        if endpoint.multipart:
            # httpx writes the multipart content-type with its boundary; the body is not signed (§3.1 step 5).
            if upload is not None:
                kwargs["files"] = {"data": (upload.filename, upload.content, upload.mime_type)}
            kwargs["data"] = dict(form or {})
        else:
            headers["content-type"] = content_type
            if content:
                kwargs["content"] = content
        try:
            return self._http.request(endpoint.method, self.api_base_url + path, **kwargs)
        except httpx.TransportError as exc:
            raise error_from_transport(exc) from None

    def _unwrap(self, endpoint: Endpoint, response: httpx.Response, key: str) -> Any:
        status = response.status_code
        retry_after = _retry_after(response.headers.get("retry-after"))
        if status == 429:
            self.gate.observe(key, remaining=0, limit=None, retry_after=retry_after)
        payload = _json_or_none(response)
        envelope = payload if isinstance(payload, dict) else {}
        code = _envelope_code(payload)
        request_id = envelope.get("request_id")
        logger.debug(
            "tiktok %s %s -> %s code=%s request_id=%s",
            endpoint.method,
            endpoint.path,
            status,
            code,
            request_id,
        )
        if code == 0 and status < 400:
            data = envelope.get("data")
            return data if data is not None else {}
        if code is None and status < 400:
            # A 2xx without TikTok's envelope is a proxy or gateway page, not a TikTok answer.
            raise RetryableError(
                f"TikTok Shop answered HTTP {status} without its response envelope",
                platform=PLATFORM,
                status_code=status,
            )
        raise error_from_envelope(
            status_code=status,
            code=code or None,
            message=str(envelope.get("message") or ""),
            request_id=request_id,
            retry_after=retry_after,
        )


def _serialise(body: WireRequest | Mapping[str, Any] | None, *, multipart: bool) -> tuple[bytes, str]:
    """Serialise the JSON body once; these exact bytes are signed and sent (§3.3, §15.4)."""
    if multipart:
        return b"", "multipart/form-data"
    if body is None:
        return b"", JSON_CONTENT_TYPE
    data = body.to_wire() if isinstance(body, WireRequest) else dict(body)
    # Compact separators as in the official Python sample (§3.3); UTF-8 kept as is.
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8"), JSON_CONTENT_TYPE


def _query_value(value: QueryValue) -> str | None:
    """Query values as TikTok signs them: lists comma-joined (§3.3), booleans lower-case."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return value
    return ",".join(str(v) for v in value)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _envelope_code(payload: Any) -> int | None:
    if not isinstance(payload, dict) or "code" not in payload:
        return None
    try:
        return int(payload["code"])
    except (TypeError, ValueError):
        return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None  # an HTTP date: TikTok is not documented to send one; fall back to backoff
