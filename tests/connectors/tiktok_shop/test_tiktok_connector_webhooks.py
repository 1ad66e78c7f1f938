"""Webhook signature (golden vector) and typed parsing of every topic the project uses."""

from __future__ import annotations

import json

import pytest

from shopbridge.connectors.tiktok_shop.webhooks import (
    AuthorizationExpiring,
    CancellationStatusChanged,
    OrderStatusChanged,
    PackageUpdated,
    ProductAuditStatusChanged,
    ProductCategoryChanged,
    ProductCreated,
    ProductInformationChanged,
    ProductStatusChanged,
    RecipientAddressUpdated,
    ReturnStatusChanged,
    SellerDeauthorized,
    TikTokWebhooks,
    UnknownEvent,
    parse_webhook,
    verify_signature,
    verify_webhook,
    webhook_signature,
)
from shopbridge.core.errors import ValidationFailed

# §13.3 golden vector, copied so it runs without ../shared.
GOLDEN_KEY = "abcdef"
GOLDEN_SECRET = "123"
GOLDEN_BODY = (
    b'{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507",'
    b'"timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178",'
    b'"order_status":"UNPAID","update_time":1718305585}}'
)
GOLDEN_SIGNATURE = "5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05"


def test_golden_vector():
    assert webhook_signature(GOLDEN_KEY, GOLDEN_SECRET, GOLDEN_BODY) == GOLDEN_SIGNATURE
    assert verify_signature(GOLDEN_KEY, GOLDEN_SECRET, GOLDEN_BODY, GOLDEN_SIGNATURE)


def test_golden_vector_file(shared_spec):
    vector = json.loads(
        (shared_spec / "tiktok-examples/reconstructed/webhook_signature_vector.json").read_text()
    )

    assert verify_webhook(
        {"Authorization": vector["authorization_header"]},
        vector["raw_body"].encode(),
        app_key=vector["app_key"],
        app_secret=vector["app_secret"],
    )


@pytest.mark.parametrize(
    ("headers", "body"),
    [
        ({"Authorization": GOLDEN_SIGNATURE}, GOLDEN_BODY.replace(b"UNPAID", b"ON_HOLD")),  # tampered body
        ({"Authorization": GOLDEN_SIGNATURE.upper()}, GOLDEN_BODY),  # TikTok sends lowercase hex
        ({"Authorization": "Bearer " + GOLDEN_SIGNATURE}, GOLDEN_BODY),  # no Bearer prefix (§13.3)
        ({}, GOLDEN_BODY),  # missing header
        ({"Authorization": ""}, GOLDEN_BODY),
    ],
)
def test_bad_signatures_are_rejected(headers, body):
    assert not verify_webhook(headers, body, app_key=GOLDEN_KEY, app_secret=GOLDEN_SECRET)


def test_header_name_is_case_insensitive_and_wrong_secret_fails():
    assert verify_webhook(
        {"authorization": GOLDEN_SIGNATURE}, GOLDEN_BODY, app_key=GOLDEN_KEY, app_secret="123"
    )
    assert not verify_webhook(
        {"authorization": GOLDEN_SIGNATURE}, GOLDEN_BODY, app_key=GOLDEN_KEY, app_secret="124"
    )


def test_bound_verifier():
    hooks = TikTokWebhooks(GOLDEN_KEY, GOLDEN_SECRET)

    assert hooks.verify({"Authorization": GOLDEN_SIGNATURE}, GOLDEN_BODY)
    assert GOLDEN_SECRET not in repr(hooks)
    assert hooks.parse(GOLDEN_BODY).event_id == "7380066284010030890"


def test_golden_body_parses_to_order_status_change():
    event = parse_webhook(GOLDEN_BODY)

    assert isinstance(event, OrderStatusChanged)
    assert event.event_type == "ORDER_STATUS_CHANGE"
    assert event.event_id == "7380066284010030890"
    assert event.shop_id == "7495540735365777507"
    assert event.timestamp == 1718305585
    assert (event.data.order_id, event.data.status, event.data.is_on_hold_order) == (
        "576653688135258178",
        "UNPAID",
        True,
    )


# sample file -> (event class, a few typed fields to check)
SAMPLES = [
    ("type_01_order_status_change.json", OrderStatusChanged, lambda d: (d.order_id, d.order_status)),
    ("type_03_recipient_address_update.json", RecipientAddressUpdated, lambda d: (d.order_id, d.update_time)),
    (
        "type_04_package_update.json",
        PackageUpdated,
        lambda d: (d.sc_type, [(p.package_id, p.order_id_list) for p in d.package_list]),
    ),
    ("type_05_product_status_change.json", ProductStatusChanged, lambda d: (d.product_id, d.status)),
    ("type_06_seller_deauthorization.json", SellerDeauthorized, lambda d: d.message[:7]),
    ("type_07_upcoming_authorization_expiration.json", AuthorizationExpiring, lambda d: d.expiration_time),
    (
        "type_11_cancellation_status_change.json",
        CancellationStatusChanged,
        lambda d: (d.order_id, d.cancel_id, d.cancel_status),
    ),
    ("type_12_return_status_change.json", ReturnStatusChanged, lambda d: (d.return_id, d.return_status)),
    (
        "type_15_product_information_change.json",
        ProductInformationChanged,
        lambda d: (d.product_id, d.changed_fields[:2]),
    ),
    ("type_16_product_creation.json", ProductCreated, lambda d: (d.product_id, d.product_types)),
    (
        "type_18_product_category_change.json",
        ProductCategoryChanged,
        lambda d: (d.previous_category_id, d.current_category_id),
    ),
    (
        "type_37_product_audit_status_change.json",
        ProductAuditStatusChanged,
        lambda d: (d.product_id, d.audit.status, d.audit.pre_approved_reasons),
    ),
]

