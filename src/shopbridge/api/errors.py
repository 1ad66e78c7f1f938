"""One error envelope for every API failure: ``{"error": {"code", "message", "fix"}}``.

Handlers are installed on the NinjaAPI (errors raised inside an operation); the middleware in
``api.middleware`` wraps what Django answers before ninja runs (unknown path, wrong method).
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from shopbridge.core.errors import AuthExpiredError, PermissionDeniedError, RetryableError, SyncError

log = logging.getLogger(__name__)

# Default code, message and fix per status, used when nothing more specific is known.
STATUS_DEFAULTS: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "The request is malformed.", "Check the parameters against /api/docs."),
    401: (
        "unauthenticated",
        "A valid API token is required.",
        "Send 'Authorization: Bearer sb_...' with a token created in the dashboard; revoked tokens stop working.",
    ),
    403: ("forbidden", "This token may not do that.", "Use a token of a user with access."),
    404: (
        "not_found",
        "No such resource for this merchant.",
        "Check the id; list the collection to find valid ids.",
    ),
    405: ("method_not_allowed", "This method is not allowed here.", "See /api/docs for the allowed methods."),
    422: ("validation_error", "Some parameters are invalid.", "Correct the fields named in details."),
    429: ("throttled", "Too many requests.", "Wait a little and retry."),
    500: (
        "internal_error",
        "ShopBridge failed to answer.",
        "Retry; if it persists, report it with the time of the request.",
    ),
}


class ErrorBody(Schema):
    code: str
    message: str
    fix: str
    details: list[dict[str, Any]] | None = None


class ErrorEnvelope(Schema):
    error: ErrorBody


# Merge into an operation's ``response=`` so the OpenAPI document lists the envelope.
ERROR_RESPONSES: dict[int, type[ErrorEnvelope]] = {
    400: ErrorEnvelope,
    401: ErrorEnvelope,
    404: ErrorEnvelope,
    422: ErrorEnvelope,
}
# Writes may also conflict with a lock (409) or fail on the platform's side (424).
WRITE_ERRORS: dict[int, type[ErrorEnvelope]] = {**ERROR_RESPONSES, 409: ErrorEnvelope, 424: ErrorEnvelope}


def error_payload(
    status: int,
    *,
    code: str | None = None,
    message: str | None = None,
    fix: str | None = None,
    details: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    default_code, default_message, default_fix = STATUS_DEFAULTS.get(
        status, STATUS_DEFAULTS[500] if status >= 500 else STATUS_DEFAULTS[400]
    )
    body: dict[str, Any] = {
        "code": code or default_code,
        "message": message or default_message,
        "fix": fix or default_fix,
    }
    if details is not None:
        body["details"] = details
    return {"error": body}


def error_response(status: int, **kwargs: Any) -> JsonResponse:
    return JsonResponse(error_payload(status, **kwargs), status=status)


class ApiError(HttpError):
    """Raise from an operation for a specific, documented failure (e.g. an invalid cursor)."""

    def __init__(self, status_code: int, code: str, message: str, fix: str) -> None:
        super().__init__(status_code, message)
        self.code = code
        self.fix = fix


def _on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return error_response(exc.status_code, code=exc.code, message=exc.message, fix=exc.fix)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own messages ("Unauthorized") are less helpful than ours: keep the defaults.
    return error_response(exc.status_code)


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Another merchant's id and a missing id give the same answer: no way to probe for ids.
    return error_response(404)


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {
            "loc": [str(p) for p in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    return error_response(422, details=details)


def sync_error_status(exc: SyncError) -> int:
    """A service's typed error -> HTTP status: 409 a lock or conflict, 424 the platform failed or
    refused us (retry later or reconnect), 422 anything the request must change."""
    if exc.code in ("mapping_locked", "already_linked", "sku_exists_on_tiktok"):
        return 409
    if isinstance(exc, RetryableError | AuthExpiredError | PermissionDeniedError):
        return 424
    return 422


def _on_sync_error(request: HttpRequest, exc: SyncError) -> HttpResponse:
    details = [fe.as_dict() for fe in getattr(exc, "field_errors", None) or []] or None
    return error_response(
        sync_error_status(exc), code=exc.code, message=exc.reason, fix=exc.fix, details=details
    )


def _on_permission(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A record of another merchant named in a body: the same answer as a missing one.
    return error_response(404)


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("api error", extra={"path": request.path})
    return error_response(500)


def install_error_handlers(api: NinjaAPI) -> None:
    api.add_exception_handler(Exception, _on_unexpected)
    api.add_exception_handler(HttpError, _on_http_error)
    api.add_exception_handler(AuthenticationError, _on_http_error)
    api.add_exception_handler(ApiError, _on_api_error)
    api.add_exception_handler(Http404, _on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, _on_not_found)
    api.add_exception_handler(ValidationError, _on_validation)
    api.add_exception_handler(SyncError, _on_sync_error)
    api.add_exception_handler(PermissionError, _on_permission)
