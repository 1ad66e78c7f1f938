"""The request pipeline TikTok applies before any handler, in the order of
../shared/spec/tiktok-shop-api.md §15.1 (derived from [OFF] common-errors), and the envelope (§5.1).

Handlers are declared with ``@api(method, path, versions=..., cipher=..., scope=...)``; they receive a
``Ctx`` and return the ``data`` object, or raise ``ApiError``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from ..kit.app import json_response
from .signing import verify_request_sign
from .state import App, Authorization, Shop

if TYPE_CHECKING:
    from .app import TikTokShopEmulator

# HTTP status per error code. 106001 -> 401 and 36009002 -> 429 are documented/observed (§5.2). The others are
# UNCONFIRMED (§16.4): credential failures answer 401 as third-party emulators assume, everything else 200.
HTTP_STATUS = {
    106001: 401,
    36009004: 401,
    105002: 401,
    101000: 401,
    36009002: 429,
    36009009: 404,
    36009010: 405,
    36009003: 500,
    36009007: 504,
}

MSG_MISSING_SIGN = "Missing credentials. The 'sign' query parameter is required."
MSG_BAD_APP_KEY = "Invalid credentials. The 'app_key' query parameter is invalid."
MSG_BAD_SIGN = "Invalid credentials. The 'sign' query parameter is invalid. For more details: https://m.tiktok.shop/s/AIu6dbFhs2XW"
MSG_BAD_TOKEN = "Invalid credentials. The 'x-tts-access-token' header is invalid."
MSG_EXPIRED_TOKEN = "Expired credentials. The 'x-tts-access-token' header has expired."
MSG_RATE = "Too many requests. The request rate limit has been exceeded; please retry later."
MSG_VERSION = "The version name is invalid, please check and retry."


class ApiError(Exception):
    def __init__(self, code: int, message: str, *, http: int | None = None, data: Any = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.http = http if http is not None else HTTP_STATUS.get(code, 200)
        self.data = data


@dataclass(frozen=True)
class ApiSpec:
    name: str
    method: str
    path: str
    versions: tuple[str, ...]
    cipher: bool
    scope: str | None
    multipart: bool = False


@dataclass
class Ctx:
    request: Request
    spec: ApiSpec
    version: str
    app: App
    auth: Authorization
    shop: Shop | None
    query: dict[str, str]
    _body: Any = field(default=None)
    _body_read: bool = False

    def body(self) -> dict[str, Any]:
        """The JSON body as an object ({} when empty); bad JSON -> 36009022 (UNCONFIRMED code)."""
        if not self._body_read:
            raw = self.request.get_data(cache=True)
            self._body_read = True
            if raw.strip():
                try:
                    self._body = json.loads(raw)
                except json.JSONDecodeError as exc:
                    raise ApiError(36009022, f"The request body is not valid JSON: {exc.msg}.") from exc
            if self._body is None:
                self._body = {}
            if not isinstance(self._body, dict):
                raise ApiError(36009022, "The request body must be a JSON object.")
        return self._body

    @property
    def shop_required(self) -> Shop:
        assert self.shop is not None
        return self.shop


ApiHandler = Callable[..., Any]


def api(
    method: str,
    path: str,
    *,
    versions: tuple[str, ...] = ("202309",),
    cipher: bool = True,
    scope: str | None = None,
    multipart: bool = False,
) -> Callable[[ApiHandler], Callable[..., Response]]:
    """Register a TikTok API handler. ``path`` uses ``{v}`` for the version segment and werkzeug ``<arg>``s."""

    def decorate(fn: ApiHandler) -> Callable[..., Response]:
        spec = ApiSpec(fn.__name__, method, path, versions, cipher, scope, multipart)

        def handler(self: TikTokShopEmulator, request: Request, **kwargs: str) -> Response:
            return self.run_api(request, spec, fn, kwargs)

        handler.__name__ = fn.__name__
        handler.__doc__ = fn.__doc__
        handler._routes = [(path.replace("{v}", "<version>"), (method,), fn.__name__)]  # type: ignore[attr-defined]
        handler._api_spec = spec  # type: ignore[attr-defined]
        return handler

    return decorate


def flat_query(request: Request) -> dict[str, str]:
    """Decoded query, one value per key (list params are comma-joined by clients, §3.3)."""
    return {key: request.args.get(key, "") for key in request.args}


def verify(emu: TikTokShopEmulator, request: Request, spec: ApiSpec, version: str) -> Ctx:
    """Steps 1-7 of §15.1; raises ApiError with TikTok's code."""
    world = emu.world
    if version not in spec.versions:
        raise ApiError(36009014, MSG_VERSION)
    query = flat_query(request)
    if not query.get("sign"):
        raise ApiError(36009004, MSG_MISSING_SIGN)
    app = world.apps.get(query.get("app_key", ""))
    if app is None:
        raise ApiError(36009004, MSG_BAD_APP_KEY)
    try:
        check_timestamp(query.get("timestamp", ""), emu.clock.now_int())
    except ApiError:
        # The control API's clock/advance simulates business time passing (reviews, order windows);
        # a client still lives in wall-clock time, so a timestamp that is only "stale" because the
        # emulator clock was moved forward is checked against the wall clock instead.
        wall = int(time.time())
        if emu.clock.now_int() <= wall:
            raise
        check_timestamp(query.get("timestamp", ""), wall)
    content_type = request.headers.get("Content-Type", "")
    if not verify_request_sign(
        app.app_secret, request.path, query, request.get_data(cache=True), content_type, query["sign"]
    ):
        raise ApiError(106001, MSG_BAD_SIGN)
    auth = world.authorization_by_access(request.headers.get("x-tts-access-token", ""))
    if auth is None or auth.revoked or auth.app_key != app.app_key:
        raise ApiError(36009004, MSG_BAD_TOKEN)
    if auth.access_token_expire_in <= emu.clock.now_int():
        raise ApiError(105002, MSG_EXPIRED_TOKEN)
    shop = resolve_shop(world, spec, query, auth)
    if spec.scope and spec.scope not in (auth.scopes & app.scopes):
        # Message seen live (§2.1, [ISS] EcomPHP #40).
        raise ApiError(105005, "you should apply auth pkg for this api")
    if spec.multipart and not content_type.lower().startswith("multipart/form-data"):
        raise ApiError(36009023, "The content-type must be multipart/form-data.")
    return Ctx(request=request, spec=spec, version=version, app=app, auth=auth, shop=shop, query=query)


