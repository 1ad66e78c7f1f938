"""TikTok Shop webhooks: verify the signature, parse into typed events with a dedup id.

Signature (../shared/spec/tiktok-shop-api.md §13.3, golden vector verified): the ``Authorization``
header holds lowercase hex HMAC-SHA256(key=app_secret, message=app_key + raw body). Nothing in it
is time-bound, so replays are only stopped by deduplicating on the event id.

Event id (``WebhookEvent.event_id``), used by the inbox to drop duplicates:
- ``tts_notification_id`` when present (§13.1: "Deduplicate on tts_notification_id");
- otherwise (older payloads omit it, e.g. the type-3 sample) ``"sha256:" + sha256`` of the
  canonical JSON of ``{type, shop_id, data}``. The envelope ``timestamp`` is the *push* time
  (§13.2), which could differ between retries of one notification, so it is left out; ``data``
  carries the business ``update_time`` that tells two real changes apart.

Usage::

    if not verify_webhook(request.headers, body, app_key=..., app_secret=...):
        return 401                              # §13.1: 401 for failed authentication
    event = parse_webhook(body)                 # ValidationFailed when malformed
    inbox.store(external_id=event.event_id, ...)
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from shopbridge.core.errors import FieldError, ValidationFailed

from .errors import PLATFORM
from .models import Id

SIGNATURE_HEADER = "Authorization"


# --------------------------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------------------------


def webhook_signature(app_key: str, app_secret: str, raw_body: bytes) -> str:
    """hex(HMAC-SHA256(app_secret, app_key + raw_body)) (§13.3)."""
    return hmac.new(
        app_secret.encode("utf-8"), app_key.encode("utf-8") + raw_body, hashlib.sha256
    ).hexdigest()


def verify_signature(app_key: str, app_secret: str, raw_body: bytes, signature: str | None) -> bool:
    """Constant-time check of the ``Authorization`` value against the raw body exactly as received."""
    if not signature:
        return False
    expected = webhook_signature(app_key, app_secret, raw_body)
    return hmac.compare_digest(expected, signature.strip())


def verify_webhook(headers: Mapping[str, str], raw_body: bytes, *, app_key: str, app_secret: str) -> bool:
    """Find the ``Authorization`` header (any case; no ``Bearer`` prefix per §13.3) and verify it."""
    signature = next((v for k, v in headers.items() if k.lower() == SIGNATURE_HEADER.lower()), None)
    return verify_signature(app_key, app_secret, raw_body, signature)


# --------------------------------------------------------------------------------------------
# Event payloads (§13.4). Unknown fields are kept; ids accept numbers (§6: types 5, 16, 37).
# --------------------------------------------------------------------------------------------


class _Data(BaseModel):
    model_config = ConfigDict(extra="allow")


class OrderStatusChangeData(_Data):
    order_id: Id
    order_status: str
    is_on_hold_order: bool | None = None
    update_time: int | None = None

    @property
    def status(self) -> str:
        """The order status as Get Order Detail spells it: webhooks document ``CANCEL`` (§10.2, §13.4)."""
        return "CANCELLED" if self.order_status == "CANCEL" else self.order_status


class RecipientAddressUpdateData(_Data):
    order_id: Id
    update_time: int | None = None


class PackageListItem(_Data):
    package_id: Id
    order_id_list: list[Id] = Field(default_factory=list)


class PackageUpdateData(_Data):
    sc_type: str | None = None  # COMBINE, SPLIT, ...
    role_type: str | None = None
    package_list: list[PackageListItem] = Field(default_factory=list)
    update_time: int | None = None


class ProductStatusChangeData(_Data):
    product_id: Id
    status: str  # PRODUCT_FIRST_PASS_REVIEW | PRODUCT_STATUS_CHANGED | PRODUCT_AUDIT_FAILURE
    suspended_reason: str | None = None
    update_time: int | None = None


class SellerDeauthorizationData(_Data):
    message: str = ""


class UpcomingAuthorizationExpirationData(_Data):
    message: str = ""
    expiration_time: int | None = None  # a *string* of Unix seconds in the sample (§13.4)


class CancellationStatusChangeData(_Data):
    order_id: Id
    cancel_id: Id | None = None
    cancellations_role: str | None = None  # BUYER | SELLER | SYSTEM
    cancel_status: str  # CANCELLATION_REQUEST_PENDING | ..._SUCCESS | ..._CANCELLED | ..._COMPLETE
    create_time: int | None = None


class ReturnStatusChangeData(_Data):
    order_id: Id
    return_id: Id
    return_role: str | None = None
    return_type: str | None = None
    return_status: str
    create_time: int | None = None
    update_time: int | None = None


class ProductInformationChangeData(_Data):
    product_id: Id
    change_source: str | None = None  # SELLER_CENTER | OPEN_API
    changed_fields: list[str] = Field(default_factory=list)
    update_time: int | None = None


class ProductCreationData(_Data):
    product_id: Id
    product_types: list[str] = Field(default_factory=list)
    update_time: int | None = None


class ProductCategoryChangeData(_Data):
    product_id: Id
    previous_category_id: Id | None = None
    current_category_id: Id | None = None
    update_time: int | None = None


class AuditStatus(_Data):
    status: str  # NONE | AUDITING | FAILED | PRE_APPROVED | APPROVED
    pre_approved_reasons: list[str] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _accept_singular(cls, value: Any) -> Any:
        # §13.4: the table says pre_approved_reasons[], the official sample sends singular pre_approved_reason.
        if isinstance(value, dict) and "pre_approved_reasons" not in value and "pre_approved_reason" in value:
            value = {**value, "pre_approved_reasons": value["pre_approved_reason"]}
        return value

    @field_validator("pre_approved_reasons", mode="before")
    @classmethod
    def _listify(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class ProductAuditStatusChangeData(_Data):
    product_id: Id
    audit: AuditStatus
    # An object in the sample, a list per the table's "statuses" name: accept both.
    integrated_platform_statuses: dict[str, Any] | list[dict[str, Any]] | None = None
    update_time: int | None = None


# --------------------------------------------------------------------------------------------
# Events
# --------------------------------------------------------------------------------------------


class WebhookEvent(BaseModel):
    """A parsed notification. ``data`` is typed per topic; ``event_id`` is the dedup key."""

    model_config = ConfigDict(frozen=True)

    type: int
    event_type: str  # Event-API name, e.g. ORDER_STATUS_CHANGE (§13.5); "UNKNOWN_<n>" otherwise
    event_id: str
    tts_notification_id: str | None = None
    shop_id: str | None = None
    timestamp: int | None = None
    data: Any


class OrderStatusChanged(WebhookEvent):
    data: OrderStatusChangeData


class RecipientAddressUpdated(WebhookEvent):
    data: RecipientAddressUpdateData


class PackageUpdated(WebhookEvent):
    data: PackageUpdateData


class ProductStatusChanged(WebhookEvent):
    data: ProductStatusChangeData


class SellerDeauthorized(WebhookEvent):
    data: SellerDeauthorizationData


class AuthorizationExpiring(WebhookEvent):
    data: UpcomingAuthorizationExpirationData


class CancellationStatusChanged(WebhookEvent):
    data: CancellationStatusChangeData


class ReturnStatusChanged(WebhookEvent):
    data: ReturnStatusChangeData


class ProductInformationChanged(WebhookEvent):
    data: ProductInformationChangeData


class ProductCreated(WebhookEvent):
    data: ProductCreationData


class ProductCategoryChanged(WebhookEvent):
    data: ProductCategoryChangeData


class ProductAuditStatusChanged(WebhookEvent):
    data: ProductAuditStatusChangeData


class UnknownEvent(WebhookEvent):
    """A topic we do not act on (chat, affiliate, FBT, ...): stored raw so nothing is lost."""

    data: dict[str, Any]


# type number -> (Event-API event_type, event class): §13.4 / §13.5.
EVENT_TYPES: dict[int, tuple[str, type[WebhookEvent]]] = {
    1: ("ORDER_STATUS_CHANGE", OrderStatusChanged),
    3: ("RECIPIENT_ADDRESS_UPDATE", RecipientAddressUpdated),
    4: ("PACKAGE_UPDATE", PackageUpdated),
    5: ("PRODUCT_STATUS_CHANGE", ProductStatusChanged),
    6: ("SELLER_DEAUTHORIZATION", SellerDeauthorized),
    7: ("UPCOMING_AUTHORIZATION_EXPIRATION", AuthorizationExpiring),
    11: ("CANCELLATION_STATUS_CHANGE", CancellationStatusChanged),
    12: ("RETURN_STATUS_CHANGE", ReturnStatusChanged),
    15: ("PRODUCT_INFORMATION_CHANGE", ProductInformationChanged),
    16: ("PRODUCT_CREATION", ProductCreated),
    18: ("PRODUCT_CATEGORY_CHANGE", ProductCategoryChanged),
    37: ("PRODUCT_AUDIT_STATUS_CHANGE", ProductAuditStatusChanged),
}

# Topics with an Event-API name that we keep as UnknownEvent (§13.5).
OTHER_EVENT_NAMES: dict[int, str] = {
    2: "REVERSE_STATUS_UPDATE",
    13: "NEW_CONVERSATION",
    14: "NEW_MESSAGE",
    33: "NEW_MESSAGE_LISTENER",
    36: "INVOICE_STATUS_CHANGE",
}

EVENT_TYPE_NUMBERS: dict[str, int] = {
    **{name: number for number, (name, _) in EVENT_TYPES.items()},
    **{name: number for number, name in OTHER_EVENT_NAMES.items()},
}


def event_id_for(envelope: Mapping[str, Any]) -> str:
    """The dedup key (see module docstring)."""
    notification_id = envelope.get("tts_notification_id")
    if notification_id not in (None, ""):
        return str(notification_id)
    canonical = json.dumps(
        {"type": envelope.get("type"), "shop_id": envelope.get("shop_id"), "data": envelope.get("data")},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_webhook(raw_body: bytes) -> WebhookEvent:
    """Parse a verified notification body. Raises ValidationFailed when it is malformed."""
    envelope = _load_envelope(raw_body)
    number = envelope["type"]
    name, event_class = EVENT_TYPES.get(
        number, (OTHER_EVENT_NAMES.get(number, f"UNKNOWN_{number}"), UnknownEvent)
    )
    try:
        return event_class.model_validate(
            {
                "type": number,
                "event_type": name,
                "event_id": event_id_for(envelope),
                "tts_notification_id": _str_or_none(envelope.get("tts_notification_id")),
                "shop_id": _str_or_none(envelope.get("shop_id")),
                "timestamp": envelope.get("timestamp"),
                "data": envelope.get("data") or {},
            }
        )
    except ValidationError as exc:
        raise _malformed(f"TikTok webhook type {number} does not match its documented shape", exc) from None


class TikTokWebhooks:
    """The app's credentials bound once: ``verify(headers, body)`` then ``parse(body)``."""

    platform: ClassVar[str] = PLATFORM

    def __init__(self, app_key: str, app_secret: str) -> None:
        self.app_key = app_key
        self._app_secret = app_secret

    def __repr__(self) -> str:
        return f"TikTokWebhooks(app_key={self.app_key!r})"

    def verify(self, headers: Mapping[str, str], raw_body: bytes) -> bool:
        return verify_webhook(headers, raw_body, app_key=self.app_key, app_secret=self._app_secret)

    def parse(self, raw_body: bytes) -> WebhookEvent:
        return parse_webhook(raw_body)


