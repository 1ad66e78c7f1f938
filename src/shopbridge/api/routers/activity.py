"""Sync jobs, inbound webhook events and rejected webhooks (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.sync import selectors as jobs_selectors
from shopbridge.webhooks import selectors as events_selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import PathId, Text
from ..schemas import EventOut, JobOut, RejectedWebhookOut

jobs = Router(tags=["jobs"])
events = Router(tags=["events"])
rejected = Router(tags=["events"])


@jobs.get("", response={200: Page[JobOut], **ERROR_RESPONSES}, summary="List sync jobs")
def list_jobs(
    request: HttpRequest,
    state: Text = "",
    kind: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = jobs_selectors.job_list(merchant_of(request), state=state, kind=kind, search=search)
    return paginate(qs, cursor=cursor, limit=limit)


@jobs.get("/{job_id}", response={200: JobOut, **ERROR_RESPONSES}, summary="Get a sync job")
def get_job(request: HttpRequest, job_id: PathId):
    return jobs_selectors.job_get(merchant_of(request), job_id)


@events.get("", response={200: Page[EventOut], **ERROR_RESPONSES}, summary="List inbound webhook events")
def list_events(
    request: HttpRequest,
    state: Text = "",
    platform: Text = "",
    search: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = events_selectors.inbound_event_list(
        merchant_of(request), state=state, platform=platform, search=search
    )
    return paginate(qs, cursor=cursor, limit=limit)


@events.get("/{event_id}", response={200: EventOut, **ERROR_RESPONSES}, summary="Get an inbound event")
def get_event(request: HttpRequest, event_id: PathId):
    return events_selectors.inbound_event_get(merchant_of(request), event_id)


@rejected.get(
    "", response={200: Page[RejectedWebhookOut], **ERROR_RESPONSES}, summary="List rejected webhooks"
)
def list_rejected(
    request: HttpRequest,
    code: Text = "",
    platform: Text = "",
    cursor: Cursor = "",
    limit: Limit = DEFAULT_LIMIT,
):
    qs = events_selectors.rejected_webhook_list(merchant_of(request), code=code, platform=platform)
    return paginate(qs, cursor=cursor, limit=limit)


@rejected.get(
    "/{rejected_id}", response={200: RejectedWebhookOut, **ERROR_RESPONSES}, summary="Get a rejected webhook"
)
def get_rejected(request: HttpRequest, rejected_id: PathId):
    return events_selectors.rejected_webhook_get(merchant_of(request), rejected_id)
