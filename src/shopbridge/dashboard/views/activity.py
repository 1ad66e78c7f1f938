"""Activity: sync jobs, the outbound-call log, inbound webhook events and rejected webhooks."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shopbridge.sync.models import JobState
from shopbridge.sync.selectors import job_get, job_kinds, job_list, outbound_call_list
from shopbridge.webhooks.models import InboundEvent
from shopbridge.webhooks.selectors import inbound_event_get, inbound_event_list, rejected_webhook_list

from ..access import found, merchant_view
from ..paging import choice_param, page_of, text_param


@merchant_view
def jobs(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    kinds = job_kinds(merchant)
    filters = {
        "state": choice_param(request, "state", JobState.values),
        "kind": choice_param(request, "kind", kinds),
        "search": text_param(request, "q"),
    }
    context = {
        "page": page_of(request, job_list(merchant, **filters)),
        "filters": filters,
        "states": JobState.values,
        "kinds": kinds,
        "tab": "jobs",
    }
    return render(request, "dashboard/jobs.html", context)


@merchant_view
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = found(job_get, request.merchant, job_id)  # type: ignore[attr-defined]
    # Tracebacks are for operators (logs, admin): the merchant sees code, reason and fix.
    error = {k: v for k, v in (job.last_error or {}).items() if k != "traceback"}
    context = {
        "job": job,
        "error": error,
        "payload_json": json.dumps(job.payload, indent=2, sort_keys=True, default=str),
        "tab": "jobs",
    }
    return render(request, "dashboard/job_detail.html", context)


@merchant_view
def calls(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    outcome = choice_param(request, "outcome", ["ok", "failed"])
    platform = text_param(request, "platform", max_length=32)
    ok = {"ok": True, "failed": False}.get(outcome)
    context = {
        "page": page_of(request, outbound_call_list(merchant, platform=platform, ok=ok), per_page=50),
        "filters": {"outcome": outcome, "platform": platform},
        "tab": "calls",
    }
    return render(request, "dashboard/calls.html", context)


@merchant_view
def events(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    filters = {
        "state": choice_param(request, "state", InboundEvent.State.values),
        "platform": text_param(request, "platform", max_length=32),
        "search": text_param(request, "q"),
    }
    context = {
        "page": page_of(request, inbound_event_list(merchant, **filters)),
        "filters": filters,
        "states": InboundEvent.State.values,
        "tab": "events",
    }
    return render(request, "dashboard/events.html", context)


@merchant_view
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = found(inbound_event_get, request.merchant, event_id)  # type: ignore[attr-defined]
    context = {
        "event": event,
        "payload_json": json.dumps(event.payload, indent=2, sort_keys=True, default=str),
        "tab": "events",
    }
    return render(request, "dashboard/event_detail.html", context)


@merchant_view
def rejected(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    code = text_param(request, "code", max_length=64)
    context = {
        "page": page_of(request, rejected_webhook_list(merchant, code=code)),
        "filters": {"code": code},
        "tab": "rejected",
    }
    return render(request, "dashboard/rejected.html", context)
