from django.apps import AppConfig


class ListingsConfig(AppConfig):
    name = "shopbridge.listings"
    label = "listings"
