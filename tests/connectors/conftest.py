"""Make the shared store contract suite importable from every platform's test module.

The repo has no ``__init__.py`` files under ``tests/`` (pytest's rootdir layout), so this puts
``tests/`` itself on ``sys.path`` explicitly: platform test modules then import the suite as
``from connectors.contract.suite import StoreContract`` and the driver types as
``from connectors.contract.driver import StoreEnv``.
"""

from __future__ import annotations

import sys
from pathlib import Path

TESTS_DIR = str(Path(__file__).resolve().parents[1])
if TESTS_DIR not in sys.path:
    sys.path.insert(0, TESTS_DIR)
