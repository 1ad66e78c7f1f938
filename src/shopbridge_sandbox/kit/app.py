"""WSGI base for every emulator: routing, JSON helpers, faults and the shared control API.

Each emulator subclasses ``EmulatorApp``, declares its routes with ``@route`` and implements
its platform's request pipeline (auth, signature, rate limit) in its handlers. The control API
lives under ``/_sandbox/``, a prefix none of the real platforms use.

In-process use: ``httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=...)``.
Server mode: ``shopbridge_sandbox.server`` serves it with Werkzeug's threaded server.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any, ClassVar

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from .clock import Clock
from .faults import FaultInjector
from .webhooks import Mode, WebhookSender

Handler = Callable[..., Response]


def route(
    path: str, methods: tuple[str, ...] = ("GET",), endpoint: str | None = None
) -> Callable[[Handler], Handler]:
    """Mark a method of an EmulatorApp subclass as the handler of ``path``."""

    def decorate(fn: Handler) -> Handler:
        routes = getattr(fn, "_routes", [])
        routes.append((path, methods, endpoint or fn.__name__))
        fn._routes = routes  # type: ignore[attr-defined]
        return fn

    return decorate


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
        status=status,
        headers=headers or {},
        content_type="application/json; charset=utf-8",
    )


def read_json(request: Request) -> Any:
    """Parse the JSON body; raises ValueError with a readable message when it is not JSON."""
    raw = request.get_data(cache=True)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"body is not valid JSON: {exc.msg} at position {exc.pos}") from exc


class EmulatorApp:
    """Base class. Subclasses set ``platform`` and implement ``reset_state`` and ``fault_response``."""

    platform: ClassVar[str] = "base"

    def __init__(
        self,
        *,
        seed: int = 0,
        clock: Clock | None = None,
        webhook_mode: Mode = "immediate",
    ) -> None:
        self.seed = seed
        self.clock = clock or Clock()
        self.faults = FaultInjector(seed)
        self.webhooks = WebhookSender(clock=self.clock, faults=self.faults, mode=webhook_mode)
        self.lock = threading.RLock()
        self.request_log: list[dict[str, Any]] = []
        self._url_map, self._handlers = self._build_routes()
        self.reset_state()

    # -- to implement --------------------------------------------------------------------------
    def reset_state(self) -> None:
        raise NotImplementedError

    def fault_response(self, kind: str, request: Request) -> Response:
        """The platform's own answer for an injected fault: '5xx', 'rate_limit' or 'timeout'."""
        if kind == "rate_limit":
            return json_response({"error": "rate limited"}, 429, {"Retry-After": "1"})
        if kind == "timeout":
            return json_response({"error": "gateway timeout"}, 504)
        return json_response({"error": "internal error"}, 500)

    def control(self, action: str, request: Request, body: dict[str, Any]) -> Response | None:
        """Platform-specific control actions (``/_sandbox/<action>``). Return None when unknown."""
        return None

    # -- routing -------------------------------------------------------------------------------
    def _build_routes(self) -> tuple[Map, dict[str, Handler]]:
        rules: list[Rule] = []
        handlers: dict[str, Handler] = {}
        for name in dir(type(self)):
            fn = getattr(type(self), name, None)
            for path, methods, endpoint in getattr(fn, "_routes", []):
                rules.append(Rule(path, methods=list(methods), endpoint=endpoint))
                handlers[endpoint] = getattr(self, name)
        return Map(rules, strict_slashes=False), handlers

    def apply_faults(self, tenant: str, request: Request) -> Response | None:
        """Call from a handler once the tenant is known. Returns the fault response, or None."""
        cfg = self.faults.get(tenant)
        if cfg.latency_ms:
            time.sleep(cfg.latency_ms / 1000.0)
        kind = self.faults.decide(tenant)
        if kind == "timeout":
            time.sleep(min(cfg.timeout_seconds, 60))
        return self.fault_response(kind, request) if kind else None

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        if request.path.startswith("/_sandbox/"):
            return self._control(request)
        adapter = self._url_map.bind_to_environ(request.environ)
        try:
            endpoint, args = adapter.match()
        except NotFound:
            return self.not_found(request)
        except MethodNotAllowed:
            return self.method_not_allowed(request)
        except HTTPException as exc:  # pragma: no cover - werkzeug redirects etc.
            return exc.get_response(request.environ)  # type: ignore[return-value]
        started = time.perf_counter()
        response = self._handlers[endpoint](request, **args)
        with self.lock:
            self.request_log.append(
                {
                    "at": self.clock.now(),
                    "method": request.method,
                    "path": request.path,
                    "endpoint": endpoint,
                    "status": response.status_code,
                    "ms": round((time.perf_counter() - started) * 1000, 2),
                }
            )
            if len(self.request_log) > 50_000:
                del self.request_log[:10_000]
        return response

    def not_found(self, request: Request) -> Response:
        return json_response({"error": "not found", "path": request.path}, 404)

    def method_not_allowed(self, request: Request) -> Response:
        return json_response({"error": "method not allowed"}, 405)

    # -- control API ---------------------------------------------------------------------------
    def _control(self, request: Request) -> Response:
        action = request.path[len("/_sandbox/") :].strip("/")
        try:
            body = read_json(request) or {}
        except ValueError as exc:
            return json_response({"error": str(exc)}, 400)
        if not isinstance(body, dict):
            return json_response({"error": "control body must be a JSON object"}, 400)
        try:
            with self.lock:
                return self._control_action(action, request, body)
        except (KeyError, ValueError, TypeError) as exc:
            return json_response({"error": f"{type(exc).__name__}: {exc}"}, 400)

    def _control_action(self, action: str, request: Request, body: dict[str, Any]) -> Response:
        if action == "reset":
            self.faults.reset(body.get("seed"))
            self.webhooks.reset()
            self.request_log.clear()
            self.reset_state()
            return json_response({"ok": True})
        if action == "clock":
            return json_response({"now": self.clock.now()})
        if action == "clock/advance":
            now = self.clock.advance(float(body.get("seconds", 0)))
            self.on_clock_advanced()
            return json_response({"now": now})
        if action == "faults":
            if request.method == "GET":
                return json_response({"faults": {}})
            tenant = str(body.pop("tenant", "*"))
            cfg = self.faults.set(tenant, **body)
            return json_response({"tenant": tenant, "faults": cfg.as_dict()})
        if action == "webhooks/deliveries":
            return json_response({"deliveries": [d.as_dict() for d in self.webhooks.deliveries]})
        if action == "webhooks/flush":
            self.on_clock_advanced()
            return json_response(
                {"attempted": self.webhooks.deliver_due(force=bool(body.get("force", True)))}
            )
        if action == "requests":
            return json_response({"requests": self.request_log[-int(body.get("limit", 500)) :]})
        result = self.control(action, request, body)
        if result is None:
            return json_response({"error": f"unknown control action {action!r}"}, 404)
        return result

    def on_clock_advanced(self) -> None:
        """Hook: move time-driven state (reviews, order windows) forward. Default: deliver due webhooks."""
        self.webhooks.deliver_due()
