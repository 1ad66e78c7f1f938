"""Whole-process tests: the real CLI, the real broker, real worker processes, SIGKILL."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow
BIN = Path(sys.executable).parent


def _env(data_dir: Path) -> dict:
    env = dict(os.environ)
    env["SHOPBRIDGE_DATA_DIR"] = str(data_dir)
    env["LOG_FORMAT"] = "plain"
    env["JOB_STALE_AFTER_SECONDS"] = "1"
    # Its own queue: messages other tests left on a shared broker (CI's Redis) never reach this worker.
    env["CELERY_QUEUE"] = f"shopbridge-test-{uuid.uuid4().hex[:12]}"
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def _cli(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "shopbridge"), "--json", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def _job(env: dict, job_id: int) -> dict:
    out = _cli(env, "jobs", "show", str(job_id))
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_shopbridge_run_serves_health_and_a_real_worker_runs_a_job(tmp_path):
    env = _env(tmp_path)
    port = _free_port()
    proc = subprocess.Popen(
        [str(BIN / "shopbridge"), "run", "--port", str(port), "--web-workers", "1", "--concurrency", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:

        def healthy():
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=3)
                return r if r.status_code == 200 else None
            except httpx.HTTPError:
                return None

        response = _wait(healthy, 90, "/healthz")
        assert response.json()["database"]["ok"] is True
        assert response.json()["broker"]["ok"] is True

        probe = _cli(env, "probe", "--timeout", "90", timeout=120)

        assert probe.returncode == 0, probe.stderr
        result = json.loads(probe.stdout)
        assert result["worker"]
    finally:
        os.killpg(proc.pid, signal.SIGINT)
        out, _ = proc.communicate(timeout=40)
    assert proc.returncode == 0, out.decode()[-2000:]
    assert b"shopbridge: stopped" in out


def _start_worker(env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "shopbridge.config.celery",
            "worker",
            "--concurrency",
            "1",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def test_worker_killed_mid_task_is_recovered_by_the_reconciler_exactly_once(tmp_path):
    env = _env(tmp_path)
    assert _cli(env, "migrate").returncode == 0
    token = uuid.uuid4().hex
    worker = _start_worker(env)
    try:
        enq = _cli(env, "probe", "--no-wait", "--token", token, "--sleep", "120", "--lease", "3")
        assert enq.returncode == 0, enq.stderr
        job_id = json.loads(enq.stdout)["job_id"]
        _wait(lambda: _job(env, job_id)["state"] == "running", 60, "the worker to start the job")

        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        assert _job(env, job_id)["effects"] == 0

        time.sleep(3.5)  # the dead worker's lease runs out
        worker = _start_worker(env)
        assert _cli(env, "reconcile").returncode == 0

        final = _wait(lambda: (j := _job(env, job_id))["state"] == "done" and j, 60, "the job to complete")
        assert final["effects"] == 1
        assert final["attempts"] >= 2
        # A late duplicate message and another reconcile change nothing.
        assert _cli(env, "reconcile").returncode == 0
        time.sleep(1.5)
        assert _job(env, job_id)["effects"] == 1
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
