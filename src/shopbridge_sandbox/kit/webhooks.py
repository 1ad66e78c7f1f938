"""Webhook delivery as the platforms do it: signed by the emulator, retried on failure, recorded.

Modes:
- ``immediate``: deliver inside the request that caused the event (in-process tests).
- ``background``: a thread delivers due webhooks (server mode for the demo).
- ``manual``: queue only; the test or the control API calls ``deliver_due()``.
Duplicate, out-of-order and dropped deliveries come from the tenant's FaultConfig.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from .clock import Clock
from .faults import FaultInjector

Mode = Literal["immediate", "background", "manual"]
RETRY_DELAYS = (10, 30, 60, 300, 900, 3600)  # seconds between attempts, then give up


@dataclass
class Delivery:
    id: int
    tenant: str
    topic: str
    url: str
    body: bytes
    headers: dict[str, str]
    event_id: str
    created_at: float
    next_attempt_at: float
    attempts: int = 0
    status: str = "pending"  # pending | delivered | failed | dropped
    last_status_code: int | None = None
    last_error: str | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "tenant": self.tenant,
            "topic": self.topic,
            "url": self.url,
            "event_id": self.event_id,
            "status": self.status,
            "attempts": self.attempts,
            "last_status_code": self.last_status_code,
            "last_error": self.last_error,
            "body": self.body.decode("utf-8", "replace"),
            "headers": self.headers,
            "created_at": self.created_at,
        }


class WebhookSender:
    def __init__(
        self,
        *,
        clock: Clock,
        faults: FaultInjector,
        mode: Mode = "immediate",
        transport: httpx.BaseTransport | None = None,
        timeout: float = 5.0,
    ) -> None:
        self.clock = clock
        self.faults = faults
        self.mode: Mode = mode
        self.transport = transport
        self.timeout = timeout
        self.deliveries: list[Delivery] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._listeners: list[Callable[[Delivery], None]] = []

    # -- configuration -------------------------------------------------------------------------
    def set_transport(self, transport: httpx.BaseTransport | None) -> None:
        self.transport = transport

    def add_listener(self, listener: Callable[[Delivery], None]) -> None:
        """Called after each attempt (tests use it to observe deliveries)."""
        self._listeners.append(listener)

    def reset(self) -> None:
        with self._lock:
            self.deliveries.clear()

    # -- sending -------------------------------------------------------------------------------
    def send(
        self, *, tenant: str, topic: str, url: str, body: bytes, headers: dict[str, str], event_id: str
    ) -> list[Delivery]:
        cfg = self.faults.get(tenant)
        copies = 1 + max(0, int(cfg.webhook_duplicates))
        now = self.clock.now()
        created = []
        with self._lock:
            for _ in range(copies):
                d = Delivery(
                    id=next(self._ids),
                    tenant=tenant,
                    topic=topic,
                    url=url,
                    body=body,
                    headers=dict(headers),
                    event_id=event_id,
                    created_at=now,
                    next_attempt_at=now,
                )
                if self.faults.roll(cfg.webhook_drop_rate):
                    d.status = "dropped"
                self.deliveries.append(d)
                created.append(d)
        if self.mode == "immediate" and not cfg.webhook_out_of_order:
            self.deliver_due()
        return created

    def pending(self) -> list[Delivery]:
        with self._lock:
            return [d for d in self.deliveries if d.status == "pending"]

    def deliver_due(self, *, force: bool = False) -> int:
        """Attempt every pending delivery that is due (all of them with ``force``). Returns attempts made."""
        now = self.clock.now()
        with self._lock:
            due = [
                d for d in self.deliveries if d.status == "pending" and (force or d.next_attempt_at <= now)
            ]
            reverse_tenants = {d.tenant for d in due if self.faults.get(d.tenant).webhook_out_of_order}
        if reverse_tenants:
            due = [d for d in due if d.tenant not in reverse_tenants] + list(
                reversed([d for d in due if d.tenant in reverse_tenants])
            )
        for d in due:
            self._attempt(d)
        return len(due)

    def _attempt(self, d: Delivery) -> None:
        d.attempts += 1
        try:
            with httpx.Client(transport=self.transport, timeout=self.timeout) as client:
                resp = client.post(d.url, content=d.body, headers=d.headers)
            d.last_status_code = resp.status_code
            d.last_error = None if resp.is_success else resp.text[:500]
            ok = resp.is_success
        except httpx.HTTPError as exc:
            d.last_status_code = None
            d.last_error = f"{type(exc).__name__}: {exc}"
            ok = False
        d.history.append({"at": self.clock.now(), "status_code": d.last_status_code, "error": d.last_error})
        if ok:
            d.status = "delivered"
        elif d.attempts > len(RETRY_DELAYS):
            d.status = "failed"
        else:
            d.next_attempt_at = self.clock.now() + RETRY_DELAYS[d.attempts - 1]
        for listener in self._listeners:
            listener(d)

    # -- background mode -----------------------------------------------------------------------
    def start_background(self, interval: float = 0.2) -> None:
        self.mode = "background"
        if self._thread and self._thread.is_alive():
            return
        self._stop.clear()

        def loop() -> None:
            while not self._stop.wait(interval):
                try:
                    self.deliver_due()
                except Exception:  # noqa: BLE001 - a sender must never die
                    continue

        self._thread = threading.Thread(target=loop, name="webhook-sender", daemon=True)
        self._thread.start()

    def stop_background(self) -> None:
        self._stop.set()
