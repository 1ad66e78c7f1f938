from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "shopbridge.webhooks"
    label = "webhooks"
