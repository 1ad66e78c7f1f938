"""WooCommerce REST API (wc/v3) store connector."""
