"""API token authentication: ``Authorization: Bearer sb_...`` looked up by SHA-256 hash."""

from __future__ import annotations

from datetime import timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from shopbridge.accounts.models import ApiToken, Merchant
from shopbridge.accounts.selectors import api_token_for_key

# Writing last_used_at on every request would make each read a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


def _mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_for_key(token.strip())
        if api_token is None:
            return None
        _mark_used(api_token)
        return api_token


def merchant_of(request: HttpRequest) -> Merchant:
    """The merchant the request's token belongs to: every query is scoped by it."""
    return request.auth.merchant  # type: ignore[attr-defined]
