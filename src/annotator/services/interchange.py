"""Importing claims and links from other annotation tools: matching, anchoring, one transaction.

The format readers (annotator.exporters.jsonld for W3C Web Annotations, .hypothesis for the
Hypothesis API) turn a file into an `Incoming` batch; `import_incoming` then:

1. matches each claim's document in the project: by document id, else by URL, else by title;
2. re-anchors each claim by its selectors (`domain.anchoring.anchor`: the position if the text
   there equals the quote, else the quote with its context, else a fuzzy match);
3. resolves labels by name (unknown ones are created, with the file's colour when it gives one);
4. writes every new label, claim and link in ONE transaction.

Nothing is dropped silently: claims already in the project (same id), claims whose document is
missing or whose quote cannot be found, and links whose claims are absent are listed in the
`ImportReport`. A batch of which nothing belongs to this project is refused and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from annotator.domain.anchoring import anchor
from annotator.domain.errors import AnnotatorError, ConflictError
from annotator.domain.model import (
    Claim,
    Evidence,
    Link,
    QuoteSelector,
    Relation,
    check_color,
    new_id,
    normalize_tags,
    utcnow,
)
from annotator.services.changes import Changes
from annotator.storage.orm import ClaimRow, LabelRow
from annotator.storage.rows import fill_claim_row, new_link_row

if TYPE_CHECKING:
    from annotator.services.api import Project

DEFAULT_LABEL = ("unassessed", "#757575", "Imported without a judgement: to be assessed.")
"""The label of imported claims that name none (Hypothesis highlights without a label tag)."""

NEW_LABEL_COLOR = "#546e7a"
"""The colour of a label an imported file names without giving a colour."""


class AnnotationImportRefused(AnnotatorError):
    """A file of annotations that cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class IncomingDocument:
    """How an annotation names its document."""

    id: str = ""
    url: str = ""
    title: str = ""

    def describe(self) -> str:
        return self.title or self.url or self.id or "an unnamed document"


@dataclass(frozen=True)
class IncomingClaim:
    id: str
    """The claim id to use (exported ids are kept; foreign ids map to a stable UUID)."""
    ref: str
    """How the file names this annotation, for messages."""
    document: IncomingDocument
    quote: QuoteSelector | None
    start: int | None = None
    end: int | None = None
    label: str = ""
    """Label name; "" = the first tag naming a label, else the default label."""
    label_color: str = ""
    tags: tuple[str, ...] = ()
    note: str = ""
    evidence: tuple[Evidence, ...] = ()
    author: str = ""
    created: datetime | None = None
    modified: datetime | None = None
    revision: int = 1


@dataclass(frozen=True)
class IncomingLink:
    id: str
    ref: str
    source_id: str
    target_id: str
    relation: str
    note: str = ""
    author: str = ""
    created: datetime | None = None


@dataclass(frozen=True)
class IncomingLabel:
    name: str
    color: str = ""
    description: str = ""


@dataclass(frozen=True)
class ImportIssue:
    ref: str
    """The annotation as the file names it (its id, or its quote)."""
    reason: str
    """One sentence."""

    def __str__(self) -> str:
        return f"{self.ref}: {self.reason}"


@dataclass(frozen=True)
class Incoming:
    """What a format reader found in one file."""

    format: str
    claims: tuple[IncomingClaim, ...] = ()
    links: tuple[IncomingLink, ...] = ()
    labels: tuple[IncomingLabel, ...] = ()
    skipped: tuple[ImportIssue, ...] = ()
    """Items the reader could not use (replies, page notes, malformed annotations)."""


@dataclass(frozen=True)
class ImportReport:
    file_name: str
    format: str
    read: int
    """Annotations found in the file (claims, links and unusable items)."""
    claims: tuple[str, ...] = ()
    """Ids of the claims created."""
    links: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    """Names of the labels created."""
    moved: tuple[ImportIssue, ...] = ()
    """Claims imported elsewhere than their TextPositionSelector said (found by their quote,
    or by a fuzzy match that needs review)."""
    skipped: tuple[ImportIssue, ...] = ()
    """Everything not imported, each with its reason."""
    changes: Changes | None = field(default=None, compare=False)

    @property
    def message(self) -> str:
        """One line: what was imported."""
        parts = [f"{len(self.claims)} claim(s)", f"{len(self.links)} link(s)"]
        if self.labels:
            parts.append(f"{len(self.labels)} new label(s) ({', '.join(self.labels)})")
        text = f"{self.file_name} ({self.format}): imported " + ", ".join(parts)
        if self.skipped:
            text += f"; {len(self.skipped)} not imported"
        return text + "."

    def lines(self) -> list[str]:
        """The message, then one line per moved or skipped item."""
        out = [self.message]
        out += [f"  moved: {issue}" for issue in self.moved]
        out += [f"  not imported: {issue}" for issue in self.skipped]
        return out


