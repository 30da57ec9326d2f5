"""Helpers every importer shares: hidden-character flags, the final clean-up, link lists."""

from __future__ import annotations

import re
from collections.abc import Iterable

from annotator.domain.formatting import FormatSpan, valid_spans
from annotator.domain.model import PartialDate
from annotator.domain.text import normalize_newlines
from annotator.importers.base import ImportedText

_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_ZERO_WIDTH = re.compile("[\u200b-\u200d\u2060\ufeff]")


def words(text: str) -> frozenset[str]:
    """A set of words written as one string: `words("script style")`."""
    return frozenset(text.split())


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def hidden_character_flags(text: str) -> list[str]:
    """Sentences for the reader about characters that change what text looks like without
    showing themselves: bidirectional controls (the 'Trojan Source' trick) and zero-width
    characters. The characters stay in the text, so offsets remain true. Linear time."""
    flags: list[str] = []
    bidi = len(_BIDI.findall(text))
    if bidi:
        flags.append(
            "contains "
            + _count(bidi, "bidirectional control character", "bidirectional control characters")
            + " that can reorder how text is displayed"
        )
    zero = len(_ZERO_WIDTH.findall(text))
    if zero:
        flags.append(
            "contains "
            + _count(zero, "zero-width character", "zero-width characters")
            + (" that is" if zero == 1 else " that are")
            + " invisible on screen"
        )
    return flags


def nul_flags(count: int) -> list[str]:
    if not count:
        return []
    return [f"{count:,} NUL {'character was' if count == 1 else 'characters were'} removed"]


def drop_nuls(text: str) -> tuple[str, list[str]]:
    """Remove U+0000 (Qt and SQLite handle it badly) and say so."""
    count = text.count("\x00")
    return (text.replace("\x00", "") if count else text), nul_flags(count)


def clean_text(text: str) -> tuple[str, list[str]]:
    """Newlines normalised to `\\n`, NULs removed; the flags say what was removed."""
    text, flags = drop_nuls(text)
    return normalize_newlines(text), flags


def http_urls(urls: Iterable[str]) -> tuple[str, ...]:
    """The http(s) URLs among `urls`, stripped, without duplicates, in first-seen order."""
    seen: dict[str, None] = {}
    for url in urls:
        url = url.strip()
        if url.lower().startswith(("http://", "https://")) and len(url) > 8:
            seen.setdefault(url, None)
    return tuple(seen)


def finish(
    text: str,
    fmt: str,
    *,
    title: str = "",
    authors: Iterable[str] = (),
    publisher: str = "",
    published: PartialDate | None = None,
    url: str = "",
    language: str = "",
    pages: Iterable[int] = (),
    link_urls: Iterable[str] = (),
    flags: Iterable[str] = (),
    formats: Iterable[FormatSpan] = (),
    accessed: PartialDate | None = None,
) -> ImportedText:
    """Build the ImportedText: text already free of NULs and `\\r` (offsets in `pages` refer to
    it, and so do `formats`), metadata trimmed, hidden-character flags added."""
    formats = tuple(formats)
    normal = normalize_newlines(text)
    if formats and normal != text:
        formats = ()  # the offsets would no longer fit; importers normalise before marking
    text = normal  # a no-op for importers that cleaned it, a guarantee here
    all_flags = [*flags, *hidden_character_flags(text)]
    return ImportedText(
        text=text,
        format=fmt,
        title=" ".join(title.split())[:500],
        authors=tuple(dict.fromkeys(a for a in (" ".join(x.split()) for x in authors) if a)),
        publisher=" ".join(publisher.split()),
        published=published,
        url=url.strip(),
        language=language.strip(),
        pages=tuple(pages),
        link_urls=http_urls(link_urls),
        flags=tuple(dict.fromkeys(all_flags)),
        formats=valid_spans(formats, len(text)),
        accessed=accessed,
    )
