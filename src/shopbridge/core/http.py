"""The one place outbound HTTP clients are built: explicit timeouts, always."""

from __future__ import annotations

import httpx

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=10.0)
USER_AGENT = "ShopBridge/0.1 (+https://github.com/shopbridge/shopbridge)"


def build_client(
    *,
    base_url: str = "",
    transport: httpx.BaseTransport | None = None,
    timeout: httpx.Timeout | float | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Client:
    """Return an httpx client with timeouts on every phase.

    ``transport`` lets tests plug an emulator in-process (``httpx.WSGITransport``) while the
    same connector code talks to the real platform in production.
    """
    merged = {"User-Agent": USER_AGENT}
    if headers:
        merged.update(headers)
    return httpx.Client(
        base_url=base_url,
        transport=transport,
        timeout=timeout if timeout is not None else DEFAULT_TIMEOUT,
        headers=merged,
        follow_redirects=False,
    )
