"""Shopify Admin REST API emulator (see COVERAGE.md); entry points in ``app``."""