def check_timestamp(raw: str, now: int) -> None:
    """§3.3: 10-digit Unix seconds within [now - 5 min, now + 30 s]."""
    if not raw.lstrip("-").isdigit():
        raise ApiError(
            36009004, "Invalid timestamp. The 'timestamp' query parameter is required and must be an integer."
        )
    ts = int(raw)
    if ts < 0:
        raise ApiError(36009004, "Invalid timestamp. The 'timestamp' query parameter must not be negative.")
    if now - ts > 300:
        raise ApiError(
            36009004, "Invalid timestamp. The 'timestamp' query parameter is older than 5 minutes."
        )
    if ts - now > 30:
        raise ApiError(
            36009004, "Invalid timestamp. The 'timestamp' query parameter is more than 30 seconds ahead."
        )


def resolve_shop(world: Any, spec: ApiSpec, query: dict[str, str], auth: Authorization) -> Shop | None:
    cipher = query.get("shop_cipher")
    if not spec.cipher:
        if cipher:
            raise ApiError(
                36009004,
                "Unexpected identifier. The 'shop_cipher' query parameter is not expected for this API.",
            )
        return None
    if not cipher:
        raise ApiError(106013, "The 'shop_cipher' query parameter is required for this API.")
    shop = world.shop_by_cipher(cipher)
    if shop is None:
        raise ApiError(36009004, "Invalid identifier. The 'shop_cipher' query parameter is invalid.")
    if shop.id not in auth.shop_ids:
        raise ApiError(101000, "The x-tts-access-token is not linked to the shop identified by shop_cipher.")
    return shop


def envelope_response(
    emu: TikTokShopEmulator,
    *,
    code: int = 0,
    message: str = "Success",
    data: Any = None,
    http: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    payload = {"code": code, "data": data, "message": message, "request_id": emu.request_id()}
    return json_response(payload, http, headers)
