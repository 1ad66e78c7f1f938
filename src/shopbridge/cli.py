"""The ``shopbridge`` command: run the service and operate it from a shell.

Exit codes: 0 success, 1 operation failed, 2 usage error, 3 not found, 4 configuration error.
``--json`` prints machine-readable output on stdout; messages go to stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from typing import Any

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_NOT_FOUND, EXIT_CONFIG = 0, 1, 2, 3, 4


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shopbridge.config.settings")
    import django

    django.setup()


def _out(args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        print(json.dumps(data, default=str, indent=2))
    else:
        print(text)


def cmd_run(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    from shopbridge.runtime import build_children, supervise

    if not args.skip_migrate:
        call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    children = build_children(
        host=args.host,
        port=args.port,
        web_workers=args.web_workers,
        concurrency=args.concurrency,
        beat=not args.no_beat,
        worker=not args.no_worker,
        web=not args.no_web,
        loglevel=args.loglevel,
    )
    print(f"shopbridge: dashboard at http://{args.host}:{args.port}/", flush=True)
    return supervise(children)


def cmd_demo(args: argparse.Namespace) -> int:
    os.environ.setdefault("SHOPBRIDGE_PUBLIC_URL", f"http://{args.host}:{args.port}")
    _setup_django()
    from shopbridge.demo import run_demo

    return run_demo(host=args.host, port=args.port, sandbox_port=args.sandbox_port)


def cmd_migrate(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if not args.json else 0)
    _out(args, {"ok": True}, "database is up to date")
    return EXIT_OK


def cmd_create_merchant(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.accounts.services import merchant_create_with_owner

    merchant, user, created = merchant_create_with_owner(
        name=args.name, username=args.username, email=args.email or "", password=args.password
    )
    _out(
        args,
        {"merchant_id": merchant.pk, "slug": merchant.slug, "username": user.username, "created": created},
        f"merchant {merchant.name!r} ({merchant.slug}) with login {user.username!r}"
        + (" created" if created else " already existed"),
    )
    return EXIT_OK


def cmd_probe(args: argparse.Namespace) -> int:
    """Enqueue a diagnostics job through the real broker and wait until a worker has run it."""
    _setup_django()
    from shopbridge.sync.engine import enqueue_job
    from shopbridge.sync.models import ProbeEffect, SyncJob

    token = args.token or uuid.uuid4().hex
    payload = {"token": token, "sleep": args.sleep}
    if args.lease:
        payload["lease_seconds"] = args.lease
    job = enqueue_job("diagnostics.probe", f"probe:{token}", payload=payload)
    if args.no_wait:
        _out(args, {"job_id": job.pk, "token": token}, f"probe job {job.pk} enqueued (token {token})")
        return EXIT_OK
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        effect = ProbeEffect.objects.filter(token=token).first()
        if effect:
            state = SyncJob.objects.get(pk=job.pk).state
            _out(
                args,
                {"job_id": job.pk, "token": token, "worker": effect.worker, "job_state": state},
                f"probe ran on {effect.worker}",
            )
            return EXIT_OK
        time.sleep(0.2)
    print(f"probe job {job.pk} did not run within {args.timeout}s: is a worker running?", file=sys.stderr)
    return EXIT_FAILED


def cmd_reconcile(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.sync.reconciler import reconcile

    result = reconcile()
    _out(args, result, ", ".join(f"{k}: {v}" for k, v in result.items()))
    return EXIT_OK


def _job_dict(job) -> dict[str, Any]:
    from shopbridge.sync.models import ProbeEffect

    data = {
        "id": job.pk,
        "kind": job.kind,
        "key": job.key,
        "state": job.state,
        "attempts": job.attempts,
        "run_after": job.run_after,
        "worker": job.worker,
        "last_error": job.last_error,
    }
    if job.kind == "diagnostics.probe":
        data["effects"] = ProbeEffect.objects.filter(token=job.payload.get("token")).count()
    return data


def cmd_jobs(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.sync.engine import retry_failed_job, run_due_jobs
    from shopbridge.sync.models import SyncJob

    if args.action == "run-due":
        ran = run_due_jobs(limit=args.limit)
        _out(args, {"ran": ran}, f"ran {ran} job(s)")
        return EXIT_OK
    if args.action in ("show", "retry"):
        if args.id is None:
            print("a job id is required", file=sys.stderr)
            return EXIT_USAGE
        job = SyncJob.objects.filter(pk=args.id).first()
        if job is None:
            print(f"job {args.id} not found", file=sys.stderr)
            return EXIT_NOT_FOUND
        if args.action == "retry":
            again = retry_failed_job(job.pk)
            if again is None:
                print(f"job {job.pk} is {job.state}, not failed: nothing to retry", file=sys.stderr)
                return EXIT_FAILED
            job = again
        data = _job_dict(job)
        _out(args, data, " ".join(f"{k}={v}" for k, v in data.items()))
        return EXIT_OK
    qs = SyncJob.objects.order_by("-id")
    if args.state:
        qs = qs.filter(state=args.state)
    rows = [_job_dict(j) for j in qs[: args.limit]]
    _out(
        args,
        rows,
        "\n".join(f"{r['id']:>6} {r['state']:<8} {r['kind']:<24} {r['key']}" for r in rows) or "no jobs",
    )
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["shopbridge manage", *args.rest])
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopbridge", description="ShopBridge: store ⇄ TikTok Shop sync")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="start web server, worker and beat")
    run.add_argument("--host", default=os.environ.get("SHOPBRIDGE_HOST", "127.0.0.1"))
    run.add_argument("--port", type=int, default=int(os.environ.get("SHOPBRIDGE_PORT", "8000")))
    run.add_argument("--web-workers", type=int, default=2)
    run.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
    run.add_argument("--no-beat", action="store_true")
    run.add_argument("--no-worker", action="store_true")
    run.add_argument("--no-web", action="store_true")
    run.add_argument("--skip-migrate", action="store_true")
    run.add_argument("--loglevel", default=os.environ.get("LOG_LEVEL", "INFO"))
    run.set_defaults(func=cmd_run)

    demo = sub.add_parser("demo", help="start the emulators, seed a demo store and shop, run everything")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=int(os.environ.get("SHOPBRIDGE_PORT", "8000")))
    demo.add_argument("--sandbox-port", type=int, default=8700)
    demo.set_defaults(func=cmd_demo)

    mig = sub.add_parser("migrate", help="create or upgrade the database")
    mig.set_defaults(func=cmd_migrate)

    cm = sub.add_parser("create-merchant", help="create a merchant and its owner login (idempotent)")
    cm.add_argument("--name", required=True)
    cm.add_argument("--username", required=True)
    cm.add_argument("--email")
    cm.add_argument("--password", required=True)
    cm.set_defaults(func=cmd_create_merchant)

    probe = sub.add_parser("probe", help="check that a worker runs jobs through the broker")
    probe.add_argument("--token")
    probe.add_argument("--sleep", type=float, default=0.0)
    probe.add_argument("--timeout", type=float, default=30.0)
    probe.add_argument("--no-wait", action="store_true")
    probe.add_argument("--lease", type=int, default=0, help="lease seconds for the job (crash tests)")
    probe.set_defaults(func=cmd_probe)

    rec = sub.add_parser("reconcile", help="re-send stuck work now (beat does this periodically)")
    rec.set_defaults(func=cmd_reconcile)

    jobs = sub.add_parser("jobs", help="inspect and drive sync jobs")
    jobs.add_argument("action", choices=["list", "show", "retry", "run-due"])
    jobs.add_argument("id", nargs="?", type=int)
    jobs.add_argument("--state", choices=["pending", "running", "done", "failed"])
    jobs.add_argument("--limit", type=int, default=50)
    jobs.set_defaults(func=cmd_jobs)

    man = sub.add_parser("manage", help="Django management commands")
    man.add_argument("rest", nargs=argparse.REMAINDER)
    man.set_defaults(func=cmd_manage)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from django.core.exceptions import ImproperlyConfigured

    try:
        return int(args.func(args) or 0)
    except ImproperlyConfigured as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
