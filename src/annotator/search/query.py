"""The query language, parsed into Whoosh queries. A bad query never raises: it is answered.

    free words        all must match (stemmed: "workers" finds "worker")
    "exact phrase"    the words in this order
    a OR b, a AND b, NOT a, (grouping)
    word~  word~2     fuzzy: up to 1 (or 2) typing mistakes;  word*  words starting so
    label:disputed    by label name, key or id;  label:"my label"
    tag:sources       a tag (whole tag; tag:"two words", tag:sou* for a prefix)
    doc:russia        documents whose title has these words, or doc:<id or id prefix>
    author:alice  note:word  quote:word  relation:contradicts (claims with such a link)
    created:2026-01..2026-03   modified:>=2026-02-01   published:2017   published:>2015
                      dates are YYYY, YYYY-MM or YYYY-MM-DD; A..B, A.., ..B, >A, >=A, <A, <=A;
                      "published" is the document's publication date

Parsing happens in steps: the text is cleaned (control characters, smart quotes, length); the
fields Whoosh cannot know (label, doc, created, modified, published) are cut out and resolved
against the project's labels and documents, leaving a placeholder; the text is checked for
unbalanced quotes or brackets and dangling operators; Whoosh's parser reads the rest; the
placeholders are replaced by the resolved queries. Any problem gives a `notice` and, if the
structure is unreadable, a search for the plain words instead.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import ValidationError
from annotator.domain.model import Label, PartialDate, Relation
from annotator.search.schema import (
    CLAIM_ONLY_FIELDS,
    CLAIM_TEXT_FIELDS,
    PASSAGE_TEXT_FIELDS,
    POSITIONAL_FIELDS,
    stemming_analyzer,
)

if TYPE_CHECKING:
    from whoosh.query import Query

MAX_QUERY = 1000
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
_SMART_QUOTES = str.maketrans({c: '"' for c in "“”„‟″«»"})
_FIELD_RE = re.compile(
    r'"[^"]*"'  # a quoted phrase: consumed whole, so fields inside it stay text
    r"|(?<![\w:.])(?P<field>" + "|".join(KNOWN_FIELDS) + r"):"
    r'(?P<value>\([^()"]*\)|"[^"]*"|[^\s()"]+)?',
    re.IGNORECASE,
)
_UNKNOWN_FIELD_RE = re.compile(r'"[^"]*"|(?<![\w:/.])(?P<field>[^\W\d_][\w-]*):(?=[^\s/:])')
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
_DATE = r"\d{4}(?:-\d{1,2}(?:-\d{1,2})?)?"
_DATE_RE = re.compile(
    rf"^(?:(?P<op>>=|<=|>|<)?(?P<one>{_DATE})|(?P<a>{_DATE})?\.\.(?P<b>{_DATE})?)$"
)
SLOT = "zzslot"


@dataclass(frozen=True)
class DocInfo:
    """What queries need of a document: resolved when `doc:` or `published:` is used."""

    id: str
    title: str
    position: int
    published: PartialDate | None
    title_tokens: tuple[str, ...] = ()


@dataclass
class QueryContext:
    labels: list[Label]
    documents: list[DocInfo]
    kind: str = "claim"  # or "passage"

    @property
    def text_fields(self) -> dict[str, float]:
        return CLAIM_TEXT_FIELDS if self.kind == "claim" else PASSAGE_TEXT_FIELDS


@dataclass
class ParsedQuery:
    query: Query
    text: str
    notices: list[str] = field(default_factory=list)
    fallback: bool = False
    words: list[str] = field(default_factory=list)
    """Free words as typed (not stemmed), for "did you mean"."""
    empty: bool = False
    """Nothing to search for: the caller shows everything (empty text) or nothing."""


def nothing() -> Query:
    """A query that matches no document (unlike NullQuery, which an And drops)."""
    from whoosh.query import Term

    return Term("kind", "-none-")


def clean(text: str, notices: list[str]) -> str:
    text = unicodedata.normalize("NFC", text or "")
    if len(text) > MAX_QUERY:
        cut = text.rfind(" ", 0, MAX_QUERY)
        text = text[: cut if cut > MAX_QUERY // 2 else MAX_QUERY]
        notices.append(f"The query was too long; searched its first {len(text):,} characters.")
    chars = [" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c for c in text]
    return " ".join("".join(chars).translate(_SMART_QUOTES).split())


def parse(text: str, ctx: QueryContext) -> ParsedQuery:
    """Parse `text`; never raises for any string."""
    from whoosh.query import Every, NullQuery

    notices: list[str] = []
    cleaned = clean(text, notices)
    if not cleaned:
        return ParsedQuery(Every(), cleaned, notices, empty=True)
    slots: list[Query] = []
    try:
        rest = _extract_fields(cleaned, ctx, slots, notices)
    except Exception:  # pragma: no cover - belt and braces: a query never raises
        return _fallback(cleaned, ctx, notices, "The query could not be read")
    _unknown_fields(rest, notices)
    problem = _structure_problem(rest)
    if problem:
        return _fallback(cleaned, ctx, notices, problem)
    if not rest.strip():
        return ParsedQuery(Every(), cleaned, notices, empty=True)
    try:
        parsed = _parser(ctx).parse(rest)
        parsed = _rewrite(parsed, ctx, slots, notices)
        parsed = parsed.normalize()
    except Exception:
        return _fallback(cleaned, ctx, notices, "The query could not be read")
    if parsed is NullQuery:
        if plain_query(_plain_words(cleaned), ctx) is not NullQuery:
            return _fallback(cleaned, ctx, notices, "The query could not be read")
        notices.append("Nothing to search for: the query has only very common words or signs.")
        return ParsedQuery(nothing(), cleaned, notices, empty=True)
    return ParsedQuery(parsed, cleaned, notices, words=_free_words(parsed, rest, ctx))


def plain_query(words: list[str], ctx: QueryContext) -> Query:
    """All of `words` in the free-text fields: the fallback for unreadable queries."""
    from whoosh.query import And, NullQuery, Or, Term

    analyzer = stemming_analyzer()
    parts = []
    for word in words:
        terms = {t.text for t in analyzer(word)}
        if terms:
            parts.append(
                Or(
                    [
                        Term(f, t, boost=boost)
                        for t in sorted(terms)
                        for f, boost in ctx.text_fields.items()
                    ]
                )
            )
    return And(parts).normalize() if parts else NullQuery


def _fallback(text: str, ctx: QueryContext, notices: list[str], problem: str) -> ParsedQuery:
    words = _plain_words(text)
    query = plain_query(words, ctx)
    from whoosh.query import NullQuery

    if query is NullQuery:
        notices.append(f"{problem}; there are no words in it to search for.")
        return ParsedQuery(nothing(), text, notices, fallback=True, empty=True)
    notices.append(f"{problem}; searched for the plain words instead: {' '.join(words)}.")
    return ParsedQuery(query, text, notices, fallback=True, words=words)


def _unknown_fields(text: str, notices: list[str]) -> None:
    for match in _UNKNOWN_FIELD_RE.finditer(text):
        name = match.group("field")
        if name and name != SLOT and name.lower() not in KNOWN_FIELDS:
            notices.append(
                f"“{name}:” is not a field, so it was searched as words; the fields are: "
                f"{', '.join(KNOWN_FIELDS)}."
            )
            return


def _plain_words(text: str) -> list[str]:
    words = []
    for match in _WORD_RE.finditer(text):
        word = match.group()
        if word in OPERATORS or text[match.end() : match.end() + 1] == ":":
            continue  # operators and field names are not words
        words.append(word)
    return words[:50]


def _parser(ctx: QueryContext) -> Any:
    return _parser_for(ctx.kind)


@functools.cache
def _parser_for(kind: str) -> Any:
    """Whoosh's parser for claims or passages (built once: parsing keeps no state in it)."""
    from whoosh import qparser

    from annotator.search.schema import query_schema

    fields = CLAIM_TEXT_FIELDS if kind == "claim" else PASSAGE_TEXT_FIELDS
    parser = qparser.MultifieldParser(list(fields), query_schema(), fieldboosts=dict(fields))
    parser.remove_plugin_class(qparser.SingleQuotePlugin)  # apostrophes are not quotes
    parser.remove_plugin_class(qparser.RangePlugin)  # dates have their own syntax
    parser.add_plugin(qparser.FuzzyTermPlugin())
    return parser


