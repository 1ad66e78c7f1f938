"""``shopbridge demo``: everything a newcomer needs to see ShopBridge work, in one command.

Starts the platform emulators (``shopbridge-sandbox``), creates a demo merchant and login,
connects the sandbox Shopify store and TikTok shops, pairs them in channels, then starts the web
server, a worker and beat, and prints the dashboard URL and the login.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEMO_USER = "demo"
DEMO_PASSWORD = "shopbridge-demo"  # a sandbox login on a local machine, printed on start


def start_sandbox(data_dir: Path, host: str, port: int) -> tuple[subprocess.Popen, dict[str, Any]]:
    manifest = data_dir / "sandbox-manifest.json"
    manifest.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-m", "shopbridge_sandbox.server", "--host", host, "--port", str(port),
         "--manifest", str(manifest), "--buyers-every", os.environ.get("DEMO_BUYERS_EVERY", "60")],
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if manifest.exists():
            return proc, json.loads(manifest.read_text())
        if proc.poll() is not None:
            raise RuntimeError(f"shopbridge-sandbox exited with {proc.returncode}")
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("shopbridge-sandbox did not write its manifest within 60 s")


def seed(manifest: dict[str, Any]) -> list[str]:
    """Create the demo merchant and connect the sandbox platforms. Idempotent. Returns log lines."""
    from shopbridge.accounts.services import merchant_create_with_owner
    from shopbridge.connections.services import channel_create, shop_connect_with_tokens, store_connect

    lines = []
    merchant, _, created = merchant_create_with_owner(
        name="Demo Outfitters", username=DEMO_USER, email="demo@example.invalid", password=DEMO_PASSWORD
    )
    lines.append(f"merchant: {merchant.name} ({'created' if created else 'exists'})")
    store = None
    if "shopify" in manifest:
        s = manifest["shopify"]
        store = store_connect(
            merchant=merchant, platform="shopify", base_url=s["base_url"], external_id=s["shop_domain"],
            credentials={"access_token": s["access_token"], "api_secret": s["api_secret"],
                         "api_version": s["api_version"]},
            name="Demo Outfitters (Shopify sandbox)",
        )
        lines.append(f"store: {store.name}, {store.currency}; catalogue import started")
    shops = []
    if "tiktok_shop" in manifest:
        t = manifest["tiktok_shop"]
        by_token: dict[str, list[dict[str, Any]]] = {}
        for shop in t["shops"]:
            by_token.setdefault(shop["access_token"], []).append(shop)
        for token, group in by_token.items():
            wanted = [g["shop_id"] for g in group if g["region"] in ("US", "GB")]
            if not wanted:
                continue
            shops += shop_connect_with_tokens(
                merchant=merchant, app_key=t["app_key"], app_secret=t["app_secret"],
                api_base_url=t["api_base_url"], auth_base_url=t["auth_base_url"], access_token=token,
                refresh_token=group[0]["refresh_token"],
                access_token_expires_at=group[0].get("access_token_expires_at"),
                refresh_token_expires_at=group[0].get("refresh_token_expires_at"),
                shop_ids=wanted,
            )
        lines.append("tiktok shops: " + ", ".join(f"{s.region} {s.name} ({s.currency})" for s in shops))
    if store is not None:
        for shop in shops:
            channel = channel_create(merchant=merchant, store=store, shop=shop)
            state = "syncing" if channel.status == "active" else f"stopped: {channel.status_reason}"
            lines.append(f"channel: {channel.name}: {state}")
            if channel.status == "active":
                lines.append(_list_demo_products(store, channel))
    return lines


def _list_demo_products(store, channel, count: int = 24) -> str:
    """Import the catalogue now and map + queue the first products, so buyers have something to buy
    within a minute; the rest is left for the merchant to map and sync from the dashboard."""
    from shopbridge.catalog.importer import import_store
    from shopbridge.catalog.models import Product
    from shopbridge.core.errors import SyncError
    from shopbridge.listings.models import CategoryMapping
    from shopbridge.listings.services import listing_sync_request, mapping_set
    from shopbridge.listings.suggestions import suggest_for_product
    from shopbridge.sync.clients import store_connector

    import_store(store, store_connector(store), full=True)
    products = list(Product.objects.filter(store=store, deleted_at__isnull=True).order_by("pk")[:count])
    mapped = []
    for product in products:
        if CategoryMapping.objects.filter(channel=channel, product=product).exists():
            mapped.append(product)
            continue
        suggestions = suggest_for_product(shop=channel.shop, product=product, k=1)
        if not suggestions:
            continue
        try:
            mapping_set(channel=channel, products=[product], category_id=suggestions[0]["category_id"],
                        source="suggestion")
            mapped.append(product)
        except SyncError:
            continue
    listing_sync_request(channel=channel, products=mapped)
    return f"{channel.name}: {len(mapped)} products mapped by suggestion and queued for TikTok"


def run_demo(*, host: str, port: int, sandbox_port: int) -> int:
    from django.conf import settings
    from django.core.management import call_command

    from shopbridge.runtime import build_children, supervise

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print("shopbridge demo: starting the platform emulators…", flush=True)
    sandbox, manifest = start_sandbox(Path(settings.DATA_DIR), host, sandbox_port)
    try:
        for line in seed(manifest):
            print(f"shopbridge demo: {line}", flush=True)
    except Exception:
        sandbox.terminate()
        raise
    children = build_children(host=host, port=port, web_workers=2, concurrency=2, beat=True, worker=True, web=True,
                              loglevel=os.environ.get("LOG_LEVEL", "WARNING"))
    banner = (
        "\n" + "=" * 64 + "\n"
        f"  ShopBridge demo is running\n"
        f"  Dashboard: http://{host}:{port}/\n"
        f"  Login:     {DEMO_USER} / {DEMO_PASSWORD}\n"
        f"  Emulators: {', '.join(sorted(manifest))} (manifest: {Path(settings.DATA_DIR) / 'sandbox-manifest.json'})\n"
        "  Stop with Ctrl-C.\n" + "=" * 64
    )
    print(banner, flush=True)
    from shopbridge.runtime import Child

    children.append(Child("sandbox", []))
    children[-1].proc = sandbox
    return supervise(children)
