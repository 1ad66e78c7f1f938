"""TikTok Shop authorization: authorize links, code exchange, refresh, authorised shops.

Flow (../shared/spec/tiktok-shop-api.md §2.2): send the seller to the authorize link with a
``state`` -> TikTok redirects to the app's redirect URL with ``code`` (valid 30 min, single use)
-> ``exchange_code`` -> ``TokenSet`` (absolute expiries) -> ``authorized_shops`` for the ciphers ->
``refresh`` before the access token expires (7 days), always storing the refresh token it returns.

The seller's authorization itself ends at ``refresh_token_expire_in`` (typically one year); it is
tracked per shop with ``ShopAuthorization`` so the dashboard can warn before it lapses (webhook
type 7 also warns, from 30 days before, §2.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict

from shopbridge.core.errors import AuthExpiredError, SyncError, TerminalError

from .endpoints import AUTHORIZED_SHOPS
from .errors import PLATFORM
from .models import AuthorizedShop, TokenData

if TYPE_CHECKING:
    from .client import TikTokShopClient

# §1: seller authorization pages. Which US host is current is UNCONFIRMED (§16.1): the 202407
# overview shows services.tiktokshops.us, the 202309 guide services.us.tiktokshop.com; we follow
# the newer page.
AUTHORIZE_URL_ROW = "https://services.tiktokshop.com/open/authorize"
AUTHORIZE_URL_US = "https://services.tiktokshops.us/open/authorize"
# §1: legacy (pre-service_id apps) link on the auth host, per [PHP] Auth.php.
LEGACY_AUTHORIZE_PATH = "/oauth/authorize"

TOKEN_GET_PATH = "/api/v2/token/get"
TOKEN_REFRESH_PATH = "/api/v2/token/refresh"

# §2.2 (UNCONFIRMED codes, third-party only): 36004004 invalid/used auth code,
# 36004005 no auth record, 36004001 refresh token expired.
INVALID_CODE_CODES = frozenset({36004004, 36004005})
REFRESH_DEAD_CODES = frozenset({36004001, 36004004, 36004005})

DEFAULT_REFRESH_MARGIN = 24 * 3600  # refresh a day early: access tokens live 7 days (§2.2)
EXPIRY_WARNING = 30 * 24 * 3600  # TikTok's own warning starts 30 days before (§2.2, webhook type 7)


def authorize_url(
    service_id: str, state: str | None = None, *, us: bool = False, base_url: str | None = None
) -> str:
    """The seller authorization link for apps with a ``service_id`` (§1, §2.2).

    ``state`` is our CSRF token; TikTok echoes it back on the redirect (trimmed of whitespace, §2.2).
    """
    base = base_url or (AUTHORIZE_URL_US if us else AUTHORIZE_URL_ROW)
    params = {"service_id": service_id}
    if state is not None:
        params["state"] = state.strip()
    return f"{base}?{urlencode(params)}"


def legacy_authorize_url(
    app_key: str, state: str, *, auth_base_url: str = "https://auth.tiktok-shops.com"
) -> str:
    """The legacy ``app_key`` link for apps created before service ids (§1, treat as legacy)."""
    return f"{auth_base_url.rstrip('/')}{LEGACY_AUTHORIZE_PATH}?{urlencode({'app_key': app_key, 'state': state.strip()})}"


class TokenSet(BaseModel):
    """What a connection stores after exchange or refresh. All expiries are absolute Unix seconds."""

    model_config = ConfigDict(frozen=True)

    access_token: str
    access_token_expires_at: int
    refresh_token: str
    refresh_token_expires_at: int
    open_id: str | None = None
    seller_name: str | None = None
    seller_base_region: str | None = None
    user_type: int | None = None
    granted_scopes: tuple[str, ...] = ()

    def __repr__(self) -> str:  # tokens never end up in logs or tracebacks
        return (
            f"TokenSet(access_token_expires_at={self.access_token_expires_at}, "
            f"refresh_token_expires_at={self.refresh_token_expires_at}, seller_name={self.seller_name!r})"
        )

    __str__ = __repr__

    @classmethod
    def from_wire(cls, data: TokenData) -> TokenSet:
        # §2.2: *_expire_in are absolute epochs despite the name.
        return cls(
            access_token=data.access_token,
            access_token_expires_at=data.access_token_expire_in,
            refresh_token=data.refresh_token,
            refresh_token_expires_at=data.refresh_token_expire_in,
            open_id=data.open_id,
            seller_name=data.seller_name,
            seller_base_region=data.seller_base_region,
            user_type=data.user_type,
            granted_scopes=tuple(data.granted_scopes),
        )

    def needs_refresh(self, now: float, margin: float = DEFAULT_REFRESH_MARGIN) -> bool:
        """True when the access token expires within ``margin`` seconds (or already has)."""
        return now + margin >= self.access_token_expires_at

    @property
    def authorization_expires_at(self) -> int:
        """End of the seller's authorization (§2.2: equals the refresh token's expiry)."""
        return self.refresh_token_expires_at

    def authorization_expired(self, now: float) -> bool:
        return now >= self.refresh_token_expires_at


@dataclass(frozen=True)
class ShopAuthorization:
    """One authorised shop and when its authorization ends (re-authorization needed then)."""

    shop: AuthorizedShop
    expires_at: int

    def expires_within(self, now: float, seconds: float = EXPIRY_WARNING) -> bool:
        return now + seconds >= self.expires_at


def shop_authorizations(tokens: TokenSet, shops: list[AuthorizedShop]) -> list[ShopAuthorization]:
    """Every shop a token reaches shares that token's authorization period (§2.2, §2.3)."""
    return [ShopAuthorization(shop=shop, expires_at=tokens.authorization_expires_at) for shop in shops]


