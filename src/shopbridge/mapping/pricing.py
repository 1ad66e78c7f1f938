"""Store price -> TikTok SKU price, by the merchant's price rule.

Order: pick the source price -> convert currency -> adjust (percent / fixed) -> round ->
quantise to the listing currency's minor unit -> floor at 0 -> check the region's range (§14.3).

A price outside the region's range is clamped *and* reported as a FieldError: the caller never
sends a clamped price silently, it shows the error (TikTok would answer 12052570 / 12052073).
Money is Decimal end to end and goes out as a decimal string (§6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from shopbridge.connectors.base.dto import StoreVariant
from shopbridge.core.errors import FieldError

from .regions import currency_decimals
from .types import Adjustment, CurrencyRule, PriceRange, PriceRule, PriceSource, Rounding

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class PriceResult:
    amount: Decimal | None  # None: could not be computed (see errors)
    errors: list[FieldError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def amount_string(self) -> str | None:
        return None if self.amount is None else format(self.amount, "f")


def source_price(variant: StoreVariant, source: PriceSource) -> tuple[Decimal, str | None]:
    """The store price a rule starts from, plus a note when it had to fall back."""
    compare_at = variant.compare_at_price
    if source is PriceSource.PRICE:
        return variant.price, None
    if source is PriceSource.SALE_PRICE:
        return (min(variant.price, compare_at), None) if compare_at is not None else (variant.price, None)
    if compare_at is None or compare_at <= 0:
        return variant.price, "no compare-at price; used the selling price"
    return max(compare_at, variant.price), None


def convert_currency(amount: Decimal, rule: CurrencyRule, listing_currency: str) -> Decimal | None:
    """Convert with the channel's rate; None when the currencies differ and no rate is set."""
    if rule.store_currency.upper() == listing_currency.upper():
        return amount
    if rule.rate is None or rule.rate <= 0:
        return None
    return amount * rule.rate


def adjust(amount: Decimal, rule: PriceRule) -> Decimal:
    if rule.adjustment is Adjustment.PERCENT:
        return amount * (HUNDRED + rule.amount) / HUNDRED
    if rule.adjustment is Adjustment.FIXED:
        return amount + rule.amount
    return amount


def apply_rounding(amount: Decimal, rule: PriceRule, decimals: int) -> Decimal:
    """Round as configured, then quantise to the currency's minor unit.

    .99/.95 endings need cents: for zero-decimal currencies (JPY, VND, IDR) they fall back to
    whole units, since "¥1,200.99" cannot exist.
    """
    minor = Decimal(1).scaleb(-decimals)
    rounding = rule.rounding
    if rounding in (Rounding.TO_99, Rounding.TO_95) and decimals < 2:
        rounding = Rounding.WHOLE
    if rounding is Rounding.TO_99:
        amount = amount.to_integral_value(rounding=ROUND_FLOOR) + Decimal("0.99")
    elif rounding is Rounding.TO_95:
        amount = amount.to_integral_value(rounding=ROUND_FLOOR) + Decimal("0.95")
    elif rounding is Rounding.WHOLE:
        amount = amount.to_integral_value(rounding=ROUND_HALF_UP)
    elif rounding is Rounding.UP_TO_N and rule.round_to is not None and rule.round_to > 0:
        amount = (amount / rule.round_to).to_integral_value(rounding=ROUND_CEILING) * rule.round_to
    return amount.quantize(minor, rounding=ROUND_HALF_UP)


def check_range(
    amount: Decimal, price_range: PriceRange | None, *, field_name: str, currency: str
) -> FieldError | None:
    if price_range is None:
        if amount > 0:
            return None
        return FieldError(
            field=field_name,
            code="price_out_of_range",
            reason=f"The price {amount} {currency} must be greater than zero.",
            fix="Set a positive price in your store or change the price rule for this channel.",
        )
    if price_range.min <= amount <= price_range.max:
        return None
    return FieldError(
        field=field_name,
        code="price_out_of_range",
        reason=(
            f"TikTok Shop accepts prices from {price_range.min} to {price_range.max} {currency} here; "
            f"this SKU would be listed at {amount} {currency}."
        ),
        fix="Change the store price or this channel's price rule / currency rate so the price falls inside the range.",
        extra={"min": str(price_range.min), "max": str(price_range.max), "amount": str(amount)},
    )


def compute_price(
    variant: StoreVariant,
    rule: PriceRule,
    currency: CurrencyRule,
    *,
    listing_currency: str,
    price_range: PriceRange | None,
    field_name: str = "skus[0].price.amount",
) -> PriceResult:
    """The TikTok price of one variant; errors instead of silent clamping."""
    base, note = source_price(variant, rule.source)
    notes = [note] if note else []
    converted = convert_currency(base, currency, listing_currency)
    if converted is None:
        error = FieldError(
            field=field_name,
            code="currency_rate_missing",
            reason=(
                f"Your store sells in {currency.store_currency} but this TikTok shop sells in "
                f"{listing_currency}, and no exchange rate is set."
            ),
            fix=f"Set a {currency.store_currency}->{listing_currency} rate in this channel's price settings.",
        )
        return PriceResult(None, [error], notes)
    decimals = currency_decimals(listing_currency)
    amount = apply_rounding(adjust(converted, rule), rule, decimals)
    if amount < 0:  # a big fixed discount must never produce a negative price
        amount = ZERO.quantize(Decimal(1).scaleb(-decimals))
    error = check_range(amount, price_range, field_name=field_name, currency=listing_currency)
    if error is None:
        return PriceResult(amount, [], notes)
    clamped = amount if price_range is None else min(max(amount, price_range.min), price_range.max)
    return PriceResult(clamped, [error], notes)
