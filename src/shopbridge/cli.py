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


# -- merchant operations: connect, import, mapping, sync, status, orders -----------------------


class CliError(Exception):
    """A failure to report on stderr (message, optional fix) with a given exit code."""

    def __init__(self, message: str, *, fix: str = "", code: int = EXIT_FAILED) -> None:
        super().__init__(message)
        self.fix = fix
        self.code = code


def _merchant(args: argparse.Namespace):
    from shopbridge.accounts.models import Merchant

    if args.merchant:
        merchant = Merchant.objects.filter(slug=args.merchant).first()
        if merchant is None:
            raise CliError(
                f"no merchant {args.merchant!r}",
                fix="List them with `shopbridge status --all`.",
                code=EXIT_NOT_FOUND,
            )
        return merchant
    merchants = list(Merchant.objects.order_by("id")[:2])
    if len(merchants) != 1:
        raise CliError(
            "no merchant yet" if not merchants else "several merchants: say which one",
            fix="Create one with `shopbridge create-merchant`, or pass --merchant SLUG.",
            code=EXIT_USAGE,
        )
    return merchants[0]


def _get(getter, merchant, pk: int, what: str):
    from django.core.exceptions import ObjectDoesNotExist

    try:
        return getter(merchant, pk)
    except ObjectDoesNotExist:
        raise CliError(f"{what} {pk} not found", code=EXIT_NOT_FOUND) from None


def _store_credentials(args: argparse.Namespace) -> tuple[str, dict[str, str]]:
    if args.platform == "shopify":
        if not (args.external_id and args.access_token and args.api_secret):
            raise CliError(
                "Shopify needs --external-id (the myshopify domain), --access-token and --api-secret",
                code=EXIT_USAGE,
            )
        return args.external_id, {
            "access_token": args.access_token,
            "api_secret": args.api_secret,
            "api_version": args.api_version,
        }
    if not (args.consumer_key and args.consumer_secret):
        raise CliError("WooCommerce needs --consumer-key and --consumer-secret", code=EXIT_USAGE)
    return args.external_id or args.base_url.rstrip("/"), {
        "consumer_key": args.consumer_key,
        "consumer_secret": args.consumer_secret,
        "webhook_secret": args.webhook_secret or "",
    }


def cmd_connect(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.connections import services

    if args.what == "sandbox":
        return _connect_sandbox(args)
    merchant = _merchant(args)
    if args.what == "store":
        external_id, credentials = _store_credentials(args)
        store = services.store_connect(
            merchant=merchant,
            platform=args.platform,
            base_url=args.base_url,
            external_id=external_id,
            credentials=credentials,
            name=args.name or "",
            start_import=not args.no_import,
        )
        _out(
            args,
            {"store_id": store.pk, "name": store.name, "currency": store.currency, "status": store.status},
            f"store {store.pk} connected: {store.name} ({store.currency})",
        )
        return EXIT_OK
    shops = services.shop_connect_with_tokens(
        merchant=merchant,
        app_key=args.app_key,
        app_secret=args.app_secret,
        api_base_url=args.api_base_url,
        auth_base_url=args.auth_base_url or args.api_base_url,
        access_token=args.access_token,
        refresh_token=args.refresh_token,
        shop_ids=args.shop_id or None,
    )
    rows = [{"shop_id": s.pk, "name": s.name, "region": s.region, "currency": s.currency} for s in shops]
    _out(
        args,
        rows,
        "\n".join(f"shop {r['shop_id']} connected: {r['name']} ({r['region']})" for r in rows)
        or "no shop in a supported region",
    )
    return EXIT_OK if shops else EXIT_FAILED


def _connect_sandbox(args: argparse.Namespace) -> int:
    from shopbridge.demo import seed

    try:
        manifest = json.loads(open(args.manifest, encoding="utf-8").read())  # noqa: SIM115 - read once
    except OSError as exc:
        raise CliError(
            f"cannot read the manifest: {exc}",
            fix="Start `shopbridge-sandbox --manifest FILE` first.",
            code=EXIT_NOT_FOUND,
        ) from None
    except ValueError as exc:
        raise CliError(f"the manifest is not JSON: {exc}", code=EXIT_USAGE) from None
    lines = seed(manifest)
    _out(args, {"log": lines}, "\n".join(lines))
    return EXIT_OK


def _wait_for_import(args: argparse.Namespace, run) -> None:
    """Poll the ImportRun (a worker does the work; ``--run-here`` does it in this process)."""
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from shopbridge.sync.engine import run_due_jobs

    deadline = time.monotonic() + args.timeout
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[seen]} seen"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, disable=args.json or not sys.stderr.isatty(), transient=True) as progress:
        task = progress.add_task(f"importing {run.store.name}", total=None, seen=0)
        while True:
            if args.run_here:
                run_due_jobs(kinds=["catalog.import"])
            run.refresh_from_db()
            progress.update(
                task, seen=run.products_seen, description=f"importing {run.store.name} (page {run.pages})"
            )
            if run.state != "running":
                return
            if time.monotonic() > deadline:
                raise CliError(
                    f"import {run.pk} still running after {args.timeout}s",
                    fix="Is a worker running? Or pass --run-here.",
                )
            time.sleep(0.2)


