from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shopbridge.accounts"
    label = "accounts"
