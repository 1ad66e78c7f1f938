"""Wiring for bench/live_sync.py: the service, both emulators and workers in one process.

- The Shopify and TikTok emulators are mounted at their platform URLs (``sync.clients.mount_transport``),
  so the service's real connectors speak the wire protocol to them through ``httpx.WSGITransport``.
- Each emulator's ``WebhookSender`` runs in background mode (its own thread) and POSTs signed webhooks
  into the Django WSGI app in-process, as the platform would POST them to ``/webhooks/...``.
- ``JobRunners``: N threads calling ``run_due_jobs`` in a loop, each with its own DB connection (Django
  connections are per thread). They stand in for Celery workers: a Celery message only says "job N may
  be runnable", so the engine's ``_send`` is replaced by a wake-up of the runner threads instead of a
  broker message; delayed jobs (retries) are picked up by the runners' 50 ms poll of the job table.
- ``Recorder`` wraps an emulator's WSGI app to timestamp the requests the bench measures.
"""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

SHOPIFY_URL = "https://shopbridge-demo.myshopify.com"
TIKTOK_URL = "https://open-api.tiktokglobalshop.com"
SENDER_INTERVAL = 0.05  # seconds between a background sender's delivery sweeps
log = logging.getLogger("bench.live")


# -- instrumentation --------------------------------------------------------------------------


@dataclass
class Seen:
    """One request an emulator answered: when it arrived, when it was answered, what it said."""

    method: str
    path: str
    status: int
    received: float
    answered: float
    request: bytes
    response: bytes


@dataclass
class Recorder:
    """A WSGI wrapper: keeps the requests ``keep(method, path)`` selects, counts 429s for all."""

    app: Callable[..., Any]
    keep: Callable[[str, str], bool]
    seen: list[Seen] = field(default_factory=list)
    rate_limited: int = 0
    requests: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        received = time.perf_counter()
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        wanted = self.keep(method, path) and not path.startswith("/_sandbox/")
        body = b""
        if wanted:
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(body)
        status: list[int] = []

        def capture(status_line: str, headers: list[Any], exc_info: Any = None) -> Any:
            status.append(int(status_line.split(" ", 1)[0]))
            return start_response(status_line, headers, exc_info)

        chunks = b"".join(self.app(environ, capture))
        answered = time.perf_counter()
        with self.lock:
            if not path.startswith("/_sandbox/"):
                self.requests += 1
                self.rate_limited += int(status[0] == 429)
            if wanted:
                self.seen.append(Seen(method, path, status[0], received, answered, body, chunks))
        return [chunks]


TIKTOK_INVENTORY_PATH = re.compile(r"^/product/\d+/products/[^/]+/inventory/update$")
SHOPIFY_ORDERS_PATH = re.compile(r"^/admin/api/[^/]+/orders\.json$")


def tiktok_inventory_receipts(recorder: Recorder) -> dict[str, list[tuple[float, int]]]:
    """TikTok SKU id -> [(arrival time, quantity)] of every Update Inventory TikTok accepted (code 0)."""
    out: dict[str, list[tuple[float, int]]] = {}
    for seen in list(recorder.seen):
        if seen.method != "POST" or not TIKTOK_INVENTORY_PATH.match(seen.path) or seen.status != 200:
            continue
        if json.loads(seen.response).get("code") != 0:
            continue
        for sku in json.loads(seen.request).get("skus", []):
            quantity = sum(int(i["quantity"]) for i in sku.get("inventory", []))
            out.setdefault(str(sku["id"]), []).append((seen.received, quantity))
    return out


def shopify_orders_created(recorder: Recorder) -> list[tuple[float, dict[str, Any]]]:
    """(answer time, order) of every order the store created (201), in order of creation."""
    created = []
    for seen in list(recorder.seen):
        if seen.method == "POST" and SHOPIFY_ORDERS_PATH.match(seen.path) and seen.status == 201:
            created.append((seen.answered, json.loads(seen.response)["order"]))
    return created


def tiktok_reference(order: dict[str, Any], known: set[str]) -> str | None:
    """The TikTok order id a store order was created for (note attribute, source id or note)."""
    candidates = [str(a.get("value")) for a in order.get("note_attributes") or []]
    candidates += [str(order.get("source_identifier") or "")]
    candidates += re.findall(r"\d{6,}", order.get("note") or "")
    return next((c for c in candidates if c in known), None)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (0 for an empty list)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-pct * len(ordered) // 100))))
    return ordered[rank - 1]


