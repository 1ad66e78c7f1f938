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


@pytest.fixture(autouse=True, scope="session")
def _isolated_data_dir(tmp_path_factory):
    """Each xdist worker gets its own data dir (rate-budget files, generated files)."""
    from django.conf import settings

    path = tmp_path_factory.mktemp("data")
    original = settings.DATA_DIR
    settings.DATA_DIR = path
    yield path
    settings.DATA_DIR = original


@pytest.fixture(autouse=True)
def _test_settings(settings):
    # Rate budgets in memory unless a test asks for a shared backend explicitly.
    settings.RATE_BUDGET_BACKEND = os.environ.get("TEST_RATE_BUDGET_BACKEND", "memory")
    from shopbridge.sync import ratebudget

    ratebudget.reset_cache()
    yield


@pytest.fixture
def run_jobs():
    """Run every due job in-process, as a worker would, until none is due."""
    from shopbridge.sync.engine import run_due_jobs

    return run_due_jobs


@pytest.fixture
def merchant(db):
    from shopbridge.accounts.services import merchant_create_with_owner

    m, _user, _ = merchant_create_with_owner(
        name="Acme Outfitters", username="acme", password="correct-horse-9"
    )
    return m


@pytest.fixture
def other_merchant(db):
    from shopbridge.accounts.services import merchant_create_with_owner

    m, _user, _ = merchant_create_with_owner(name="Globex", username="globex", password="correct-horse-9")
    return m
