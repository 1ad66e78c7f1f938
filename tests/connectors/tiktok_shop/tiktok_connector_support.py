"""Helpers shared by the TikTok connector tests: a recording mock transport and a recording gate.

Imported as ``connectors.tiktok_shop.tiktok_connector_support`` (tests/connectors/conftest.py puts
``tests/`` on sys.path).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from shopbridge.connectors.tiktok_shop.client import TikTokShopClient

APP_KEY = "29a39d"
APP_SECRET = "e59af819cc"
ACCESS_TOKEN = "TTP_test-access-token-value"
SHOP_CIPHER = "ROW_RHkDDABBAAB8tKAVoAqsMTjsQZFLyNfY"
SHOP_ID = "7495540735365777507"
NOW = 1_700_000_000


def envelope(data: Any = None, *, code: int = 0, message: str = "Success") -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "request_id": "202203070749000101890810281E8C70B7",
        "data": data,
    }


@dataclass
class Sent:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict[str, str]
    headers: httpx.Headers
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Recorder:
    """A MockTransport handler: answers from a queue (or a function) and records every request."""

    responses: list[httpx.Response | Exception] = field(default_factory=list)
    answer: Callable[[Sent], httpx.Response] | None = None
    sent: list[Sent] = field(default_factory=list)
    events: list[str] = field(default_factory=list)

    def reply(
        self,
        data: Any = None,
        *,
        status: int = 200,
        code: int = 0,
        message: str = "Success",
        headers: dict[str, str] | None = None,
    ) -> Recorder:
        self.responses.append(
            httpx.Response(status, json=envelope(data, code=code, message=message), headers=headers)
        )
        return self

    def reply_raw(
        self, status: int, body: bytes | dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> Recorder:
        if isinstance(body, dict):
            self.responses.append(httpx.Response(status, json=body, headers=headers))
        else:
            self.responses.append(httpx.Response(status, content=body or b"", headers=headers))
        return self

    def fail(self, exc: Exception) -> Recorder:
        self.responses.append(exc)
        return self

    def __call__(self, request: httpx.Request) -> httpx.Response:
        url = urlsplit(str(request.url))
        sent = Sent(
            method=request.method,
            path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers=request.headers,
            body=request.read(),
        )
        self.sent.append(sent)
        self.events.append(f"send {request.method} {url.path}")
        if self.answer is not None:
            return self.answer(sent)
        if not self.responses:
            raise AssertionError(f"unexpected request {request.method} {url.path}")
        item = self.responses.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


@dataclass
class RecordingGate:
    """A RequestGate that lets everything through and records what it was told."""

    events: list[str] = field(default_factory=list)
    observed: list[dict[str, Any]] = field(default_factory=list)

    def acquire(self, key: str, weight: int = 1) -> None:
        self.events.append(f"acquire {key}")

    def observe(
        self, key: str, *, remaining: float | None, limit: float | None, retry_after: float | None
    ) -> None:
        self.observed.append({"key": key, "remaining": remaining, "limit": limit, "retry_after": retry_after})


def make_client(recorder: Recorder, **kwargs: Any) -> TikTokShopClient:
    options: dict[str, Any] = {
        "access_token": ACCESS_TOKEN,
        "shop_cipher": SHOP_CIPHER,
        "shop_id": SHOP_ID,
        "transport": httpx.MockTransport(recorder),
        "clock": lambda: NOW,
    }
    options.update(kwargs)
    return TikTokShopClient(APP_KEY, APP_SECRET, **options)
