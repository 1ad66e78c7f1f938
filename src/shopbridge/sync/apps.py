from django.apps import AppConfig


class SyncConfig(AppConfig):
    name = "shopbridge.sync"
    label = "sync"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("jobs")
