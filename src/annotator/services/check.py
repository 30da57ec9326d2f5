"""Verifying a project file: SQLite's own checks plus the invariants Annotator relies on.

`check_project(project)` never changes the project and never stops at the first problem: it
reads the rows as they are (not through the domain mapping, which would refuse bad values) and
returns a `CheckReport` listing what it verified and every problem it found. The CLI's `check`,
the UI and the reliability work all use it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from annotator.domain.errors import ValidationError
from annotator.domain.model import (
    QUOTE_CONTEXT,
    PartialDate,
    Relation,
    SourceKind,
    check_color,
    check_key,
)
from annotator.domain.text import astral_positions, block_starts
from annotator.storage.mapping import unpack_offsets
from annotator.storage.orm import (
    ChangeRow,
    DocumentRow,
    DocumentTextRow,
    LabelRow,
    LinkRow,
    OriginalRow,
    ProjectMetaRow,
)
from annotator.storage.rows import ANNOTATION_COLUMNS

if TYPE_CHECKING:
    from annotator.services.api import Project

MAX_SQLITE_MESSAGES = 20
"""At most this many lines of `PRAGMA integrity_check` output are kept as problems."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong. `entity`/`entity_id` name what it is about when there is such a thing
    (e.g. `("annotation", id)`, so a UI can select the claim)."""

    kind: str
    """integrity, foreign_key, document, quote, label, link, change_number, project"""
    message: str
    entity: str = ""
    entity_id: str = ""

    def __str__(self) -> str:
        return self.message


@dataclass
class CheckReport:
    checked: list[str] = field(default_factory=list)
    """What was verified, one short sentence each, in order (shown even when all is well)."""
    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    """documents, claims, links, labels: how many rows were examined."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, kind: str, message: str, entity: str = "", entity_id: str = "") -> None:
        self.problems.append(Problem(kind, message, entity, entity_id))

    def problems_of(self, kind: str) -> list[Problem]:
        return [p for p in self.problems if p.kind == kind]


def check_project(project: Project) -> CheckReport:
    """Verify the whole project; read-only."""
    report = CheckReport()
    _sqlite_checks(project, report)
    with project.read_snapshot() as conn, Session(bind=conn) as session:
        texts = _check_documents(session, report)
        label_ids = _check_labels(session, report)
        claim_ids = _check_claims(session, report, texts, label_ids)
        _check_links(session, report, claim_ids)
        _check_change_number(session, report)
    return report


def sqlite_integrity(path: Path) -> list[str]:
    """SQLite's own check of a file that Annotator refuses to open (damaged), read without
    modifying it: the problems SQLite reports (["ok"] when it finds none), or [] when SQLite
    cannot even run the check."""
    import sqlite3

    from annotator.storage.sqlite_files import readonly_uri

    try:
        conn = sqlite3.connect(readonly_uri(path), uri=True)  # a `?` or `#` in a name escaped
    except sqlite3.Error:
        return []
    try:
        return _integrity_lines(lambda sql: [str(r[0]) for r in conn.execute(sql)])
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def _integrity_lines(run: Callable[[str], list[str]]) -> list[str]:
    """`PRAGMA integrity_check`, falling back to `quick_check` (which survives some damage the
    full check stops at), one problem per line."""
    try:
        rows = run(f"PRAGMA integrity_check({MAX_SQLITE_MESSAGES})")
    except Exception:
        rows = run(f"PRAGMA quick_check({MAX_SQLITE_MESSAGES})")
    lines = [line.strip() for row in rows for line in row.splitlines()]
    return [line for line in lines if line and not line.startswith("*** in database")]


