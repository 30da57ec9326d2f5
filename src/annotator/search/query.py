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

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from annotator.domain.model import Label, PartialDate, Relation
from annotator.search.query_fields import (
    KNOWN_FIELDS,
    OPERATORS,
    SLOT,
    extract_fields,
    nothing,
)
from annotator.search.schema import (
    CLAIM_TEXT_FIELDS,
    PASSAGE_TEXT_FIELDS,
    POSITIONAL_FIELDS,
    stemming_analyzer,
)

if TYPE_CHECKING:
    from whoosh.query import Query

MAX_QUERY = 1000
_SMART_QUOTES = str.maketrans({c: '"' for c in "“”„‟″«»"})
_UNKNOWN_FIELD_RE = re.compile(r'"[^"]*"|(?<![\w:/.])(?P<field>[^\W\d_][\w-]*):(?=[^\s/:])')
_WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class DocInfo:
    """What queries need of a document: resolved when `doc:` or `published:` is used."""

    id: str
    title: str
    position: int
    published: PartialDate | None
    title_tokens: tuple[frozenset[str], ...] = ()
    """The title's words by position (`query_fields.title_tokens`)."""


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
        rest = extract_fields(cleaned, ctx, slots, notices)
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
