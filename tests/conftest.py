import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SHARED_DATA = SHARED / "data"
SHARED_SPEC = SHARED / "spec"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"reference data not found at {SHARED_DATA} (a fresh clone has no ../shared); skipping")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_spec() -> Path:
    if not SHARED_SPEC.is_dir():
        pytest.skip(f"reference spec not found at {SHARED_SPEC} (a fresh clone has no ../shared); skipping")
    return SHARED_SPEC
