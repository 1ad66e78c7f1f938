"""Fixtures for the Shopify emulator tests: a frozen clock, so the leaky bucket never drains."""

from __future__ import annotations

import httpx
import pytest

from shopbridge_sandbox.kit.clock import Clock
from shopbridge_sandbox.shopify.app import DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator


@pytest.fixture
def clock() -> Clock:
    return Clock(frozen_at=1_717_200_000.0)


@pytest.fixture
def shopify(clock: Clock) -> ShopifyEmulator:
    emulator = ShopifyEmulator(clock=clock)
    emulator.webhooks.set_transport(httpx.MockTransport(lambda request: httpx.Response(200)))
    return emulator


@pytest.fixture
def http(shopify: ShopifyEmulator) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=shopify),
        base_url=f"https://{DEFAULT_SHOP}",
        headers={"X-Shopify-Access-Token": DEFAULT_TOKEN},
    )
