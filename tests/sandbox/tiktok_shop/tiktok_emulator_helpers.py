"""Test helpers for the TikTok Shop emulator: a client that signs requests with the algorithm of
../shared/spec/tiktok-shop-api.md §3.2 (written here independently of the emulator's signing code), PNG bytes."""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
import zlib
from typing import Any

import httpx

from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator

FROZEN_AT = 1_750_000_000
BASE_URL = "http://tiktok.sandbox"


def spec_sign(
    app_secret: str,
    path: str,
    query: dict[str, str],
    body: bytes = b"",
    content_type: str = "application/json",
) -> str:
    """§3.2 Python reference, verbatim in behaviour."""
    items = sorted((k, v) for k, v in query.items() if k not in ("sign", "access_token"))
    s = path + "".join(f"{k}{v}" for k, v in items)
    msg = s.encode() + (b"" if content_type.startswith("multipart/form-data") else body)
    wrapped = app_secret.encode() + msg + app_secret.encode()
    return hmac.new(app_secret.encode(), wrapped, hashlib.sha256).hexdigest()


def png_bytes(width: int, height: int, seed: int = 0) -> bytes:
    """A valid PNG of the given size (content varies with ``seed`` so uploads are distinct)."""
    raw = b"".join(b"\x00" + bytes([(seed + y) % 256]) * width for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


class TikTokClient:
    """Builds and signs TikTok Partner API requests like a client written from the public docs."""

    def __init__(
        self, emulator: TikTokShopEmulator, app_key: str, app_secret: str, access_token: str
    ) -> None:
        self.emulator = emulator
        self.app_key = app_key
        self.app_secret = app_secret
        self.access_token = access_token
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=BASE_URL)

    def call(
        self,
        method: str,
        path: str,
        *,
        shop_cipher: str | None = None,
        query: dict[str, str] | None = None,
        body: Any = None,
        raw_body: bytes | None = None,
        files: dict[str, Any] | None = None,
        data: dict[str, str] | None = None,
        timestamp: int | None = None,
        secret: str | None = None,
        sign: str | None = None,
        access_token: str | None = None,
        tamper_body: bytes | None = None,
    ) -> httpx.Response:
        params = {
            "app_key": self.app_key,
            "timestamp": str(timestamp if timestamp is not None else self.emulator.clock.now_int()),
        }
        if shop_cipher:
            params["shop_cipher"] = shop_cipher
        params.update(query or {})
        headers = {"x-tts-access-token": access_token if access_token is not None else self.access_token}
        if files is not None:
            request = self.http.build_request(
                method, path, params=params, files=files, data=data, headers=headers
            )
            content = b""
            content_type = request.headers["content-type"]
        else:
            content = (
                raw_body
                if raw_body is not None
                else (json.dumps(body, separators=(",", ":")).encode() if body is not None else b"")
            )
            content_type = "application/json"
            headers["content-type"] = content_type
        params["sign"] = sign or spec_sign(secret or self.app_secret, path, params, content, content_type)
        if files is not None:
            return self.http.send(
                self.http.build_request(method, path, params=params, files=files, data=data, headers=headers)
            )
        return self.http.request(
            method,
            path,
            params=params,
            content=tamper_body if tamper_body is not None else content,
            headers=headers,
        )

    def ok(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """Call and assert success; returns ``data``."""
        response = self.call(method, path, **kwargs)
        payload = response.json()
        assert response.status_code == 200 and payload["code"] == 0, payload
        return payload["data"]

    def control(self, action: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        assert response.status_code == 200, response.text
        return response.json()
