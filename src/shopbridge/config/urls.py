from django.contrib import admin
from django.urls import include, path

from shopbridge.api.main import api
from shopbridge.core.health import healthz
from shopbridge.observability.views import metrics_view

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("webhooks/", include("shopbridge.webhooks.urls")),
    path("", include("shopbridge.dashboard.urls")),
]
