from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "shopbridge.catalog"
    label = "catalog"
