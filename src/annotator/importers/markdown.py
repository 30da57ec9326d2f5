"""Markdown (.md, .markdown) rendered to readable text from markdown-it-py's token stream.

Headings, emphasis, link and image syntax disappear (link text stays, images go) and become
formatting spans over the text (headings, emphasis, strong, code, links; see
`importers.formatting`); list items stay one per line with a bullet or their number; code stays
as text; raw HTML is reduced to its text (never run, nothing fetched). Blocks are separated by
one blank line. http(s) link targets become candidate evidence URLs. A YAML-style front matter
block gives title, author, date, url and the day the page was read (`accessed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from annotator.domain.formatting import FormatKind
from annotator.importers.base import ImportedText, register
from annotator.importers.common import clean_text, finish, words
from annotator.importers.encoding import decode_text
from annotator.importers.formatting import (
    CLOSE,
    HTML_INLINE_FORMATS,
    can_mark,
    is_blank,
    opener,
    remove_markers,
    split_formats,
)
from annotator.importers.metadata import guess_metadata, parse_date, parse_day, split_authors

if TYPE_CHECKING:
    from markdown_it.token import Token

_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n(?P<body>(?:.{0,500}\n){0,60}?)(?:---|\.\.\.)[ \t]*(?:\n|\Z)"
)
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_]+)\s*:\s*(?P<value>.*?)\s*$")
_HTML_TAG = re.compile(r"^<\s*(/?)\s*([a-zA-Z][\w-]*)")
_INLINE_OPEN = {
    "em_open": FormatKind.EMPHASIS,
    "strong_open": FormatKind.STRONG,
    "link_open": FormatKind.LINK,
}
_INLINE_CLOSE = frozenset({"em_close", "strong_close", "link_close"})
_SKIP_HTML = words("script style template iframe object embed svg math noscript")


@dataclass
class _Renderer:
    file_name: str
    marked: bool = True
    """Write formatting markers (False when the source holds marker characters itself)."""
    blocks: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    headings: list[tuple[str, str]] = field(default_factory=list)
    lists: list[list[int | None]] = field(default_factory=list)  # [next number or None]
    list_lines: list[str] = field(default_factory=list)
    prefix: str | None = None
    row: list[str] | None = None
    table_lines: list[str] | None = None

    def emit(self, text: str) -> None:
        if self.row is not None:
            self.row.append(" ".join(text.split()))
        elif self.table_lines is not None:
            self.table_lines.append(text)
        elif self.lists:
            indent = "  " * (len(self.lists) - 1)
            for i, line in enumerate(text.split("\n")):
                lead = self.prefix if (i == 0 and self.prefix is not None) else indent + "  "
                self.list_lines.append(lead + line)
            self.prefix = None
        elif not is_blank(text) if self.marked else text.strip():
            self.blocks.append(text)

    def inline(self, children: list[Token]) -> str:
        parts: list[str] = []
        skipping: str | None = None
        depth = 0  # formatting markers open in this inline run
        for tok in children:
            if skipping:
                tag = _HTML_TAG.match(tok.content) if tok.type == "html_inline" else None
                if tag and tag.group(1) and tag.group(2).lower() == skipping:
                    skipping = None
            elif tok.type == "text":
                parts.append(tok.content)
            elif tok.type == "code_inline":
                parts.append(self.wrap(FormatKind.CODE, tok.content))
            elif tok.type in _INLINE_OPEN:
                if tok.type == "link_open":
                    self.links.append(str(tok.attrs.get("href") or ""))
                if self.marked:
                    parts.append(opener(_INLINE_OPEN[tok.type]))
                    depth += 1
            elif tok.type in _INLINE_CLOSE:
                if self.marked and depth:
                    parts.append(CLOSE)
                    depth -= 1
            elif tok.type == "softbreak":
                parts.append(" ")
            elif tok.type == "hardbreak":
                parts.append("\n")
            elif tok.type == "html_inline":
                tag = _HTML_TAG.match(tok.content)
                name = tag.group(2).lower() if tag else ""
                if name == "br":
                    parts.append("\n")
                elif self.marked and name in HTML_INLINE_FORMATS and tag:
                    if not tag.group(1):
                        parts.append(opener(HTML_INLINE_FORMATS[name]))
                        depth += 1
                    elif depth:
                        parts.append(CLOSE)
                        depth -= 1
                elif tag and not tag.group(1) and name in _SKIP_HTML:
                    skipping = name
            # images leave no text
        parts.append(CLOSE * depth)
        return "".join(parts)

    def wrap(self, kind: FormatKind, text: str) -> str:
        return opener(kind) + text + CLOSE if self.marked and text else text

    def render(self, tokens: list[Token]) -> None:
        heading: str | None = None
        for tok in tokens:
            kind = tok.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = tok.attrs.get("start", 1) if kind == "ordered_list_open" else None
                self.lists.append([int(start) if start is not None else None])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                if self.prefix is not None:
                    self.emit("")
                self.lists.pop()
                if not self.lists:
                    lines, self.list_lines = self.list_lines, []
                    self.emit("\n".join(lines))
            elif kind == "list_item_open":
                if self.prefix is not None:
                    self.emit("")
                state = self.lists[-1]
                number = state[0]
                mark = "•" if number is None else f"{tok.info or number}."
                if number is not None:
                    state[0] = number + 1
                self.prefix = "  " * (len(self.lists) - 1) + mark + " "
            elif kind == "heading_open":
                heading = tok.tag
            elif kind == "inline":
                text = self.inline(tok.children or [])
                if heading:
                    self.headings.append((heading, " ".join(remove_markers(text).split())))
                    text = self.wrap(FormatKind.heading(int(heading[1:])), text)
                    heading = None
                self.emit(text)
            elif kind in ("fence", "code_block"):
                self.emit(self.wrap(FormatKind.CODE, tok.content.rstrip("\n")))
            elif kind == "html_block":
                from annotator.importers.htmltext import html_to_text

                text, links = html_to_text(tok.content, self.file_name, marked=self.marked)
                self.links.extend(links)
                self.emit(text)
            elif kind == "table_open":
                self.table_lines = []
            elif kind == "table_close":
                lines, self.table_lines = self.table_lines or [], None
                self.emit("\n".join(lines))
            elif kind == "tr_open":
                self.row = []
            elif kind == "tr_close":
                cells, self.row = self.row or [], None
                self.emit(" | ".join(cells))


def _front_matter(source: str) -> tuple[dict[str, str], str]:
    match = _FRONT_MATTER.match(source)
    if not match:
        return {}, source
    fields: dict[str, str] = {}
    for line in match.group("body").splitlines():
        if found := _FRONT_KEY.match(line):
            value = found.group("value").strip().strip("'\"")
            fields.setdefault(found.group("key").lower(), value)
        elif line.strip() and not line.startswith((" ", "\t", "-", "#")):
            return {}, source  # not front matter but a rule, some text and a rule
    if not fields:
        return {}, source
    return fields, source[match.end() :]


@register(".md", ".markdown", ".mdown", format="md")
def import_markdown(data: bytes, file_name: str) -> ImportedText:
    from markdown_it import MarkdownIt

    decoded = decode_text(data, file_name)
    source, flags = clean_text(decoded.text)
    fields, source = _front_matter(source)
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # CommonMark's preset stops at 20 nested blocks and silently drops what lies deeper (lists
    # in lists in quotes reach that); 100 is markdown-it's default and still far from recursion.
    parser.options["maxNesting"] = 100
    renderer = _Renderer(file_name, marked=can_mark(source))
    renderer.render(parser.parse(source))
    text = "\n\n".join(renderer.blocks)
    text, formats = split_formats(text) if renderer.marked else (text, ())
    headings = renderer.headings
    title = fields.get("title") or next((t for tag, t in headings if tag == "h1" and t), "")
    title = title or next((t for _, t in headings if t), "")
    guessed = guess_metadata(text, title=title)
    authors = split_authors(fields.get("author") or fields.get("authors") or "")
    return finish(
        text,
        "md",
        title=guessed.title,
        authors=authors or guessed.authors,
        publisher=guessed.publisher,
        published=parse_date(fields.get("date", "")) or guessed.published,
        url=fields.get("url", "") if fields.get("url", "").startswith("http") else "",
        link_urls=renderer.links,
        flags=[*decoded.flags, *flags],
        formats=formats,
        accessed=parse_day(fields.get("accessed", "")),
    )