def cmd_import(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.catalog.jobs import catalog_import_enqueue
    from shopbridge.connections.selectors import store_get

    store = _get(store_get, _merchant(args), args.store_id, "store")
    run = catalog_import_enqueue(store=store, full=not args.incremental)
    if not args.no_wait:
        _wait_for_import(args, run)
    data = {
        "run_id": run.pk,
        "state": run.state,
        "pages": run.pages,
        "products_seen": run.products_seen,
        "products_changed": run.products_changed,
        "error": run.error or None,
    }
    _out(args, data, f"import {run.pk} {run.state}: {run.products_seen} seen, {run.products_changed} changed")
    if run.state == "failed":
        error = run.error or {}
        raise CliError(f"import failed: {error.get('reason') or error.get('code')}", fix=error.get("fix", ""))
    return EXIT_OK


MAPPING_COLUMNS = [
    "product_id",
    "external_id",
    "title",
    "tiktok_category_id",
    "tiktok_category_path",
    "source",
]


def cmd_mapping(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.connections.selectors import channel_get

    channel = _get(channel_get, _merchant(args), args.channel, "channel")
    if args.action == "export":
        return _mapping_export(args, channel)
    return _mapping_import(args, channel)


def _mapping_export(args: argparse.Namespace, channel) -> int:
    import csv

    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import CategoryMapping

    mappings = {m.product_id: m for m in CategoryMapping.objects.filter(channel=channel)}
    out = open(args.file, "w", newline="", encoding="utf-8") if args.file != "-" else sys.stdout  # noqa: SIM115
    try:
        writer = csv.DictWriter(out, MAPPING_COLUMNS)
        writer.writeheader()
        for product in Product.objects.filter(store=channel.store, deleted_at__isnull=True).order_by("id"):
            m = mappings.get(product.pk)
            writer.writerow(
                {
                    "product_id": product.pk,
                    "external_id": product.external_id,
                    "title": product.title,
                    "tiktok_category_id": m.tiktok_category_id if m else "",
                    "tiktok_category_path": m.tiktok_category_path if m else "",
                    "source": m.source if m else "",
                }
            )
    finally:
        if out is not sys.stdout:
            out.close()
    return EXIT_OK


def _mapping_import(args: argparse.Namespace, channel) -> int:
    """Map each row's product to its category; rows without a category are left alone."""
    import csv

    from shopbridge.catalog.models import Product
    from shopbridge.core.errors import SyncError
    from shopbridge.listings.models import CategoryMapping
    from shopbridge.listings.services import mapping_set

    try:
        rows = list(csv.DictReader(open(args.file, newline="", encoding="utf-8")))  # noqa: SIM115
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc}", code=EXIT_NOT_FOUND) from None
    products = Product.objects.filter(store=channel.store)
    mapped, failures = 0, []
    for n, row in enumerate(rows, start=2):
        category = (row.get("tiktok_category_id") or "").strip()
        if not category:
            continue
        ref = (row.get("product_id") or "").strip()
        product = products.filter(pk=int(ref)).first() if ref.isdigit() else None
        product = product or products.filter(external_id=(row.get("external_id") or "").strip()).first()
        if product is None:
            failures.append(f"line {n}: no product {ref or row.get('external_id')!r} in {channel.store.name}")
            continue
        try:
            mapping_set(
                channel=channel,
                products=[product],
                category_id=category,
                source=CategoryMapping.Source.MANUAL,
            )
            mapped += 1
        except SyncError as exc:
            failures.append(f"line {n}: {exc.reason} Fix: {exc.fix}")
    for line in failures:
        print(line, file=sys.stderr)
    _out(args, {"mapped": mapped, "failed": len(failures)}, f"{mapped} mapped, {len(failures)} failed")
    return EXIT_FAILED if failures else EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.catalog.models import Product
    from shopbridge.connections.selectors import channel_get
    from shopbridge.listings.services import listing_sync_request

    channel = _get(channel_get, _merchant(args), args.channel, "channel")
    products = Product.objects.filter(store=channel.store, deleted_at__isnull=True)
    if args.all_mapped:
        products = products.filter(category_mappings__channel=channel)
    else:
        products = products.filter(pk__in=args.product)
        missing = set(args.product) - set(products.values_list("pk", flat=True))
        if missing:
            raise CliError(
                f"no product {', '.join(map(str, sorted(missing)))} in {channel.store.name}",
                code=EXIT_NOT_FOUND,
            )
    listings = listing_sync_request(channel=channel, products=list(products.distinct()))
    _out(args, {"queued": [lst.pk for lst in listings]}, f"{len(listings)} listing(s) queued for syncing")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.connections import selectors
    from shopbridge.listings.selectors import listing_status_counts
    from shopbridge.orders.selectors import order_state_counts

    merchant = _merchant(args)
    data = {
        "merchant": merchant.slug,
        "stores": [
            {"id": s.pk, "name": s.name, "status": s.status, "reason": s.status_reason}
            for s in selectors.store_list(merchant)
        ],
        "shops": [
            {"id": s.pk, "name": s.name, "region": s.region, "status": s.status}
            for s in selectors.shop_list(merchant)
        ],
        "channels": [
            {"id": c.pk, "name": str(c), "status": c.status, "reason": c.status_reason}
            for c in selectors.channel_list(merchant)
        ],
        "listings": listing_status_counts(merchant),
        "orders": order_state_counts(merchant),
    }
    lines = [f"merchant {merchant.slug}"]
    lines += [f"store {s['id']}: {s['name']} [{s['status']}] {s['reason']}".rstrip() for s in data["stores"]]
    lines += [f"shop {s['id']}: {s['name']} ({s['region']}) [{s['status']}]" for s in data["shops"]]
    lines += [
        f"channel {c['id']}: {c['name']} [{c['status']}] {c['reason']}".rstrip() for c in data["channels"]
    ]
    lines.append("listings: " + (", ".join(f"{k} {v}" for k, v in data["listings"].items() if v) or "none"))
    lines.append("orders: " + (", ".join(f"{k} {v}" for k, v in data["orders"].items() if v) or "none"))
    _out(args, data, "\n".join(lines))
    return EXIT_OK


def cmd_orders(args: argparse.Namespace) -> int:
    _setup_django()
    from shopbridge.orders.selectors import order_list

    merchant = _merchant(args)
    if args.action == "resync-blocked":
        from shopbridge.orders.jobs import enqueue_order_import

        orders = list(order_list(merchant, channel_id=args.channel, sync_state="blocked"))
        for order in orders:
            enqueue_order_import(shop=order.channel.shop, tiktok_order_id=order.tiktok_order_id)
        _out(
            args,
            {"resynced": [o.tiktok_order_id for o in orders]},
            f"{len(orders)} blocked order(s) queued again",
        )
        return EXIT_OK
    rows = [
        {
            "id": o.pk,
            "tiktok_order_id": o.tiktok_order_id,
            "state": o.sync_state,
            "store_order": o.store_order_id,
            "reason": o.blocked_reason,
        }
        for o in order_list(merchant, channel_id=args.channel, sync_state=args.state or "")[: args.limit]
    ]
    _out(
        args,
        rows,
        "\n".join(
            f"{r['id']:>6} {r['tiktok_order_id']:<22} {r['state']:<10} "
            f"{r['store_order'] or '-':<16} {r['reason']}".rstrip()
            for r in rows
        )
        or "no orders",
    )
    return EXIT_OK


def _add_merchant_commands(sub) -> None:
    con = sub.add_parser("connect", help="connect a store, TikTok shops, or everything in a sandbox manifest")
    con_sub = con.add_subparsers(dest="what", required=True)
    st = con_sub.add_parser("store", help="connect a Shopify or WooCommerce store")
    st.add_argument("--platform", choices=["shopify", "woocommerce"], required=True)
    st.add_argument("--base-url", required=True)
    st.add_argument(
        "--external-id", help="Shopify: the myshopify domain; WooCommerce: defaults to the base URL"
    )
    st.add_argument("--name")
    st.add_argument("--access-token")
    st.add_argument("--api-secret")
    st.add_argument("--api-version", default="2024-10")
    st.add_argument("--consumer-key")
    st.add_argument("--consumer-secret")
    st.add_argument("--webhook-secret")
    st.add_argument("--no-import", action="store_true", help="do not start the first catalogue import")
    sh = con_sub.add_parser("shop", help="connect TikTok shops with a seller's tokens")
    for flag in ("--app-key", "--app-secret", "--api-base-url", "--access-token", "--refresh-token"):
        sh.add_argument(flag, required=True)
    sh.add_argument("--auth-base-url")
    sh.add_argument("--shop-id", action="append", help="only this shop (repeatable)")
    sb = con_sub.add_parser(
        "sandbox", help="connect every platform of a shopbridge-sandbox manifest (demo merchant)"
    )
    sb.add_argument("--manifest", required=True)
    con.set_defaults(func=cmd_connect)

    imp = sub.add_parser("import", help="import a store's catalogue, with progress")
    imp.add_argument("store_id", type=int)
    imp.add_argument("--incremental", action="store_true", help="only what changed since the last import")
    imp.add_argument("--no-wait", action="store_true")
    imp.add_argument(
        "--run-here", action="store_true", help="run the import in this process (no worker needed)"
    )
    imp.add_argument("--timeout", type=float, default=3600.0)
    imp.set_defaults(func=cmd_import)

    mp = sub.add_parser("mapping", help="export or import category mappings as CSV")
    mp.add_argument("action", choices=["export", "import"])
    mp.add_argument("file", help="CSV file ('-' for stdout on export)")
    mp.add_argument("--channel", type=int, required=True)
    mp.set_defaults(func=cmd_mapping)

    sy = sub.add_parser("sync", help="queue products for syncing to TikTok")
    sy.add_argument("--channel", type=int, required=True)
    which = sy.add_mutually_exclusive_group(required=True)
    which.add_argument("--product", type=int, action="append", help="a product id (repeatable)")
    which.add_argument("--all-mapped", action="store_true", help="every product mapped to a category")
    sy.set_defaults(func=cmd_sync)

    stt = sub.add_parser("status", help="connections, listing and order counts")
    stt.set_defaults(func=cmd_status)

    od = sub.add_parser("orders", help="list orders, or re-sync the blocked ones")
    od.add_argument("action", choices=["list", "resync-blocked"])
    od.add_argument("--channel", type=int)
    od.add_argument("--state")
    od.add_argument("--limit", type=int, default=50)
    od.set_defaults(func=cmd_orders)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shopbridge", description="ShopBridge: store ⇄ TikTok Shop sync")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--merchant", help="merchant slug (default: the only merchant)")
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

    _add_merchant_commands(sub)

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
    except CliError as exc:
        print(f"error: {exc}" + (f"\nfix: {exc.fix}" if exc.fix else ""), file=sys.stderr)
        return exc.code
    except Exception as exc:
        from shopbridge.core.errors import SyncError

        if not isinstance(exc, SyncError):
            raise
        print(f"error: {exc.reason} ({exc.code})\nfix: {exc.fix}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
