"""/metrics in Prometheus text format, open to loopback scrapers or to holders of METRICS_TOKEN."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .metrics import render_metrics

# Behind a reverse proxy on the same machine every request comes from loopback: a forwarded
# request is treated as remote, so a proxy never opens /metrics to the internet by accident.
_PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


def _from_loopback(request: HttpRequest) -> bool:
    if any(h in request.META for h in _PROXY_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def _has_token(request: HttpRequest) -> bool:
    token = getattr(settings, "METRICS_TOKEN", "")
    sent = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not (_has_token(request) or _from_loopback(request)):
        if getattr(settings, "METRICS_TOKEN", ""):
            response = HttpResponse("metrics: send Authorization: Bearer <METRICS_TOKEN>\n", status=401)
            response["WWW-Authenticate"] = 'Bearer realm="metrics"'
            return response
        return HttpResponse(
            "metrics: only loopback may scrape; set METRICS_TOKEN for remote scrapers\n", status=403
        )
    body, content_type = render_metrics()
    return HttpResponse(body, content_type=content_type)