def _short(value: str, size: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= size else value[: size - 1] + "…"


# -- SQLite ------------------------------------------------------------------------------------


def _sqlite_checks(project: Project, report: CheckReport) -> None:
    if project.server is not None:
        report.checked.append(
            "Storage and foreign keys: kept by the PostgreSQL server (no file to check)."
        )
        return
    try:
        with project.read_snapshot() as conn:
            lines = _integrity_lines(lambda sql: [str(r[0]) for r in conn.exec_driver_sql(sql)])
            fk_rows = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
    except DatabaseError as exc:
        report.add("integrity", f"SQLite could not check the file: {getattr(exc, 'orig', exc)}.")
        return
    if lines == ["ok"]:
        report.checked.append("SQLite integrity check: ok.")
    else:
        report.checked.append(f"SQLite integrity check: {len(lines)} problem(s).")
        for line in lines[:MAX_SQLITE_MESSAGES]:
            report.add("integrity", f"SQLite integrity check: {line}")
    if not fk_rows:
        report.checked.append("Foreign keys: ok.")
    else:
        report.checked.append(f"Foreign keys: {len(fk_rows)} broken reference(s).")
        for table, rowid, parent, _fkid in fk_rows[:MAX_SQLITE_MESSAGES]:
            report.add(
                "foreign_key",
                f"A row of {table} (rowid {rowid}) refers to a missing row of {parent}.",
            )


# -- documents ---------------------------------------------------------------------------------


def _check_documents(session: Session, report: CheckReport) -> dict[str, str]:
    """Check each document's stored facts; returns {document id: text} for the claim checks."""
    texts: dict[str, str] = {}
    bad_before = len(report.problems)
    rows = session.execute(
        select(
            DocumentRow.id,
            DocumentRow.title,
            DocumentRow.text_length,
            DocumentRow.paragraphs,
            DocumentRow.published,
            DocumentRow.source_kind,
            DocumentRow.sha256,
            DocumentTextRow.text,
            DocumentTextRow.block_starts,
            DocumentTextRow.astral,
        )
        .outerjoin(DocumentTextRow, DocumentTextRow.document_id == DocumentRow.id)
        .order_by(DocumentRow.position)
    )
    for doc_id, title, length, paragraphs, published, kind, sha, text, starts, astral in rows:
        name = f"Document “{_short(title)}”"

        def bad(message: str, doc_id: str = doc_id) -> None:
            report.add("document", message, "document", doc_id)

        if not isinstance(text, str):
            bad(f"{name} has lost its text." if text is None else f"{name}: its text is damaged.")
            text = ""
        texts[doc_id] = text
        if not _offsets_are(starts, block_starts, text) or not _offsets_are(
            astral, astral_positions, text
        ):
            bad(f"{name}: the line positions stored with its text do not match the text.")
        if "\r" in text:
            bad(f"{name} has unnormalised line endings in its text.")
        if length != len(text):
            bad(f"{name} records a length of {length} but its text has {len(text)} characters.")
        try:
            spans = json.loads(paragraphs or "[]")
            if any(not (0 <= int(s) <= int(e) <= len(text)) for s, e in spans):
                bad(f"{name} has a paragraph boundary outside its text.")
        except (ValueError, TypeError):
            bad(f"{name} has unreadable paragraph boundaries.")
        if published:
            try:
                PartialDate.parse(published)
            except ValidationError:
                bad(f"{name} has an invalid publication date {published!r}.")
        if kind not in {k.value for k in SourceKind}:
            bad(f"{name} has an unknown source kind {kind!r}.")
        data = session.scalar(select(OriginalRow.data).where(OriginalRow.document_id == doc_id))
        if data is None:
            bad(f"{name} has lost its original file.")
        elif hashlib.sha256(data).hexdigest() != sha:
            bad(f"{name}: its original file no longer matches its checksum.")
    report.counts["documents"] = len(texts)
    found = len(report.problems) - bad_before
    report.checked.append(
        f"{len(texts)} document(s): " + ("ok." if not found else f"{found} problem(s).")
    )
    return texts


def _offsets_are(packed: object, compute: Callable[[str], list[int]], text: str) -> bool:
    """Whether `packed` holds the offsets `compute(text)` derives (what the import stored)."""
    if not isinstance(packed, bytes):
        return False
    try:
        return unpack_offsets(packed) == compute(text)
    except ValueError:
        return False


# -- labels ------------------------------------------------------------------------------------


def _check_labels(session: Session, report: CheckReport) -> set[str]:
    ids: set[str] = set()
    bad_before = len(report.problems)
    for label_id, name, color, key in session.execute(
        select(LabelRow.id, LabelRow.name, LabelRow.color, LabelRow.key)
    ):
        ids.add(label_id)
        if not (name or "").strip():
            report.add("label", f"Label {label_id} has no name.", "label", label_id)
        try:
            check_color(color)
            check_key(key)
        except ValidationError as exc:
            report.add("label", f"Label {name}: {exc}", "label", label_id)
    report.counts["labels"] = len(ids)
    found = len(report.problems) - bad_before
    report.checked.append(
        f"{len(ids)} label(s): " + ("ok." if not found else f"{found} problem(s).")
    )
    return ids


# -- claims ------------------------------------------------------------------------------------


def _check_claims(
    session: Session, report: CheckReport, texts: dict[str, str], label_ids: set[str]
) -> set[str]:
    ids: set[str] = set()
    bad_before = len(report.problems)
    # id, document id, start, end, exact, prefix, suffix, label id
    rows = session.execute(select(*ANNOTATION_COLUMNS[:8]))
    for claim_id, doc_id, start, end, exact, prefix, suffix, label_id in rows:
        ids.add(claim_id)

        def bad(kind: str, message: str, claim_id: str = claim_id) -> None:
            report.add(kind, message, "annotation", claim_id)

        if label_id not in label_ids:
            bad("label", f"Claim {claim_id} has a label that does not exist ({label_id}).")
        text = texts.get(doc_id)
        if text is None:
            bad("quote", f"Claim {claim_id} belongs to a document that does not exist.")
            continue
        if not (0 <= start < end <= len(text)):
            bad(
                "quote",
                f"Claim {claim_id} has the span [{start}, {end}), outside its document "
                f"({len(text)} characters).",
            )
            continue
        actual = text[start:end]
        if actual != exact:
            bad(
                "quote",
                f"Claim {claim_id}: its quote “{_short(exact)}” does not match the text at "
                f"[{start}, {end}), which reads “{_short(actual)}”.",
            )
            continue
        if (
            prefix != text[max(0, start - QUOTE_CONTEXT) : start]
            or suffix != text[end : end + QUOTE_CONTEXT]
        ):
            bad("quote", f"Claim {claim_id}: the context stored around its quote has changed.")
    report.counts["claims"] = len(ids)
    found = len(report.problems) - bad_before
    report.checked.append(
        f"{len(ids)} claim(s): "
        + ("every quote matches the text at its span." if not found else f"{found} problem(s).")
    )
    return ids


# -- links -------------------------------------------------------------------------------------


def _check_links(session: Session, report: CheckReport, claim_ids: set[str]) -> None:
    relations = {r.value for r in Relation}
    count = 0
    bad_before = len(report.problems)
    for link_id, source, target, relation in session.execute(
        select(LinkRow.id, LinkRow.source_id, LinkRow.target_id, LinkRow.relation)
    ):
        count += 1
        for end, name in ((source, "source"), (target, "target")):
            if end not in claim_ids:
                report.add(
                    "link",
                    f"Link {link_id}: its {name} claim {end} does not exist.",
                    "link",
                    link_id,
                )
        if source == target:
            report.add("link", f"Link {link_id} links a claim to itself.", "link", link_id)
        if relation not in relations:
            report.add(
                "link", f"Link {link_id} has an unknown relation {relation!r}.", "link", link_id
            )
    report.counts["links"] = count
    found = len(report.problems) - bad_before
    report.checked.append(
        f"{count} link(s): "
        + ("both ends of every link exist." if not found else f"{found} problem(s).")
    )


# -- change number -----------------------------------------------------------------------------


def _check_change_number(session: Session, report: CheckReport) -> None:
    """The project-wide change number never lags behind the outbox (a mutation that touched
    nothing may bump it without writing an outbox row, so it can be ahead)."""
    meta = {k: v for k, v in session.execute(select(ProjectMetaRow.key, ProjectMetaRow.value))}
    if not meta.get("project_id"):
        report.add("project", "The project has no id.")
    raw = meta.get("change_number")
    highest = session.scalar(
        select(ChangeRow.change_number).order_by(ChangeRow.change_number.desc())
    )
    try:
        number = int(raw) if raw is not None else None
    except ValueError:
        number = None
    if number is None or number < 0:
        report.add("change_number", f"The project's change number is missing or invalid ({raw!r}).")
        report.checked.append("Change number: missing or invalid.")
    elif highest is not None and highest > number:
        report.add(
            "change_number",
            f"The change number {number} is behind the change log, which reaches {highest}.",
        )
        report.checked.append(f"Change number {number}: behind the change log.")
    else:
        report.checked.append(f"Change number {number}: consistent with the change log.")
