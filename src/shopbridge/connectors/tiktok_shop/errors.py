"""TikTok Shop error envelope -> the typed errors of ``shopbridge.core.errors``.

TikTok answers ``{"code", "message", "request_id", "data"}`` and signals errors with a non-zero
``code``, usually on HTTP 200 (../shared/spec/tiktok-shop-api.md §5.1, §5.2). The sync engine only
looks at the error *class*, so every code TikTok documents that we act on is classified here, in
tables, once. Anything not in a table is a TerminalError that keeps TikTok's code and message.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from shopbridge.core.errors import (
    AuthExpiredError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    RetryableError,
    SyncError,
    TerminalError,
    ValidationFailed,
)

PLATFORM = "tiktok_shop"

# §5.3 / §5.4: throttling. 36009037 (hourly limit for test shops, HTTP 429) is UNCONFIRMED
# (one third-party source); treating it as a rate limit is the safe reading either way.
RATE_LIMIT_CODES = frozenset({36009002, 36009037})

# §5.3 "retry w/ backoff": internal error, request timeout. §8.8: 12001000 product API internal error.
RETRYABLE_CODES = frozenset({36009003, 36009007, 12001000})

# §5.3: 105002 = expired credentials. 105001 is treated as a token error by several clients
# (UNCONFIRMED meaning, §5.3 / §16.15): refreshing is harmless if it turns out to be something else.
AUTH_EXPIRED_CODES = frozenset({105002, 105001})

# §5.3: 36009004 is one code with many messages; only the token variants mean "refresh".
TOKEN_MESSAGE_HINTS = ("access_token", "x-tts-access-token", "access token")

# Codes that mean "this app/token may not do that" (reconnect or grant the scope).
PERMISSION_CODES: Mapping[int, str] = {
    105005: "Enable the missing API scope for the app in TikTok Shop Partner Center, then reconnect the shop.",
    101000: "The access token does not belong to this shop; reconnect the TikTok shop from Connections.",
    36009033: "Add this server's IP address to the app's IP allow-list in Partner Center.",
    12052048: "The product belongs to another seller; unlink the listing.",  # §8.13
    10006402: "Reconnect the TikTok shop; the token lacks permission for orders.",  # §10.4
    25020005: "Reconnect the TikTok shop; the token lacks permission for this order.",  # §12.2
    21011028: "The package belongs to another shop; check the shop connection.",  # §11.3
}

# Records that no longer exist on TikTok (§8.9, §8.11, §8.14, §12.4).
NOT_FOUND_CODES = frozenset({12052032, 12052260, 12019150, 12052556, 12052557, 25007006})

# (our code, plain fix) for terminal errors we can explain better than "rejected".
TERMINAL_CODES: Mapping[int, tuple[str, str]] = {
    106001: ("invalid_signature", "Check the TikTok app key and app secret in Settings."),  # §3.4
    106013: ("shop_cipher_missing", "Reconnect the TikTok shop so its shop cipher is stored."),  # §2.3
    36009009: ("endpoint_unavailable", "Update ShopBridge: TikTok no longer serves this API path."),
    36009010: ("endpoint_unavailable", "Update ShopBridge: TikTok no longer serves this API path."),
    36009014: ("endpoint_unavailable", "Update ShopBridge: this TikTok API version was retired."),  # §1
    36009021: ("file_too_large", "Use a smaller image or file (TikTok limits uploads to 10 MB)."),
    36009043: (
        "shop_inactive",
        "The TikTok shop is inactive; reactivate it in Seller Center.",
    ),  # UNCONFIRMED §5.3
    36009044: (
        "seller_inactive",
        "The TikTok seller account is inactive; check Seller Center.",
    ),  # UNCONFIRMED §5.3
    12052093: (
        "listing_limit_reached",
        "The shop reached TikTok's daily product upload limit; retry tomorrow.",
    ),
    12052901: (
        "wrong_product_status",
        "The TikTok product's status does not allow this change (frozen or deleted).",
    ),
    12019045: (
        "price_locked_by_promotion",
        "Wait for the TikTok promotion to end, or remove the product from it.",
    ),
    12052038: (
        "price_locked_by_promotion",
        "Wait for the TikTok promotion to end, or remove the product from it.",
    ),
    12052393: (
        "stock_locked_by_promotion",
        "Wait for the TikTok promotion to end, or remove the product from it.",
    ),
    12052700: ("seller_inactive", "Finish or reactivate the TikTok seller account in Seller Center."),
    12052704: ("seller_inactive", "Finish or reactivate the TikTok seller account in Seller Center."),
    12052995: ("seller_onboarding_incomplete", "Finish TikTok Shop onboarding in Seller Center."),
    # §11.2 / §11.3: already shipped — nothing more to do on TikTok.
    21008099: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    21011006: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    21011020: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    21042056: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    11006021: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    21011040: ("already_shipped", "Nothing to do: TikTok already has this package as shipped."),
    21008025: ("fulfilled_by_tiktok", "TikTok fulfils this order (FBT); do not ship it from the store."),
    21011041: ("order_cancelled", "The TikTok order was cancelled; do not ship it."),
    21011042: ("order_cancelled", "The TikTok order was cancelled; do not ship it."),
    21011022: ("invalid_tracking", "Check the tracking number and carrier in the store fulfilment."),
    21004015: ("invalid_tracking", "The tracking number does not match the carrier; check both."),
    21011025: ("duplicate_tracking", "This tracking number is already used on another TikTok package."),
    21011050: (
        "tracking_update_window_passed",
        "TikTok allows tracking changes only within 72 h of shipment.",
    ),
    21011051: ("tracking_update_limit", "TikTok allows changing tracking only once per order."),
    25001014: ("invalid_cancel_reason", "Pick a cancel reason TikTok accepts for this market."),
    25001015: ("invalid_cancel_reason", "Pick a cancel reason TikTok accepts for sellers."),
    25001020: ("invalid_cancel_reason", "Pick a current cancel reason; this one was retired."),
    25001021: ("invalid_cancel_reason", "Pick a cancel reason that matches the order status."),
    25001045: ("already_shipped", "The order already shipped and can no longer be cancelled."),
    25001051: ("order_closed", "The order is already completed or cancelled."),
}

# §8.8 error table: product validation codes -> the payload field they are about.
PRODUCT_FIELD_BY_CODE: Mapping[int, str] = {
    **dict.fromkeys((12052015, 12052013, 12052932), "description"),
    **dict.fromkeys((12052261, 12052051, 12052262, 12052931), "title"),
    **dict.fromkeys(
        (12052023, 12052024, 12052025, 12052217, 12052230, 12052220, 12052223, 12052225, 12052226),
        "category_id",
    ),
    **dict.fromkeys((12052026, 12052201, 12052208), "brand_id"),
    **dict.fromkeys((12052028, 12052300, 12052301, 12052304, 12052305, 12052306), "main_images"),
    **dict.fromkeys((12052104, 12052182, 12052183, 12052246, 12052251, 12052254), "product_attributes"),
    12052105: "certifications",
    **dict.fromkeys((12052525, 12052528, 12052550, 12052560), "skus[].sales_attributes"),
    12052050: "skus",
    12052054: "skus[].seller_sku",
    **dict.fromkeys((12052055, 12019024), "skus[].inventory[].quantity"),
    **dict.fromkeys((12052073, 12052570, 12052012), "skus[].price.amount"),
    12052084: "skus[].price.currency",
    **dict.fromkeys(
        (12052097, 12052530, 12052531, 12052532, 12052115, 12052535), "skus[].inventory[].warehouse_id"
    ),
    **dict.fromkeys((12052181, 12052006, 12019011), "package_weight"),
    **dict.fromkeys((12052003, 12052004, 12052005, 12019012), "package_dimensions"),
    **dict.fromkeys((12019061, 12052915), "package_weight.unit"),
    12052222: "is_cod_allowed",
    **dict.fromkeys((12052591, 12052592, 12052598, 12052600), "skus[].identifier_code"),
    12052996: "external_product_id",
}


def is_product_code(code: int) -> bool:
    """``120xxxxx`` is the product family (§5.3 "Code families")."""
    return 12_000_000 <= code < 12_100_000


def error_from_envelope(
    *,
    status_code: int,
    code: int | None,
    message: str,
    request_id: str | None = None,
    retry_after: float | None = None,
) -> SyncError:
    """Classify one failed response. ``code`` is None when the body had no TikTok envelope."""
    common: dict[str, Any] = {
        "platform": PLATFORM,
        "platform_code": code,
        "status_code": status_code,
        "details": {"request_id": request_id} if request_id else {},
    }
    reason = message or f"TikTok Shop answered HTTP {status_code}"
    if code is None:
        return _error_without_envelope(status_code, reason, retry_after, common)
    if status_code == 429 or code in RATE_LIMIT_CODES:
        # §5.2 / §5.4: HTTP 429 + 36009002; back off with jitter.
        return RateLimitedError(reason, retry_after=retry_after, **common)
    if code in RETRYABLE_CODES:
        return RetryableError(reason, **common)
    if code in AUTH_EXPIRED_CODES or (code == 36009004 and _mentions_token(message)):
        return AuthExpiredError(reason, **common)
    if code in PERMISSION_CODES:
        return PermissionDeniedError(reason, fix=PERMISSION_CODES[code], **common)
    if code in NOT_FOUND_CODES:
        return NotFoundError(reason, **common)
    if code in TERMINAL_CODES:
        ours, fix = TERMINAL_CODES[code]
        return TerminalError(reason, code=ours, fix=fix, **common)
    if code == 36009004:
        return TerminalError(reason, code="request_rejected", fix=_fix_for_36009004(message), **common)
    if status_code >= 500:
        return RetryableError(reason, **common)
    if is_product_code(code):
        return _product_validation_error(code, reason, common)
    return TerminalError(
        reason,
        code=f"tiktok_{code}",
        fix="Correct what TikTok's message names, then sync again; contact support with the code if unclear.",
        **common,
    )


def error_from_transport(exc: httpx.TransportError) -> RetryableError:
    """Network errors and timeouts: always retryable (§15.4)."""
    kind = "timed out" if isinstance(exc, httpx.TimeoutException) else "could not be reached"
    return RetryableError(f"TikTok Shop {kind}: {type(exc).__name__}", platform=PLATFORM)


def _error_without_envelope(
    status_code: int, reason: str, retry_after: float | None, common: dict[str, Any]
) -> SyncError:
    # §5.2: 429 throttling and 503 overload/maintenance may come without a TikTok body.
    if status_code == 429:
        return RateLimitedError(reason, retry_after=retry_after, **common)
    if status_code >= 500:
        return RetryableError(reason, **common)
    if status_code == 401:
        return AuthExpiredError(reason, **common)
    return TerminalError(reason, code="unexpected_response", **common)


def _mentions_token(message: str) -> bool:
    lowered = message.lower()
    return any(hint in lowered for hint in TOKEN_MESSAGE_HINTS)


def _fix_for_36009004(message: str) -> str:
    lowered = message.lower()
    if "timestamp" in lowered:
        # §3.3: timestamp must lie in [now - 5 min, now + 30 s].
        return "Synchronise this server's clock (NTP); TikTok rejects requests more than 5 minutes off."
    if "shop_cipher" in lowered or "identifier" in lowered:
        return "Reconnect the TikTok shop; its shop identifier was rejected."
    return "Check the TikTok app key and app secret in Settings."


def _product_validation_error(code: int, reason: str, common: dict[str, Any]) -> ValidationFailed:
    field = PRODUCT_FIELD_BY_CODE.get(code)
    field_errors = []
    if field is not None:
        field_errors.append(
            FieldError(
                field=field,
                code=f"tiktok_{code}",
                reason=reason,
                fix=f"Correct {field} for this listing as TikTok's message says, then sync again.",
            )
        )
    return ValidationFailed(reason, field_errors=field_errors, **common)
