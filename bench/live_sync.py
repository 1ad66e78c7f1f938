"""Live sync under load: store stock changes -> TikTok, then TikTok orders -> store (issue 6 figures).

One process holds the service (Django, SQLite WAL in a temp dir), the Shopify and TikTok emulators and
the workers; see bench/_live_support.py for the wiring:

- webhooks: each emulator's WebhookSender in background mode (its own thread, a sweep every 50 ms)
  POSTs signed webhooks into the Django WSGI app in-process (verify -> inbox -> 200);
- workers: ``--workers`` threads calling ``run_due_jobs`` in a loop, each with its own DB connection;
  no broker: the engine's "job N may run" message becomes a wake-up of those threads;
- every platform call goes through the service's real connectors, rate budgets (SQLite file, the
  single-machine default) and audit, to the emulators over ``httpx.WSGITransport``.

Phase 1 sets the stock of random SKUs of ACTIVE listings in Shopify (control ``inventory/set``) at
``--rate`` changes per second for ``--seconds``; the TikTok emulator is wrapped to timestamp every
accepted Update Inventory. Each SKU's stock only goes down during the run, so every quantity TikTok
receives names exactly one store change. Phase 2 places ``--orders`` TikTok orders (control
``place_order``; the channel creates orders at once) at ``--order-rate`` per second and timestamps
each order's creation in Shopify.

Prints one ``name: value`` per line. Usage: .venv/bin/python bench/live_sync.py [--seconds 60] ...
"""

from __future__ import annotations

import argparse
import random
import time
import warnings
from collections import Counter
from dataclasses import dataclass
from typing import Any

from _setup import django_in_tempdir, peak_rss_mb, report

START_STOCK = 5000  # well above the demo stock; each change takes one unit off


@dataclass(frozen=True)
class Target:
    tiktok_sku_id: str
    inventory_item_id: int


@dataclass(frozen=True)
class Change:
    sku: str
    at: float
    quantity: int  # what TikTok should show after this change (the channel's rule on the store levels)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rate", type=float, default=50.0, help="inventory changes per second")
    parser.add_argument("--orders", type=int, default=500)
    parser.add_argument("--order-rate", type=float, default=5.0, help="TikTok orders per second")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--settle-timeout", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    started = time.monotonic()
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise: no collected static files
    django_in_tempdir("sb-bench-live-")

    import _live_support as live

    runners = live.JobRunners(args.workers)
    world = live.build_world(runners)
    targets = _targets(world)
    report(
        database="sqlite (WAL, temp dir)",
        broker="none: in-process job runners",
        workers=args.workers,
        active_listings=len(world.listings),
        skus=len(targets),
        setup_seconds=time.monotonic() - started,
    )
    runners.start()
    live.start_background_webhooks(world)
    _prime_stock(world, live, targets, args)
    rng = random.Random(args.seed)
    try:
        _inventory_phase(world, live, targets, rng, args)
        _order_phase(world, live, targets, rng, args)
    finally:
        live.stop_background_webhooks(world)
        runners.shutdown()
    report(
        tiktok_rate_limited_responses=world.tiktok_recorder.rate_limited,
        shopify_rate_limited_responses=world.shopify_recorder.rate_limited,
        runner_errors=len(runners.errors),
        jobs_run=runners.ran,
        peak_rss_mb=peak_rss_mb(),
        total_seconds=time.monotonic() - started,
    )
    for error in Counter(runners.errors).most_common(5):
        print(f"# runner error x{error[1]}: {error[0][:300]}")


def _targets(world: Any) -> list[Target]:
    """Every SKU of an active listing whose TikTok quantity follows the store's stock."""
    from shopbridge.listings.models import ListingSku

    skus = ListingSku.objects.filter(
        listing__in=world.listings,
        selected=True,
        tiktok_sku_id__isnull=False,
        variant__tracks_inventory=True,
        variant__continue_selling=False,
        variant__deleted_at__isnull=True,
    ).select_related("variant")
    return [Target(str(s.tiktok_sku_id), int(s.variant.inventory_item_id)) for s in skus.order_by("pk")]


