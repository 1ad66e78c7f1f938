"""The shared store contract, run against the WooCommerce connector and its emulator."""

from connectors.contract.suite import StoreContract


class TestWooCommerceContract(StoreContract):
    """``store_env`` comes from this folder's conftest: an empty WooCommerce site over HTTPS."""