# -- structure checks ----------------------------------------------------------------------------


def _structure_problem(text: str) -> str | None:
    if text.count('"') % 2:
        return "A quotation mark is not closed"
    depth = 0
    outside = re.sub(r'"[^"]*"', " ", text)
    for ch in outside:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth < 0:
            break
    if depth != 0:
        return "The brackets do not pair up"
    if re.search(r"\(\s*\)", outside):
        return "There is an empty pair of brackets"
    tokens = outside.replace("(", " ( ").replace(")", " ) ").split()
    for i, tok in enumerate(tokens):
        if tok not in OPERATORS:
            continue
        before = tokens[i - 1] if i > 0 else "("
        after = tokens[i + 1] if i + 1 < len(tokens) else ")"
        if after == ")" or after in OPERATORS - {"NOT"}:
            return f"“{tok}” needs a search term after it"
        if tok != "NOT" and (before == "(" or before in OPERATORS):
            return f"“{tok}” needs a search term before it"
    if re.search(r"\^(?![\d.])", outside):
        return "“^” needs a number after it"
    return None


# -- fields resolved against the project --------------------------------------------------------


def _extract_fields(text: str, ctx: QueryContext, slots: list[Query], notices: list[str]) -> str:
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

    return _FIELD_RE.sub(replace, text)


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


