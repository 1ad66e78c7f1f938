"""TikTok Shop request signing (HMAC-SHA256), exactly as ../shared/spec/tiktok-shop-api.md §3.

A pure function with no I/O so the connector, the tests and anyone debugging a 106001
("invalid sign") can recompute a signature from the same inputs.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

# §3.1 step 1: these two never take part in the signature (`access_token` is the legacy
# query-string token; `sign` is the output itself).
EXCLUDED_QUERY_KEYS = frozenset({"sign", "access_token"})
MULTIPART = "multipart/form-data"


def string_to_sign(
    path: str, query: Mapping[str, str], body: bytes | str = b"", content_type: str = ""
) -> bytes:
    """The message before it is wrapped in the secret (§3.1 steps 1-5).

    - keys sorted by plain string order (§3.3 "key sort"), ``key + value`` with no separators,
      values decoded (never URL-encoded); empty values are kept as ``key`` + "" (§3.3);
    - path first, starting with ``/``, without host or query string;
    - the raw body appended byte-for-byte unless the request is multipart (§3.1 step 5).
    """
    items = sorted((k, v) for k, v in query.items() if k not in EXCLUDED_QUERY_KEYS)
    head = path + "".join(f"{k}{v}" for k, v in items)
    raw = body.encode("utf-8") if isinstance(body, str) else body
    if content_type.lower().startswith(MULTIPART):
        raw = b""
    return head.encode("utf-8") + raw


def sign(
    app_secret: str,
    path: str,
    query: Mapping[str, str],
    body: bytes | str = b"",
    content_type: str = "application/json",
) -> str:
    """Lowercase hex HMAC-SHA256 of ``secret + string_to_sign + secret`` keyed by the secret (§3.1 steps 6-7).

    Upper-case hex is rejected by TikTok (§3.1 step 7, [ISS] fudiwei #37), hence ``hexdigest()``.
    """
    secret = app_secret.encode("utf-8")
    wrapped = secret + string_to_sign(path, query, body, content_type) + secret
    return hmac.new(secret, wrapped, hashlib.sha256).hexdigest()
