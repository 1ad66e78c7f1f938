"""Shared set-up for benchmarks: a throwaway data dir and database, Django ready."""

from __future__ import annotations

import os
import resource
import sys
import tempfile
from pathlib import Path


def django_in_tempdir(prefix: str) -> Path:
    data = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["SHOPBRIDGE_DATA_DIR"] = str(data)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopbridge.config.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def report(**figures: float | int | str) -> None:
    for name, value in figures.items():
        print(f"{name}: {round(value, 3) if isinstance(value, float) else value}", flush=True)
