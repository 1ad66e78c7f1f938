"""Reads for accounts: which merchant a signed-in user or an API token acts for."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from .models import ApiToken, Membership, Merchant


def merchant_for_user(user: AbstractBaseUser | AnonymousUser) -> Merchant | None:
    """The merchant a dashboard user works for: their first membership (one per user today).

    Not merchant-first like the other selectors: this is the lookup that *finds* the merchant.
    """
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user).select_related("merchant").order_by("id").first()
    return membership.merchant if membership else None


def api_token_for_key(key: str) -> ApiToken | None:
    """The live (not revoked) token whose secret is ``key``, looked up by hash, never by the secret."""
    if not key.startswith("sb_"):
        return None
    return (
        ApiToken.objects.filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True)
        .select_related("merchant", "user")
        .first()
    )
