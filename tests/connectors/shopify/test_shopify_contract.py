"""The shared store contract, run against the Shopify connector and its emulator."""

from connectors.contract.suite import StoreContract


class TestShopifyContract(StoreContract):
    """``store_env`` comes from this folder's conftest: an empty shop with two locations."""
