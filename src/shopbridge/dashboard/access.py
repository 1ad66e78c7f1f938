"""Who may see what: every dashboard view acts for the signed-in user's merchant only.

``merchant_view`` resolves request.user -> Membership -> merchant once per request; ``found``
turns a selector's DoesNotExist (a missing id *or another merchant's id*) into the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from shopbridge.accounts.models import Merchant
from shopbridge.accounts.selectors import merchant_for_user
from shopbridge.core.errors import SyncError

T = TypeVar("T")


def merchant_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        merchant = merchant_for_user(request.user)
        if merchant is None:
            # A user without a membership (e.g. an operator account) has no shop data to see.
            raise PermissionDenied("This login belongs to no merchant.")
        request.merchant = merchant  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return login_required(wrapper)


def found(get: Callable[[Merchant, int], T], merchant: Merchant, pk: int) -> T:
    try:
        return get(merchant, pk)
    except ObjectDoesNotExist as exc:
        raise Http404("Not found") from exc


def merchant_action(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A POST-only merchant view (CSRF-checked by the middleware). Marked so the isolation tests
    POST to it instead of GETting it."""
    wrapped = merchant_view(require_POST(view))
    wrapped.dashboard_action = True  # type: ignore[attr-defined]
    return wrapped


def report_error(request: HttpRequest, exc: SyncError) -> None:
    """Show a service's typed error as the merchant sees every problem: reason, then the fix."""
    messages.error(request, exc.reason, extra_tags=f"fix:{exc.fix}" if exc.fix else "")
    for fe in getattr(exc, "field_errors", None) or []:
        messages.error(request, f"{fe.field}: {fe.reason}", extra_tags=f"fix:{fe.fix}" if fe.fix else "")
