from django.urls import path

from . import views

urlpatterns = [
    path("store/<str:token>/", views.store_webhook, name="store-webhook"),
    path("tiktok/<str:token>/", views.tiktok_webhook, name="tiktok-webhook"),
]
