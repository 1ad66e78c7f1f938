"""WooCommerce REST API (wc/v3) emulator."""
