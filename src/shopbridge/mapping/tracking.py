"""Tracking-number validation before TikTok "Mark Package As Shipped" (pure, no I/O).

TikTok validates the tracking number against the chosen shipping provider and rejects special
characters (``../shared/spec/tiktok-shop-api.md`` §11.1 "Tracking numbers are validated against
the chosen provider (errors 21004015 mismatch, 11028006 no carrier match)"; §11.2 error 21004012
"special characters"). Checking here lets us tell the merchant *before* the call, with a fix.

Formats, check-digit algorithms and serial rules come from jkeen/tracking_number_data (MIT),
shipped as ``data/tracking_formats.json`` by ``tools/derive_tracking_formats.py``. The data does
not cover Evri/Hermes UK or Parcelforce (``../shared/data/README.md`` "gaps"): for carriers without
data only a basic sanity check runs and ``valid`` is ``None`` (not checked).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from .carriers import CarrierKey, normalise_carrier

MIN_LENGTH = 6
MAX_LENGTH = 40
_ALNUM = re.compile(r"[A-Z0-9]+")
# Spaces of any kind and the dashes people type or paste between digit groups.
_SEPARATORS = re.compile(r"[\s\u00a0]+")
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")

# Which tracking-data couriers can issue numbers for a carrier (CarrierKey = AfterShip slug, see
# carriers.py). Only carriers whose *own* numbers the data describes are listed: DPD UK / DPD Local,
# DHL Parcel UK and Amazon UK issue formats the data lacks, so they stay unchecked rather than be
# rejected wrongly. DPD is left out too: its formats need the check character that DPD's tracking
# pages and e-mails usually leave off (14 digits), so a correct number would be refused; the courier
# code "dpd" still checks strictly when a caller asks for it. Royal Mail's tracked numbers are UPU S10 numbers ending in GB
# (../shared/data/README.md: "S10 (UPU, covers Royal Mail AA123456789GB)").
_CARRIER_COURIERS: dict[str, tuple[str, ...]] = {
    "ups": ("ups",),
    "ups-mi": ("ups", "usps"),  # Mail Innovations is handed to USPS for the last mile
    "usps": ("usps", "s10"),  # international USPS items carry S10 numbers ending in US
    "fedex": ("fedex",),
    "fedex-uk": ("fedex",),
    "dhl": ("dhl",),
    "dhl-global-mail": ("dhl",),  # DHL eCommerce
    "yodel": ("yodel",),
    "amazon": ("amazon",),
    "amazon-logistics": ("amazon",),
    "amazon-fba-us": ("amazon",),
    "canada-post": ("canada_post", "s10"),
    "canpar": ("canpar",),
    "purolator": ("purolator",),
    "ontrac": ("ontrac",),
    "lasership": ("lasership",),
    "old-dominion": ("old_dominion",),
    "speedee": ("speedee",),
    "landmark-global": ("landmark",),
    "yunexpress": ("yunexpress",),
    "royal-mail": ("s10",),
}


@dataclass(frozen=True)
class TrackingCheck:
    """Result of a check. ``valid`` is None when the carrier or format is unknown (not checked)."""

    valid: bool | None
    normalized: str
    carrier_detected: str | None
    reason: str | None
    fix: str | None


@dataclass(frozen=True)
class TrackingFormat:
    courier: str
    id: str
    name: str
    pattern: re.Pattern[str]
    checksum: dict[str, Any] | None
    serial_prepend: tuple[str, str] | None
    required_lookups: dict[str, dict[str, list[str]]]
    tracking_url: str | None


@dataclass(frozen=True)
class FormatMatch:
    """A number that has the shape of ``format``; ``passes`` is False when a check digit or lookup fails."""

    format: TrackingFormat
    number: str
    passes: bool


# --- check-digit algorithms (names and parameters as in the tracking data) -----------------------


def _digit_value(char: str) -> int:
    # Letters in UPS serials count as (ASCII - 3) mod 10, i.e. A=2, B=3 ... as UPS specifies.
    return int(char) if char.isdigit() else (ord(char) - 3) % 10


def _mod10(serial: str, check: str, params: dict[str, Any]) -> bool:
    digits = [_digit_value(c) for c in serial]
    if params.get("reverse"):
        digits.reverse()
    total = 0
    for index, digit in enumerate(digits):
        multiplier = params.get("odds_multiplier", 1) if index % 2 else params.get("evens_multiplier", 1)
        total += digit * multiplier
    expected = (10 - total % 10) % 10
    return check.isdigit() and expected == int(check)


def _mod7(serial: str, check: str, params: dict[str, Any]) -> bool:
    return check.isdigit() and int(serial) % params.get("modulo", 7) == int(check)


def _s10(serial: str, check: str, params: dict[str, Any]) -> bool:
    total = sum(int(d) * w for d, w in zip(serial, params["weightings"], strict=False))
    expected = 11 - total % params.get("modulo", 11)
    expected = {10: 0, 11: 5}.get(expected, expected)
    return check.isdigit() and expected == int(check)


def _sum_product(serial: str, check: str, params: dict[str, Any]) -> bool:
    total = sum(int(d) * w for d, w in zip(serial, params["weightings"], strict=False))
    return check.isdigit() and total % params["modulo1"] % params["modulo2"] == int(check)


def _luhn(serial: str, check: str, params: dict[str, Any]) -> bool:
    total = 0
    for index, char in enumerate(reversed(serial)):
        digit = int(char) * (2 if index % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return check.isdigit() and (10 - total % 10) % 10 == int(check)


def _mod_37_36(serial: str, check: str, params: dict[str, Any]) -> bool:
    # ISO/IEC 7064 MOD 37,36 (hybrid system), as DPD uses for its parcel-label check character.
    alphabet: str = params["alphabet"]
    modulo = params["modulo"]
    product = modulo
    for char in serial:
        total = (product + alphabet.index(char)) % modulo or modulo
        product = (total * 2) % (modulo + 1)
    return alphabet[(modulo + 1 - product) % modulo] == check


CHECKSUMS: dict[str, Callable[[str, str, dict[str, Any]], bool]] = {
    "mod10": _mod10,
    "mod7": _mod7,
    "s10": _s10,
    "sum_product_with_weightings_and_modulo": _sum_product,
    "luhn": _luhn,
    "mod_37_36": _mod_37_36,
}


# --- data -----------------------------------------------------------------------------------------


@cache
def tracking_formats() -> tuple[TrackingFormat, ...]:
    """Every format in the shipped data, in data order (couriers alphabetical)."""
    raw = json.loads(resources.files(__package__).joinpath("data/tracking_formats.json").read_text("utf-8"))
    return tuple(
        TrackingFormat(
            courier=courier["code"],
            id=fmt["id"],
            name=fmt["name"],
            pattern=re.compile(fmt["pattern"]),
            checksum=fmt["checksum"],
            serial_prepend=tuple(fmt["serial_prepend"]) if fmt["serial_prepend"] else None,
            required_lookups=fmt["required_lookups"],
            tracking_url=fmt["tracking_url"],
        )
        for courier in raw["couriers"]
        for fmt in courier["formats"]
    )


@cache
def tracking_couriers() -> dict[str, str]:
    """Courier code -> display name for every courier the data describes."""
    raw = json.loads(resources.files(__package__).joinpath("data/tracking_formats.json").read_text("utf-8"))
    return {courier["code"]: courier["name"] for courier in raw["couriers"]}


# --- matching -------------------------------------------------------------------------------------


def normalize_tracking_number(number: str) -> str:
    """Upper case without spaces or dashes: what carriers print and TikTok accepts."""
    return _DASHES.sub("", _SEPARATORS.sub("", number)).upper()


def _candidates(number: str) -> list[str]:
    # Dashes are dropped first; one format (LaserShip 1LS7 (18), "...-1") needs its dash kept.
    compact = _SEPARATORS.sub("", number).upper()
    without_dashes = _DASHES.sub("", compact)
    return [without_dashes] if compact == without_dashes else [without_dashes, compact]


def _lookups_pass(fmt: TrackingFormat, match: re.Match[str]) -> bool:
    for group, allowed in fmt.required_lookups.items():
        value = re.sub(r"\s+", "", match.group(group) or "")
        if value in allowed["matches"]:
            continue
        if not any(re.fullmatch(rx, value) for rx in allowed["matches_regex"]):
            return False
    return True


def _checksum_passes(fmt: TrackingFormat, match: re.Match[str]) -> bool:
    if not fmt.checksum:
        return True
    groups = match.groupdict()
    serial = re.sub(r"\s+", "", groups.get("SerialNumber") or "")
    check = re.sub(r"\s+", "", groups.get("CheckDigit") or "")
    if fmt.serial_prepend and re.match(fmt.serial_prepend[0], serial):
        serial = fmt.serial_prepend[1] + serial
    algorithm = CHECKSUMS[fmt.checksum["name"]]
    try:
        return algorithm(serial, check, fmt.checksum)
    except (ValueError, KeyError):  # a letter where the algorithm needs a digit
        return False


def match_formats(number: str, couriers: Iterable[str] | None = None) -> list[FormatMatch]:
    """Every format (of ``couriers``, or all) that ``number`` has the shape of."""
    wanted = set(couriers) if couriers is not None else None
    found: list[FormatMatch] = []
    for fmt in tracking_formats():
        if wanted is not None and fmt.courier not in wanted:
            continue
        for candidate in _candidates(number):
            match = fmt.pattern.fullmatch(candidate)
            if match:
                passes = _checksum_passes(fmt, match) and _lookups_pass(fmt, match)
                found.append(FormatMatch(format=fmt, number=candidate, passes=passes))
                break
    return found


def detect_carriers(number: str) -> list[str]:
    """Courier codes of the tracking data (``ups``, ``usps``, ``s10`` ...) whose formats accept ``number``.

    Several can match: short all-digit numbers fit many formats, so treat more than one as a hint.
    """
    seen: dict[str, None] = {}
    for found in match_formats(number):
        if found.passes:
            seen.setdefault(found.format.courier, None)
    return list(seen)


# --- validation -----------------------------------------------------------------------------------


def couriers_for(carrier: CarrierKey | str) -> tuple[str, ...] | None:
    """Tracking-data courier codes for a carrier key, courier code or carrier name; None if no data."""
    if carrier in tracking_couriers():
        return (carrier,)
    key = carrier if carrier in _CARRIER_COURIERS else normalise_carrier(carrier)
    return _CARRIER_COURIERS.get(key) if key else None


def _sanity_problem(normalized: str) -> tuple[str, str] | None:
    if not normalized:
        return ("The tracking number is empty.", "Enter the tracking number printed on the shipping label.")
    if not _ALNUM.fullmatch(normalized):
        # §11.2 error 21004012: TikTok rejects tracking numbers with special characters.
        return (
            "The tracking number contains characters other than letters and digits.",
            "Copy the tracking number exactly as printed on the label, without symbols.",
        )
    if not MIN_LENGTH <= len(normalized) <= MAX_LENGTH:
        return (
            f"The tracking number has {len(normalized)} characters; tracking numbers have {MIN_LENGTH} to {MAX_LENGTH}.",
            "Check that the whole tracking number was copied, and nothing else.",
        )
    return None


def _carrier_label(couriers: tuple[str, ...]) -> str:
    names = tracking_couriers()
    return " / ".join(names.get(code, code) for code in couriers)


def _check_against(number: str, normalized: str, couriers: tuple[str, ...]) -> TrackingCheck:
    matches = match_formats(number, couriers)
    passing = [m for m in matches if m.passes]
    if passing:
        return TrackingCheck(True, passing[0].number, passing[0].format.courier, None, None)
    label = _carrier_label(couriers)
    if matches:
        return TrackingCheck(
            False,
            matches[0].number,
            None,
            f"The tracking number has the shape of a {label} number but its check digit is wrong.",
            "Re-type the tracking number from the label; one character is probably wrong.",
        )
    others = detect_carriers(number)
    hint = f" It looks like a {_carrier_label(tuple(others))} number." if others else ""
    return TrackingCheck(
        False,
        normalized,
        others[0] if len(others) == 1 else None,
        f"The tracking number does not match any {label} format.{hint}",
        "Check the tracking number and that the carrier chosen for the shipment is the one that issued it.",
    )


def validate_tracking_number(number: str, carrier: CarrierKey | str | None) -> TrackingCheck:
    """Check ``number`` against ``carrier`` (a CarrierKey, a tracking-data courier code or a carrier name).

    Without a carrier the number is matched against every known format: a hit gives ``valid=True``
    and the carrier; no hit gives ``valid=None`` (unknown, not wrong).
    """
    normalized = normalize_tracking_number(number)
    problem = _sanity_problem(normalized)
    if problem is not None:
        return TrackingCheck(False, normalized, None, *problem)
    couriers = couriers_for(carrier) if carrier else None
    if couriers:
        return _check_against(number, normalized, couriers)
    if carrier:  # a carrier we know nothing about: the number may well be right
        return TrackingCheck(None, normalized, None, None, None)
    passing = [m for m in match_formats(number) if m.passes]
    if passing:
        return TrackingCheck(True, passing[0].number, passing[0].format.courier, None, None)
    return TrackingCheck(None, normalized, None, None, None)
