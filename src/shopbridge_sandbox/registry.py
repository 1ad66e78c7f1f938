"""Which emulators exist. Each entry points at a module exposing:

- ``create_emulator(*, seed: int = 0, webhook_mode: str = "immediate") -> EmulatorApp``
- ``manifest_entry(emulator, base_url: str) -> dict``: the platform's part of the sandbox manifest
  (base URLs and sandbox credentials, as documented in each platform's issue).

Modules that are not present yet are skipped, so the sandbox serves whatever has been built.
"""

from __future__ import annotations

import importlib
from types import ModuleType

EMULATOR_MODULES: dict[str, str] = {
    "tiktok_shop": "shopbridge_sandbox.tiktok_shop.app",
    "shopify": "shopbridge_sandbox.shopify.app",
    "woocommerce": "shopbridge_sandbox.woocommerce.app",
}


def available() -> dict[str, ModuleType]:
    found: dict[str, ModuleType] = {}
    for name, dotted in EMULATOR_MODULES.items():
        try:
            module = importlib.import_module(dotted)
        except ModuleNotFoundError as exc:
            if exc.name and dotted.startswith(exc.name):
                continue
            raise
        if hasattr(module, "create_emulator") and hasattr(module, "manifest_entry"):
            found[name] = module
    return found
