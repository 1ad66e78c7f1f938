"""Browser fixtures: Debian's chromium driven by Playwright against pytest-django's live server.

The emulators are served on loopback ports (the browser follows TikTok's authorize redirect to
one) and mounted in-process for the service's own calls (``sync.clients.mount_transport``), which
is faster and equivalent. Their webhooks go manual: the test flushes them, and they reach the live
server over HTTP exactly as the platforms would POST them. Jobs run in the test thread between
steps (``run_due_jobs``), so nothing races the browser.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from werkzeug.serving import make_server

from shopbridge.sync.clients import mount_transport

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"


class ServedEmulator:
    """An emulator on a loopback port, also mounted in-process at the same URL, with a control client."""

    def __init__(self, emulator: Any) -> None:
        self.emulator = emulator
        self.server = make_server("127.0.0.1", 0, emulator, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.socket.getsockname()[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.http = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=self.url)

    def start(self) -> ServedEmulator:
        self.thread.start()
        mount_transport(self.url, httpx.WSGITransport(app=self.emulator))
        return self

    def stop(self) -> None:
        mount_transport(self.url, None)
        self.server.shutdown()
        self.http.close()

    def control(self, action: str, body: dict | None = None) -> dict:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        assert response.status_code < 300, response.text
        return response.json()

    def flush_webhooks(self) -> None:
        self.control("webhooks/flush", {"force": True})


@pytest.fixture
def sandbox(live_server, settings) -> Iterator[dict[str, ServedEmulator]]:
    """Shopify and TikTok emulators, their manifest written where ``shopbridge demo`` writes it."""
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify import app as shopify_app
    from shopbridge_sandbox.tiktok_shop import app as tiktok_app

    settings.PUBLIC_BASE_URL = live_server.url  # webhooks registered with the platforms point here
    shopify = ServedEmulator(shopify_app.ShopifyEmulator(catalog="demo", webhook_mode="manual"))
    # A Shopify Plus bucket (400, 20/s): same window as the standard plan, without 2 requests/s pacing.
    shopify.emulator.default_shop.bucket = LeakyBucket(size=400, leak_rate=20.0, clock=shopify.emulator.clock)
    tiktok = ServedEmulator(tiktok_app.TikTokShopEmulator(webhook_mode="manual"))
    manifest = {
        "shopify": shopify_app.manifest_entry(shopify.emulator, shopify.url),
        "tiktok_shop": tiktok_app.manifest_entry(tiktok.emulator, tiktok.url),
    }
    (Path(settings.DATA_DIR) / "sandbox-manifest.json").write_text(json.dumps(manifest))
    served = {"shopify": shopify.start(), "tiktok_shop": tiktok.start()}
    yield served
    for emulator in served.values():
        emulator.stop()
    (Path(settings.DATA_DIR) / "sandbox-manifest.json").unlink(missing_ok=True)


@pytest.fixture
def page(monkeypatch):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: run scripts/ensure-chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes between
    # browser steps are ordinary synchronous code, so Django's async guard must not refuse them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        yield page
        context.close()
        browser.close()


@pytest.fixture
def shoot(page):
    """Save a full-page screenshot as a test artefact (test-artifacts/browser/NN-name.png)."""
    counter = iter(range(1, 100))

    def shoot(name: str) -> Path:
        path = ARTIFACTS / f"{next(counter):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shoot


@pytest.fixture
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
