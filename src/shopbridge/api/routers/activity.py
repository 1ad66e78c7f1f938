"""Sync jobs, inbound webhook events and rejected webhooks (reads; writes go next to them)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from shopbridge.sync import selectors as jobs_selectors
from shopbridge.webhooks import selectors as events_selectors

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES, WRITE_ERRORS, ApiError
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


@jobs.post("/{job_id}/retry", response={202: JobOut, **WRITE_ERRORS}, summary="Retry a failed job")
def retry_job(request: HttpRequest, job_id: PathId):
    from shopbridge.sync.engine import retry_failed_job

    job = jobs_selectors.job_get(merchant_of(request), job_id)
    if retry_failed_job(job.pk) is None:
        raise ApiError(
            409,
            "not_failed",
            f"Job {job.pk} is {job.state}, not failed: nothing to retry.",
            "Only failed jobs can be retried; pending ones run by themselves.",
        )
    return 202, jobs_selectors.job_get(merchant_of(request), job_id)


@events.post("/{event_id}/replay", response={202: EventOut, **WRITE_ERRORS}, summary="Handle an event again")
def replay_event(request: HttpRequest, event_id: PathId):
    from shopbridge.webhooks.services import inbound_event_replay

    event = events_selectors.inbound_event_get(merchant_of(request), event_id)
    inbound_event_replay(event=event)
    return 202, events_selectors.inbound_event_get(merchant_of(request), event_id)
