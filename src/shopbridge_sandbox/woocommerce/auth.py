"""WC_REST_Authentication as the emulator enforces it.

../shared/spec/stores/woocommerce.md §1 (W-AUTH): over HTTPS, HTTP Basic with ck/cs (or the
``consumer_key``/``consumer_secret`` query fallback); over plain HTTP, OAuth 1.0a one-legged
(HMAC-SHA1/256, key = ``consumer_secret&``, body not signed, 15-minute timestamp window, unique
nonce). Basic credentials sent over plain HTTP are ignored, as WooCommerce only tries them when
``is_ssl()``. Unknown keys leave the request anonymous, which the endpoint's permission check then
refuses with ``woocommerce_rest_cannot_*`` / 401.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from werkzeug.wrappers import Request

from .errors import WooError

TIMESTAMP_WINDOW = 15 * 60
OAUTH_PARAMS = (
    "oauth_consumer_key",
    "oauth_timestamp",
    "oauth_nonce",
    "oauth_signature",
    "oauth_signature_method",
)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}

# The permission-callback answers when no key authenticated the request (WC REST controllers).
CANNOT = {
    "list": ("woocommerce_rest_cannot_view", "Sorry, you cannot list resources."),
    "view": ("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource."),
    "create": ("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources."),
    "edit": ("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource."),
    "delete": ("woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource."),
    "batch": (
        "woocommerce_rest_cannot_batch",
        "Sorry, you are not allowed to batch manipulate this resource.",
    ),
}


@dataclass
class ApiKey:
    consumer_key: str
    consumer_secret: str
    permissions: str = "read_write"  # read | write | read_write
    nonces: dict[str, float] = field(default_factory=dict)


def rfc3986(value: str) -> str:
    # wc_rest_urlencode_rfc3986 == PHP rawurlencode (RFC 3986, "~" kept).
    return quote(value, safe="~")


def signature_base_string(method: str, url: str, params: dict[str, str]) -> str:
    """check_oauth_signature: keys sorted (strcmp), each ``k=v`` encoded, joined with ``%26``."""
    pairs = [f"{rfc3986(k)}={rfc3986(v)}" for k, v in sorted(params.items())]
    return "&".join([method.upper(), rfc3986(url), rfc3986("&".join(pairs))])


def _authentication_error(message: str) -> WooError:
    return WooError("woocommerce_rest_authentication_error", message, 401)


def _oauth_params(request: Request) -> dict[str, str]:
    params = dict(request.args.items())
    params.update(request.form.items())
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("oauth "):
        for part in header[6:].split(","):
            if "=" in part:
                key, value = part.strip().split("=", 1)
                params[unquote(key)] = unquote(value.strip('"'))
    return params


class Authenticator:
    def __init__(self, key: ApiKey, clock_now: Callable[[], float]) -> None:
        self.key = key
        self.now = clock_now

    def authenticate(self, request: Request, action: str) -> None:
        """Raise the WooError WooCommerce would answer, or return when the key may do ``action``."""
        authenticated = self._basic(request) if request.scheme == "https" else self._oauth(request)
        if not authenticated:
            code, message = CANNOT[action]
            raise WooError(code, message, 401)
        if request.method in WRITE_METHODS and self.key.permissions == "read":
            raise _authentication_error("The API key provided does not have write permissions.")
        if request.method not in WRITE_METHODS and self.key.permissions == "write":
            raise _authentication_error("The API key provided does not have read permissions.")

    def _basic(self, request: Request) -> bool:
        key = request.args.get("consumer_key", "")
        secret = request.args.get("consumer_secret", "")
        if not (key and secret) and request.authorization and request.authorization.type == "basic":
            key = request.authorization.username or ""
            secret = request.authorization.password or ""
        if not key or not secret:
            return False
        if not hmac.compare_digest(key, self.key.consumer_key):
            return False
        if not hmac.compare_digest(secret, self.key.consumer_secret):
            raise _authentication_error("Consumer secret is invalid.")
        return True

    def _oauth(self, request: Request) -> bool:
        params = _oauth_params(request)
        missing = [name for name in OAUTH_PARAMS if not params.get(name)]
        if len(missing) == len(OAUTH_PARAMS):
            return False  # not trying OAuth at all
        if missing:
            plural = "parameters" if len(missing) > 1 else "parameter"
            raise WooError(
                "woocommerce_rest_authentication_missing_parameter",
                f"Missing OAuth {plural} {', '.join(missing)}",
                401,
            )
        if not hmac.compare_digest(params["oauth_consumer_key"], self.key.consumer_key):
            raise _authentication_error("Consumer key is invalid.")
        self._check_signature(request, params)
        self._check_timestamp_and_nonce(params["oauth_timestamp"], params["oauth_nonce"])
        return True

    def _check_signature(self, request: Request, params: dict[str, str]) -> None:
        method = params["oauth_signature_method"]
        if method not in ("HMAC-SHA1", "HMAC-SHA256"):
            raise _authentication_error("Invalid signature - signature method is invalid.")
        provided = unquote(params["oauth_signature"].replace(" ", "+"))
        signed = {k: v for k, v in params.items() if k != "oauth_signature"}
        url = request.host_url.rstrip("/") + request.path
        base = signature_base_string(request.method, url, signed)
        digest = hashlib.sha1 if method == "HMAC-SHA1" else hashlib.sha256
        expected = base64.b64encode(
            hmac.new(f"{self.key.consumer_secret}&".encode(), base.encode(), digest).digest()
        ).decode()
        if not hmac.compare_digest(expected, provided):
            raise _authentication_error("Invalid signature - provided signature does not match.")

    def _check_timestamp_and_nonce(self, timestamp: str, nonce: str) -> None:
        now = self.now()
        try:
            stamp = int(timestamp)
        except ValueError as exc:
            raise _authentication_error("Invalid timestamp.") from exc
        if stamp < now - TIMESTAMP_WINDOW:
            raise _authentication_error("Invalid timestamp.")
        self.key.nonces = {n: t for n, t in self.key.nonces.items() if t >= now - TIMESTAMP_WINDOW}
        if nonce in self.key.nonces:
            raise _authentication_error("Invalid nonce - nonce has already been used.")
        self.key.nonces[nonce] = stamp
