"""TikTok Shop connector: signed wire client (client.py), typed operations (adapter.py), OAuth
(auth.py), webhooks (webhooks.py), error mapping (errors.py), wire models (models.py).

Start at ``client.TikTokShopClient``; its module docstring lists the service-facing API.
"""