# -- workers ----------------------------------------------------------------------------------


class JobRunners:
    """Worker threads: each loops on ``run_due_jobs`` with its own DB connection."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.stop = threading.Event()
        self.wakes = [threading.Event() for _ in range(count)]
        self.threads: list[threading.Thread] = []
        self.errors: list[str] = []
        self.ran = 0
        self._lock = threading.Lock()

    def wake(self, *_args: Any, **_kwargs: Any) -> None:
        for event in self.wakes:
            event.set()

    def install(self) -> None:
        """Jobs enqueued from now on wake the runners instead of sending a Celery message."""
        from shopbridge.sync import engine

        engine._send = self.wake  # the bench is the broker: see the module docstring

    def start(self) -> None:
        for n in range(self.count):
            thread = threading.Thread(
                target=self._loop, args=(self.wakes[n],), name=f"runner-{n}", daemon=True
            )
            thread.start()
            self.threads.append(thread)

    def _loop(self, wake: threading.Event) -> None:
        from django.db import connections

        from shopbridge.sync.engine import run_due_jobs

        try:
            while not self.stop.is_set():
                wake.clear()
                try:
                    ran = run_due_jobs(limit=50)
                except Exception as exc:  # noqa: BLE001 - e.g. "database is locked" outside a job: count it
                    with self._lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")
                    connections.close_all()
                    ran = 0
                with self._lock:
                    self.ran += ran
                if not ran:
                    wake.wait(0.05)
        finally:
            connections.close_all()

    def shutdown(self) -> None:
        self.stop.set()
        self.wake()
        for thread in self.threads:
            thread.join(timeout=30)


# -- the world: service + emulators -----------------------------------------------------------


@dataclass
class World:
    shopify: Any
    tiktok: Any
    shopify_recorder: Recorder
    tiktok_recorder: Recorder
    channel: Any
    listings: list[Any]

    def shopify_control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        return _control(self.shopify, action, body)

    def tiktok_control(self, action: str, body: dict[str, Any]) -> dict[str, Any]:
        return _control(self.tiktok, action, body)


_clients: dict[int, httpx.Client] = {}


def _control(emulator: Any, action: str, body: dict[str, Any]) -> dict[str, Any]:
    client = _clients.get(id(emulator))
    if client is None:
        client = _clients[id(emulator)] = httpx.Client(
            transport=httpx.WSGITransport(app=emulator), base_url="http://sandbox.local"
        )
    response = client.post(f"/_sandbox/{action}", json=body)
    if response.status_code >= 300:
        raise RuntimeError(f"{action}: {response.status_code} {response.text[:300]}")
    return response.json()


def _django_connection_signals(connected: bool) -> None:
    """Like Django's test client (and tests/e2e/conftest.py): while setup delivers webhooks in the
    main thread, keep its DB connection open across those requests."""
    from django.core import signals
    from django.db import close_old_connections

    for signal in (signals.request_started, signals.request_finished):
        (signal.connect if connected else signal.disconnect)(close_old_connections)


def build_world(runners: JobRunners) -> World:
    """Connect the demo Shopify store (a Plus-size bucket) and a TikTok US shop, list every product
    that TikTok approves. Webhooks are delivered in the calling thread during setup."""
    from django.core.wsgi import get_wsgi_application

    from shopbridge.accounts.services import merchant_create_with_owner
    from shopbridge.connections.models import Channel
    from shopbridge.connections.services import channel_create, shop_connect_with_tokens, store_connect
    from shopbridge.sync.clients import mount_transport
    from shopbridge.sync.engine import run_due_jobs
    from shopbridge_sandbox.kit.ratelimit import LeakyBucket
    from shopbridge_sandbox.shopify.app import DEFAULT_SECRET, DEFAULT_SHOP, DEFAULT_TOKEN, ShopifyEmulator
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry

    runners.install()
    _django_connection_signals(False)
    django_app = httpx.WSGITransport(app=get_wsgi_application())

    shopify = ShopifyEmulator(catalog="demo", webhook_mode="manual", public_url=SHOPIFY_URL)
    # A Shopify Plus store (bucket 400, leak 20/s), as tests/e2e/conftest.py: the standard plan's
    # 2 requests/s could not even re-read 50 stock changes a second.
    shopify.default_shop.bucket = LeakyBucket(size=400, leak_rate=20.0, clock=shopify.clock)
    shopify.webhooks.set_transport(django_app)
    shopify_recorder = Recorder(shopify, lambda m, p: m == "POST" and bool(SHOPIFY_ORDERS_PATH.match(p)))
    mount_transport(SHOPIFY_URL, httpx.WSGITransport(app=shopify_recorder))

    tiktok = TikTokShopEmulator(webhook_mode="immediate")
    tiktok.webhooks.set_transport(django_app)
    tiktok_recorder = Recorder(tiktok, lambda m, p: m == "POST" and bool(TIKTOK_INVENTORY_PATH.match(p)))
    mount_transport(TIKTOK_URL, httpx.WSGITransport(app=tiktok_recorder))
    manifest = manifest_entry(tiktok, TIKTOK_URL)

    merchant, _, _ = merchant_create_with_owner(name="Bench", username="bench", password="bench-pass-123")
    store = store_connect(
        merchant=merchant,
        platform="shopify",
        base_url=SHOPIFY_URL,
        external_id=DEFAULT_SHOP,
        credentials={"access_token": DEFAULT_TOKEN, "api_secret": DEFAULT_SECRET, "api_version": "2024-10"},
    )
    run_due_jobs(limit=100_000)
    entry = next(s for s in manifest["shops"] if s["region"] == "US")
    (shop,) = shop_connect_with_tokens(
        merchant=merchant,
        app_key=manifest["app_key"],
        app_secret=manifest["app_secret"],
        api_base_url=manifest["api_base_url"],
        auth_base_url=manifest["auth_base_url"],
        access_token=entry["access_token"],
        refresh_token=entry["refresh_token"],
        shop_ids=[entry["shop_id"]],
    )
    channel = channel_create(merchant=merchant, store=store, shop=shop)
    Channel.objects.filter(pk=channel.pk).update(order_hold=Channel.OrderHold.CREATE_NOW)
    channel.refresh_from_db()
    listings = _list_everything(channel, tiktok)
    _django_connection_signals(True)
    return World(shopify, tiktok, shopify_recorder, tiktok_recorder, channel, listings)


def _list_everything(channel: Any, tiktok: Any) -> list[Any]:
    """Map every product to its top category suggestion, sync, let TikTok approve: the active listings."""
    from shopbridge.catalog.models import Product
    from shopbridge.listings.models import Listing, ListingStatus
    from shopbridge.listings.services import listing_sync_request, mapping_set
    from shopbridge.listings.suggestions import suggest_for_product
    from shopbridge.sync.engine import run_due_jobs

    products = list(Product.objects.filter(store=channel.store, deleted_at__isnull=True, status="active"))
    for product in products:
        best = suggest_for_product(shop=channel.shop, product=product, k=1)[0]
        mapping_set(channel=channel, products=[product], category_id=best["category_id"], source="suggestion")
    listing_sync_request(channel=channel, products=products)
    run_due_jobs(limit=100_000)
    _control(tiktok, "clock/advance", {"seconds": 61})  # TikTok's review takes 60 s (emulator clock)
    _control(tiktok, "webhooks/flush", {"force": True})
    run_due_jobs(limit=100_000)
    return list(
        Listing.objects.filter(channel=channel, status=ListingStatus.ACTIVE).select_related("product")
    )


def start_background_webhooks(world: World) -> None:
    """From now on the platforms POST their webhooks from their own threads, as they would."""
    world.shopify.webhooks.start_background(interval=SENDER_INTERVAL)
    world.tiktok.webhooks.start_background(interval=SENDER_INTERVAL)


def stop_background_webhooks(world: World) -> None:
    world.shopify.webhooks.stop_background()
    world.tiktok.webhooks.stop_background()


WATCHED_KINDS = ("event.handle", "inventory.refresh", "sku.push", "order.import")


def wait_settled(world: World, *, timeout: float, quiet_for: float = 1.0) -> float:
    """Wait until no webhook is pending and no watched job is pending or running (delayed retries
    included) for ``quiet_for`` seconds. Returns the seconds waited (``timeout`` if never settled)."""
    from shopbridge.sync.models import JobState, SyncJob

    started = time.monotonic()
    quiet_since: float | None = None
    while time.monotonic() - started < timeout:
        busy = (
            bool(world.shopify.webhooks.pending() or world.tiktok.webhooks.pending())
            or SyncJob.objects.filter(
                kind__in=WATCHED_KINDS, state__in=[JobState.PENDING, JobState.RUNNING]
            ).exists()
        )
        now = time.monotonic()
        if busy:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = now
        elif now - quiet_since >= quiet_for:
            return now - started - quiet_for
        time.sleep(0.1)
    return timeout
