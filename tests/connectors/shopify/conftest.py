"""Fixtures for the Shopify connector tests: an in-process emulator and a merchant driver."""

from __future__ import annotations

import pytest

from connectors.contract.driver import StoreEnv
from connectors.shopify.shopify_env import ShopifyDriver, make_connector, make_emulator
from shopbridge.connectors.shopify import ShopifyConnector
from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, ShopifyEmulator


@pytest.fixture
def emulator() -> ShopifyEmulator:
    return make_emulator()


@pytest.fixture
def connector(emulator: ShopifyEmulator) -> ShopifyConnector:
    return make_connector(emulator)


@pytest.fixture
def driver(emulator: ShopifyEmulator) -> ShopifyDriver:
    return ShopifyDriver(emulator)


@pytest.fixture
def store_env(connector: ShopifyConnector, driver: ShopifyDriver) -> StoreEnv:
    return StoreEnv(connector=connector, driver=driver, webhook_secret=DEFAULT_SECRET, currency="USD")
