"""Description reduction: TikTok's tag subset out, no visible word lost, length enforced."""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from mapping_samples import shopify_products

from shopbridge.mapping.description import ALLOWED_TAGS, reduce_description
from shopbridge.mapping.types import DescriptionImage

HIDDEN = {"script", "style", "noscript", "template", "head", "title"}


class _Visible(HTMLParser):
    """Independent reference: the words a browser would show, and every tag used."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag in HIDDEN:
            self.hidden_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.text.append(data)


def visible(html: str) -> _Visible:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return parser


def words(html: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", " ".join(visible(html).text).lower()))


def assert_no_word_lost(source: str, reduced: str) -> None:
    missing = words(source) - words(reduced)
    assert missing == Counter(), f"lost: {missing}"


RICH = """
<html><head><title>Shop title</title><style>p {color: red}</style></head><body>
<h2>Why you'll love it</h2>
<div class="intro"><span style="font-size:14px">Soft&nbsp;&amp; warm <a href="/x">brushed cotton</a></span> &#8211; made to last.</div>
<script>window.track("view")</script>
<ol><li>Wash cold</li><li>Dry flat <b>inside out</b><ul><li>never tumble</li></ul></li></ol>
<table><thead><tr><th>Size</th><th>Chest</th><th>Length</th></tr></thead>
<tbody><tr><td>S</td><td>90 cm</td><td>60 cm</td></tr><tr><td>M</td><td>95 cm</td><td>62 cm</td></tr></tbody></table>
<p>Fit: <em><strong>regular</strong></em><br/>Model is 180 cm</p>
</body></html>
"""


def test_rich_html_is_reduced_to_tiktok_subset_without_losing_words() -> None:
    # given a store description with headings, tables, nested lists, scripts and styles
    # when it is reduced
    result = reduce_description(RICH)
    # then only TikTok's tags remain, every visible word survives and scripts/styles are gone
    assert set(visible(result.html).tags) <= ALLOWED_TAGS
    assert_no_word_lost(RICH.replace("<title>Shop title</title>", ""), result.html)
    assert "track" not in result.html and "color" not in result.html
    assert result.pending_image_urls == []


def test_rich_html_exact_output_and_notes() -> None:
    result = reduce_description(RICH)
    assert result.html == (
        "<p><strong>Why you'll love it</strong></p>"
        "<p>Soft &amp; warm brushed cotton – made to last.</p>"
        "<ul><li>1. Wash cold</li><li>2. Dry flat <strong>inside out</strong></li><li>– never tumble</li></ul>"
        "<ul><li>Size: S; Chest: 90 cm; Length: 60 cm</li><li>Size: M; Chest: 95 cm; Length: 62 cm</li></ul>"
        "<p>Fit: <em>regular</em><br>Model is 180 cm</p>"
    )
    assert result.notes == [
        "Removed <head> content (not shown on TikTok).",
        "Headings became bold paragraphs.",
        "Links were removed (their text is kept): TikTok descriptions cannot link out.",
        "Removed <script> content (not shown on TikTok).",
        "Numbered lists became bullet lists (the numbers are kept in the text).",
        "Nested lists were flattened into one list.",
        "A table was turned into bullet lines (TikTok shows tables as images).",
    ]


def test_two_column_table_becomes_key_value_bullets() -> None:
    result = reduce_description(
        "<table><tr><td>Material</td><td>Cotton</td></tr><tr><td>Care</td><td>Hand wash</td></tr></table>"
    )
    assert result.html == "<ul><li>Material: Cotton</li><li>Care: Hand wash</li></ul>"


def test_irregular_table_keeps_header_row_so_no_word_is_lost() -> None:
    source = "<table><tr><th>Size</th><th>Chest</th><th>Note</th></tr><tr><td>S</td><td>90</td></tr></table>"
    result = reduce_description(source)
    assert result.html == "<ul><li><strong>Size | Chest | Note</strong></li><li>S: 90</li></ul>"
    assert_no_word_lost(source, result.html)


def test_plain_text_with_blank_lines_becomes_paragraphs() -> None:
    result = reduce_description("First line\nsecond line\n\nNew paragraph")
    assert result.html == "<p>First line<br>second line</p><p>New paragraph</p>"


def test_unbalanced_markup_and_entities() -> None:
    result = reduce_description("<p>Caf&eacute; <b>bold <i>both</b> tail<p>Next &lt;tag&gt; &quot;q&quot;")
    assert result.html == '<p>Café <strong>bold both</strong> tail</p><p>Next &lt;tag&gt; "q"</p>'


def test_uploaded_images_use_tiktok_url_and_size_others_are_pending() -> None:
    # given one image already uploaded and one not
    uploaded = DescriptionImage(
        url="https://p16-oec-va.ibyteimg.com/tos/abc~tplv.jpeg", width=800, height=600
    )
    source = '<p>Look</p><img src="//cdn.shop.com/a.jpg"><img src="https://cdn.shop.com/b.jpg" width="10">'
    # when reduced
    result = reduce_description(source, image_map={"https://cdn.shop.com/a.jpg": uploaded})
    # then the uploaded one carries TikTok's url and size, the other is reported, not dropped
    assert result.html == (
        '<p>Look</p><img src="https://p16-oec-va.ibyteimg.com/tos/abc~tplv.jpeg" width="800" height="600">'
        '<img src="https://cdn.shop.com/b.jpg" width="10">'
    )
    assert result.pending_image_urls == ["https://cdn.shop.com/b.jpg"]
    assert "1 description image(s) still need uploading to TikTok." in result.notes


def test_images_beyond_the_limit_are_dropped_with_a_note() -> None:
    source = "".join(f'<img src="https://cdn.shop.com/{i}.jpg">' for i in range(5))
    result = reduce_description(source, max_images=3)
    assert result.html.count("<img") == 3
    assert "Only the first 3 description images are kept (TikTok's limit)." in result.notes
    assert "4.jpg" not in result.html


def test_long_description_is_cut_at_a_word_boundary_with_a_note() -> None:
    # given a description far above the limit
    source = "<p>" + " ".join(f"word{i}" for i in range(400)) + "</p><p>never shown</p>"
    # when reduced to 1,000 characters
    result = reduce_description(source, max_length=1000)
    # then it fits, ends on a whole word plus an ellipsis, and the cut is reported
    assert len(result.html) <= 1000
    assert result.html.startswith("<p>word0 word1 ")
    assert re.search(r" word\d+ …</p>$", result.html)
    assert "never shown" not in result.html
    assert any(
        n.startswith("The description was shortened to TikTok's 1000-character limit") for n in result.notes
    )


def test_empty_and_invisible_descriptions_give_empty_html() -> None:
    assert reduce_description("").html == ""
    result = reduce_description("<script>x()</script><style>p{}</style>")
    assert result.html == ""
    assert "The description has no text or images TikTok can show." in result.notes


def test_every_shopify_sample_body_keeps_all_its_words(shared_data: Path) -> None:
    products = shopify_products(shared_data)
    assert len(products) == 60
    for item in products:
        result = reduce_description(item.description_html)
        assert set(visible(result.html).tags) <= ALLOWED_TAGS, item.handle
        assert_no_word_lost(item.description_html, result.html)


_FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<ul>",
        "</ul>",
        "<ol>",
        "</ol>",
        "<li>",
        "</li>",
        "<b>",
        "</b>",
        "<em>",
        "</em>",
        "<br>",
        "<h3>",
        "</h3>",
        "<span style='x'>",
        "</span>",
        "<table><tr><td>",
        "</td><td>",
        "</td></tr></table>",
        "<a href='#'>",
        "</a>",
        "&amp;",
        "&nbsp;",
        " ",
        "\n",
    ]
)
_WORDS = st.from_regex(r"[A-Za-z]{1,8}", fullmatch=True)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(_FRAGMENTS, _WORDS.map(lambda w: f" {w} ")), max_size=40))
def test_property_random_markup_keeps_words_and_uses_only_allowed_tags(parts: list[str]) -> None:
    source = "".join(parts)
    result = reduce_description(source)
    assert set(visible(result.html).tags) <= ALLOWED_TAGS
    assert_no_word_lost(source, result.html)
    assert len(result.html) <= 10_000


@settings(max_examples=60, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=300), st.integers(min_value=40, max_value=600))
def test_property_length_limit_is_always_respected(text_words: list[str], limit: int) -> None:
    result = reduce_description("<p>" + " ".join(text_words) + "</p>", max_length=limit)
    assert len(result.html) <= limit
    kept = re.findall(r"\w+", " ".join(visible(result.html).text))
    assert kept == text_words[: len(kept)]  # a prefix of whole words, never a cut word


def test_pathologically_deep_markup_does_not_overflow() -> None:
    source = "<span><b>" * 3000 + "deep text" + "</b></span>" * 10
    result = reduce_description(source)
    assert result.html == "<p><strong>deep text</strong></p>"
