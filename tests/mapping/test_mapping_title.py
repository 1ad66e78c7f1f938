"""Title cleaning within the region's limits."""

from __future__ import annotations

from shopbridge.mapping.regions import region_rules
from shopbridge.mapping.title import clean_title

UK = region_rules("UK")
SG = region_rules("SG")


def test_markup_entities_and_spaces_are_cleaned() -> None:
    result = clean_title("  <b>Gobi</b> HeatTec&reg;   Tee\t", UK)
    assert (result.title, result.errors) == ("Gobi HeatTec® Tee", [])
    assert result.notes == ["HTML tags/entities were removed from the title."]


def test_emoji_and_long_repeats_are_removed_with_notes() -> None:
    result = clean_title("Summer Dress 🌸 SALE!!!!!!!!!!!!", UK)
    assert result.title == "Summer Dress SALE!!!!!!!!!"
    assert result.notes == [
        "Emoji were removed from the title (TikTok rejects them).",
        "A character repeated more than 9 times was shortened to 9.",
    ]


def test_long_title_is_cut_at_a_word_boundary() -> None:
    raw = "Organic cotton crew neck t-shirt " * 12  # 396 characters
    result = clean_title(raw, UK)
    assert len(result.title) <= 255
    assert raw.startswith(result.title) and raw[len(result.title)] == " "
    assert result.notes == [
        f"The title was shortened from 395 to {len(result.title)} characters at a word boundary."
    ]
    assert result.errors == []


def test_short_title_is_an_error_where_the_region_has_a_minimum() -> None:
    # given a title fine for the UK (1–255) but too short for Singapore (25–255, §14.2)
    assert clean_title("Grey Sofa", UK).errors == []
    errors = clean_title("Grey Sofa", SG).errors
    assert [(e.field, e.code) for e in errors] == [("title", "title_too_short")]
    assert "at least 25 characters" in errors[0].reason and errors[0].fix


def test_chinese_and_symbol_only_titles_are_errors() -> None:
    assert [e.code for e in clean_title("Cotton 衬衫 shirt", UK).errors] == ["title_has_chinese"]
    assert [e.code for e in clean_title("*** ---", UK).errors] == ["title_symbols_only"]
