"""Shopify Admin REST connector: ``ShopifyConnector`` (see ``connector.py``)."""

from .connector import ShopifyConnector

__all__ = ["ShopifyConnector"]
