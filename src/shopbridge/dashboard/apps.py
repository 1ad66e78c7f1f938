from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "shopbridge.dashboard"
    label = "dashboard"
