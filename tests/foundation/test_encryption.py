from django.db import connection

from shopbridge.connections.models import ShopConnection, StoreConnection


def test_credentials_are_encrypted_at_rest(merchant):
    store = StoreConnection.objects.create(
        merchant=merchant,
        platform="shopify",
        name="Acme",
        base_url="https://acme.myshopify.com",
        external_id="acme.myshopify.com",
        credentials={"access_token": "shpat_SUPERSECRET123"},
    )
    shop = ShopConnection.objects.create(
        merchant=merchant,
        region="GB",
        shop_id="7000714532876273420",
        name="Acme UK",
        shop_cipher="GCP_x",
        currency="GBP",
        credentials={
            "app_secret": "e59af819cc",
            "access_token": "TTP_tokenVALUE",
            "refresh_token": "TTP_refreshVALUE",
        },
    )

    with connection.cursor() as cur:
        cur.execute("SELECT credentials FROM connections_storeconnection WHERE id = %s", [store.pk])
        raw_store = cur.fetchone()[0]
        cur.execute("SELECT credentials FROM connections_shopconnection WHERE id = %s", [shop.pk])
        raw_shop = cur.fetchone()[0]

    assert "SUPERSECRET" not in raw_store and raw_store.startswith("fernet:")
    for secret in ("e59af819cc", "TTP_tokenVALUE", "TTP_refreshVALUE"):
        assert secret not in raw_shop
    assert StoreConnection.objects.get(pk=store.pk).credentials == {"access_token": "shpat_SUPERSECRET123"}
    assert ShopConnection.objects.get(pk=shop.pk).credentials["refresh_token"] == "TTP_refreshVALUE"


def test_rotated_keys_still_decrypt_old_values(merchant, settings):
    from cryptography.fernet import Fernet

    from shopbridge.core import fields

    store = StoreConnection.objects.create(
        merchant=merchant,
        platform="woocommerce",
        name="W",
        base_url="https://w.example",
        external_id="w.example",
        credentials={"consumer_secret": "cs_old"},
    )
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, *settings.FIELD_ENCRYPTION_KEYS]
    fields._fernet.cache_clear()
    try:
        assert StoreConnection.objects.get(pk=store.pk).credentials == {"consumer_secret": "cs_old"}
    finally:
        fields._fernet.cache_clear()


def test_log_redaction_scrubs_tokens():
    from shopbridge.core.logging import redact

    line = 'GET /api/v2/token/get?app_key=abc&app_secret=e59af819cc&auth_code=x access_token="TTP_abc"'
    cleaned = redact(line)
    assert "e59af819cc" not in cleaned and "TTP_abc" not in cleaned
    assert "app_key=abc" in cleaned
