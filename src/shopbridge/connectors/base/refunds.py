"""Spread requested refund lines (variant + quantity) over an order's lines, checked before any write.

Shared by every store connector: a bad request (a variant not on the order, more units than are
left to refund) fails with field errors and never half-refunds or restocks silently.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopbridge.core.errors import FieldError, ValidationFailed

from .dto import RefundLineIn


@dataclass(frozen=True)
class RefundableLine:
    line_id: int
    variant_id: str
    refundable: int  # ordered minus already refunded


def _error(index: int, field_name: str, code: str, reason: str, fix: str) -> FieldError:
    return FieldError(field=f"lines[{index}].{field_name}", code=code, reason=reason, fix=fix)


def allocate_refund(
    lines: list[RefundLineIn], order_lines: list[RefundableLine], *, order_id: object, platform: str
) -> dict[int, int]:
    """line id -> quantity to refund. Raises ValidationFailed naming every bad line."""
    picked: dict[int, int] = {}
    errors = []
    for index, wanted in enumerate(lines):
        candidates = [line for line in order_lines if line.variant_id == wanted.variant_external_id]
        if not candidates:
            errors.append(
                _error(
                    index,
                    "variant_external_id",
                    "unknown_order_line",
                    f"variant {wanted.variant_external_id} is not on order {order_id}",
                    "Refund only lines of this order (check the listing's variant mapping).",
                )
            )
            continue
        need = wanted.quantity
        for line in candidates:
            take = min(need, line.refundable - picked.get(line.line_id, 0))
            if take > 0:
                picked[line.line_id] = picked.get(line.line_id, 0) + take
                need -= take
        if need:
            errors.append(
                _error(
                    index,
                    "quantity",
                    "quantity_above_refundable",
                    f"{wanted.quantity} x variant {wanted.variant_external_id}: only "
                    f"{wanted.quantity - need} left to refund on order {order_id}",
                    "Refund at most the quantity ordered minus what was already refunded.",
                )
            )
    if errors:
        raise ValidationFailed(
            f"refund lines do not match order {order_id}",
            field_errors=errors,
            platform=platform,
            code="invalid_refund_lines",
        )
    return picked