def title_tokens(title: str) -> tuple[str, ...]:
    return tuple(t.text for t in stemming_analyzer()(title))


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
            wanted = title_tokens(value)
            if wanted:
                matches = [d for d in ctx.documents if _contains(d.title_tokens, wanted)]
    if not matches:
        notices.append(f"No document matches doc:{value}.")
        return nothing()
    return Or([Term("doc_id", d.id) for d in matches])


def _contains(tokens: tuple[str, ...], wanted: tuple[str, ...]) -> bool:
    n = len(wanted)
    return any(tokens[i : i + n] == wanted for i in range(len(tokens) - n + 1))


def _resolve_date(name: str, value: str, ctx: QueryContext, notices: list[str]) -> Query | None:
    from whoosh.query import Or, Term, TermRange

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
    start = lo.strftime("%Y%m%d") if lo else None
    end = hi.strftime("%Y%m%d") if hi else None
    return TermRange(name, start, end)


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


# -- rewriting Whoosh's tree ----------------------------------------------------------------------


def _rewrite(q: Query, ctx: QueryContext, slots: list[Query], notices: list[str]) -> Query:
    from whoosh.query import And, FuzzyTerm, NullQuery, Phrase, Term

    if isinstance(q, Term) and q.fieldname == SLOT:
        index = int(q.text) if str(q.text).isdigit() else -1
        return slots[index] if 0 <= index < len(slots) else nothing()
    if isinstance(q, Term) and q.fieldname == "relation":
        return _relation(str(q.text), notices)
    if isinstance(q, FuzzyTerm):
        return _fuzzy(q)
    if isinstance(q, Phrase) and q.fieldname not in POSITIONAL_FIELDS:
        words = [str(w) for w in q.words]
        if q.fieldname in ("tag", "relation"):
            return Term(q.fieldname, " ".join(words))
        if q.fieldname in ("context", "extra"):
            return NullQuery  # these fields keep no positions: only quote and note do
        return And([Term(q.fieldname, w) for w in words])
    if q.is_leaf():
        return q
    return q.apply(lambda child: _rewrite(child, ctx, slots, notices))


def _fuzzy(q: Any) -> Query:
    """word~ against stemmed fields: match near the typed word AND near its stem ("revolutions~"
    must find the indexed stem "revolut", four edits away from what was typed)."""
    from whoosh.query import FuzzyTerm, Or

    maxdist = max(1, min(int(q.maxdist), 2))
    text = str(q.text)
    variants = [text]
    if q.fieldname not in ("tag", "relation"):
        stems = [t.text for t in stemming_analyzer()(text)]
        if len(stems) == 1 and stems[0] != text:
            variants.append(stems[0])
    terms = [
        FuzzyTerm(q.fieldname, v, boost=q.boost, maxdist=maxdist, prefixlength=q.prefixlength)
        for v in variants
    ]
    return terms[0] if len(terms) == 1 else Or(terms)


def _relation(value: str, notices: list[str]) -> Query:
    from whoosh.query import Term

    value = value.lower()
    names = [r.value for r in Relation]
    found = [n for n in names if n == value] or [
        n for n in names if len(value) >= 3 and n.startswith(value)
    ]
    if len(found) == 1:
        return Term("relation", found[0])
    notices.append(f"No relation “{value}”; the relations are: {', '.join(names)}.")
    return nothing()


def _free_words(q: Query, text: str, ctx: QueryContext) -> list[str]:
    """The words typed for the free-text fields (not negated), as typed."""
    from whoosh.query import Not, Term

    words: list[str] = []
    fields = set(ctx.text_fields) | {"quote", "note"}

    def walk(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, Term) and node.fieldname in fields:
            start, end = getattr(node, "startchar", None), getattr(node, "endchar", None)
            if start is not None and end is not None:
                word = text[start:end].split(":")[-1].strip("'’\"*~^")
                if word and word not in words and _WORD_RE.fullmatch(word):
                    words.append(word)
            return
        if not node.is_leaf():
            for child in node.children():
                walk(child)

    walk(q)
    return words
