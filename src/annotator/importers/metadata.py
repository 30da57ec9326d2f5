"""Metadata found in the text itself, for files that state none: title, byline, date, site.

Only the head of the text is read (the first lines that are not blank), so the cost does not
grow with the document. Footnote markers such as `[1]` and `[note 1]` are left in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotator.domain.errors import ValidationError
from annotator.domain.model import PartialDate
from annotator.importers.common import words

HEAD_LINES = 25
"""How many non-blank lines at the top are searched for a title, byline and date."""
MAX_TITLE = 150

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}  # noqa: SIM905
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR = r"(?P<year>1[5-9]\d\d|2[01]\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE_PATTERNS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b{_YEAR}-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)(?=\b|T)",
        rf"\b{_YEAR}/(?P<m>[01]?\d)/(?P<d>[0-3]?\d)\b",
        rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{_YEAR}\b",
        rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",
        rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",
        rf"\b{_MONTH},?\s+{_YEAR}\b",
    )
]
# Words that may stand beside a date on a date line ("Published: Tuesday, 21 February 2017").
_DATE_LINE_WORDS = words(
    "published posted updated last first date dated on at am pm gmt utc bst cet cest est edt "
    "pst pdt monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu "
    "thur thurs fri sat sun"
)
_TIME = re.compile(r"^T?\d{1,2}[:.h]\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?$|^[+-]?\d{4}$")
_BYLINE = re.compile(r"^(?:written\s+by|by|authors?\s*:)\s*[:\-]?\s*(?P<names>.+)$", re.I)
_AUTHOR_SPLIT = re.compile(r"\s*,\s*|\s+and\s+|\s*&\s*|\s*;\s*")
_PARTICLES = words("de da del della der den di du la le van von bin ibn al el y dos das")
_NAME_WORD = re.compile(r"^[^\W\d_][\w.'’\-]*$")
_FROM_SITE = re.compile(r"^From\s+(?P<site>[A-Z][\w.'’&\-]*(?:\s[A-Z][\w.'’&\-]*){0,2})(?:,\s.*)?$")
_SEPARATORS = re.compile(r"\s*(?:\||·|•|—|–|\s-\s)\s*")


@dataclass(frozen=True)
class TextMetadata:
    title: str = ""
    authors: tuple[str, ...] = ()
    published: PartialDate | None = None
    publisher: str = ""


def _make_date(year: str, month: int | None, day: str | None) -> PartialDate | None:
    try:
        return PartialDate(int(year), month, int(day) if day and month else None)
    except (ValidationError, ValueError):
        return None


def _date_match(text: str) -> tuple[PartialDate, re.Match[str]] | None:
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            if groups.get("m"):
                found = _make_date(groups["year"], int(groups["m"]), groups["d"])
            else:
                month = _MONTHS[groups["month"].lower()[:3]]
                found = _make_date(groups["year"], month, groups.get("day"))
            if found:
                return found, match
    return None


def parse_date(text: str) -> PartialDate | None:
    """The first date found in `text` ("2017-02-21T10:00Z", "21 February 2017", "Feb. 21,
    2017", "February 2017", "21.02.2017"), or None."""
    if len(text) > 300:
        return None
    try:
        return PartialDate.parse(text)  # YYYY, YYYY-MM, YYYY-MM-DD
    except ValidationError:
        found = _date_match(text)
        return found[0] if found else None


def parse_day(text: str) -> PartialDate | None:
    """Like `parse_date`, but only a full day counts (an accessed date is a day)."""
    found = parse_date(text)
    return found if found is not None and found.day is not None else None


def date_line(line: str) -> PartialDate | None:
    """The date if `line` is a date line: a date with at most words like 'Published',
    a weekday or a time beside it."""
    if len(line) > 80:
        return None
    found = _date_match(line)
    if not found:
        return None
    date, match = found
    rest = line[: match.start()] + " " + line[match.end() :]
    for word in re.findall(r"[\w:.+\-]+", rest):
        if word.lower().strip(".:,") not in _DATE_LINE_WORDS and not _TIME.match(word):
            return None
    return date


def _is_name(name: str) -> bool:
    words = name.split()
    if not 1 <= len(words) <= 6:
        return False
    for word in words:
        if word.lower() in _PARTICLES:
            continue
        if not (_NAME_WORD.match(word) and word[0].isupper()):
            return False
    return any(w[0].isupper() for w in words)


def byline(line: str) -> tuple[tuple[str, ...], PartialDate | None] | None:
    """Authors (and a date written after them) from 'By R.J. Okafor', 'By A and B | 3 May
    2020', 'Author: Jane Doe'; None if the line is not a byline ('By the time we ...')."""
    if len(line) > 160:
        return None
    match = _BYLINE.match(line.strip())
    if not match:
        return None
    names, date = match.group("names").strip(), None
    parts = _SEPARATORS.split(names)
    if len(parts) > 1 and (tail := date_line(parts[-1])):
        names, date = " ".join(parts[:-1]), tail
    else:
        found = _date_match(names)
        if found and (tail := date_line(names[found[1].start() :])):
            names, date = names[: found[1].start()].rstrip(" ,;|"), tail
    authors = tuple(_tidy_name(a) for a in _split(names))
    if not authors or not all(_is_name(a) for a in authors):
        return None
    return authors, date


def _tidy_name(name: str) -> str:
    """'John Smith.' -> 'John Smith' but 'E.P.' and 'J.' keep their dots."""
    name = name.strip(" ,;")
    last = name.rsplit(" ", 1)[-1][:-1]
    if name.endswith(".") and len(last) > 1 and "." not in last:
        name = name[:-1]
    return name


def _split(names: str) -> list[str]:
    return [n for n in _AUTHOR_SPLIT.split(names) if n.strip()]


def split_authors(value: str) -> tuple[str, ...]:
    """Author names from a metadata field ('A; B', 'A and B', 'A, B')."""
    return tuple(n.strip() for n in _split(value) if n.strip())


def _head(text: str) -> list[str]:
    lines: list[str] = []
    pos = 0
    while len(lines) < HEAD_LINES and pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end == -1 else end
        line = text[pos : min(end, pos + 2000)].strip()
        if line:
            lines.append(line)
        pos = end + 1
    return lines


def _title_line(line: str) -> str:
    return line.lstrip("#").strip() if line.startswith("#") else line


def guess_metadata(text: str, *, title: str = "") -> TextMetadata:
    """Title, authors, date and site from the head of `text`; `title`, if given, wins."""
    lines = _head(text)
    publisher = ""
    for i, line in enumerate(lines[:12]):
        site = _FROM_SITE.match(line)
        previous = lines[i - 1] if i else ""
        if site and len(line) <= 80 and previous and len(previous) <= MAX_TITLE:
            # Wiki pages: "<Title>" then "From <Site>" (MediaWiki's tagline).
            publisher = site.group("site").strip()
            title = title or _title_line(lines[i - 1])
            break
    authors: tuple[str, ...] = ()
    published: PartialDate | None = None
    for line in lines:
        if not authors and (found := byline(line)):
            authors, published = found[0], published or found[1]
        elif published is None and (date := date_line(line)):
            published = date
        if authors and published:
            break
    if not title:
        for line in lines:
            if len(line) <= MAX_TITLE and not byline(line) and not date_line(line):
                title = _title_line(line)
                break
    return TextMetadata(title=title, authors=authors, published=published, publisher=publisher)
