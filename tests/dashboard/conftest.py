"""Fixtures for dashboard and API tests: a full set of records per merchant, signed-in clients.

``tenant_records`` returns the ids of one merchant's records keyed by the URL parameter names
used in dashboard routes and API paths, so isolation tests can fill any route automatically.
tests/api/conftest.py re-exports these fixtures.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.2 s per user; these tests create users, they do not test hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def build_tenant_records(merchant, tag: str) -> dict[str, int]:
    """One of everything for ``merchant``; ``tag`` keeps external ids distinct between merchants."""
    from shopbridge.catalog.models import Category, ImportRun, Product, Variant
    from shopbridge.connections.models import Channel, ShopConnection, StoreConnection
    from shopbridge.listings.models import (
        CategoryMapping,
        CategoryTemplate,
        Listing,
        ListingSku,
        TikTokCategory,
    )
    from shopbridge.orders.models import Cancellation, Fulfillment, Order, OrderLine, Return
    from shopbridge.sync.models import OutboundCall, SyncJob
    from shopbridge.webhooks.models import InboundEvent, RejectedWebhook

    now = timezone.now()
    store = StoreConnection.objects.create(
        merchant=merchant,
        platform="shopify",
        name=f"{tag} Store",
        base_url=f"https://{tag}.myshopify.com",
        external_id=f"{tag}.myshopify.com",
        currency="GBP",
        status="active",
    )
    shop = ShopConnection.objects.create(
        merchant=merchant,
        region="GB",
        shop_id=f"7000{len(tag)}{merchant.pk}",
        name=f"{tag} TikTok",
        shop_cipher="cipher",
        currency="GBP",
        credentials={"app_key": "key", "app_secret": "secret", "access_token": "at", "refresh_token": "rt"},
        status="active",
        authorization_expires_at=now + timedelta(days=200),
    )
    channel = Channel.objects.create(
        merchant=merchant, store=store, shop=shop, settings={"price": {"markup": 10}}
    )
    Category.objects.create(store=store, external_id="cat-1", name="Hoodies", path="Men > Hoodies")
    product = Product.objects.create(store=store, external_id=f"{tag}-p1", title=f"{tag} Hoodie")
    variant = Variant.objects.create(
        store=store,
        product=product,
        external_id=f"{tag}-v1",
        sku=f"{tag.upper()}-HOOD-M",
        price=Decimal("30"),
    )
    run = ImportRun.objects.create(store=store, state="running", pages=2, products_seen=40)
    listing = Listing.objects.create(
        channel=channel,
        product=product,
        status="failed_to_sync",
        error_code="validation_failed",
        error_reason=f"{tag} title too long",
        error_fix="Shorten the title",
        field_errors=[{"field": "title", "code": "too_long", "reason": "Over 255", "fix": "Shorten it"}],
    )
    ListingSku.objects.create(channel=channel, listing=listing, variant=variant, seller_sku=variant.sku)
    # TikTok's tree for the shop, cached as after a first fetch: previews need no network.
    TikTokCategory.objects.create(
        shop=shop,
        category_id="601226",
        name="Hoodies",
        path="Menswear>Hoodies",
        is_leaf=True,
        details_fetched_at=now,
    )
    mapping = CategoryMapping.objects.create(
        channel=channel,
        product=product,
        tiktok_category_id="601226",
        tiktok_category_path="Menswear > Hoodies",
    )
    template = CategoryTemplate.objects.create(
        channel=channel,
        name=f"{tag} hoodies rule",
        match_field="product_type",
        match_value="Hoodie",
        tiktok_category_id="601226",
        tiktok_category_path="Menswear>Hoodies",
    )
    order = Order.objects.create(
        channel=channel,
        tiktok_order_id=f"5790{merchant.pk}",
        sync_state="blocked",
        blocked_code="unlinked_sku",
        blocked_reason=f"{tag} SKU not linked",
        blocked_fix="Link the SKU",
        store_order_id=f"{merchant.pk}450789469",
    )
    OrderLine.objects.create(order=order, tiktok_line_id="l1", seller_sku=variant.sku, variant=variant)
    Fulfillment.objects.create(order=order, store_fulfillment_id="f1", tracking_number="TRK1")
    Cancellation.objects.create(order=order, tiktok_cancel_id="c1", status="CANCELLATION_REQUEST_PENDING")
    Return.objects.create(
        order=order, tiktok_return_id="r1", status="RETURN_OR_REFUND_REQUEST_PENDING", needs_action=True
    )
    job = SyncJob.objects.create(
        merchant=merchant,
        kind="listing.push",
        key=f"listing:{listing.pk}",
        state="failed",
        run_after=now,
        finished_at=now,
        last_error={
            "code": "rejected",
            "reason": f"{tag} refused",
            "fix": "Fix it",
            "traceback": "SECRET-TB",
        },
    )
    call = OutboundCall.objects.create(
        merchant=merchant,
        platform="tiktok_shop",
        method="GET",
        endpoint="/x",
        status_code=429,
        duration_ms=5.0,
        ok=False,
        at=now,
    )
    event = InboundEvent.objects.create(
        merchant=merchant,
        connection_kind="store",
        connection_id=store.pk,
        platform="shopify",
        external_id=f"{tag}-evt-1",
        topic="products/update",
        payload={"id": 1},
        received_at=now,
    )
    rejected = RejectedWebhook.objects.create(
        merchant=merchant, platform="shopify", code="bad_signature", reason=f"{tag} HMAC mismatch"
    )
    from django.contrib.auth import get_user_model

    from shopbridge.accounts.services import api_token_create

    owner = get_user_model().objects.filter(memberships__merchant=merchant).first()
    token, _key = api_token_create(merchant=merchant, user=owner, name=f"{tag} script")
    return {
        "token_id": token.pk,
        "store_id": store.pk,
        "shop_id": shop.pk,
        "channel_id": channel.pk,
        "product_id": product.pk,
        "variant_id": variant.pk,
        "run_id": run.pk,
        "listing_id": listing.pk,
        "mapping_id": mapping.pk,
        "template_id": template.pk,
        "order_id": order.pk,
        "job_id": job.pk,
        "call_id": call.pk,
        "event_id": event.pk,
        "rejected_id": rejected.pk,
    }


@pytest.fixture
def tenant_records(merchant) -> dict[str, int]:
    return build_tenant_records(merchant, "acme")


@pytest.fixture
def other_tenant_records(other_merchant) -> dict[str, int]:
    return build_tenant_records(other_merchant, "globex")


def _user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def merchant_client(client, merchant):
    """A browser signed in as the first merchant's owner ("acme")."""
    client.force_login(_user("acme"), backend=MODEL_BACKEND)
    return client


