"""ShopBridge sandbox: faithful emulators of the platforms ShopBridge talks to.

This package is never imported by the service (``shopbridge``). Tests and the demo talk to it
over HTTP (in-process through ``httpx.WSGITransport`` or as real servers), exactly as the
service would talk to the real platforms.
"""
