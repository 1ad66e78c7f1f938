"""Typed sync errors shared by every connector and the sync engine.

Connectors translate each platform's error envelope into one of these classes; the sync
engine decides what to do (retry with backoff, wait, refresh a token, or record and stop)
from the class alone, never from platform-specific codes.

Every error a merchant can see carries a stable ``code``, a plain ``reason`` and a ``fix``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class SyncError(Exception):
    """Base class: something went wrong talking to a platform or validating data."""

    retryable: bool = False
    default_code: str = "sync_error"
    default_fix: str = "Retry later; if it keeps failing, contact support with the error code."

    def __init__(
        self,
        reason: str,
        *,
        code: str | None = None,
        fix: str | None = None,
        platform: str | None = None,
        platform_code: str | int | None = None,
        status_code: int | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code or self.default_code
        self.fix = fix or self.default_fix
        self.platform = platform
        self.platform_code = platform_code
        self.status_code = status_code
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "reason": self.reason,
            "fix": self.fix,
            "platform": self.platform,
            "platform_code": self.platform_code,
            "retryable": self.retryable,
        }

    def __str__(self) -> str:  # pragma: no cover - trivial
        prefix = f"[{self.platform}:{self.platform_code}] " if self.platform_code is not None else ""
        return f"{prefix}{self.code}: {self.reason}"


class RetryableError(SyncError):
    """Transient: network error, timeout, 5xx, platform says "internal error, retry"."""

    retryable = True
    default_code = "platform_unavailable"
    default_fix = "Nothing to do: ShopBridge retries automatically with backoff."


class RateLimitedError(RetryableError):
    """The platform throttled us. ``retry_after`` is seconds to wait (None when unknown)."""

    default_code = "rate_limited"
    default_fix = "Nothing to do: ShopBridge waits for the platform's rate limit and retries."

    def __init__(self, reason: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.retry_after = retry_after


class AuthExpiredError(SyncError):
    """Access token expired or revoked. Refresh then retry; if refresh fails, the merchant re-authorises."""

    retryable = True
    default_code = "auth_expired"
    default_fix = "Reconnect the account from Connections if the automatic token refresh keeps failing."


class TerminalError(SyncError):
    """Retrying the same request can never succeed: the data or the configuration must change."""

    default_code = "rejected"
    default_fix = "Correct the data named in the reason, then sync again."


class ValidationFailed(TerminalError):
    """The payload breaks a rule (ours or the platform's). ``field_errors`` names each field."""

    default_code = "validation_failed"

    def __init__(self, reason: str, *, field_errors: list[FieldError] | None = None, **kwargs: Any) -> None:
        super().__init__(reason, **kwargs)
        self.field_errors = field_errors or []

    def as_dict(self) -> dict[str, Any]:
        data = super().as_dict()
        data["field_errors"] = [fe.as_dict() for fe in self.field_errors]
        return data


class NotFoundError(TerminalError):
    default_code = "not_found"
    default_fix = "The record no longer exists on the platform; re-import or relink it."


class PermissionDeniedError(TerminalError):
    default_code = "permission_denied"
    default_fix = "Grant the missing permission/scope to the app and reconnect."


@dataclass(frozen=True)
class FieldError:
    """One field-level problem: where, what is wrong, and how to fix it."""

    field: str
    code: str
    reason: str
    fix: str
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"field": self.field, "code": self.code, "reason": self.reason, "fix": self.fix, **self.extra}
