"""OAuth 1.0a one-legged signing exactly as WooCommerce checks it over plain HTTP.

../shared/spec/stores/woocommerce.md §1 (W-AUTH): params ``oauth_consumer_key, oauth_timestamp,
oauth_nonce, oauth_signature_method`` (no ``oauth_version``, no token), signing key
``consumer_secret + "&"``, body not signed, base string ``METHOD&enc(url)&enc(sorted k=v)`` with
RFC 3986 encoding (WC_REST_Authentication::check_oauth_signature / normalize_parameters).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable, Mapping
from urllib.parse import quote


def rfc3986(value: str) -> str:
    return quote(value, safe="~")


def base_string(method: str, url: str, params: Mapping[str, str]) -> str:
    pairs = "&".join(f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(params.items()))
    return "&".join([method.upper(), rfc3986(url), rfc3986(pairs)])


def sign(method: str, url: str, params: Mapping[str, str], consumer_secret: str) -> str:
    key = f"{consumer_secret}&".encode()
    digest = hmac.new(key, base_string(method, url, params).encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def signed_params(
    method: str,
    url: str,
    params: Mapping[str, str],
    *,
    consumer_key: str,
    consumer_secret: str,
    now: Callable[[], float] = time.time,
    nonce: Callable[[], str] = lambda: secrets.token_hex(16),
) -> dict[str, str]:
    """``params`` plus the oauth_* parameters and the signature, ready for the query string.

    ``url`` is scheme://host[:port]/path without a query: WooCommerce rebuilds it from
    ``home_url`` and the request path.
    """
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce(),  # 32 characters, as the docs recommend
        "oauth_signature_method": "HMAC-SHA1",
        "oauth_timestamp": str(int(now())),
    }
    merged = {**params, **oauth}
    merged["oauth_signature"] = sign(method, url, merged, consumer_secret)
    return merged