def _load_envelope(raw_body: bytes) -> dict[str, Any]:
    try:
        envelope = json.loads(raw_body)
    except (ValueError, UnicodeDecodeError):
        raise _malformed("TikTok webhook body is not JSON", None) from None
    if not isinstance(envelope, dict):
        raise _malformed("TikTok webhook body is not a JSON object", None)
    number = envelope.get("type")
    if isinstance(number, str) and number.isdigit():
        number = int(number)
    if not isinstance(number, int) or isinstance(number, bool):
        raise _malformed("TikTok webhook has no numeric 'type'", None)
    envelope["type"] = number
    if envelope.get("data") is not None and not isinstance(envelope["data"], dict):
        raise _malformed("TikTok webhook 'data' is not an object", None)
    return envelope


def _str_or_none(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _malformed(reason: str, exc: ValidationError | None) -> ValidationFailed:
    field_errors = []
    for error in exc.errors() if exc is not None else []:
        field_errors.append(
            FieldError(
                field=".".join(str(p) for p in error["loc"]),
                code="webhook_field_invalid",
                reason=error["msg"],
                fix="Nothing to fix in ShopBridge: TikTok sent an unexpected payload; it is kept for support.",
            )
        )
    return ValidationFailed(reason, code="webhook_malformed", field_errors=field_errors, platform=PLATFORM)