EXPECTED = {
    "type_01_order_status_change.json": ("576486316948490001", "UNPAID"),
    "type_03_recipient_address_update.json": ("576486316948490001", 1644412885),
    "type_04_package_update.json": ("COMBINE", [("123456", ["152523", "532123"])]),
    "type_05_product_status_change.json": ("576486316948490000", "PRODUCT_FIRST_PASS_REVIEW"),
    "type_06_seller_deauthorization.json": "Shop_id",
    "type_07_upcoming_authorization_expiration.json": 1627587506,
    "type_11_cancellation_status_change.json": (
        "576486316948490001",
        "4035318504086604100",
        "CANCELLATION_REQUEST_PENDING",
    ),
    "type_12_return_status_change.json": ("576486316948490001", "RETURN_OR_REFUND_REQUEST_PENDING"),
    "type_15_product_information_change.json": ("123456789", ["title", "description"]),
    "type_16_product_creation.json": ("576486316948490000", ["GPR_PRODUCT"]),
    "type_18_product_category_change.json": ("600001", "600002"),
    "type_37_product_audit_status_change.json": ("789078671231", "PRE_APPROVED", ["KYC_PENDING"]),
}


@pytest.mark.parametrize(("file_name", "event_class", "fields"), SAMPLES, ids=[s[0] for s in SAMPLES])
def test_official_samples_parse_into_typed_events(shared_spec, file_name, event_class, fields):
    raw = (shared_spec / "tiktok-examples/reconstructed/webhooks" / file_name).read_bytes()

    event = parse_webhook(raw)

    assert type(event) is event_class
    assert event.shop_id == "7494049642642441621"
    assert fields(event.data) == EXPECTED[file_name]


def test_numeric_product_id_becomes_a_string():
    body = json.dumps(
        {
            "type": 5,
            "tts_notification_id": "1",
            "shop_id": "9",
            "timestamp": 1,
            "data": {"product_id": 1729592969712207008, "status": "PRODUCT_STATUS_CHANGED"},
        }
    ).encode()

    assert parse_webhook(body).data.product_id == "1729592969712207008"


def test_webhook_cancel_spelling_maps_to_order_detail_spelling():
    body = json.dumps(
        {"type": 1, "tts_notification_id": "1", "data": {"order_id": "5", "order_status": "CANCEL"}}
    )

    event = parse_webhook(body.encode())

    assert event.data.order_status == "CANCEL"
    assert event.data.status == "CANCELLED"


def test_event_id_without_notification_id_is_a_stable_hash_ignoring_push_time(shared_spec):
    raw = (
        shared_spec / "tiktok-examples/reconstructed/webhooks/type_03_recipient_address_update.json"
    ).read_bytes()
    envelope = json.loads(raw)
    repushed = dict(envelope, timestamp=envelope["timestamp"] + 120)  # TikTok retries after 2 min (§13.1)
    later_change = dict(
        envelope, data=dict(envelope["data"], update_time=envelope["data"]["update_time"] + 5)
    )

    first = parse_webhook(raw).event_id
    again = parse_webhook(json.dumps(repushed).encode()).event_id
    other = parse_webhook(json.dumps(later_change).encode()).event_id

    assert "tts_notification_id" not in envelope
    assert first.startswith("sha256:") and len(first) == len("sha256:") + 64
    assert first == again
    assert first != other


def test_unknown_topic_is_kept_raw():
    body = b'{"type":14,"tts_notification_id":"77","shop_id":"1","timestamp":1,"data":{"message_id":"m"}}'

    event = parse_webhook(body)

    assert type(event) is UnknownEvent
    assert event.event_type == "NEW_MESSAGE"
    assert event.data == {"message_id": "m"}


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"data": {}}',
        b'{"type": "x", "data": {}}',
        b'{"type": 1, "data": "oops"}',
    ],
)
def test_malformed_bodies_raise_validation_failed(body):
    with pytest.raises(ValidationFailed) as caught:
        parse_webhook(body)

    assert caught.value.code == "webhook_malformed"


def test_known_topic_missing_required_field_names_the_field():
    with pytest.raises(ValidationFailed) as caught:
        parse_webhook(b'{"type": 1, "tts_notification_id": "1", "data": {"order_status": "UNPAID"}}')

    assert [fe.field for fe in caught.value.field_errors] == ["data.order_id"]
