"""Category templates (rules mapping matching store products to a TikTok leaf) and the TikTok SKUs
no store variant is linked to. Mounted at /channels (the channel's collections) and /templates."""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router

from shopbridge.accounts.models import Merchant
from shopbridge.catalog.models import Variant
from shopbridge.connections.selectors import channel_get
from shopbridge.core.errors import RetryableError
from shopbridge.listings import services
from shopbridge.listings.models import CategoryTemplate

from ..auth import merchant_of
from ..errors import ERROR_RESPONSES, WRITE_ERRORS, ApiError, ErrorEnvelope
from ..inputs import TemplateIn, UnlinkedSkusOut
from ..pagination import DEFAULT_LIMIT, Cursor, Limit, Page, paginate
from ..params import PathId
from ..schemas import CategoryTemplateOut

channel_templates = Router(tags=["category templates"])
templates = Router(tags=["category templates"])
unlinked = Router(tags=["listings"])


def _templates(merchant: Merchant) -> QuerySet[CategoryTemplate]:
    return CategoryTemplate.objects.filter(channel__merchant=merchant)


@channel_templates.get(
    "/{channel_id}/templates",
    response={200: Page[CategoryTemplateOut], **ERROR_RESPONSES},
    summary="List a channel's category templates",
)
def list_templates(
    request: HttpRequest, channel_id: PathId, cursor: Cursor = "", limit: Limit = DEFAULT_LIMIT
):
    channel = channel_get(merchant_of(request), channel_id)
    return paginate(_templates(merchant_of(request)).filter(channel=channel), cursor=cursor, limit=limit)


@channel_templates.post(
    "/{channel_id}/templates",
    response={201: CategoryTemplateOut, **WRITE_ERRORS},
    summary="Create a category template",
)
def create_template(request: HttpRequest, channel_id: PathId, body: TemplateIn):
    """``category_id`` must be a leaf of the shop's TikTok tree (422 ``category_not_leaf`` otherwise).
    With ``apply`` (default) every unmapped matching product is mapped at once."""
    channel = channel_get(merchant_of(request), channel_id)
    data = body.dict()
    data["name"], data["match_value"] = data["name"].strip(), data["match_value"].strip()
    return 201, services.template_create(channel=channel, **data)


@templates.delete(
    "/{template_id}", response={204: None, **WRITE_ERRORS}, summary="Delete a category template"
)
def delete_template(request: HttpRequest, template_id: PathId):
    """Products it mapped keep their category."""
    _templates(merchant_of(request)).get(pk=template_id).delete()
    return 204, None


@unlinked.get(
    "/{channel_id}/unlinked-skus",
    response={200: UnlinkedSkusOut, **ERROR_RESPONSES, 424: ErrorEnvelope},
    summary="TikTok SKUs not linked to a store variant",
)
def unlinked_skus(request: HttpRequest, channel_id: PathId):
    """Reads the shop's products from TikTok (424 when TikTok fails: retry, or reconnect the shop)."""
    from shopbridge.listings.linking import unlinked_tiktok_skus

    channel = channel_get(merchant_of(request), channel_id)
    try:
        skus = unlinked_tiktok_skus(channel)
    except RetryableError as exc:
        # Its own fix says ShopBridge retries by itself: true for jobs, not for this read.
        raise ApiError(424, exc.code, exc.reason, "Retry in a minute.") from exc
    products = dict(
        Variant.objects.filter(
            store=channel.store, pk__in=[s.suggested_variant_id for s in skus if s.suggested_variant_id]
        ).values_list("pk", "product_id")
    )
    return {
        "items": [
            {**asdict(s), "suggested_product_id": products.get(s.suggested_variant_id or 0)} for s in skus
        ]
    }
