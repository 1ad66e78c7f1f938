"""Never a TikTok product twice: lost answers, crashed workers and double clicks all end in one product."""

import httpx
import pytest
from django.utils import timezone

from shopbridge.catalog.models import Product
from shopbridge.listings.models import Listing, ListingSku, ListingStatus
from shopbridge.listings.services import listing_sync_request, mapping_set
from shopbridge.sync.clients import mount_transport
from shopbridge.sync.engine import run_job
from shopbridge.sync.models import JobState, SyncJob

TIKTOK_URL = "https://open-api.tiktokglobalshop.com"  # where tests/e2e/conftest.py mounts the emulator

MUGS = "600042"  # Kitchenware>Drinkware>Mugs


class WorkerDied(BaseException):
    """Stands for the process being killed: not an Exception, so nothing in the job catches it."""


class AfterCreate(httpx.BaseTransport):
    """TikTok processes Create Product, then the answer never arrives: a read timeout (or the
    worker dies) after the emulator created the product."""

    def __init__(self, inner: httpx.BaseTransport, failure: BaseException):
        self.inner, self.failure, self.fired = inner, failure, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if not self.fired and request.method == "POST" and request.url.path.endswith("/products"):
            self.fired = True
            response.read()
            raise self.failure
        return response


@pytest.fixture
def mug(channel):
    product = Product.objects.get(store=channel.store, title="Enamel Camp Mug")
    mapping_set(channel=channel, products=[product], category_id=MUGS)
    return product


def _tiktok_products(tiktok) -> list[dict]:
    return tiktok.driver.control("products")["products"]


def _creates(tiktok) -> int:
    return len([r for r in tiktok.request_log if r["method"] == "POST" and r["path"].endswith("/products")])


def _make_retry_due() -> None:
    """Let the backoff delay pass."""
    SyncJob.objects.filter(state=JobState.PENDING, kind="listing.push").update(run_after=timezone.now())


def _lose_create_answer(tiktok, failure: BaseException) -> AfterCreate:
    wrapper = AfterCreate(httpx.WSGITransport(app=tiktok), failure)
    mount_transport(TIKTOK_URL, wrapper)
    return wrapper


def test_create_that_timed_out_after_tiktok_created_it_is_bound_not_repeated(channel, mug, tiktok, run_jobs):
    _lose_create_answer(tiktok, httpx.ReadTimeout("timed out"))

    listing_sync_request(channel=channel, products=[mug])
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=mug)
    job = SyncJob.objects.get(kind="listing.push", key=f"listing:{listing.pk}")
    assert job.state == JobState.PENDING, "a timeout is retried"
    assert job.last_error["reason"] == "TikTok Shop timed out: ReadTimeout"
    assert listing.tiktok_product_id is None and listing.create_started_at is not None
    assert len(_tiktok_products(tiktok)) == 1, "TikTok did create it"

    _make_retry_due()
    run_jobs()

    listing.refresh_from_db()
    (on_tiktok,) = _tiktok_products(tiktok)
    assert _creates(tiktok) == 1
    assert listing.status == ListingStatus.UNDER_REVIEW
    assert listing.tiktok_product_id == on_tiktok["product_id"]
    assert set(ListingSku.objects.filter(listing=listing).values_list("tiktok_sku_id", flat=True)) == {
        s["id"] for s in on_tiktok["skus"]
    }


def test_worker_killed_after_create_is_recovered_by_the_next_worker(channel, mug, tiktok):
    _lose_create_answer(tiktok, WorkerDied())
    listing_sync_request(channel=channel, products=[mug])
    listing = Listing.objects.get(channel=channel, product=mug)
    job = SyncJob.objects.get(kind="listing.push", key=f"listing:{listing.pk}")

    with pytest.raises(WorkerDied):
        run_job(job.pk)

    job.refresh_from_db()
    assert job.state == JobState.RUNNING and len(_tiktok_products(tiktok)) == 1
    # The lease runs out; the reconciler hands the job to another worker; the record lock expired too.
    SyncJob.objects.filter(pk=job.pk).update(lease_expires_at=timezone.now())
    from shopbridge.sync.models import SyncLock

    SyncLock.objects.filter(key=f"listing:{listing.pk}").update(expires_at=timezone.now())
    assert run_job(job.pk) == "done"

    listing.refresh_from_db()
    assert _creates(tiktok) == 1 and len(_tiktok_products(tiktok)) == 1
    assert listing.tiktok_product_id == _tiktok_products(tiktok)[0]["product_id"]
    assert listing.status == ListingStatus.UNDER_REVIEW


def test_double_sync_request_creates_one_product(channel, mug, tiktok, run_jobs):
    listing_sync_request(channel=channel, products=[mug])
    listing_sync_request(channel=channel, products=[mug])
    assert SyncJob.objects.filter(kind="listing.push", state=JobState.PENDING).count() == 1

    run_jobs()
    listing_sync_request(channel=channel, products=[mug])  # a third click after it was created
    run_jobs()

    listing = Listing.objects.get(channel=channel, product=mug)
    assert _creates(tiktok) == 1 and len(_tiktok_products(tiktok)) == 1
    assert listing.tiktok_product_id == _tiktok_products(tiktok)[0]["product_id"]
    assert listing.status == ListingStatus.UNDER_REVIEW