def normalize_url(url: str) -> str:
    """Compare URLs loosely: no scheme, fragment, "www." or trailing slash; host lower-cased."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}" if host else url.strip()


def _match_documents(project: Project, claims: tuple[IncomingClaim, ...]) -> dict[str, str]:
    """Incoming claim id -> project document id, for the claims whose document is here."""
    docs = project.documents()
    by_id = {d.id: d.id for d in docs}
    by_url: dict[str, list[str]] = {}
    by_title: dict[str, list[str]] = {}
    for d in docs:
        if d.url:
            by_url.setdefault(normalize_url(d.url), []).append(d.id)
        by_title.setdefault(d.title.casefold().strip(), []).append(d.id)
    out: dict[str, str] = {}
    for claim in claims:
        want = claim.document
        candidates = [
            [by_id[want.id]] if want.id in by_id else [],
            by_url.get(normalize_url(want.url), []) if want.url else [],
            by_title.get(want.title.casefold().strip(), []) if want.title.strip() else [],
        ]
        for found in candidates:
            if len(found) == 1:
                out[claim.id] = found[0]
                break
    return out


def import_incoming(
    project: Project,
    incoming: Incoming,
    file_name: str,
    *,
    default_label: str | None = None,
) -> ImportReport:
    """Import a batch read from `file_name`; see the module's docstring. `default_label`: the
    label (name) of claims that name none; None = "unassessed", created when first needed."""
    read = len(incoming.claims) + len(incoming.links) + len(incoming.skipped)
    if not incoming.claims and not incoming.links:
        raise AnnotationImportRefused(
            f"{file_name} holds no annotations that could become claims or links."
            if read
            else f"{file_name} holds no annotations."
        )
    documents = _match_documents(project, incoming.claims)
    if incoming.claims and not documents:
        names = sorted({c.document.describe() for c in incoming.claims})
        shown = "; ".join(names[:3]) + ("; …" if len(names) > 3 else "")
        raise AnnotationImportRefused(
            f"None of the {len(incoming.claims)} annotations in {file_name} belongs to a document "
            f"of this project (they are for: {shown}); import those documents first."
        )
    skipped = list(incoming.skipped)
    moved: list[ImportIssue] = []
    label_ids = {lab.name.casefold(): lab.id for lab in project.labels()}
    label_names = set(label_ids) | {lab.name.strip().casefold() for lab in incoming.labels}
    existing = project.claims_by_id(c.id for c in incoming.claims)
    texts: dict[str, str] = {}
    new_claims: list[tuple[Claim, str, str]] = []  # (claim, label name, colour)
    seen: set[str] = set()
    now = utcnow()
    for claim in incoming.claims:
        if claim.id in existing or claim.id in seen:
            where = "in the project" if claim.id in existing else "earlier in the file"
            skipped.append(ImportIssue(claim.ref, f"the same claim is {where} already."))
            continue
        doc_id = documents.get(claim.id)
        if doc_id is None:
            skipped.append(
                ImportIssue(claim.ref, f"no document “{claim.document.describe()}” here.")
            )
            continue
        if claim.quote is None or not claim.quote.exact:
            skipped.append(ImportIssue(claim.ref, "it has no quote (TextQuoteSelector)."))
            continue
        if doc_id not in texts:
            texts[doc_id] = project.document_text(doc_id)
        text = texts[doc_id]
        found = anchor(text, claim.quote, claim.start, claim.end)
        if found is None:
            quote = " ".join(claim.quote.exact.split())[:60]
            skipped.append(ImportIssue(claim.ref, f"the quote “{quote}” is not in the document."))
            continue
        if found.method != "position" and claim.start is not None:
            moved.append(
                ImportIssue(
                    claim.ref,
                    f"anchored by {found.method} at [{found.start}, {found.end}) "
                    f"(score {found.score:.2f}).",
                )
            )
        tags = normalize_tags(claim.tags)
        label_name = claim.label.strip()
        if not label_name:
            label_name = next((t for t in tags if t.casefold() in label_names), "")
            tags = tuple(t for t in tags if t != label_name)
        label_name = label_name or default_label or DEFAULT_LABEL[0]
        seen.add(claim.id)
        new_claims.append(
            (
                Claim(
                    id=claim.id,
                    document_id=doc_id,
                    start=found.start,
                    end=found.end,
                    quote=QuoteSelector.at(text, found.start, found.end),
                    label_id="",
                    note=claim.note,
                    tags=tags,
                    evidence=claim.evidence,
                    author=claim.author,
                    created=claim.created or now,
                    modified=claim.modified or claim.created or now,
                    revision=max(1, claim.revision),
                ),
                label_name,
                claim.label_color,
            )
        )
    new_links = _plan_links(project, incoming.links, seen, skipped, now)
    colors = {name.casefold(): color for _, name, color in new_claims if color}
    pending: dict[str, _PendingLabel] = {}
    wanted = [(lab.name, lab.color, lab.description) for lab in incoming.labels]
    wanted += [(name, color, "") for _, name, color in new_claims]
    for name, color, description in wanted:
        key = name.strip().casefold()
        if key and key not in label_ids and key not in pending:
            if key == DEFAULT_LABEL[0]:
                color, description = color or DEFAULT_LABEL[1], description or DEFAULT_LABEL[2]
            pending[key] = _pending(name, color or colors.get(key, ""), description)
    created_labels = list(pending.values())
    report = ImportReport(
        file_name=file_name,
        format=incoming.format,
        read=read,
        claims=tuple(a.id for a, _, _ in new_claims),
        links=tuple(k.id for k in new_links),
        labels=tuple(lab.name for lab in created_labels),
        moved=tuple(moved),
        skipped=tuple(skipped),
    )
    if not new_claims and not new_links and not created_labels:
        return report
    try:
        changes = _write(project, new_claims, new_links, created_labels, label_ids)
    except (IntegrityError, ConflictError) as exc:
        raise AnnotationImportRefused(
            f"The project changed while {file_name} was being imported; nothing was imported, "
            "try again."
        ) from exc
    return replace(report, changes=changes)


@dataclass(frozen=True)
class _PendingLabel:
    name: str
    color: str
    description: str


def _pending(name: str, color: str, description: str) -> _PendingLabel:
    try:
        color = check_color(color) if color else NEW_LABEL_COLOR
    except AnnotatorError:
        color = NEW_LABEL_COLOR
    return _PendingLabel(name.strip(), color, description)


def _plan_links(
    project: Project,
    links: tuple[IncomingLink, ...],
    new_claim_ids: set[str],
    skipped: list[ImportIssue],
    now: datetime,
) -> list[Link]:
    ends = {k.source_id for k in links} | {k.target_id for k in links}
    present = set(project.claims_by_id(ends - new_claim_ids)) | (ends & new_claim_ids)
    known = {(k.source_id, k.target_id, k.relation.value): k.id for k in project.links()}
    known_ids = set(known.values())
    out: list[Link] = []
    for item in links:
        if item.id in known_ids:
            skipped.append(ImportIssue(item.ref, "the same link is in the project already."))
            continue
        try:
            relation = Relation(item.relation.strip().lower())
        except ValueError:
            skipped.append(ImportIssue(item.ref, f"unknown relation {item.relation!r}."))
            continue
        missing = [c for c in (item.source_id, item.target_id) if c not in present]
        if missing:
            skipped.append(ImportIssue(item.ref, f"its claim {missing[0]} is not in the project."))
            continue
        key = (item.source_id, item.target_id, relation.value)
        if key in known:
            skipped.append(ImportIssue(item.ref, "these claims are linked that way already."))
            continue
        if item.source_id == item.target_id:
            skipped.append(ImportIssue(item.ref, "a claim cannot be linked to itself."))
            continue
        known[key] = item.id
        known_ids.add(item.id)
        out.append(
            Link(
                id=item.id,
                source_id=item.source_id,
                target_id=item.target_id,
                relation=relation,
                note=item.note,
                author=item.author,
                created=item.created or now,
            )
        )
    return out


def _write(
    project: Project,
    claims: list[tuple[Claim, str, str]],
    links: list[Link],
    created_labels: list[_PendingLabel],
    label_ids: dict[str, str],
) -> Changes:
    """One transaction: the new labels, then the claims, then the links."""
    with project._mutation("Import annotations") as (session, changes):
        label_ids = dict(label_ids)
        position = session.scalar(select(func.max(LabelRow.position))) or 0
        for lab in created_labels:
            position += 1
            row = LabelRow(
                id=new_id(),
                name=lab.name,
                color=lab.color,
                key=None,
                position=position,
                builtin=False,
                description=lab.description,
            )
            session.add(row)
            changes.add("label", row.id)
            label_ids[lab.name.casefold()] = row.id
        session.flush()  # the labels first: nothing orders rows related only by a foreign key
        for ann, label_name, _ in claims:
            ann = replace(ann, label_id=label_ids[label_name.casefold()])
            row_a = ClaimRow()
            fill_claim_row(row_a, ann)
            session.add(row_a)
            changes.add("annotation", ann.id)
        session.flush()
        for link in links:
            session.add(new_link_row(link))
            changes.add("link", link.id)
    return changes.done()
