"""Request and webhook signatures exactly as TikTok computes them.

Request sign: ../shared/spec/tiktok-shop-api.md §3.1-§3.4 ([SIGN] official algorithm).
Webhook signature: §13.3 ([WH] golden vector).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

EXCLUDED_QUERY_KEYS = ("sign", "access_token")  # §3.1 step 1


def string_to_sign(path: str, query: Mapping[str, str], body: bytes = b"", content_type: str = "") -> bytes:
    """Path + sorted key/value pairs (no separators) + raw body unless multipart (§3.1 steps 1-5)."""
    items = sorted((k, v) for k, v in query.items() if k not in EXCLUDED_QUERY_KEYS)
    head = path + "".join(f"{k}{v}" for k, v in items)
    tail = b"" if content_type.lower().startswith("multipart/form-data") else body
    return head.encode("utf-8") + tail


def request_sign(
    app_secret: str, path: str, query: Mapping[str, str], body: bytes = b"", content_type: str = ""
) -> str:
    """Lowercase hex HMAC-SHA256 keyed with the secret over secret + string + secret (§3.1 steps 6-7)."""
    secret = app_secret.encode("utf-8")
    wrapped = secret + string_to_sign(path, query, body, content_type) + secret
    return hmac.new(secret, wrapped, hashlib.sha256).hexdigest()


def verify_request_sign(
    app_secret: str, path: str, query: Mapping[str, str], body: bytes, content_type: str, received: str
) -> bool:
    """Case-sensitive comparison: upper-case hex is rejected (§3.1 step 7, [ISS] fudiwei #37).

    A literal ``{}`` body is accepted signed with or without the body, because the official Node sample skips
    empty objects while byte-exact clients sign it (§16.16, derived leniency)."""
    expected = request_sign(app_secret, path, query, body, content_type)
    if hmac.compare_digest(expected, received):
        return True
    if body.strip() == b"{}":
        return hmac.compare_digest(request_sign(app_secret, path, query, b"", content_type), received)
    return False


def webhook_signature(app_key: str, app_secret: str, raw_body: bytes) -> str:
    """Value of the webhook ``Authorization`` header: hex HMAC-SHA256(app_secret, app_key + body) (§13.3)."""
    return hmac.new(
        app_secret.encode("utf-8"), app_key.encode("utf-8") + raw_body, hashlib.sha256
    ).hexdigest()
