"""Tracking-number validation: the tracking_number_data test vectors, checked through our shipped data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shopbridge.mapping.tracking import (
    detect_carriers,
    match_formats,
    tracking_formats,
    validate_tracking_number,
)


def _source_formats(shared_data: Path) -> list[tuple[str, dict]]:
    folder = shared_data / "tracking_number_data"
    found = []
    for path in sorted(folder.glob("*.json")):
        if path.name == "glossary.json":
            continue
        courier = json.loads(path.read_text(encoding="utf-8"))
        found.extend((courier["courier_code"], fmt) for fmt in courier["tracking_numbers"])
    return found


def _passes_format(number: str, courier: str, format_name: str) -> bool:
    return any(m.passes for m in match_formats(number, [courier]) if m.format.name == format_name)


def test_shipped_data_has_every_source_format(shared_data):
    # given the source formats
    source = {(courier, fmt["name"]) for courier, fmt in _source_formats(shared_data)}

    # then the shipped, derived data has exactly the same formats
    assert {(f.courier, f.name) for f in tracking_formats()} == source
    assert len(source) == 39  # ../shared/data/README.md: "18 carrier definitions, 39 tracking-number formats"


def test_every_valid_test_number_passes_its_format_and_is_valid_for_its_courier(shared_data):
    # given every valid test number of every format
    vectors = [(c, f["name"], n) for c, f in _source_formats(shared_data) for n in f["test_numbers"]["valid"]]

    # when each is checked against its format and, through the public API, against its courier
    format_failures = [v for v in vectors if not _passes_format(v[2], v[0], v[1])]
    api_results = {(c, n): validate_tracking_number(n, c) for c, _, n in vectors}

    # then all pass, and the courier is the one detected
    assert format_failures == []
    assert [
        k for k, r in api_results.items() if (r.valid, r.carrier_detected, r.reason) != (True, k[0], None)
    ] == []
    assert len(vectors) == 192  # so a dropped source file cannot pass silently


def test_every_invalid_test_number_fails_its_format(shared_data):
    # given every invalid test number of every format
    formats = _source_formats(shared_data)
    vectors = [(c, f["name"], n) for c, f in formats for n in f["test_numbers"]["invalid"]]

    # when each is checked against its own format
    wrongly_passing = [v for v in vectors if _passes_format(v[2], v[0], v[1])]

    # then none passes
    assert wrongly_passing == []
    assert len(vectors) == 88


def test_invalid_test_numbers_are_invalid_for_their_courier_unless_another_format_lists_them_valid(
    shared_data,
):
    # given the invalid vectors, and the numbers a sibling format of the same courier lists as valid
    formats = _source_formats(shared_data)
    valid_elsewhere = {(c, n) for c, f in formats for n in f["test_numbers"]["valid"]}
    vectors = [(c, n) for c, f in formats for n in f["test_numbers"]["invalid"]]

    # when checked through the public API against the courier
    results = {(c, n): validate_tracking_number(n, c) for c, n in vectors}

    # then each is rejected with a reason and a fix, except the one a sibling format accepts
    # (purolator "331426749957": invalid as "alpha + 9", valid as "Purolator (12)")
    rejected = {k for k, r in results.items() if r.valid is False and r.reason and r.fix}
    accepted = {k for k, r in results.items() if r.valid is True}
    assert accepted == {k for k in results if k in valid_elsewhere} == {("purolator", "331426749957")}
    assert rejected == set(results) - accepted


def test_every_valid_test_number_is_detected_as_its_courier(shared_data):
    # given every valid test number
    vectors = [(c, n) for c, f in _source_formats(shared_data) for n in f["test_numbers"]["valid"]]

    # when carriers are detected without being told
    missed = [(c, n, detect_carriers(n)) for c, n in vectors if c not in detect_carriers(n)]

    # then its own courier is among them
    assert missed == []


def test_royal_mail_number_is_checked_as_s10_by_carrier_name():
    # when a Royal Mail S10 number is checked with the carrier as the store names it
    check = validate_tracking_number("rb 123 456 785 gb", "Royal Mail")

    # then it is valid, normalised, and recognised as an S10 number
    assert check.valid is True
    assert check.normalized == "RB123456785GB"
    assert check.carrier_detected == "s10"
    assert (check.reason, check.fix) == (None, None)


def test_royal_mail_number_with_a_wrong_check_digit_is_rejected_with_the_reason():
    check = validate_tracking_number("RB123456786GB", "royal-mail")

    assert check.valid is False
    assert check.normalized == "RB123456786GB"
    assert check.carrier_detected is None
    assert "check digit is wrong" in check.reason
    assert check.fix.startswith("Re-type")


def test_s10_number_with_an_unknown_country_is_rejected():
    check = validate_tracking_number("RB123456785XX", "royal-mail")

    assert check.valid is False
    assert "S10" in check.reason


def test_spaces_dashes_and_case_are_normalised_away():
    check = validate_tracking_number("  1z5r-8939 0357\u00a0567127 ", "UPS")

    assert check.valid is True
    assert check.normalized == "1Z5R89390357567127"
    assert check.carrier_detected == "ups"


def test_a_dash_the_format_needs_is_kept():
    # LaserShip 1LS7 (18) numbers end in "-1" (tracking_number_data lasership.json)
    check = validate_tracking_number("1LS7119013618127-1", "lasership")

    assert check.valid is True
    assert check.normalized == "1LS7119013618127-1"


def test_number_of_another_carrier_is_rejected_with_a_hint():
    # given a valid UPS number entered under USPS
    check = validate_tracking_number("1Z5R89390357567127", "USPS")

    # then it is rejected and the message names the carrier it looks like
    assert check.valid is False
    assert check.carrier_detected == "ups"
    assert (
        "does not match any United States Postal Service / S10 International Standard format" in check.reason
    )
    assert "It looks like a UPS number." in check.reason


@pytest.mark.parametrize("carrier", ["Evri", "Hermes UK", "Parcelforce", "DPD UK", "Some Local Courier"])
def test_carrier_without_format_data_gets_a_sanity_check_only(carrier):
    # Evri and Parcelforce are not in tracking_number_data (../shared/data/README.md "gaps")
    check = validate_tracking_number("h01aba 1234567890", carrier)

    assert check.valid is None
    assert check.normalized == "H01ABA1234567890"
    assert (check.carrier_detected, check.reason, check.fix) == (None, None, None)


@pytest.mark.parametrize(
    ("number", "reason_part"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("AB12", "4 characters"),
        ("A" * 41, "41 characters"),
        ("H01ABA#1234", "other than letters and digits"),
        ("H01ABA/1234", "other than letters and digits"),
    ],
)
def test_carrier_without_format_data_still_rejects_insane_numbers(number, reason_part):
    check = validate_tracking_number(number, "Evri")

    assert check.valid is False
    assert reason_part in check.reason
    assert check.fix


def test_sanity_also_applies_to_carriers_with_data():
    check = validate_tracking_number("1Z5R8939#0357567127", "ups")

    assert check.valid is False
    assert "other than letters and digits" in check.reason


def test_without_a_carrier_a_known_format_is_detected():
    check = validate_tracking_number("9400 1112 0108 0805 4830 16", None)

    assert check.valid is True
    assert check.carrier_detected == "usps"
    assert check.normalized == "9400111201080805483016"


def test_without_a_carrier_an_unknown_format_is_not_judged():
    check = validate_tracking_number("QQ-ZZ-ZZ-ZZ", None)

    assert check.valid is None
    assert check.normalized == "QQZZZZZZ"
    assert (check.carrier_detected, check.reason) == (None, None)


def test_carrier_can_be_a_key_a_courier_code_or_a_name():
    number = "0073938000549297"  # Canada Post (16), tracking_number_data canadapost.json

    results = {
        c: validate_tracking_number(number, c).valid for c in ("canada-post", "canada_post", "Canada Post")
    }

    assert results == {"canada-post": True, "canada_post": True, "Canada Post": True}


def test_detect_carriers_returns_nothing_for_gibberish():
    assert detect_carriers("NOT-A-NUMBER") == []


def test_dpd_by_name_is_not_checked_but_the_dpd_format_is_available_by_code():
    # DPD shows 14-digit parcel numbers without the check character its label format carries
    by_name = validate_tracking_number("15501234567890", "DPD")
    by_code = validate_tracking_number("0998 0000 0200 34D", "dpd")

    assert by_name.valid is None
    assert (by_code.valid, by_code.normalized) == (True, "09980000020034D")
