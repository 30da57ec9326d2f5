"""The fields of a query that are resolved against the project, not looked up in the index.

`label:` (label names, keys, ids), `doc:` (title words, ids) and `published:` (the documents'
dates) become queries on label and document ids; `created:` and `modified:` become ranges over
the index's time columns (`ColumnRange`, evaluated by annotator.search.engine). Resolving here,
when a query is parsed, means renaming a label or a document never needs reindexing. Each clause
is cut out of the text and replaced by a placeholder that Whoosh's parser carries through
(`zzslot:N`); annotator.search.query puts the resolved query back in its place.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from whoosh.query import Query as WhooshQuery

from annotator.domain.errors import ValidationError
from annotator.domain.model import PartialDate
from annotator.search.schema import CLAIM_ONLY_FIELDS, index_analyzer, stemming_analyzer

if TYPE_CHECKING:
    from whoosh.query import Query

    from annotator.search.query import QueryContext

KNOWN_FIELDS = (
    "label",
    "tag",
    "doc",
    "author",
    "note",
    "quote",
    "relation",
    "created",
    "modified",
    "published",
)
RESOLVED_FIELDS = frozenset({"label", "doc", "created", "modified", "published"})
OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"})
SLOT = "zzslot"
FIELD_RE = re.compile(
    r'"[^"]*"'  # a quoted phrase: consumed whole, so fields inside it stay text
    r"|(?<![\w:.])(?P<field>" + "|".join(KNOWN_FIELDS) + r"):"
    r'(?P<value>\([^()"]*\)|"[^"]*"|[^\s()"]+)?',
    re.IGNORECASE,
)
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATE_RE = re.compile(
    rf"^(?:(?P<op>>=|<=|>|<)?(?P<one>{_DATE})|(?P<a>{_DATE})?\.\.(?P<b>{_DATE})?)$"
)
COLUMNS = {"created": "t_created", "modified": "t_modified"}


def nothing() -> Query:
    """A query that matches no document (unlike NullQuery, which an And drops)."""
    from whoosh.query import Term

    return Term("kind", "-none-")


class ColumnRange(WhooshQuery):
    """Documents whose time column (epoch milliseconds) lies in [lo, hi] (None: open).
    Whoosh never runs it: annotator.search.engine reads the column values it keeps."""

    def __init__(self, fieldname: str, lo: int | None, hi: int | None) -> None:
        self.fieldname = fieldname
        self.lo = lo
        self.hi = hi
        self.boost = 1.0

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ColumnRange) and repr(self) == repr(other)

    def __hash__(self) -> int:
        return hash(repr(self))

    def __repr__(self) -> str:
        return f"ColumnRange({self.fieldname!r}, {self.lo!r}, {self.hi!r})"

    def is_leaf(self) -> bool:
        return True

    def estimate_size(self, ixreader: Any) -> int:
        return int(ixreader.doc_count_all())

    def contains(self, value: int) -> bool:
        return (self.lo is None or value >= self.lo) and (self.hi is None or value <= self.hi)


def extract_fields(text: str, ctx: QueryContext, slots: list[Query], notices: list[str]) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group("field")
        if name is None:
            return match.group()  # a quoted phrase, left as it is
        name = name.lower()
        value = match.group("value") or ""
        if value in OPERATORS:
            value = ""
            tail = match.group("value")
        else:
            tail = ""
        if not value.strip('"() '):
            notices.append(f"“{name}:” needs a value, such as {_EXAMPLES[name]}; ignored it.")
            return f" {tail} "
        if ctx.kind != "claim" and name in CLAIM_ONLY_FIELDS:
            notices.append(f"“{name}:” applies to claims, not to source passages; ignored it.")
            return " "
        if name not in RESOLVED_FIELDS:
            return f" {name}:{value} "
        values = _split_values(value)
        resolved = [q for q in (_resolve(name, v, ctx, notices) for v in values) if q is not None]
        if not resolved:
            return " "
        from whoosh.query import Or

        slots.append(resolved[0] if len(resolved) == 1 else Or(resolved))
        return f" {SLOT}:{len(slots) - 1} "

    return FIELD_RE.sub(replace, text)


_EXAMPLES = {
    "label": "label:disputed",
    "tag": "tag:sources",
    "doc": "doc:russia",
    "author": "author:alice",
    "note": "note:archive",
    "quote": "quote:revolution",
    "relation": "relation:contradicts",
    "created": "created:2026-01..2026-03",
    "modified": "modified:>=2026-02",
    "published": "published:2017",
}


def _split_values(value: str) -> list[str]:
    if value.startswith("("):
        inner = value.strip("()")
        return [w for w in re.findall(r'"[^"]*"|[^\s"]+', inner) if w not in OPERATORS]
    return [value]


def _resolve(name: str, value: str, ctx: QueryContext, notices: list[str]) -> Query | None:
    value = value.strip('"').strip()
    if not value:
        return None
    if name == "label":
        return _resolve_label(value, ctx, notices)
    if name == "doc":
        return _resolve_doc(value, ctx, notices)
    return _resolve_date(name, value, ctx, notices)


def _resolve_label(value: str, ctx: QueryContext, notices: list[str]) -> Query:
    from whoosh.query import Term

    folded = value.casefold()
    for lab in ctx.labels:
        if value == lab.id or folded == lab.name.casefold() or (lab.key and value == lab.key):
            return Term("label", lab.id)
    prefix = [lab for lab in ctx.labels if lab.name.casefold().startswith(folded)]
    if len(prefix) == 1:
        return Term("label", prefix[0].id)
    names = ", ".join(lab.name for lab in ctx.labels) or "none"
    notices.append(f"No label “{value}”; the labels are: {names}.")
    return nothing()


def title_tokens(title: str) -> tuple[frozenset[str], ...]:
    """The words of a title as indexed text has them: at each position the word, and for a
    joined word its parts too (so `doc:closure` finds "The harbour-closure campaign")."""
    at: dict[int, set[str]] = {}
    for t in index_analyzer()(title, positions=True):
        at.setdefault(t.pos, set()).add(t.text)
    return tuple(frozenset(at[p]) for p in sorted(at))


def _resolve_doc(value: str, ctx: QueryContext, notices: list[str]) -> Query:
    from whoosh.query import Or, Term

    low = value.lower()
    matches = [d for d in ctx.documents if d.id == low]
    if not matches and len(low) >= 4 and re.fullmatch(r"[0-9a-f-]+", low):
        matches = [d for d in ctx.documents if d.id.startswith(low)]
    if not matches:
        if low.endswith("*") and len(low) > 1:
            stem = low.rstrip("*")
            matches = [
                d for d in ctx.documents if any(w.startswith(stem) for w in d.title.lower().split())
            ]
        else:
            wanted = tuple(t.text for t in stemming_analyzer()(value))
            if wanted:
                matches = [d for d in ctx.documents if _contains(d.title_tokens, wanted)]
    if not matches:
        notices.append(f"No document matches doc:{value}.")
        return nothing()
    return Or([Term("doc_id", d.id) for d in matches])


def _contains(tokens: tuple[frozenset[str], ...], wanted: tuple[str, ...]) -> bool:
    n = len(wanted)
    return any(
        all(w in tokens[i + k] for k, w in enumerate(wanted)) for i in range(len(tokens) - n + 1)
    )


def _resolve_date(name: str, value: str, ctx: QueryContext, notices: list[str]) -> Query | None:
    from whoosh.query import Or, Term

    match = _DATE_RE.match(value)
    try:
        if not match:
            raise ValidationError(value)
        if match.group("one"):
            one = PartialDate.parse(match.group("one"))
            op = match.group("op") or ""
            lo: date | None = {">": _after(one), ">=": _floor(one), "<": None, "<=": None}.get(
                op, _floor(one)
            )
            hi: date | None = {"<": _before(one), "<=": _ceil(one), ">": None, ">=": None}.get(
                op, _ceil(one)
            )
        else:
            a, b = match.group("a"), match.group("b")
            if not a and not b:
                raise ValidationError(value)
            lo = _floor(PartialDate.parse(a)) if a else None
            hi = _ceil(PartialDate.parse(b)) if b else None
    except ValidationError:
        notices.append(
            f"Not a date: {name}:{value}. Use YYYY, YYYY-MM or YYYY-MM-DD, A..B for a range, "
            "or >A, <A; ignored it."
        )
        return None
    if name == "published":
        docs = [
            d
            for d in ctx.documents
            if d.published is not None
            and (lo is None or _floor(d.published) >= lo)
            and (hi is None or _floor(d.published) <= hi)
        ]
        return Or([Term("doc_id", d.id) for d in docs]) if docs else nothing()
    start = _ms(lo) if lo else None
    end = _ms(hi + timedelta(days=1)) - 1 if hi else None
    return ColumnRange(COLUMNS[name], start, end)


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp() * 1000)


def _floor(d: PartialDate) -> date:
    return date(d.year, d.month or 1, d.day or 1)


def _ceil(d: PartialDate) -> date:
    if d.month is None:
        return date(d.year, 12, 31)
    if d.day is None:
        return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])
    return date(d.year, d.month, d.day)


def _after(d: PartialDate) -> date | None:
    from datetime import timedelta

    end = _ceil(d)
    return None if end == date.max else end + timedelta(days=1)


def _before(d: PartialDate) -> date | None:
    from datetime import timedelta

    start = _floor(d)
    return None if start == date.min else start - timedelta(days=1)
