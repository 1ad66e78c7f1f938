from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "shopbridge.sync"
    label = "sync"
