"""Clean a store title into a TikTok product title (§8.8 ``title``, §14.2 lengths).

TikTok rejects (12052931) titles with HTML escapes, emoji, control characters, only symbols, or a
character repeated more than 9 times, and (12052262) titles with Chinese characters. We remove what
can be removed without changing meaning (tags, entities, control characters, emoji, long repeats)
and report what cannot (too short, Chinese text) as FieldErrors with a fix.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field

from shopbridge.core.errors import FieldError

from .types import RegionRules

_TAG = re.compile(r"<[^>]*>")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Han ideographs (Chinese)
_REPEAT = re.compile(r"(.)\1{9,}")  # a character repeated more than 9 times
_EMOJI_RANGES = re.compile(
    "[\U0001f000-\U0001faff\U00002600-\U000027bf\U0001f900-\U0001f9ff\u2b00-\u2bff\ufe0f\u200d]"
)


@dataclass(frozen=True)
class TitleResult:
    title: str
    notes: list[str] = field(default_factory=list)
    errors: list[FieldError] = field(default_factory=list)


def _strip_unwanted(text: str) -> tuple[str, list[str]]:
    notes = []
    cleaned = html.unescape(_TAG.sub(" ", text))
    if cleaned != text:
        notes.append("HTML tags/entities were removed from the title.")
    without_controls = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in cleaned)
    without_emoji = _EMOJI_RANGES.sub("", without_controls)
    if without_emoji != without_controls:
        notes.append("Emoji were removed from the title (TikTok rejects them).")
    shortened = _REPEAT.sub(lambda m: m.group(1) * 9, without_emoji)
    if shortened != without_emoji:
        notes.append("A character repeated more than 9 times was shortened to 9.")
    return " ".join(shortened.split()), notes


def cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at the last space when there is one in the second half."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" -,;:/|")


def clean_title(raw: str, region: RegionRules, *, field_name: str = "title") -> TitleResult:
    title, notes = _strip_unwanted(raw or "")
    errors: list[FieldError] = []
    if len(title) > region.title_max:
        shortened = cut_at_word(title, region.title_max)
        notes.append(
            f"The title was shortened from {len(title)} to {len(shortened)} characters at a word boundary."
        )
        title = shortened
    if len(title) < region.title_min:
        errors.append(
            FieldError(
                field=field_name,
                code="title_too_short",
                reason=(
                    f"TikTok Shop {region.name} needs a title of at least {region.title_min} characters; "
                    f"this one has {len(title)}."
                ),
                fix="Write a longer, descriptive title (brand, product type, key feature) in your store or in the listing.",
                extra={"min": region.title_min, "length": len(title)},
            )
        )
    if _CJK.search(title):
        errors.append(
            FieldError(
                field=field_name,
                code="title_has_chinese",
                reason="TikTok Shop rejects Chinese characters in product titles.",
                fix=f"Translate the title into the shop's language ({region.locale}).",
            )
        )
    if title and not any(ch.isalnum() for ch in title):
        errors.append(
            FieldError(
                field=field_name,
                code="title_symbols_only",
                reason="The title contains only symbols.",
                fix="Use words that describe the product.",
            )
        )
    return TitleResult(title, notes, errors)
