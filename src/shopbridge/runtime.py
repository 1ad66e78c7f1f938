"""``shopbridge run``: web server, Celery worker and beat as one supervised process group.

Gunicorn serves the web (not runserver); Celery runs jobs; beat schedules the reconciler.
Ctrl-C (SIGINT) or SIGTERM stops all three cleanly (SIGTERM, then SIGKILL after a grace period).
If one of them dies, the others are stopped and the exit code is non-zero, so a supervisor
(systemd, a container runtime) restarts the group.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass


@dataclass
class Child:
    name: str
    argv: list[str]
    proc: subprocess.Popen | None = None


def build_children(
    *,
    host: str,
    port: int,
    web_workers: int,
    concurrency: int,
    beat: bool,
    worker: bool,
    web: bool,
    loglevel: str,
) -> list[Child]:
    py = sys.executable
    children: list[Child] = []
    if web:
        children.append(
            Child(
                "web",
                [
                    py,
                    "-m",
                    "gunicorn",
                    "shopbridge.config.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    str(web_workers),
                    "--threads",
                    "4",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "10",
                    "--access-logfile",
                    "-",
                    "--log-level",
                    loglevel.lower(),
                ],
            )
        )
    if worker:
        children.append(
            Child(
                "worker",
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "shopbridge.config.celery",
                    "worker",
                    "--loglevel",
                    loglevel,
                    "--concurrency",
                    str(concurrency),
                    "--without-gossip",
                    "--without-mingle",
                    "--hostname",
                    f"worker-{os.getpid()}@%h",
                ],
            )
        )
    if beat:
        from django.conf import settings

        children.append(
            Child(
                "beat",
                [
                    py,
                    "-m",
                    "celery",
                    "-A",
                    "shopbridge.config.celery",
                    "beat",
                    "--loglevel",
                    loglevel,
                    "--schedule",
                    str(settings.CELERY_BEAT_SCHEDULE_FILENAME),
                ],
            )
        )
    return children


def supervise(children: list[Child], *, grace_seconds: float = 15.0) -> int:
    stopping = False
    exit_code = 0

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    for child in children:
        if child.proc is None:  # a child may have been started already (the demo's sandbox)
            child.proc = subprocess.Popen(child.argv, start_new_session=True)
        print(f"shopbridge: started {child.name} (pid {child.proc.pid})", flush=True)
    while not stopping:
        for child in children:
            if child.proc and child.proc.poll() is not None:
                print(f"shopbridge: {child.name} exited with {child.proc.returncode}; stopping", flush=True)
                exit_code = child.proc.returncode or 1
                stopping = True
                break
        time.sleep(0.3)
    for child in children:
        if child.proc and child.proc.poll() is None:
            os.killpg(child.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    for child in children:
        if not child.proc:
            continue
        try:
            child.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.proc.pid, signal.SIGKILL)
            child.proc.wait()
    print("shopbridge: stopped", flush=True)
    return exit_code
