"""Keys generated on first run into the data directory when the environment does not set them.

Production mode (``SHOPBRIDGE_PRODUCTION=1``) refuses to generate: keys must come from the
environment, so that several machines share them and a lost disk does not lose the keys.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured


def _generated(path: Path, make: callable) -> str:  # type: ignore[valid-type]
    if path.exists():
        return path.read_text().strip()
    value = make()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
    except FileExistsError:  # pragma: no cover - raced with another process
        return path.read_text().strip()
    return value


def key_from_env_or_file(name: str, data_dir: Path, *, production: bool, kind: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if production:
        raise ImproperlyConfigured(f"{name} must be set in production mode (SHOPBRIDGE_PRODUCTION=1).")
    if kind == "fernet":
        return _generated(
            data_dir / f"{name.lower()}.key", lambda: base64.urlsafe_b64encode(os.urandom(32)).decode()
        )
    return _generated(data_dir / f"{name.lower()}.key", lambda: secrets.token_urlsafe(50))
