"""Writes for accounts: merchants, owners, API tokens."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from .models import ApiToken, Membership, Merchant


def merchant_create_with_owner(
    *, name: str, username: str, email: str = "", password: str
) -> tuple[Merchant, object, bool]:
    """Create a merchant with its owner login; idempotent on the username."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is not None:
            membership = Membership.objects.filter(user=user).select_related("merchant").first()
            if membership:
                return membership.merchant, user, False
        base = slugify(name)[:70] or "merchant"
        slug = base
        for n in range(2, 1000):
            if not Merchant.objects.filter(slug=slug).exists():
                break
            slug = f"{base}-{n}"
        try:
            merchant = Merchant.objects.create(name=name, slug=slug)
        except IntegrityError:  # pragma: no cover - slug raced
            merchant = Merchant.objects.create(name=name, slug=f"{base}-{Merchant.objects.count() + 1}")
        if user is None:
            user = User.objects.create_user(username=username, email=email, password=password)
        Membership.objects.create(merchant=merchant, user=user, role=Membership.Role.OWNER)
        return merchant, user, True


def api_token_create(*, merchant: Merchant, user: object, name: str) -> tuple[ApiToken, str]:
    """Returns the token row and the secret, which is shown once and never stored."""
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        merchant=merchant, user=user, name=name, prefix=key[:10], key_hash=ApiToken.hash_key(key)
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> ApiToken:
    """Stop a token from working at once; idempotent (the first revocation time is kept)."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    token.refresh_from_db()
    return token
