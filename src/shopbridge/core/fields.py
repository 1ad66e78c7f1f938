"""Encrypted model fields (Fernet, AES-128-CBC + HMAC-SHA256) for tokens and secrets.

Why our own 40 lines instead of a package: the maintained options either pin old Django
versions or encrypt with a key derived from SECRET_KEY (rotating SECRET_KEY would then
destroy every stored credential). Here the keys come from FIELD_ENCRYPTION_KEY, a comma-separated
list: the first key encrypts, all keys decrypt (MultiFernet), so keys rotate without downtime.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "fernet:"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set")
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_str(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt_str(value: str) -> str:
    if not value.startswith(PREFIX):
        raise ValueError("value is not encrypted with ShopBridge's field encryption")
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "Cannot decrypt a stored secret: FIELD_ENCRYPTION_KEY does not contain the key it was encrypted with."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text value stored encrypted. Empty string and None are stored as they are."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_str(str(value))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return value
        return decrypt_str(value)


class EncryptedJSONField(models.TextField):
    """A JSON object stored encrypted (credentials bundles: tokens, secrets, keys)."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return encrypt_str(json.dumps(value, sort_keys=True, separators=(",", ":")))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value in (None, ""):
            return None if value is None else {}
        return json.loads(decrypt_str(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, (dict, list)) or value is None:
            return value
        if isinstance(value, str) and value.startswith(PREFIX):
            return json.loads(decrypt_str(value))
        return json.loads(value)

    def value_to_string(self, obj: Any) -> str:  # used by serializers/dumpdata: never dump plaintext
        return "***"