def _store_quantity(world: Any, rule: Any, item_id: int) -> int:
    """The quantity TikTok should show for the store's current levels (read from the store itself)."""
    from shopbridge.mapping.inventory import compute_quantity

    shop = world.shopify.default_shop
    with world.shopify.lock:
        levels = {str(loc): lvl["available"] for (item, loc), lvl in shop.levels.items() if item == item_id}
    return compute_quantity(levels, rule)


# -- phase 1: inventory -----------------------------------------------------------------------


def _prime_stock(world: Any, live: Any, targets: list[Target], args: Any) -> None:
    """Not measured: give every SKU START_STOCK units, so orders never run out and every change of
    the run takes the stock below anything TikTok has seen."""
    location = world.shopify.default_shop.primary_location_id
    for target in targets:
        world.shopify_control(
            "inventory/set",
            {
                "inventory_item_id": target.inventory_item_id,
                "location_id": location,
                "available": START_STOCK,
            },
        )
    live.wait_settled(world, timeout=args.settle_timeout)


def _inventory_phase(world: Any, live: Any, targets: list[Target], rng: random.Random, args: Any) -> None:
    from shopbridge.listings.rules import listing_settings

    rule = listing_settings(world.channel).inventory_rule
    location = world.shopify.default_shop.primary_location_id
    taken: Counter[str] = Counter()
    changes: list[Change] = []
    total = int(args.rate * args.seconds)
    began = time.perf_counter()
    for n in range(total):
        _sleep_until(began + n / args.rate)
        target = rng.choice(targets)
        taken[target.tiktok_sku_id] += 1
        world.shopify_control(
            "inventory/set",
            {
                "inventory_item_id": target.inventory_item_id,
                "location_id": location,
                "available": START_STOCK - taken[target.tiktok_sku_id],
            },
        )
        changes.append(
            Change(
                target.tiktok_sku_id,
                time.perf_counter(),
                _store_quantity(world, rule, target.inventory_item_id),
            )
        )
    drove = time.perf_counter() - began
    settle = live.wait_settled(world, timeout=args.settle_timeout)
    latencies, exact, collapsed, undelivered = _match(
        changes, live.tiktok_inventory_receipts(world.tiktok_recorder)
    )
    on_tiktok = _tiktok_quantities(world)
    lost = [
        t
        for t in targets
        if on_tiktok.get(t.tiktok_sku_id) != _store_quantity(world, rule, t.inventory_item_id)
    ]
    report(
        inventory_changes=len(changes),
        inventory_changes_per_s=len(changes) / drove,
        inventory_p50_ms=live.percentile(latencies, 50) * 1000,
        inventory_p99_ms=live.percentile(latencies, 99) * 1000,
        inventory_max_ms=max(latencies, default=0.0) * 1000,
        inventory_exact_p50_ms=live.percentile(exact, 50) * 1000,
        inventory_exact_p99_ms=live.percentile(exact, 99) * 1000,
        lost_updates=len(lost),
        updates_collapsed=collapsed,
        changes_never_reflected=undelivered,
        tiktok_inventory_calls=sum(
            1 for s in world.tiktok_recorder.seen if live.TIKTOK_INVENTORY_PATH.match(s.path)
        ),
        inventory_settle_seconds=settle,
    )
    for target in lost[:5]:
        print(
            f"# lost: sku {target.tiktok_sku_id} tiktok={on_tiktok.get(target.tiktok_sku_id)} "
            f"store={_store_quantity(world, rule, target.inventory_item_id)}"
        )


