"""Who may see what: every dashboard view acts for the signed-in user's merchant only.

``merchant_view`` resolves request.user -> Membership -> merchant once per request; ``found``
turns a selector's DoesNotExist (a missing id *or another merchant's id*) into the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from shopbridge.accounts.models import Merchant
from shopbridge.accounts.selectors import merchant_for_user

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
