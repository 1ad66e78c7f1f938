"""API tokens: create (the secret is shown once, never stored) and revoke."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from shopbridge.accounts.models import ApiToken
from shopbridge.accounts.services import api_token_create, api_token_revoke

from ..access import merchant_action, merchant_view


def _tokens(merchant):
    return ApiToken.objects.filter(merchant=merchant).select_related("user").order_by("-id")


@merchant_view
def tokens(request: HttpRequest) -> HttpResponse:
    merchant = request.merchant  # type: ignore[attr-defined]
    new_key = ""
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100]
        if not name:
            messages.error(request, "Name the token.", extra_tags="fix:For example “warehouse script”.")
        else:
            _token, new_key = api_token_create(merchant=merchant, user=request.user, name=name)
    response = render(request, "dashboard/tokens.html", {"tokens": _tokens(merchant), "new_key": new_key})
    if new_key:
        response["Cache-Control"] = "no-store"  # the secret must not linger in a cache
    return response


@merchant_action
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    token = ApiToken.objects.filter(merchant=request.merchant, pk=token_id).first()  # type: ignore[attr-defined]
    if token is None:
        from django.http import Http404

        raise Http404("Not found")
    api_token_revoke(token=token)
    messages.success(request, f"Token “{token.name}” revoked: it stops working at once.")
    return redirect("dashboard:tokens")
