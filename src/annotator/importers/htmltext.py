"""HTML to text without recursion: the parsing guard and the tree walker shared by the HTML
importer and Markdown's raw HTML blocks.

Parsed with selectolax's lexbor parser; nothing is fetched and nothing is run. Scripts, styles,
embedded objects, forms, navigation, page headers and footers, asides and hidden elements are
left out. Block elements become paragraphs separated by one blank line; inside lists and tables
items and rows become lines. Emphasis (<em>, <i>), strong (<strong>, <b>), code, links and
headings are kept as formatting markers (`importers.formatting`). The tree is walked with an
explicit stack, never by recursion, and pages nested so deeply that parsing them would take
minutes are refused before parsing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from annotator.domain.formatting import FormatKind
from annotator.importers.base import ImportRefused
from annotator.importers.common import words
from annotator.importers.formatting import (
    CLOSE,
    HTML_INLINE_FORMATS,
    has_markers,
    is_blank,
    opener,
    strip_marked,
)

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

SKIP = words(
    "head script style noscript template iframe frame frameset object embed applet svg math "
    "canvas nav aside footer form button select textarea input label option datalist img "
    "picture video audio source track map area dialog meta link base title"
)
BLOCK = words(
    "address article blockquote body caption center details div fieldset figcaption figure "
    "h1 h2 h3 h4 h5 h6 header hgroup hr html main p pre section summary legend"
)
LINE = words("li dt dd tr tbody thead tfoot menu")
CONTAINER = words("ul ol dl table")
_OPTIONAL_END = words(
    "p li dt dd tr td th option optgroup rb rt rp thead tbody tfoot html head body colgroup caption"
)
_VOID = words("area base br col embed hr img input link meta source track wbr")
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)[^<>]*?(/?)>")
_SPACE = re.compile(r"[ \t\n\r\f]+")
_INLINE_FORMAT = HTML_INLINE_FORMATS
_HEADINGS = {f"h{level}": FormatKind.heading(level) for level in range(1, 7)}
_MARKERS = re.compile("[\ufde0-\ufdef]")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

_LINK_END = "a "
"""The end of a link that was marked (an element name no element has)."""
_FORMAT_END = {tag: tag + " " for tag in (*_INLINE_FORMAT, *_HEADINGS)}
"""The ends of formatting elements that were marked, told apart from the same elements'
ends when nothing was marked (a name with a space is no element's)."""
_FORMAT_ENDS = frozenset({_LINK_END, *_FORMAT_END.values()})

MAX_NESTING_COST = 200_000_000
"""Sum over block elements of their depth: lexbor's parse time grows with it (~2 ns a unit)."""


def _nesting(text: str) -> tuple[int, int]:
    """(cost, deepest level) of the element tree, estimated from the tags alone in linear time."""
    depth = deepest = cost = 0
    for match in _TAG.finditer(text):
        name = match.group(2).lower()
        if name in _VOID or name in _OPTIONAL_END or match.group(3):
            continue
        if match.group(1):
            depth = max(0, depth - 1)
            continue
        depth += 1
        deepest = max(deepest, depth)
        if name in BLOCK or name in CONTAINER:
            cost += depth
    return cost, deepest


def parse_html(text: str, file_name: str) -> LexborHTMLParser:
    from selectolax.lexbor import LexborHTMLParser

    cost, deepest = _nesting(text)
    if cost > MAX_NESTING_COST:
        raise ImportRefused(
            f"{file_name}: its elements are nested {deepest:,} levels deep, "
            "which no real page needs, so it is refused as broken or hostile."
        )
    try:
        return LexborHTMLParser(text)
    except (RecursionError, MemoryError, ValueError, RuntimeError) as exc:
        raise ImportRefused(f"{file_name}: the HTML could not be parsed ({exc}).") from exc


def _hidden(node: LexborNode) -> bool:
    attrs = node.attributes
    if not attrs:
        return False
    return (
        "hidden" in attrs
        or (attrs.get("aria-hidden") or "").lower() == "true"
        or (attrs.get("role") or "").lower() in ("navigation", "banner", "contentinfo")
        or bool(_HIDDEN_STYLE.search(attrs.get("style") or ""))
    )


def _resolve(href: str, base: str) -> str:
    href = href.strip()
    if href.lower().startswith(("http://", "https://")) or not base:
        return href
    try:
        return urljoin(base, href)
    except ValueError:
        return ""


class _Text:
    """Paragraphs under construction, with whitespace collapsed as a browser shows it."""

    def __init__(self, marked: bool = False) -> None:
        self.marked = marked
        """Formatting markers may be in the text (else marker characters are the source's)."""
        self.paragraphs: list[str] = []
        self.buf: list[str] = []
        self.line_has_text = False
        self.space = True  # at a line start or after a space: leading spaces are dropped
        self.marker = False  # the current line holds only a list marker so far
        self.marker_at = 0  # where that list marker is in `buf`

    def add(self, text: str, pre: bool = False) -> None:
        if not pre:
            text = _SPACE.sub(" ", text)
            text = text.lstrip(" ") if self.space else text
        if text:
            self.buf.append(text)
            self.line_has_text = self.line_has_text or not text.isspace()
            self.space = text[-1].isspace()
            self.marker = False

    def mark(self, text: str, list_item: bool = False) -> None:
        """A list marker or a cell separator, written as it is."""
        if list_item and self.marker:
            del self.buf[self.marker_at]  # the previous item was empty
        self.buf.append(text)
        self.space = True
        self.marker = list_item
        self.marker_at = len(self.buf) - 1

    def format(self, marker: str) -> None:
        """A formatting marker: no text, so it changes nothing of the spacing."""
        self.buf.append(marker)

    def newline(self) -> None:
        if self.line_has_text:
            self.buf.append("\n")
            self.line_has_text = False
            self.space = True

    def flush(self) -> None:
        if self.marker:
            del self.buf[self.marker_at]
        joined = "".join(self.buf)
        self.buf.clear()
        self.line_has_text = self.marker = False
        self.space = True
        if not (self.marked and has_markers(joined)):
            chunk = "\n".join(line.rstrip() for line in joined.split("\n")).strip("\n")
            if chunk.strip():
                self.paragraphs.append(chunk)
            return
        lines = joined.split("\n")
        chunk = strip_marked("\n".join(strip_marked(line, left=False) for line in lines), "\n")
        if not is_blank(chunk):
            self.paragraphs.append(chunk)
        else:  # no text, but formatting that opens or closes here: it goes on to the next one
            self.buf.append("".join(_MARKERS.findall(chunk)))


def extract(
    root: LexborNode, base_url: str = "", *, marked: bool = False
) -> tuple[list[str], list[str]]:
    """Paragraphs and link targets under `root`, walked iteratively (no recursion); with
    `marked`, formatting markers around emphasis, headings... (see `importers.formatting`).

    Outside lists and tables every block element starts a paragraph; inside them, list items,
    table rows and the blocks within them start a line, so a list or table is one paragraph."""
    out = _Text(marked)
    links: list[str] = []
    lists: list[int | None] = []  # next number of each open <ol>, None for <ul>
    pre = inside = containers = 0  # inside: depth of <article>/<main> elements
    stack: list[LexborNode | str] = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, str):  # the end of an element
            if item in _FORMAT_ENDS:
                out.format(CLOSE)  # before a heading's paragraph ends
                item = item[:-1]
            pre -= item == "pre"
            inside -= item in ("article", "main")
            if item in CONTAINER:
                containers -= 1
                if item in ("ul", "ol"):
                    lists.pop()
            if item in BLOCK or item in LINE or item in CONTAINER:
                out.newline() if containers else out.flush()
            continue
        tag = item.tag or ""
        if tag == "-text":
            out.add(item.text_content or "", bool(pre))
            continue
        if tag.startswith(("-", "!")) or tag in SKIP or _hidden(item):
            continue
        if tag == "header" and not inside:
            continue  # the page's header (logo, menu); an article's own header is kept
        if tag == "br":
            out.newline()
            continue
        if tag in ("td", "th") and out.line_has_text:
            out.mark(" | ")
        end = tag
        if tag == "a" and (href := (item.attributes.get("href") or "")):
            links.append(_resolve(href, base_url))
            if marked:
                out.format(opener(FormatKind.LINK))
                end = _LINK_END
        if tag in BLOCK or tag in LINE or tag in CONTAINER:
            out.newline() if containers else out.flush()
        if marked and (kind := _INLINE_FORMAT.get(tag) or _HEADINGS.get(tag)):
            out.format(opener(kind))
            end = _FORMAT_END[tag]
        if tag == "li":
            number = lists[-1] if lists else None
            mark = "•" if number is None else f"{number}."
            if lists and number is not None:
                lists[-1] = number + 1
            out.mark("  " * max(0, len(lists) - 1) + mark + " ", list_item=True)
        if tag in CONTAINER:
            containers += 1
            if tag in ("ul", "ol"):
                start = item.attributes.get("start") or "1" if tag == "ol" else None
                lists.append(int(start) if start and start.isdigit() else None)
        pre += tag == "pre"
        inside += tag in ("article", "main")
        stack.append(end)
        stack.extend(reversed(list(item.iter(include_text=True))))
    out.flush()
    return out.paragraphs, links


def html_to_text(html: str, file_name: str, *, marked: bool = False) -> tuple[str, list[str]]:
    """Text and links of an HTML snippet (Markdown's raw HTML blocks)."""
    tree = parse_html(html, file_name)
    root = tree.body or tree.root
    paragraphs, links = extract(root, marked=marked) if root is not None else ([], [])
    return "\n\n".join(paragraphs), links