def _match(
    changes: list[Change], receipts: dict[str, list[tuple[float, int]]]
) -> tuple[list[float], list[float], int, int]:
    """For each change: the first quantity TikTok accepted for that SKU after it that is this change's
    or a later change's value. Latency = that arrival - the change. Returns (latencies of all reflected
    changes, latencies of changes whose own value was sent, collapsed count, never reflected count)."""
    by_sku: dict[str, list[Change]] = {}
    for change in changes:
        by_sku.setdefault(change.sku, []).append(change)
    latencies: list[float] = []
    exact: list[float] = []
    collapsed = undelivered = 0
    for sku, own in by_sku.items():
        index = {c.quantity: i for i, c in enumerate(own)}  # quantities only go down: unique per SKU
        arrivals = sorted(receipts.get(sku, []))
        for i, change in enumerate(own):
            hit = next(
                ((at, index[q]) for at, q in arrivals if at >= change.at and index.get(q, -1) >= i), None
            )
            if hit is None:
                undelivered += 1
                continue
            latencies.append(hit[0] - change.at)
            if hit[1] == i:
                exact.append(hit[0] - change.at)
            else:
                collapsed += 1
    return latencies, exact, collapsed, undelivered


def _tiktok_quantities(world: Any) -> dict[str, int]:
    products = world.tiktok_control("products", {"shop_id": world.channel.shop.shop_id})["products"]
    return {
        str(sku["id"]): sum(int(i["quantity"]) for i in sku["inventory"])
        for p in products
        for sku in p["skus"]
    }


# -- phase 2: orders --------------------------------------------------------------------------


def _order_phase(world: Any, live: Any, targets: list[Target], rng: random.Random, args: Any) -> None:
    shop_id = world.channel.shop.shop_id
    placed: dict[str, float] = {}
    began = time.perf_counter()
    for n in range(args.orders):
        _sleep_until(began + n / args.order_rate)
        body = {"shop_id": shop_id, "items": [{"sku_id": rng.choice(targets).tiktok_sku_id, "quantity": 1}]}
        answer = world.tiktok_control("place_order", body)
        placed[str(answer["order"]["id"])] = time.perf_counter()
    drove = time.perf_counter() - began
    settle = live.wait_settled(world, timeout=args.settle_timeout)
    known = set(placed)
    first_created: dict[str, float] = {}
    for at, order in live.shopify_orders_created(world.shopify_recorder):
        ref = live.tiktok_reference(order, known)
        if ref is not None:
            first_created.setdefault(ref, at)
    with world.shopify.lock:
        store_orders = list(world.shopify.default_shop.orders.values())
    per_tiktok = Counter(ref for o in store_orders if (ref := live.tiktok_reference(o, known)))
    latencies = [first_created[i] - placed[i] for i in placed if i in first_created]
    report(
        orders_placed=len(placed),
        orders_per_s=len(placed) / drove,
        order_p50_ms=live.percentile(latencies, 50) * 1000,
        order_p99_ms=live.percentile(latencies, 99) * 1000,
        order_max_ms=max(latencies, default=0.0) * 1000,
        duplicate_orders=sum(1 for n in per_tiktok.values() if n > 1),
        lost_orders=sum(1 for i in placed if per_tiktok[i] == 0),
        orders_settle_seconds=settle,
    )
    _explain_lost_orders(world, [i for i in placed if per_tiktok[i] == 0])


def _explain_lost_orders(world: Any, lost: list[str]) -> None:
    from shopbridge.orders.models import Order

    if not lost:
        return
    states = Counter(
        f"{o.sync_state}/{o.blocked_code}"
        for o in Order.objects.filter(channel=world.channel, tiktok_order_id__in=lost)
    )
    missing = len(lost) - sum(states.values())
    print(f"# lost orders by service state: {dict(states)}; never imported: {missing}")


def _sleep_until(deadline: float) -> None:
    delay = deadline - time.perf_counter()
    if delay > 0:
        time.sleep(delay)


if __name__ == "__main__":
    main()
