from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "shopbridge.orders"
    label = "orders"