@pytest.fixture
def other_client(client, other_merchant):
    """A browser signed in as the second merchant's owner ("globex")."""
    client.force_login(_user("globex"), backend=MODEL_BACKEND)
    return client


TIKTOK_SANDBOX_URL = "https://tiktok-shop.sandbox.test"


@pytest.fixture
def tiktok_sandbox(tenant_records):
    """The first merchant's TikTok shop served by the in-process TikTok Shop emulator (its GB shop),
    so pages and routes that read TikTok answer without network. Yields the emulator."""
    import httpx

    from shopbridge.connections.models import ShopConnection
    from shopbridge.sync.clients import mount_transport
    from shopbridge_sandbox.tiktok_shop.app import TikTokShopEmulator, manifest_entry

    emulator = TikTokShopEmulator(webhook_mode="manual")
    manifest = manifest_entry(emulator, TIKTOK_SANDBOX_URL)
    entry = next(s for s in manifest["shops"] if s["region"] == "GB")
    shop = ShopConnection.objects.get(pk=tenant_records["shop_id"])
    shop.api_base_url = shop.auth_base_url = TIKTOK_SANDBOX_URL
    shop.shop_id, shop.shop_cipher = entry["shop_id"], entry["shop_cipher"]
    shop.credentials = {
        "app_key": manifest["app_key"],
        "app_secret": manifest["app_secret"],
        "access_token": entry["access_token"],
        "refresh_token": entry["refresh_token"],
    }
    shop.save()
    mount_transport(TIKTOK_SANDBOX_URL, httpx.WSGITransport(app=emulator))
    yield emulator
    mount_transport(TIKTOK_SANDBOX_URL, None)


@pytest.fixture
def add_tiktok_product(tiktok_sandbox):
    """``add_tiktok_product(title, {sku_id: seller_sku})`` -> TikTok product id (see put_tiktok_product)."""
    return lambda title, skus, **kwargs: put_tiktok_product(tiktok_sandbox, title, skus, **kwargs)


def put_tiktok_product(emulator, title: str, skus: dict[str, str], *, status: str = "ACTIVATE") -> str:
    """A product that exists on the emulator's GB shop already (listed before ShopBridge, or by
    another tool): ``skus`` maps TikTok SKU id -> seller SKU. Returns the TikTok product id."""
    from shopbridge_sandbox.tiktok_shop.state import Product

    shop = next(s for s in emulator.world.shops.values() if s.region == "GB")
    product_id = f"17{len(emulator.world.products) + 1:017d}"
    snapshot = {
        "title": title,
        "skus": [
            {
                "id": sku_id,
                "seller_sku": seller_sku,
                "inventory": [],
                "price": {"amount": "30", "currency": "GBP"},
            }
            for sku_id, seller_sku in skus.items()
        ],
    }
    now = emulator.clock.now_int()
    emulator.world.products[product_id] = Product(
        id=product_id,
        shop_id=shop.id,
        status=status,
        audit_status="APPROVED",
        live=snapshot,
        pending=None,
        draft=None,
        create_time=now,
        update_time=now,
    )
    for sku_id in skus:
        emulator.world.sku_index[sku_id] = product_id
    return product_id
