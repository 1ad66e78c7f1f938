"""A controllable clock: real time plus an offset the control API can advance."""

from __future__ import annotations

import threading
import time


class Clock:
    def __init__(self, *, frozen_at: float | None = None) -> None:
        self._offset = 0.0
        self._frozen_at = frozen_at
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            base = self._frozen_at if self._frozen_at is not None else time.time()
            return base + self._offset

    def now_int(self) -> int:
        return int(self.now())

    def advance(self, seconds: float) -> float:
        with self._lock:
            self._offset += float(seconds)
        return self.now()

    def freeze(self, at: float | None = None) -> None:
        with self._lock:
            self._frozen_at = at if at is not None else time.time() + self._offset
            self._offset = 0.0

    def unfreeze(self) -> None:
        with self._lock:
            if self._frozen_at is not None:
                self._offset = self._frozen_at - time.time()
            self._frozen_at = None
