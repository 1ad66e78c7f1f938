"""Simulated TikTok buyers for the demo: a living shop.

Every ``every`` seconds (with jitter) a buyer orders 1-2 units of a random ACTIVE SKU from one of
the demo shops; about ``cancel_rate`` of those orders are cancelled by the buyer inside the
free-cancellation hour. Between orders the emulator is ticked so reviews finish and order
windows move on in server mode. Everything goes through the emulator's control API over HTTP,
as a test would. Deterministic for a given seed.
"""

from __future__ import annotations

import logging
import random
import threading
import time

import httpx

log = logging.getLogger(__name__)


class DemoBuyers:
    def __init__(self, base_url: str, *, every: float = 60.0, cancel_rate: float = 0.2, seed: int = 0,
                 tick: float = 5.0, regions: tuple[str, ...] = ("US", "GB")) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10.0)
        self.every = every
        self.cancel_rate = cancel_rate
        self.tick = tick
        self.regions = regions
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.pending_cancels: list[tuple[float, str]] = []
        self.placed = 0

    def _control(self, action: str, body: dict | None = None) -> dict:
        response = self.http.post(f"/_sandbox/{action}", json=body or {})
        response.raise_for_status()
        return response.json()

    def _shops(self) -> list[dict]:
        return [s for s in self._control("state").get("shops", []) if s.get("region") in self.regions]

    def place_one(self) -> str | None:
        candidates = []
        for shop in self._shops():
            for product in self._control("products", {"shop_id": shop["shop_id"]}).get("products", []):
                if product.get("status") != "ACTIVATE":
                    continue
                for sku in product.get("skus", []):
                    if sum(i.get("quantity", 0) for i in sku.get("inventory", [])) > 2:
                        candidates.append((shop["shop_id"], sku["id"]))
        if not candidates:
            return None
        shop_id, sku_id = self.rng.choice(candidates)
        placed = self._control("place_order", {"shop_id": shop_id,
                                               "items": [{"sku_id": sku_id, "quantity": self.rng.choice([1, 1, 2])}]})
        order_id = str(placed.get("order", {}).get("id") or placed.get("order_id"))
        self.placed += 1
        if self.rng.random() < self.cancel_rate:
            self.pending_cancels.append((time.monotonic() + self.rng.uniform(20, 600), order_id))
        return order_id

    def _cancel_due(self) -> None:
        now = time.monotonic()
        due = [c for c in self.pending_cancels if c[0] <= now]
        self.pending_cancels = [c for c in self.pending_cancels if c[0] > now]
        for _, order_id in due:
            try:
                self._control("buyer_cancel", {"order_id": order_id, "reason": "Changed my mind"})
            except httpx.HTTPError as exc:
                log.info("demo buyer could not cancel %s: %s", order_id, exc)

    def run(self) -> None:
        next_order = time.monotonic() + self.every * self.rng.uniform(0.3, 1.0)
        while not self.stop.wait(self.tick):
            try:
                self._control("clock/advance", {"seconds": 0})  # let reviews and order windows move on
                self._cancel_due()
                if time.monotonic() >= next_order:
                    self.place_one()
                    next_order = time.monotonic() + self.every * self.rng.uniform(0.5, 1.5)
            except httpx.HTTPError as exc:
                log.info("demo buyers: %s", exc)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="demo-buyers", daemon=True)
        thread.start()
        return thread
