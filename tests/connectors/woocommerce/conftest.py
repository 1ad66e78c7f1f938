"""Fixtures for the WooCommerce connector tests: an empty in-process emulator and a merchant driver."""

from __future__ import annotations

import pytest
from woocommerce_support import WooCommerceDriver, connector_for, hook_receiver

from connectors.contract.driver import StoreEnv
from shopbridge.connectors.woocommerce.connector import WooCommerceConnector
from shopbridge_sandbox.woocommerce.app import WooCommerceEmulator


@pytest.fixture
def woo_emulator() -> WooCommerceEmulator:
    emulator = WooCommerceEmulator(catalogue="empty")
    emulator.webhooks.set_transport(hook_receiver())
    return emulator


@pytest.fixture
def woo_connector(woo_emulator: WooCommerceEmulator) -> WooCommerceConnector:
    return connector_for(woo_emulator)


@pytest.fixture
def woo_driver(woo_emulator: WooCommerceEmulator) -> WooCommerceDriver:
    return WooCommerceDriver(woo_emulator)


@pytest.fixture
def store_env(
    woo_emulator: WooCommerceEmulator, woo_connector: WooCommerceConnector, woo_driver: WooCommerceDriver
) -> StoreEnv:
    return StoreEnv(
        connector=woo_connector, driver=woo_driver, webhook_secret=woo_emulator.webhook_secret, currency="USD"
    )
