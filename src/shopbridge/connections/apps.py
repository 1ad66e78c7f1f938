from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "shopbridge.connections"
    label = "connections"
