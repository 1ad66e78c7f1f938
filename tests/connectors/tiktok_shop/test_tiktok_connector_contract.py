"""Contract suite: the connector against the TikTok Shop emulator, in-process (httpx.WSGITransport).

Every call goes through the real wire protocol: signed requests, the emulator's §15.1 pipeline,
envelope parsing. Time-driven state (product review, order progress) moves by advancing the
emulator clock through its control API; the client signs with the same clock so timestamps stay
inside TikTok's 5-minute window.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

emulator_app = pytest.importorskip("shopbridge_sandbox.tiktok_shop.app")

from shopbridge.connectors.tiktok_shop.auth import authorize_url  # noqa: E402
from shopbridge.connectors.tiktok_shop.client import TikTokShopClient  # noqa: E402
from shopbridge.connectors.tiktok_shop.models import (  # noqa: E402
    AttributeValueInput,
    CancelOrderRequest,
    CreateProductRequest,
    EditProductRequest,
    ImageRef,
    InventoryEntry,
    MarkPackageAsShippedRequest,
    PackageWeight,
    PartialEditProductRequest,
    Price,
    ProductAttributeInput,
    RecommendCategoryRequest,
    SalesAttributeInput,
    SearchCancellationsRequest,
    SearchProductsRequest,
    SearchReturnsRequest,
    ShippingInfoUpdate,
    SkuInput,
    SkuInventoryUpdate,
    SkuPriceUpdate,
    UpdateInventoryRequest,
    UpdatePriceRequest,
)
from shopbridge.connectors.tiktok_shop.webhooks import WebhookEvent, parse_webhook, verify_webhook  # noqa: E402
from shopbridge.core.errors import ValidationFailed  # noqa: E402

BASE_URL = "https://open-api.tiktokglobalshop.com"
HOOK_URL = "https://hooks.shopbridge.example/tiktok"
REVIEW_SECONDS = 61  # emulator default review_seconds is 60


def png(width: int, height: int) -> bytes:
    """A tiny valid PNG of the given size (the emulator reads the IHDR size)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + struct.pack(">I", 0)
        + b"IEND"
        + struct.pack(">I", zlib.crc32(b"IEND"))
    )


@dataclass
class Inbox:
    """The receiving end of the emulator's webhooks: verifies and parses each delivery."""

    app_key: str
    app_secret: str
    events: list[WebhookEvent] = field(default_factory=list)
    rejected: int = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        if not verify_webhook(request.headers, body, app_key=self.app_key, app_secret=self.app_secret):
            self.rejected += 1
            return httpx.Response(401)
        self.events.append(parse_webhook(body))
        return httpx.Response(200)

    def of(self, event_type: str) -> list[WebhookEvent]:
        return [e for e in self.events if e.event_type == event_type]


