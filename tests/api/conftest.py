"""API fixtures: tokens per merchant, plus the tenant records shared with tests/dashboard."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.2 s per user; these tests create users, they do not test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Test folders have no __init__ files: load the dashboard's fixtures by path and re-export them.
_spec = importlib.util.spec_from_file_location(
    "dashboard_fixtures", Path(__file__).resolve().parents[1] / "dashboard" / "conftest.py"
)
_fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_fixtures)
tenant_records = _fixtures.tenant_records
other_tenant_records = _fixtures.other_tenant_records
build_tenant_records = _fixtures.build_tenant_records
tiktok_sandbox = _fixtures.tiktok_sandbox
add_tiktok_product = _fixtures.add_tiktok_product


def _token(merchant, username: str, name: str = "test"):
    from django.contrib.auth import get_user_model

    from shopbridge.accounts.services import api_token_create

    user = get_user_model().objects.get(username=username)
    return api_token_create(merchant=merchant, user=user, name=name)


@pytest.fixture
def api_token(merchant):
    """(token row, secret) for the first merchant."""
    return _token(merchant, "acme")


@pytest.fixture
def other_api_token(other_merchant):
    return _token(other_merchant, "globex")


@pytest.fixture
def api(client, api_token):
    """A client that sends the first merchant's bearer token on every request."""
    _row, key = api_token
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client


@pytest.fixture
def other_api(client, other_api_token):
    _row, key = other_api_token
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {key}"
    return client