class AuthApi:
    """``client.auth``: token exchange and refresh (auth host, unsigned) and Get Authorized Shops."""

    def __init__(self, client: TikTokShopClient) -> None:
        self._client = client

    def exchange_code(self, auth_code: str) -> TokenSet:
        """Exchange the redirect's ``code`` for tokens, and use the new access token from now on."""
        params = {"auth_code": auth_code, "grant_type": "authorized_code"}  # sic: "authorized_code" (§2.2)
        try:
            tokens = self._token_call(TOKEN_GET_PATH, params)
        except TerminalError as exc:
            if exc.platform_code in INVALID_CODE_CODES:
                raise TerminalError(
                    exc.reason,
                    code="authorization_code_invalid",
                    fix="Connect the TikTok shop again: the authorization code is single-use and valid 30 minutes.",
                    platform=PLATFORM,
                    platform_code=exc.platform_code,
                ) from None
            raise
        self._client.access_token = tokens.access_token
        return tokens

    def refresh(self, refresh_token: str) -> TokenSet:
        """Refresh the access token. Store the returned refresh token: it may rotate (§2.2, UNCONFIRMED)."""
        params = {"refresh_token": refresh_token, "grant_type": "refresh_token"}
        try:
            tokens = self._token_call(TOKEN_REFRESH_PATH, params)
        except SyncError as exc:
            if exc.platform_code in REFRESH_DEAD_CODES or isinstance(exc, TerminalError):
                # The seller has to authorise again; retrying the refresh cannot help.
                raise AuthExpiredError(
                    exc.reason,
                    code="reauthorization_required",
                    fix="Reconnect the TikTok shop from Connections: its authorization expired or was revoked.",
                    platform=PLATFORM,
                    platform_code=exc.platform_code,
                ) from None
            raise
        self._client.access_token = tokens.access_token
        return tokens

    def authorized_shops(self) -> list[AuthorizedShop]:
        """Get Authorized Shops (§2.3; takes no shop_cipher)."""
        data = self._client.call(AUTHORIZED_SHOPS)
        return [AuthorizedShop.model_validate(shop) for shop in data.get("shops") or []]

    def _token_call(self, path: str, extra: dict[str, str]) -> TokenSet:
        client = self._client
        # §2.2: no signature; app_secret travels in the query string (never logged: see client._unwrap).
        params = {"app_key": client.app_key, "app_secret": client._app_secret, **extra}
        data = client.send_unsigned(client.auth_base_url + path, params, f"tiktok:{client.app_key}:{path}")
        return TokenSet.from_wire(TokenData.model_validate(data))