@dataclass
class Sandbox:
    emulator: Any
    control: httpx.Client
    manifest: dict[str, Any]
    shop: dict[str, Any]
    client: TikTokShopClient
    inbox: Inbox

    def act(self, action: str, **body: Any) -> dict[str, Any]:
        response = self.control.post(f"/_sandbox/{action}", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def advance(self, seconds: float) -> None:
        response = self.control.post("/_sandbox/clock/advance", json={"seconds": seconds})
        assert response.status_code == 200, response.text

    def new_client(self, **kwargs: Any) -> TikTokShopClient:
        options = {
            "api_base_url": self.manifest["api_base_url"],
            "auth_base_url": self.manifest["auth_base_url"],
            "transport": httpx.WSGITransport(app=self.emulator),
            "clock": self.emulator.clock.now,
        }
        options.update(kwargs)
        return TikTokShopClient(self.manifest["app_key"], self.manifest["app_secret"], **options)


@pytest.fixture
def sandbox() -> Sandbox:
    emulator = emulator_app.create_emulator(seed=7, webhook_mode="immediate")
    manifest = emulator_app.manifest_entry(emulator, BASE_URL)
    shop = next(s for s in manifest["shops"] if s["region"] == "GB")
    inbox = Inbox(manifest["app_key"], manifest["app_secret"])
    emulator.webhooks.set_transport(httpx.MockTransport(inbox))
    control = httpx.Client(transport=httpx.WSGITransport(app=emulator), base_url=BASE_URL)
    box = Sandbox(emulator, control, manifest, shop, client=None, inbox=inbox)  # type: ignore[arg-type]
    box.client = box.new_client(
        access_token=shop["access_token"], shop_cipher=shop["shop_cipher"], shop_id=shop["shop_id"]
    )
    for event_type in (
        "ORDER_STATUS_CHANGE",
        "PACKAGE_UPDATE",
        "PRODUCT_STATUS_CHANGE",
        "PRODUCT_AUDIT_STATUS_CHANGE",
        "PRODUCT_CREATION",
        "CANCELLATION_STATUS_CHANGE",
        "RETURN_STATUS_CHANGE",
        "RECIPIENT_ADDRESS_UPDATE",
    ):
        box.client.events.update_webhook(event_type, HOOK_URL)
    yield box
    control.close()
    box.client.close()


# ---------------------------------------------------------------------------------------------
# OAuth
# ---------------------------------------------------------------------------------------------


def test_oauth_authorize_code_tokens_refresh_shops(sandbox):
    client = sandbox.new_client()
    link = authorize_url(sandbox.manifest["service_id"], "csrf-42", base_url=f"{BASE_URL}/open/authorize")

    redirect = sandbox.control.get(link.removeprefix(BASE_URL))
    query = parse_qs(urlsplit(redirect.headers["location"]).query)
    tokens = client.auth.exchange_code(query["code"][0])
    shops = client.auth.authorized_shops()
    refreshed = client.auth.refresh(tokens.refresh_token)
    shops_after_refresh = client.auth.authorized_shops()

    assert redirect.status_code == 302
    assert query["state"] == ["csrf-42"]
    now = sandbox.emulator.clock.now()
    assert tokens.access_token_expires_at > now + 6 * 86400
    assert tokens.authorization_expires_at > tokens.access_token_expires_at
    assert not tokens.needs_refresh(now)
    assert {s.region for s in shops} >= {"GB", "US"}
    assert all(s.cipher and s.id for s in shops)
    assert refreshed.access_token != tokens.access_token
    assert client.access_token == refreshed.access_token
    assert [s.id for s in shops_after_refresh] == [s.id for s in shops]


def test_oauth_code_is_single_use(sandbox):
    client = sandbox.new_client()
    redirect = sandbox.control.get(f"/open/authorize?service_id={sandbox.manifest['service_id']}")
    code = parse_qs(urlsplit(redirect.headers["location"]).query)["code"][0]
    client.auth.exchange_code(code)

    with pytest.raises(Exception) as caught:
        client.auth.exchange_code(code)

    assert getattr(caught.value, "code", None) == "authorization_code_invalid"


# ---------------------------------------------------------------------------------------------
# Catalogue metadata
# ---------------------------------------------------------------------------------------------


def _leaf_category(client: TikTokShopClient) -> str:
    categories = client.products.categories()
    leaves = [c for c in categories if c.is_leaf and "AVAILABLE" in c.permission_statuses]
    assert leaves, "the emulator serves at least one available leaf category"
    return leaves[0].id


def test_categories_attributes_rules(sandbox):
    client = sandbox.client

    categories = client.products.categories()
    leaf = _leaf_category(client)
    attributes = client.products.attributes(leaf)
    rules = client.products.category_rules(leaf)

    ids = {c.id for c in categories}
    assert all(c.parent_id == "0" or c.parent_id in ids for c in categories)
    assert attributes and all(a.type in ("SALES_PROPERTY", "PRODUCT_PROPERTY") for a in attributes)
    assert rules.allowed_special_product_types == ["PRE_ORDER"]
    assert rules.size_chart is not None


def test_listing_prerequisites_warehouses_delivery_options_providers(sandbox):
    client = sandbox.client

    checks = client.products.listing_prerequisites()
    warehouses = client.logistics.warehouses()
    sales = next(w for w in warehouses if w.type == "SALES_WAREHOUSE")
    options = client.logistics.delivery_options(sales.id)
    seller_option = next(o for o in options if o.type == "SEND_BY_SELLER")
    providers = client.logistics.shipping_providers(seller_option.id)

    assert all(not c.is_failed for c in checks)
    assert {w.type for w in warehouses} == {"SALES_WAREHOUSE", "RETURN_WAREHOUSE"}
    assert providers and all(p.id and p.name for p in providers)


# ---------------------------------------------------------------------------------------------
# Products
# ---------------------------------------------------------------------------------------------


def _create_request(client: TikTokShopClient, *, title: str, seller_sku_prefix: str) -> CreateProductRequest:
    leaf = _leaf_category(client)
    attributes = client.products.attributes(leaf)
    warehouse = next(w for w in client.logistics.warehouses() if w.type == "SALES_WAREHOUSE")
    image = client.products.upload_image(png(600, 600), cache={})
    required = [
        ProductAttributeInput(id=a.id, values=[AttributeValueInput(id=a.values[0].id)])
        for a in attributes
        if a.type == "PRODUCT_PROPERTY" and a.is_required and a.values
    ]
    return CreateProductRequest(
        title=title,
        description="<p>Soft cotton crew socks.</p><ul><li>Breathable knit</li></ul>",
        category_id=leaf,
        main_images=[ImageRef(uri=image.uri)],
        skus=[
            SkuInput(
                sales_attributes=[SalesAttributeInput(name="Colour", value_name=colour)],
                seller_sku=f"{seller_sku_prefix}-{colour.upper()}",
                price=Price(amount="9.99", currency="GBP"),
                inventory=[InventoryEntry(warehouse_id=warehouse.id, quantity=10)],
            )
            for colour in ("Black", "White")
        ],
        package_weight=PackageWeight(value="0.3", unit="KILOGRAM"),
        package_dimensions={"length": "20", "width": "10", "height": "3", "unit": "CENTIMETER"},
        product_attributes=required or None,
    )


def test_product_review_to_activate_then_inventory_and_price(sandbox):
    client = sandbox.client
    request = _create_request(
        client, title="Unisex Cotton Crew Socks Breathable Everyday", seller_sku_prefix="SOCK"
    )

    created = client.products.create(request)
    pending = client.products.get(created.product_id, return_under_review_version=True)
    sandbox.advance(REVIEW_SECONDS)
    live = client.products.get(created.product_id)
    sku_ids = [s.id for s in created.skus]
    warehouse_id = request.skus[0].inventory[0].warehouse_id
    inventory = client.products.update_inventory(
        created.product_id,
        UpdateInventoryRequest(
            skus=[
                SkuInventoryUpdate(
                    id=sku_ids[0], inventory=[InventoryEntry(warehouse_id=warehouse_id, quantity=3)]
                )
            ]
        ),
    )
    client.products.update_price(
        created.product_id,
        UpdatePriceRequest(skus=[SkuPriceUpdate(id=sku_ids[1], price=Price(amount="12.50", currency="GBP"))]),
    )
    after = client.products.get(created.product_id)
    found = list(client.products.search(SearchProductsRequest(status="ACTIVATE"), page_size=1))

    assert len(sku_ids) == 2
    assert pending.status == "PENDING"
    assert live.status == "ACTIVATE"
    assert inventory.ok
    by_id = {s.id: s for s in after.skus}
    assert by_id[sku_ids[0]].inventory[0].quantity == 3
    assert by_id[sku_ids[1]].inventory[0].quantity == 10  # untouched
    assert by_id[sku_ids[1]].price.sale_price == "12.50"
    assert by_id[sku_ids[0]].price.sale_price == "9.99"  # untouched
    assert created.product_id in [p.id for p in found]
    statuses = [
        (e.data.product_id, e.data.audit.status) for e in sandbox.inbox.of("PRODUCT_AUDIT_STATUS_CHANGE")
    ]
    assert (created.product_id, "APPROVED") in statuses
    assert [e.data.product_id for e in sandbox.inbox.of("PRODUCT_CREATION")] == [created.product_id]
    assert sandbox.inbox.rejected == 0


def test_product_review_failure(sandbox):
    client = sandbox.client
    request = _create_request(
        client, title="Designer Socks Premium Cotton Edition Pack", seller_sku_prefix="REP"
    )
    created = client.products.create(request)
    # The audit outcome is TikTok's decision: the emulator's control API decides it, the clock runs the review.
    sandbox.act("force_review", product_id=created.product_id, outcome="FAILED", now=False)
    still_pending = client.products.get(created.product_id, return_under_review_version=True)
    sandbox.advance(REVIEW_SECONDS)
    product = client.products.get(created.product_id)

    assert still_pending.status == "PENDING"
    assert product.status == "FAILED"
    assert product.audit_failed_reasons and product.audit_failed_reasons[0].reasons
    audit = [
        e.data.audit.status
        for e in sandbox.inbox.of("PRODUCT_AUDIT_STATUS_CHANGE")
        if e.data.product_id == created.product_id
    ]
    assert audit[-1] == "FAILED"
    product_status = [
        e.data.status
        for e in sandbox.inbox.of("PRODUCT_STATUS_CHANGE")
        if e.data.product_id == created.product_id
    ]
    assert "PRODUCT_AUDIT_FAILURE" in product_status


def test_deactivate_activate_delete_recover(sandbox):
    client = sandbox.client
    created = client.products.create(
        _create_request(client, title="Everyday Ankle Socks Pack of Three Cotton", seller_sku_prefix="ANK")
    )
    sandbox.advance(REVIEW_SECONDS)
    pid = created.product_id

    deactivated = client.products.deactivate([pid])
    status_after_deactivate = client.products.get(pid).status
    activated = client.products.activate([pid])
    sandbox.advance(REVIEW_SECONDS)
    status_after_activate = client.products.get(pid).status
    deleted = client.products.delete([pid])
    recovered = client.products.recover([pid])
    status_after_recover = client.products.get(pid).status

    assert [deactivated.ok, activated.ok, deleted.ok, recovered.ok] == [True, True, True, True]
    assert status_after_deactivate == "SELLER_DEACTIVATED"
    assert status_after_activate == "ACTIVATE"
    assert status_after_recover == "SELLER_DEACTIVATED"


def test_invalid_product_is_a_field_level_validation_error(sandbox):
    client = sandbox.client
    request = _create_request(
        client, title="Valid Title For Socks With Enough Characters", seller_sku_prefix="BAD"
    )
    broken = request.model_copy(update={"main_images": []})

    with pytest.raises(ValidationFailed) as caught:
        client.products.create(broken)

    assert [fe.field for fe in caught.value.field_errors] == ["main_images"]
    assert list(client.products.search()) == []  # nothing was created


def test_brands_recommend_category_and_listing_check(sandbox):
    client = sandbox.client
    request = _create_request(
        client, title="Organic Cotton Baby Socks Soft Newborn Set", seller_sku_prefix="BABY"
    )

    brands = list(client.products.brands(page_size=1))
    recommended = client.products.recommend_category(RecommendCategoryRequest(product_title=request.title))
    dry_run = client.products.listing_check(request)
    dry_run_bad = client.products.listing_check(request.model_copy(update={"main_images": []}))

    assert brands and len({b.id for b in brands}) == len(brands)
    assert recommended.leaf_category_id
    assert recommended.categories[-1].id == recommended.leaf_category_id
    assert dry_run.check_result == "PASS"
    assert dry_run_bad.check_result == "FAILED"
    assert dry_run_bad.fail_reasons and dry_run_bad.fail_reasons[0].code
    assert list(client.products.search()) == []  # a dry run creates nothing


def test_edit_and_partial_edit_keep_the_live_version_until_review(sandbox):
    client = sandbox.client
    request = _create_request(
        client, title="Bamboo Dress Socks Business Formal Classic", seller_sku_prefix="BAM"
    )
    created = client.products.create(request)
    sandbox.advance(REVIEW_SECONDS)
    skus = [s.model_copy(update={"id": r.id}) for s, r in zip(request.skus, created.skus, strict=True)]
    full = EditProductRequest.model_validate(
        {
            **request.model_dump(exclude_none=True),
            "skus": skus,
            "title": "Bamboo Dress Socks Business Formal Classic V2",
        }
    )

    edited = client.products.edit(created.product_id, full)
    live_during_review = client.products.get(created.product_id)
    under_review = client.products.get(created.product_id, return_under_review_version=True)
    sandbox.advance(REVIEW_SECONDS)
    after_edit = client.products.get(created.product_id)
    client.products.partial_edit(
        created.product_id, PartialEditProductRequest(description="<p>Now with reinforced heels.</p>")
    )
    sandbox.advance(REVIEW_SECONDS)
    after_partial = client.products.get(created.product_id)

    assert edited.product_id == created.product_id
    assert sorted(s.id for s in edited.skus) == sorted(s.id for s in created.skus)  # ids kept -> edited
    assert live_during_review.title == request.title  # §8.9: v1 stays online while v2 is audited
    assert under_review.title.endswith("V2")
    assert after_edit.status == "ACTIVATE" and after_edit.title.endswith("V2")
    assert after_partial.description == "<p>Now with reinforced heels.</p>"
    assert after_partial.title.endswith("V2")  # untouched by the partial edit


# ---------------------------------------------------------------------------------------------
# Orders, fulfilment, cancellations, returns
# ---------------------------------------------------------------------------------------------

ON_HOLD_SECONDS = 3601  # §10.1 buyer-remorse window (emulator default 3600 s)


def _live_skus(sandbox: Sandbox) -> list[str]:
    client = sandbox.client
    created = client.products.create(
        _create_request(client, title="Merino Hiking Socks Cushioned Sole Outdoor", seller_sku_prefix="HIKE")
    )
    sandbox.advance(REVIEW_SECONDS)
    assert client.products.get(created.product_id).status == "ACTIVATE"
    return [s.id for s in created.skus]


def _place_paid_order(sandbox: Sandbox, sku_id: str, quantity: int) -> str:
    placed = sandbox.act(
        "place_order", shop_id=sandbox.shop["shop_id"], items=[{"sku_id": sku_id, "quantity": quantity}]
    )
    return placed["order"]["id"]


def _order_statuses(sandbox: Sandbox, order_id: str) -> list[str]:
    return [e.data.status for e in sandbox.inbox.of("ORDER_STATUS_CHANGE") if e.data.order_id == order_id]


def _ship(sandbox: Sandbox, order_id: str, tracking: str) -> tuple[str, str]:
    client = sandbox.client
    order = client.orders.get_one(order_id)
    providers = client.logistics.shipping_providers(order.delivery_option_id)
    royal_mail = next(p for p in providers if p.name == "Royal Mail")
    shipped = client.fulfillment.mark_package_as_shipped(
        order_id, MarkPackageAsShippedRequest(tracking_number=tracking, shipping_provider_id=royal_mail.id)
    )
    return shipped.package_id, royal_mail.id


def test_order_lifecycle_through_shipping(sandbox):
    client = sandbox.client
    sku_ids = _live_skus(sandbox)
    since = int(sandbox.emulator.clock.now())
    order_id = _place_paid_order(sandbox, sku_ids[0], quantity=2)

    on_hold = client.orders.get_one(order_id)
    sandbox.advance(ON_HOLD_SECONDS)
    polled = [o for o in client.orders.search_updated(since) if o.id == order_id]
    package_id, provider_id = _ship(sandbox, order_id, "RB123456785GB")
    shipped = client.orders.get_one(order_id)
    package = client.fulfillment.package_detail(package_id)
    client.fulfillment.update_shipping_info(
        order_id, ShippingInfoUpdate(tracking_number="RB987654321GB", shipping_provider_id=provider_id)
    )
    corrected = client.fulfillment.package_detail(package_id)
    sandbox.act("advance_order", order_id=order_id, to="IN_TRANSIT")
    in_transit = client.orders.get_one(order_id)
    tracking = client.fulfillment.tracking(order_id)

    assert on_hold.status == "ON_HOLD"
    assert on_hold.recipient_address is None  # §10.1: not returned while ON_HOLD
    assert [o.status for o in polled] == ["AWAITING_SHIPMENT"]
    assert [li.sku_id for li in polled[0].line_items] == [sku_ids[0], sku_ids[0]]  # one line item per unit
    assert shipped.status == "AWAITING_COLLECTION"
    assert package.package_id == package_id
    assert package.tracking_number == "RB123456785GB"
    assert sorted(package.order_line_item_ids) == sorted(li.id for li in polled[0].line_items)
    assert corrected.tracking_number == "RB987654321GB"
    assert in_transit.status == "IN_TRANSIT"
    assert tracking and all(t.update_time_millis > 10**12 for t in tracking)
    assert _order_statuses(sandbox, order_id) == [
        "UNPAID",
        "ON_HOLD",
        "AWAITING_SHIPMENT",
        "AWAITING_COLLECTION",
        "IN_TRANSIT",
    ]
    assert sandbox.inbox.rejected == 0


def test_shipping_twice_is_terminal_already_shipped(sandbox):
    client = sandbox.client
    sku_ids = _live_skus(sandbox)
    order_id = _place_paid_order(sandbox, sku_ids[1], quantity=1)
    sandbox.advance(ON_HOLD_SECONDS)
    _ship(sandbox, order_id, "RB111111115GB")

    with pytest.raises(Exception) as caught:
        _ship(sandbox, order_id, "RB222222225GB")

    assert getattr(caught.value, "code", None) == "already_shipped"
    assert client.fulfillment.package_detail(
        client.orders.get_one(order_id).packages[0].id
    ).tracking_number == ("RB111111115GB")


def test_seller_cancellation_and_buyer_cancellation_request(sandbox):
    client = sandbox.client
    sku_ids = _live_skus(sandbox)
    seller_cancelled = _place_paid_order(sandbox, sku_ids[0], quantity=1)
    buyer_cancelled = _place_paid_order(sandbox, sku_ids[1], quantity=1)
    sandbox.advance(ON_HOLD_SECONDS)

    result = client.returns.cancel_order(
        CancelOrderRequest(order_id=seller_cancelled, cancel_reason="seller_cancel_reason_out_of_stock")
    )
    request = sandbox.act("buyer_cancel", order_id=buyer_cancelled)
    found = {c.cancel_id: c for c in client.returns.search_cancellations()}
    pending = list(
        client.returns.search_cancellations(
            SearchCancellationsRequest(cancel_status=["CANCELLATION_REQUEST_PENDING"])
        )
    )

    assert client.orders.get_one(seller_cancelled).status == "CANCELLED"
    assert found[result.cancel_id].order_id == seller_cancelled
    assert found[request["cancel_id"]].order_id == buyer_cancelled
    assert [c.cancel_id for c in pending] == [request["cancel_id"]]
    assert pending[0].role == "BUYER"
    hooks = {(e.data.order_id, e.data.cancel_status) for e in sandbox.inbox.of("CANCELLATION_STATUS_CHANGE")}
    assert (buyer_cancelled, "CANCELLATION_REQUEST_PENDING") in hooks
    assert any(order == seller_cancelled for order, _ in hooks)
    assert "CANCELLED" in _order_statuses(sandbox, seller_cancelled)


def test_return_request_after_delivery(sandbox):
    client = sandbox.client
    sku_ids = _live_skus(sandbox)
    order_id = _place_paid_order(sandbox, sku_ids[0], quantity=1)
    sandbox.advance(ON_HOLD_SECONDS)
    _ship(sandbox, order_id, "RB333333335GB")
    sandbox.act("advance_order", order_id=order_id, to="DELIVERED")

    requested = sandbox.act("request_return", order_id=order_id, return_type="RETURN_AND_REFUND")
    returns = list(client.returns.search_returns(SearchReturnsRequest(order_ids=[order_id])))

    assert [(r.return_id, r.order_id, r.return_status) for r in returns] == [
        (requested["return_id"], order_id, "RETURN_OR_REFUND_REQUEST_PENDING")
    ]
    assert returns[0].return_type == "RETURN_AND_REFUND"
    hooks = [(e.data.return_id, e.data.return_status) for e in sandbox.inbox.of("RETURN_STATUS_CHANGE")]
    assert hooks == [(requested["return_id"], "RETURN_OR_REFUND_REQUEST_PENDING")]


def test_address_update_deauthorization_and_expiry_webhooks(sandbox):
    sku_ids = _live_skus(sandbox)
    order_id = _place_paid_order(sandbox, sku_ids[0], quantity=1)
    sandbox.client.events.update_webhook("SELLER_DEAUTHORIZATION", HOOK_URL)
    sandbox.client.events.update_webhook("UPCOMING_AUTHORIZATION_EXPIRATION", HOOK_URL)

    sandbox.act("update_address", order_id=order_id, address_line1="2 New Street")
    before = int(sandbox.emulator.clock.now())
    sandbox.act("authorization_expiring", shop_id=sandbox.shop["shop_id"], days=30)
    after = int(sandbox.emulator.clock.now())
    sandbox.act("deauthorize", shop_id=sandbox.shop["shop_id"])

    assert [e.data.order_id for e in sandbox.inbox.of("RECIPIENT_ADDRESS_UPDATE")] == [order_id]
    expiring = sandbox.inbox.of("UPCOMING_AUTHORIZATION_EXPIRATION")
    assert len(expiring) == 1
    assert before + 30 * 86400 <= expiring[0].data.expiration_time <= after + 30 * 86400
    deauthorized = sandbox.inbox.of("SELLER_DEAUTHORIZATION")
    assert [e.shop_id for e in deauthorized] == [sandbox.shop["shop_id"]]
    assert len({e.event_id for e in sandbox.inbox.events}) == len(sandbox.inbox.events)  # ids are unique
    assert sandbox.inbox.rejected == 0
