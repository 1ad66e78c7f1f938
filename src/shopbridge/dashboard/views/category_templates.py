"""Category templates of a channel: list, create (with a TikTok leaf search and a preview of the
products it would match), delete, and apply now.

The page works as plain forms: a GET form chooses what to match and searches TikTok's leaves (it
re-renders the page with the matches and the categories to pick from), the POST form creates.
With htmx the GET form refreshes only the create section as the merchant types.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shopbridge.accounts.models import Merchant
from shopbridge.catalog.models import Category, Product
from shopbridge.connections.models import Channel
from shopbridge.connections.selectors import channel_get
from shopbridge.core.errors import SyncError
from shopbridge.listings import services
from shopbridge.listings.categories import ensure_categories
from shopbridge.listings.models import CategoryMapping, CategoryTemplate, TikTokCategory

# _product_matches is the rule templates_apply uses: the preview must agree with it exactly.
from shopbridge.listings.services import _product_matches

from ..access import found, merchant_action, merchant_view, report_error
from ..forms import CategoryTemplateForm

SEARCH_LIMIT = 30
PREVIEW_LIMIT = 10


def template_list(merchant: Merchant, *, channel_id: int) -> QuerySet[CategoryTemplate]:
    return CategoryTemplate.objects.filter(channel__merchant=merchant, channel_id=channel_id).annotate(
        mapped=Count("categorymapping")
    )


def template_get(merchant: Merchant, template_id: int) -> CategoryTemplate:
    return CategoryTemplate.objects.select_related("channel").get(channel__merchant=merchant, pk=template_id)


def leaf_search(channel: Channel, query: str) -> list[TikTokCategory]:
    """The shop's cached leaves whose path holds every word typed (case-insensitive)."""
    words = query.split()
    if not words:
        return []
    ensure_categories(channel.shop)  # only a shop never fetched calls TikTok
    match = Q()
    for word in words[:8]:
        match &= Q(path__icontains=word)
    return list(
        TikTokCategory.objects.filter(match, shop=channel.shop, is_leaf=True).order_by("path")[:SEARCH_LIMIT]
    )


@dataclass(frozen=True)
class MatchPreview:
    total: int
    unmapped: int  # what "apply" would map now; mapped products keep their category
    sample: list[tuple[Product, bool]]  # (product, already mapped on this channel)


def match_preview(channel: Channel, match_field: str, match_value: str) -> MatchPreview | None:
    """The live store products a template would match (the rule of ``services.templates_apply``)."""
    if match_field not in CategoryTemplate.MatchField.values or not match_value.strip():
        return None
    rule = CategoryTemplate(channel=channel, match_field=match_field, match_value=match_value)
    cats = {c.external_id: [c.name, c.path] for c in Category.objects.filter(store=channel.store)}
    mapped = set(CategoryMapping.objects.filter(channel=channel).values_list("product_id", flat=True))
    hits: list[tuple[Product, bool]] = []
    for product in Product.objects.filter(store=channel.store, deleted_at__isnull=True).order_by("title"):
        names = [n for cid in product.category_ids or [] for n in cats.get(str(cid), []) if n]
        if _product_matches(rule, product, {product.external_id: names}):
            hits.append((product, product.pk in mapped))
    unmapped = sum(1 for _, is_mapped in hits if not is_mapped)
    return MatchPreview(total=len(hits), unmapped=unmapped, sample=hits[:PREVIEW_LIMIT])


def _page(request: HttpRequest, channel: Channel, form: CategoryTemplateForm, params) -> HttpResponse:
    """The templates page; ``params`` (GET or POST) says what to match and which leaves to show."""
    match_field = params.get("match_field", "")
    match_value = params.get("match_value", "")
    query = params.get("q", "").strip()[:200]
    search_error = None
    try:
        leaves = leaf_search(channel, query)
    except SyncError as exc:
        leaves, search_error = [], exc
    chosen = params.get("category_id", "")
    if chosen and chosen not in {c.category_id for c in leaves}:
        # Keep the picked leaf on screen after a new search or a refused submit.
        leaves = (
            list(TikTokCategory.objects.filter(shop=channel.shop, is_leaf=True, category_id=chosen)) + leaves
        )
    context = {
        "channel": channel,
        "templates": template_list(request.merchant, channel_id=channel.pk),  # type: ignore[attr-defined]
        "form": form,
        "detail_fields": [form[n] for n in ("name", "priority", "attribute_defaults", "defaults", "apply")],
        "match_fields": CategoryTemplate.MatchField.choices,
        "match_field": match_field,
        "match_value": match_value,
        "q": query,
        "leaves": leaves,
        "chosen": chosen,
        "search_error": search_error,
        "preview": match_preview(channel, match_field, match_value),
    }
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "dashboard/category_templates.html", context, status=status)


@merchant_view
def channel_templates(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    initial = {"match_field": request.GET.get("match_field"), "match_value": request.GET.get("match_value")}
    return _page(request, channel, CategoryTemplateForm(initial=initial), request.GET)


@merchant_action
def template_create(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    form = CategoryTemplateForm(request.POST)
    if not form.is_valid():
        return _page(request, channel, form, request.POST)
    data = form.cleaned_data
    before = CategoryMapping.objects.filter(channel=channel).count()
    try:
        template = services.template_create(channel=channel, **data)
    except SyncError as exc:
        report_error(request, exc)
        if exc.code == "mapping_locked":  # the template exists; applying it met a product on TikTok
            return redirect("dashboard:channel_templates", channel_id=channel.pk)
        # An unknown or non-leaf category, or TikTok down while fetching the tree: nothing created.
        form.add_error("category_id" if exc.code.startswith("category_") else None, exc.reason)
        return _page(request, channel, form, request.POST)
    mapped = CategoryMapping.objects.filter(channel=channel).count() - before
    messages.success(
        request,
        f"Template “{template.name}” created"
        + (f"; {mapped} product(s) mapped to {template.tiktok_category_path}." if data["apply"] else "."),
    )
    return redirect("dashboard:channel_templates", channel_id=channel.pk)


@merchant_action
def templates_apply(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = found(channel_get, request.merchant, channel_id)  # type: ignore[attr-defined]
    try:
        mapped = services.templates_apply(channel=channel)
    except SyncError as exc:
        report_error(request, exc)
    else:
        messages.success(
            request,
            f"{mapped} unmapped product(s) mapped by templates; mapped products were left as they are.",
        )
    return redirect("dashboard:channel_templates", channel_id=channel.pk)


@merchant_action
def template_delete(request: HttpRequest, template_id: int) -> HttpResponse:
    """Delete the rule only: products it mapped keep their category (their mapping forgets the rule)."""
    template = found(template_get, request.merchant, template_id)  # type: ignore[attr-defined]
    channel_id, name = template.channel_id, template.name
    template.delete()
    messages.success(request, f"Template “{name}” deleted; products it mapped keep their category.")
    return redirect("dashboard:channel_templates", channel_id=channel_id)
