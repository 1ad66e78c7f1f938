"""CLI fixtures: the command runs in-process (``shopbridge.cli.main``) against emulators mounted
at sandbox URLs, exactly as a merchant's shell would reach them over the network."""

from __future__ import annotations

import json

import httpx
import pytest

from shopbridge.sync.clients import mount_transport

SHOPIFY_URL = "https://cli-shop.sandbox.test"
TIKTOK_URL = "https://cli-tiktok.sandbox.test"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def cli(capsys):
    """Run ``shopbridge ARGS`` in-process: (exit code, stdout, stderr)."""
    from shopbridge.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def sandbox_manifest(tmp_path):
    """A shopbridge-sandbox manifest for a Shopify store and TikTok shops mounted in-process."""
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify import app as shopify_app
    from shopbridge_sandbox.tiktok_shop import app as tiktok_app

    shopify = shopify_app.ShopifyEmulator(catalog="demo", webhook_mode="manual")
    shopify.default_shop.bucket = LeakyBucket(size=400, leak_rate=20.0, clock=shopify.clock)
    tiktok = tiktok_app.TikTokShopEmulator(webhook_mode="manual")
    manifest = {
        "shopify": shopify_app.manifest_entry(shopify, SHOPIFY_URL),
        "tiktok_shop": tiktok_app.manifest_entry(tiktok, TIKTOK_URL),
    }
    mount_transport(SHOPIFY_URL, httpx.WSGITransport(app=shopify))
    mount_transport(TIKTOK_URL, httpx.WSGITransport(app=tiktok))
    path = tmp_path / "sandbox-manifest.json"
    path.write_text(json.dumps(manifest))
    yield path, manifest
    mount_transport(SHOPIFY_URL, None)
    mount_transport(TIKTOK_URL, None)


@pytest.fixture
def tenant_records_for_cli(merchant):
    """One of every record (tests/dashboard/conftest.py), loaded by path: test folders are not packages."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "dashboard_fixtures_for_cli", Path(__file__).resolve().parents[1] / "dashboard" / "conftest.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build_tenant_records(merchant, "acme")
