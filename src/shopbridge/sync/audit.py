"""An httpx transport that records every outbound call (OutboundCall): endpoint, status, duration.

Only the method, the path (numeric ids folded to ``{id}``), the status and the platform's error
code are kept: never query strings (they carry signatures and, for TikTok's token endpoint, the
app secret), headers (tokens) or bodies (buyer data).
"""

from __future__ import annotations

import re
import time

import httpx
from django.utils import timezone

from .models import OutboundCall

_ID_SEGMENT = re.compile(r"/(\d{3,}|[0-9a-f]{24,})(?=/|$)")


def endpoint_of(path: str) -> str:
    return _ID_SEGMENT.sub("/{id}", path)[:500]


class AuditTransport(httpx.BaseTransport):
    def __init__(
        self,
        inner: httpx.BaseTransport,
        *,
        platform: str,
        merchant_id: int | None,
        connection_kind: str,
        connection_id: int | None,
    ) -> None:
        self.inner = inner
        self.platform = platform
        self.merchant_id = merchant_id
        self.connection_kind = connection_kind
        self.connection_id = connection_id

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        status: int | None = None
        error = ""
        try:
            response = self.inner.handle_request(request)
            status = response.status_code
            return response
        except httpx.HTTPError as exc:
            error = type(exc).__name__
            raise
        finally:
            OutboundCall.objects.create(
                merchant_id=self.merchant_id,
                connection_kind=self.connection_kind,
                connection_id=self.connection_id,
                platform=self.platform,
                method=request.method,
                endpoint=endpoint_of(request.url.path),
                status_code=status,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
                ok=status is not None and status < 400,
                error=error,
                at=timezone.now(),
            )

    def close(self) -> None:
        self.inner.close()
