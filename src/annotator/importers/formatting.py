"""Formatting kept through an importer's text pipeline as invisible markers, then lifted out as
spans over the plain text.

An importer writes an opening marker (one non-character per kind, U+FDE0-U+FDE9) and a closing
marker (U+FDEF) around the text of an emphasis, a heading, a code span... Every later step of
its pipeline (joining blocks, trimming lines, normalising newlines) treats the markers as text,
or, where it trims whitespace, as transparent (`strip_marked`), so the text it ends with is the
one it made before formatting was kept. `split_formats` then removes the markers and returns the
plain text with `FormatSpan`s over it. Unicode non-characters are reserved for such internal
use; a source that contains one of them is imported without formatting (`can_mark`), so a
character of the source is never taken for a marker.
"""

from __future__ import annotations

import re

from annotator.domain.formatting import FormatKind, FormatSpan, valid_spans

HTML_INLINE_FORMATS = {
    "em": FormatKind.EMPHASIS,
    "i": FormatKind.EMPHASIS,
    "cite": FormatKind.EMPHASIS,
    "strong": FormatKind.STRONG,
    "b": FormatKind.STRONG,
    "code": FormatKind.CODE,
    "kbd": FormatKind.CODE,
    "samp": FormatKind.CODE,
    "tt": FormatKind.CODE,
}
"""HTML elements kept as formatting of the text, in HTML pages and in Markdown's inline HTML."""

_KINDS: tuple[FormatKind, ...] = (
    FormatKind.EMPHASIS,
    FormatKind.STRONG,
    FormatKind.CODE,
    FormatKind.LINK,
    FormatKind.HEADING1,
    FormatKind.HEADING2,
    FormatKind.HEADING3,
    FormatKind.HEADING4,
    FormatKind.HEADING5,
    FormatKind.HEADING6,
)
_FIRST = 0xFDE0
_OPEN = {kind: chr(_FIRST + i) for i, kind in enumerate(_KINDS)}
_KIND_OF = {chr(_FIRST + i): kind for i, kind in enumerate(_KINDS)}
CLOSE = "\ufdef"
"""Ends the innermost formatting still open."""
_MARKER = re.compile("[\ufde0-\ufdef]")


def opener(kind: FormatKind) -> str:
    return _OPEN[kind]


def can_mark(source: str) -> bool:
    """Whether markers can be used on a text made from `source` (it holds none itself)."""
    return _MARKER.search(source) is None


def has_markers(text: str) -> bool:
    return _MARKER.search(text) is not None


def remove_markers(text: str) -> str:
    return _MARKER.sub("", text) if has_markers(text) else text


def is_blank(text: str) -> bool:
    """True when `text` is only whitespace and markers (it would add no visible text)."""
    return not remove_markers(text).strip()


def _keep_markers(run: str, chars: str | None) -> str:
    if chars is None:
        return "".join(ch for ch in run if not ch.isspace())
    return "".join(ch for ch in run if ch not in chars)


def strip_marked(
    text: str, chars: str | None = None, *, left: bool = True, right: bool = True
) -> str:
    """`str.strip(chars)` (or lstrip/rstrip) that sees through markers: whitespace (or
    `chars`) next to the ends is removed even where markers stand between it and the end; the
    markers themselves stay."""
    if not has_markers(text):
        if left and right:
            return text.strip(chars)
        return text.lstrip(chars) if left else text.rstrip(chars)
    edge = f"[{re.escape(chars)}\ufde0-\ufdef]+" if chars is not None else r"[\s\ufde0-\ufdef]+"
    if left:
        head = re.match(edge, text)
        if head:
            text = _keep_markers(head.group(), chars) + text[head.end() :]
    if right:
        tail = re.search(edge + r"\Z", text)
        if tail:
            text = text[: tail.start()] + _keep_markers(tail.group(), chars)
    return text


def split_formats(text: str) -> tuple[str, tuple[FormatSpan, ...]]:
    """The text without its markers, and the spans they marked (empty ones dropped; a marker
    left open closes at the end of the text)."""
    if not has_markers(text):
        return text, ()
    pieces: list[str] = []
    spans: list[FormatSpan] = []
    open_: list[tuple[FormatKind, int]] = []
    pos = 0
    for removed, match in enumerate(_MARKER.finditer(text)):
        at = match.start()
        pieces.append(text[pos:at])
        pos = match.end()
        plain = at - removed
        marker = match.group()
        if marker == CLOSE:
            if open_:
                kind, start = open_.pop()
                spans.append(FormatSpan(start, plain, kind))
        elif marker in _KIND_OF:
            open_.append((_KIND_OF[marker], plain))
    pieces.append(text[pos:])
    plain_text = "".join(pieces)
    spans.extend(FormatSpan(start, len(plain_text), kind) for kind, start in open_)
    return plain_text, valid_spans(_trimmed(plain_text, spans), len(plain_text))


def _trimmed(text: str, spans: list[FormatSpan]) -> list[FormatSpan]:
    """Spans without the whitespace at their ends (an emphasis that ends in a space, a heading
    that ends in a line break)."""
    out: list[FormatSpan] = []
    for start, end, kind in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        out.append(FormatSpan(start, end, kind))
    return out
