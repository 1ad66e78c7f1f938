"""Reduce a store's product HTML to the subset TikTok Shop displays.

§8.8 ``description``: HTML, at most 10,000 characters, at most 30 ``<img>`` each with ``src``,
``width`` and ``height`` and only TikTok-hosted image URLs. The older doc allows only
``<p> <img> <ul> <ol> <li> <br> <strong> <b> <i> <em> <u>``, no nesting, inline tags only inside
``<p>``/``<li>``; the newer doc accepts every tag but converts some (a ``<table>`` becomes an
image). We emit the older, stricter subset so the result renders the same under both:

* paragraphs ``<p>`` with ``<br>`` and one level of ``<strong>`` / ``<em>`` / ``<u>``;
* bullet lists ``<ul><li>`` (ordered lists become bullets whose text keeps "1.", nested lists are
  flattened, "– " marking the nested items);
* ``<img src width height>`` at top level;
* tables become one bullet per row ("Header: value; Header: value", or "Key: value" for two-column
  spec tables), headings become bold paragraphs, scripts/styles/forms are dropped.

Nothing visible is lost silently: every transformation adds a note, and truncation to the length
limit happens at a word boundary with a note saying how many words were cut.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser

import nh3

from .types import DescriptionImage

ALLOWED_TAGS = frozenset({"p", "br", "ul", "li", "img", "strong", "em", "u"})
ALLOWED_ATTRIBUTES = {"img": {"src", "width", "height"}}
MAX_LENGTH = 10_000  # §8.8
MAX_IMAGES = 30  # §8.8
MAX_DEPTH = 150

VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
# Not visible on a product page (or not representable): dropped with a note.
DROPPED_TAGS = frozenset(
    {"script", "style", "noscript", "template", "head", "title", "iframe", "object", "embed", "svg", "canvas"}
    | {"video", "audio", "select", "textarea", "input", "button", "form", "map", "math"}
)
BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "aside", "header", "footer", "main", "nav", "blockquote", "address"}
    | {"figure", "figcaption", "dl", "dt", "dd", "pre", "hr", "center", "fieldset", "legend", "details"}
    | {"summary", "body", "html", "caption"}
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
FORMAT_TAGS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "u": "u"}
LIST_TAGS = frozenset({"ul", "ol", "menu"})
_SILENT_INLINE = frozenset(
    {"span", "a", "font", "small", "big", "sub", "sup", "abbr", "cite", "q", "s", "strike", "del"}
)
_CLOSES_P = BLOCK_TAGS | HEADING_TAGS | LIST_TAGS | {"table"}
_HTMLISH = re.compile(r"<\s*(p|div|br|ul|ol|li|table|h[1-6]|section|article)\b", re.IGNORECASE)


@dataclass(frozen=True)
class DescriptionResult:
    html: str
    notes: list[str] = field(default_factory=list)
    pending_image_urls: list[str] = field(default_factory=list)  # still to upload as DESCRIPTION_IMAGE


# ---------------------------------------------------------------------------------------------
# Parsing: a tolerant tree (store HTML is often unbalanced)
# ---------------------------------------------------------------------------------------------


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str]
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities (&amp; &nbsp; &#8217;) become characters
        self.root = _Node("#root", {})
        self.stack: list[_Node] = [self.root]

    def _open_index(self, tag: str, *, stop_at: Iterable[str] = ()) -> int | None:
        stops = set(stop_at)
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                return i
            if self.stack[i].tag in stops:
                return None
        return None

    def _close_implicit(self, tag: str) -> None:
        """HTML's optional end tags: a new <li>/<tr>/<td> or a block inside <p> closes the old one."""
        scopes = {
            "li": ("li", LIST_TAGS),
            "tr": ("tr", {"table"}),
            "td": ("td", {"tr", "table"}),
            "th": ("th", {"tr", "table"}),
            "dt": ("dt", {"dl"}),
            "dd": ("dd", {"dl"}),
        }
        targets = []
        if tag in scopes:
            targets.append(scopes[tag])
        if tag in ("td", "th"):
            targets.append(("td" if tag == "th" else "th", {"tr", "table"}))
        if tag in _CLOSES_P:
            targets.append(("p", {"li", "td", "th", "div"}))
        for name, stops in targets:
            index = self._open_index(name, stop_at=stops)
            if index is not None:
                del self.stack[index:]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._close_implicit(tag)
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        # Past MAX_DEPTH, deeper elements stay empty and their content joins the parent: the walk is
        # recursive and pathological markup (thousands of unclosed <span>) must not overflow it.
        if tag not in VOID_TAGS and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        index = self._open_index(tag)
        if index is not None:
            del self.stack[index:]
        elif tag == "br":  # "</br>" is treated as <br> by browsers
            self.stack[-1].children.append(_Node("br", {}))

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(source: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


def _plain_text_to_html(source: str) -> str:
    """Text without block markup (WooCommerce stores wpautop-less text): blank line = paragraph."""
    paragraphs = re.split(r"\n\s*\n", source.strip())
    return "".join("<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs if p.strip())


# ---------------------------------------------------------------------------------------------
# Blocks: the intermediate form that maps 1:1 onto TikTok's subset
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    text: str = ""
    fmt: str | None = None  # "strong" / "em" / "u" or None
    is_break: bool = False


_BR = _Run(is_break=True)  # a line break inside a paragraph or list item
Inline = list[_Run]


@dataclass
class _Paragraph:
    runs: Inline


@dataclass
class _List:
    items: list[Inline]


@dataclass
class _Image:
    src: str
    width: str | None
    height: str | None


Block = _Paragraph | _List | _Image


def _normalise_inline(runs: Inline) -> Inline:
    """Collapse whitespace like a browser, trim around line breaks, drop empty runs."""
    out: Inline = []
    for run in runs:
        if run.is_break:
            _strip_trailing_space(out)
            if out and not out[-1].is_break:  # a leading or doubled <br> shows nothing
                out.append(_BR)
            continue
        text = re.sub(r"\s+", " ", run.text)
        if not out or out[-1].is_break or out[-1].text.endswith(" "):
            text = text.lstrip()
        if text and out and not out[-1].is_break and out[-1].fmt == run.fmt:
            out[-1] = _Run(out[-1].text + text, run.fmt)  # "<b>a </b><b>b</b>" -> one run
        elif text:
            out.append(_Run(text, run.fmt))
    while out and out[-1].is_break:
        out.pop()
        _strip_trailing_space(out)
    _strip_trailing_space(out)
    return out


def _strip_trailing_space(out: Inline) -> None:
    while out and not out[-1].is_break and not out[-1].text.strip():
        out.pop()
    if out and not out[-1].is_break:
        out[-1] = _Run(out[-1].text.rstrip(), out[-1].fmt)


def _inline_text(runs: Inline) -> str:
    return " ".join(" ".join(r.text for r in _normalise_inline(runs) if not r.is_break).split())


class _Reducer:
    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current: Inline = []
        self.notes: dict[str, None] = {}  # ordered set

    def note(self, text: str) -> None:
        self.notes.setdefault(text, None)

    def flush(self) -> None:
        runs = _normalise_inline(self.current)
        if runs:
            self.blocks.append(_Paragraph(runs))
        self.current = []

    # -- walking ------------------------------------------------------------------------------

    def walk(self, node: _Node | str, fmt: str | None = None, *, pre: bool = False) -> None:
        if isinstance(node, str):
            self._text(node, fmt, pre=pre)
            return
        tag = node.tag
        if tag in DROPPED_TAGS:
            self.note(f"Removed <{tag}> content (not shown on TikTok).")
        elif tag == "#root":
            self._children(node, fmt, pre=pre)
        elif tag == "br":
            self.current.append(_BR)
        elif tag == "img":
            self.flush()
            self._image(node)
        elif tag in LIST_TAGS:
            self.flush()
            self.blocks.append(_List(self._list_items(node)))
        elif tag == "table":
            self.flush()
            self._table(node)
        elif tag in HEADING_TAGS:
            self.flush()
            self.note("Headings became bold paragraphs.")
            self._children(node, "strong", pre=pre)
            self.flush()
        elif tag in BLOCK_TAGS:
            self.flush()
            if tag == "hr":
                return
            self._children(node, fmt, pre=pre or tag == "pre")
            self.flush()
        else:
            self._inline_tag(node, fmt, pre=pre)

    def _children(self, node: _Node, fmt: str | None, *, pre: bool = False) -> None:
        for child in node.children:
            self.walk(child, fmt, pre=pre)

    def _text(self, text: str, fmt: str | None, *, pre: bool) -> None:
        if not pre:
            self.current.append(_Run(text, fmt))
            return
        for i, line in enumerate(text.split("\n")):  # <pre>: keep its line breaks
            if i:
                self.current.append(_BR)
            self.current.append(_Run(line, fmt))

    def _inline_tag(self, node: _Node, fmt: str | None, *, pre: bool) -> None:
        mapped = FORMAT_TAGS.get(node.tag)
        if node.tag == "a" and node.attrs.get("href"):
            self.note("Links were removed (their text is kept): TikTok descriptions cannot link out.")
        elif node.tag not in FORMAT_TAGS and node.tag not in _SILENT_INLINE:
            self.note(f"<{node.tag}> was reduced to its text.")
        # TikTok allows no nesting, so only the outermost emphasis survives.
        self._children(node, fmt or mapped, pre=pre)

    def _image(self, node: _Node) -> None:
        src = node.attrs.get("src", "").strip()
        if not src or src.startswith("data:"):
            self.note("An image without a usable address (missing or embedded data) was removed.")
            return
        if src.startswith("//"):
            src = "https:" + src
        self.blocks.append(_Image(src, node.attrs.get("width"), node.attrs.get("height")))

    # -- lists --------------------------------------------------------------------------------

    def _list_items(self, node: _Node, depth: int = 0) -> list[Inline]:
        ordered = node.tag == "ol"
        if ordered:
            self.note("Numbered lists became bullet lists (the numbers are kept in the text).")
        if depth:
            self.note("Nested lists were flattened into one list.")
        try:
            number = int(node.attrs.get("start", "1"))
        except ValueError:
            number = 1
        items: list[Inline] = []
        loose: list[_Node | str] = []  # text directly inside <ul> (invalid HTML, but visible)
        for child in [*node.children, None]:
            if isinstance(child, _Node) and child.tag in ("li", *LIST_TAGS) or child is None:
                if loose:
                    items.append(self._prefix(self._collect_inline(loose), depth, None))
                    loose = []
            else:
                loose.append(child)
                continue
            if child is None:
                break
            if child.tag == "li":
                items.extend(self._list_item(child, depth, f"{number}." if ordered else None))
                number += 1
            else:
                items.extend(self._list_items(child, depth + 1))
        return [i for i in items if _normalise_inline(i)]

    def _list_item(self, li: _Node, depth: int, number: str | None) -> list[Inline]:
        """The item's own text (inline markup kept together) followed by its nested items."""
        own: list[_Node | str] = []
        nested: list[Inline] = []
        for child in li.children:
            if isinstance(child, _Node) and child.tag in LIST_TAGS:
                nested.extend(self._list_items(child, depth + 1))
            else:
                own.append(child)
        return [self._prefix(self._collect_inline(own), depth, number), *nested]

    @staticmethod
    def _prefix(runs: Inline, depth: int, number: str | None) -> Inline:
        marker = ("– " if depth else "") + (f"{number} " if number else "")
        return [_Run(marker), *runs] if marker else runs

    def _collect_inline(self, nodes: list[_Node | str]) -> Inline:
        """Flatten any markup (paragraphs, tables, images) inside a list item into inline runs."""
        sub = _Reducer()
        for node in nodes:
            sub.walk(node)
        sub.flush()
        for text in sub.notes:
            self.note(text)
        runs: Inline = []
        for block in sub.blocks:
            if runs:
                runs.append(_BR)
            if isinstance(block, _Paragraph):
                runs.extend(block.runs)
            elif isinstance(block, _List):
                for i, item in enumerate(block.items):
                    if i:
                        runs.append(_BR)
                    runs.extend(item)
            else:  # images cannot sit inside a list item: move them below the list
                self.blocks.append(block)
                self.note("Images inside list items were moved below the list.")
        return runs

    # -- tables -------------------------------------------------------------------------------

    def _rows(self, node: _Node) -> list[tuple[list[str], bool]]:
        """(cell texts, is_header_row) for every row, in order, including thead/tbody/tfoot."""
        rows: list[tuple[list[str], bool]] = []
        for child in node.children:
            if not isinstance(child, _Node):
                continue
            if child.tag in ("thead", "tbody", "tfoot"):
                rows.extend((cells, header or child.tag == "thead") for cells, header in self._rows(child))
            elif child.tag == "tr":
                cells = [c for c in child.children if isinstance(c, _Node) and c.tag in ("td", "th")]
                texts = [_inline_text(self._collect_inline(c.children)) for c in cells]
                header = bool(cells) and all(c.tag == "th" for c in cells)
                rows.append((texts, header))
            elif child.tag == "caption":
                self.blocks.append(
                    _Paragraph([_Run(_inline_text(self._collect_inline(child.children)), "strong")])
                )
        return rows

    def _table(self, node: _Node) -> None:
        rows = [(cells, header) for cells, header in self._rows(node) if any(cells)]
        if not rows:
            return
        self.note("A table was turned into bullet lines (TikTok shows tables as images).")
        header: list[str] | None = rows[0][0] if rows[0][1] and len(rows) > 1 else None
        body = [cells for cells, _ in (rows[1:] if header else rows)]
        items: list[Inline] = []
        if header and not _header_fits(header, body):
            # Irregular table: "Header: value" would drop header words, so show the header row.
            items.append([_Run(" | ".join(c for c in header if c), "strong")])
            header = None
        items.extend([_Run(self._row_text(cells, header))] for cells in body)
        self.blocks.append(_List([i for i in items if i[0].text]))

    @staticmethod
    def _row_text(cells: list[str], header: list[str] | None) -> str:
        if header and len(header) == len(cells):
            parts = [f"{h}: {c}" if h else c for h, c in zip(header, cells, strict=True) if c]
            return "; ".join(parts)
        filled = [c for c in cells if c]
        if len(cells) == 2 and all(filled) and len(filled) == 2:
            return f"{filled[0]}: {filled[1]}"
        return " | ".join(filled)


def _header_fits(header: list[str], body: list[list[str]]) -> bool:
    """True when every header cell will appear in some "Header: value" line."""
    if any(len(cells) != len(header) for cells in body):
        return False
    return all(not h or any(cells[i] for cells in body) for i, h in enumerate(header))


# ---------------------------------------------------------------------------------------------
# Rendering, images, length
# ---------------------------------------------------------------------------------------------


def _render_inline(runs: Inline) -> str:
    out = []
    for run in runs:
        if run.is_break:
            out.append("<br>")
            continue
        escaped = html.escape(run.text, quote=False)
        out.append(f"<{run.fmt}>{escaped}</{run.fmt}>" if run.fmt else escaped)
    return "".join(out)


def _render(block: Block) -> str:
    if isinstance(block, _Paragraph):
        return f"<p>{_render_inline(block.runs)}</p>"
    if isinstance(block, _List):
        return "<ul>" + "".join(f"<li>{_render_inline(item)}</li>" for item in block.items) + "</ul>"
    attrs = f'src="{html.escape(block.src, quote=True)}"'
    if block.width:
        attrs += f' width="{html.escape(block.width)}"'
    if block.height:
        attrs += f' height="{html.escape(block.height)}"'
    return f"<img {attrs}>"


def _resolve_images(
    blocks: list[Block], image_map: Mapping[str, DescriptionImage], max_images: int, notes: _Reducer
) -> tuple[list[Block], list[str]]:
    out: list[Block] = []
    pending: list[str] = []
    count = 0
    for block in blocks:
        if not isinstance(block, _Image):
            out.append(block)
            continue
        count += 1
        if count > max_images:
            notes.note(f"Only the first {max_images} description images are kept (TikTok's limit).")
            continue
        uploaded = image_map.get(block.src)
        if uploaded is None:
            pending.append(block.src)
            out.append(block)
        else:
            out.append(_Image(uploaded.url, str(uploaded.width), str(uploaded.height)))
    if pending:
        notes.note(f"{len(pending)} description image(s) still need uploading to TikTok.")
    return out, pending


def _words(runs: Inline) -> Inline:
    """Split runs into word tokens (keeping separators) so text can be cut at a word boundary."""
    tokens: Inline = []
    for run in runs:
        if run.is_break:
            tokens.append(run)
        else:
            tokens.extend(_Run(part, run.fmt) for part in re.findall(r"\s*\S+", run.text))
    return tokens


def _truncate_runs(runs: Inline, budget: int, wrap: str) -> tuple[Inline, int] | None:
    """The longest word prefix of ``runs`` whose rendering (inside ``wrap``) fits ``budget``."""
    tokens = _words(runs)
    lo, hi, best = 1, len(tokens), None
    while lo <= hi:  # rendered length grows with the number of tokens kept
        mid = (lo + hi) // 2
        kept = _normalise_inline([*tokens[:mid], _Run(" …")])
        if len(wrap.format(_render_inline(kept))) <= budget:
            best, lo = (kept, len(tokens) - mid), mid + 1
        else:
            hi = mid - 1
    return best


def _fit(blocks: list[Block], max_length: int, notes: _Reducer) -> list[Block]:
    out: list[Block] = []
    used = 0
    for index, block in enumerate(blocks):
        rendered = _render(block)
        if used + len(rendered) <= max_length:
            out.append(block)
            used += len(rendered)
            continue
        budget = max_length - used
        cut_words = _cut_block(block, budget, out)
        remaining = sum(_visible_word_count(b) for b in blocks[index + 1 :])
        notes.note(
            f"The description was shortened to TikTok's {max_length}-character limit at a word boundary; "
            f"{cut_words + remaining} word(s) at the end were cut."
        )
        break
    return out


def _visible_word_count(block: Block) -> int:
    if isinstance(block, _Paragraph):
        return len(_inline_text(block.runs).split())
    if isinstance(block, _List):
        return sum(len(_inline_text(i).split()) for i in block.items)
    return 0


def _cut_block(block: Block, budget: int, out: list[Block]) -> int:
    """Append the part of ``block`` that fits ``budget``; return how many words were cut."""
    total = _visible_word_count(block)
    if isinstance(block, _Paragraph):
        fitted = _truncate_runs(block.runs, budget, "<p>{}</p>")
        if fitted is None:
            return total
        out.append(_Paragraph(fitted[0]))
        return fitted[1]
    if isinstance(block, _List):
        items: list[Inline] = []
        used = len("<ul></ul>")
        for item in block.items:
            rendered = f"<li>{_render_inline(item)}</li>"
            if used + len(rendered) <= budget:
                items.append(item)
                used += len(rendered)
                continue
            fitted = _truncate_runs(item, budget - used, "<li>{}</li>")
            if fitted is not None:
                items.append(fitted[0])
            break
        if items:
            out.append(_List(items))
        return total - _visible_word_count(_List(items))
    return 0


def reduce_description(
    source_html: str,
    *,
    max_length: int = MAX_LENGTH,
    max_images: int = MAX_IMAGES,
    image_map: Mapping[str, DescriptionImage] | None = None,
) -> DescriptionResult:
    """Store HTML -> TikTok description HTML, with notes on every transformation.

    ``image_map`` maps a store image URL to its uploaded TikTok copy; unmapped images keep their
    store URL and are listed in ``pending_image_urls`` (TikTok accepts only its own image URLs).
    """
    source = source_html or ""
    if source.strip() and not _HTMLISH.search(source) and "\n" in source.strip():
        source = _plain_text_to_html(source)
    reducer = _Reducer()
    reducer.walk(_parse(source))
    reducer.flush()
    blocks, pending = _resolve_images(reducer.blocks, image_map or {}, max_images, reducer)
    blocks = _fit(blocks, max_length, reducer)
    rendered = "".join(_render(b) for b in blocks)
    cleaned = nh3.clean(
        rendered,
        tags=set(ALLOWED_TAGS),
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes={"http", "https"},
        link_rel=None,
        strip_comments=True,
    )
    if not cleaned and source.strip():
        reducer.note("The description has no text or images TikTok can show.")
    return DescriptionResult(cleaned, list(reducer.notes), pending)
