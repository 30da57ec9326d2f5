"""Generated data for the benchmarks (not a measurement family).

Text: the Zipf-distributed vocabulary of `benchmarks._data` (the search benchmark's generator),
cut into paragraphs, with non-ASCII words (accents, combining marks, Cyrillic, Greek, CJK,
Hebrew and Arabic) and emoji (astral characters, so UTF-16 and code-point offsets differ)
mixed in. `make_text(n_bytes)` gives about `n_bytes` of UTF-8.

Projects: `build_project(path, [(text bytes, claims), ...], links=...)` creates a real project
(`Project.create`, documents through `Project.add_document`), then bulk-inserts claims with
quote selectors, notes, tags and evidence, and links between claims, in one transaction
(creating 10,000 claims one by one through the services would take minutes).

Import files: `make_import_files(folder, kind, n_bytes, count)` writes text, HTML, DOCX
(python-docx) and PDF (Qt's QPdfWriter + QTextDocument) files.
"""

from __future__ import annotations

import json
import random
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from benchmarks._data import AUTHORS, RELATIONS, TAGS, _paragraph, _vocabulary, bulk_insert

NON_ASCII = [
    "Ökonomie",
    "naïve",
    "café",
    "Zürich",
    "Łódź",
    "façade",
    "Dvořák",
    "İstanbul",
    "São",
    "Ærø",
    "déjà-vu",
    "Mañana",
    "Москва",
    "правда",
    "революция",
    "Пролетариат",
    "Πολιτεία",
    "δημοκρατία",
    "東京",
    "北京",
    "革命",
    "שלום",
    "מלחמה",
    "مرحبا",
    "ثورة",
    "café",
    "résumé",
]
EMOJI = ("😀", "🚩", "📜", "🔥", "✊", "🌍", "👍🏽", "🇩🇪", "🗞️", "⚠️")


@dataclass(frozen=True)
class BenchDocument:
    id: str
    title: str
    chars: int
    utf8_bytes: int
    claims: list[str]


@dataclass(frozen=True)
class BenchProject:
    path: Path
    documents: list[BenchDocument]
    links: int

    @property
    def claims(self) -> int:
        return sum(len(d.claims) for d in self.documents)


class TextMaker:
    """Paragraphs of generated prose, deterministic for a seed."""

    def __init__(self, seed: int = 7, vocabulary: int = 20_000) -> None:
        self.rng = random.Random(seed)
        self.vocab = _vocabulary(self.rng, vocabulary)
        self.cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(self.vocab))))

    def paragraph(self) -> str:
        rng = self.rng
        words = _paragraph(rng, self.vocab, self.cum).split(" ")
        for _ in range(rng.randint(1, 4)):
            words.insert(rng.randrange(len(words)), rng.choice(NON_ASCII))
        if rng.random() < 0.35:
            words.insert(rng.randrange(1, len(words)), rng.choice(EMOJI))
        return " ".join(words)

    def text(self, n_bytes: int) -> str:
        """About `n_bytes` of UTF-8: paragraphs separated by blank lines."""
        parts: list[str] = []
        size = 0
        while size < n_bytes:
            p = self.paragraph()
            parts.append(p)
            size += len(p.encode()) + 2
        return "\n\n".join(parts)


def format_spans(text: str) -> tuple[Any, ...]:
    """Formatting as a Markdown or HTML source of `text` would have: every 40th paragraph a
    heading, and about one emphasis or strong word in 25 (a 10 MB text has ~70,000 spans)."""
    from annotator.domain.formatting import FormatKind, FormatSpan, valid_spans

    spans: list[FormatSpan] = []
    for n, para in enumerate(re.finditer(r"[^\n]+", text)):
        if n % 40 == 0:
            spans.append(FormatSpan(para.start(), para.end(), FormatKind.HEADING2))
    for n, word in enumerate(re.finditer(r"\w+", text)):
        if n % 25 == 0:
            kind = FormatKind.STRONG if n % 100 == 0 else FormatKind.EMPHASIS
            spans.append(FormatSpan(word.start(), word.end(), kind))
    return valid_spans(spans, len(text))


def make_text(n_bytes: int, seed: int = 7) -> str:
    return TextMaker(seed).text(n_bytes)


def _claim_spans(rng: random.Random, text: str, n: int) -> list[tuple[int, int]]:
    """`n` spans on word boundaries, 3 to 30 words long; some overlap or nest."""
    spans: list[tuple[int, int]] = []
    length = len(text)
    if length < 20:
        return []
    while len(spans) < n:
        pos = rng.randrange(0, max(1, length - 10))
        start = text.find(" ", pos) + 1
        if start <= 0 or start >= length:
            continue
        end = start
        for _ in range(rng.randint(3, 30)):
            nxt = text.find(" ", end + 1)
            if nxt < 0:
                end = length
                break
            end = nxt
        while end > start and text[end - 1] in " \n.,":
            end -= 1
        while start < end and text[start] in " \n":
            start += 1
        if end - start >= 2:
            spans.append((start, end))
    return spans


def build_project(
    path: Path,
    documents: list[tuple[int, int]],
    *,
    links: int = 0,
    cross_links: int = 0,
    seed: int = 11,
    formatted: bool = False,
) -> BenchProject:
    """A project at `path` with one document per `(text bytes, claims)`; `cross_links` link
    claims of the first document to claims of the second (so connectors draw between two
    panes), `links` more join random claims anywhere."""
    from sqlalchemy import select

    from annotator.importers.base import ImportedText
    from annotator.services.api import Project
    from annotator.storage.orm import (
        ClaimRow,
        EvidenceRow,
        LabelRow,
        LinkRow,
        TagRow,
    )

    rng = random.Random(seed)
    maker = TextMaker(seed)
    project = Project.create(path)
    out_docs: list[BenchDocument] = []
    try:
        with project.engine.connect() as conn:
            label_ids = list(conn.scalars(select(LabelRow.id).order_by(LabelRow.position)))
        texts: list[str] = []
        for i, (n_bytes, _claims) in enumerate(documents):
            text = maker.text(n_bytes)
            texts.append(text)
            title = f"Bench source {i + 1} ({_size_name(n_bytes)})"
            data = f"{i}:{seed}\n{text}".encode()
            changes = project.add_document(
                ImportedText(
                    text=text,
                    format="text",
                    title=title,
                    language="en",
                    formats=format_spans(text) if formatted else (),
                ),
                data,
                f"bench{i + 1}.txt",
            )
            assert changes.created_id is not None
            out_docs.append(BenchDocument(changes.created_id, title, len(text), len(data), []))
        base = datetime(2025, 3, 1)
        ann_rows: list[dict[str, object]] = []
        tag_rows: list[dict[str, object]] = []
        evidence_rows: list[dict[str, object]] = []
        vocab = maker.vocab
        for doc, text, (_b, n_claims) in zip(out_docs, texts, documents, strict=True):
            for start, end in _claim_spans(rng, text, n_claims):
                ann_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                created = base + timedelta(seconds=rng.randrange(0, 300 * 86_400))
                note = ""
                if rng.random() < 0.6:
                    note = " ".join(rng.choices(vocab[:4000], k=rng.randint(5, 30)))
                    if rng.random() < 0.3:
                        note += " " + rng.choice(NON_ASCII) + " " + rng.choice(EMOJI)
                ann_rows.append(
                    dict(
                        id=ann_id,
                        document_id=doc.id,
                        start=start,
                        end=end,
                        exact=text[start:end],
                        prefix=text[max(0, start - 32) : start],
                        suffix=text[end : end + 32],
                        label_id=rng.choices(
                            label_ids, weights=[5, 3, 2, *[1] * 10][: len(label_ids)]
                        )[0],
                        note=note,
                        author=rng.choice(AUTHORS),
                        created=created,
                        modified=created,
                        revision=1,
                    )
                )
                doc.claims.append(ann_id)
                if rng.random() < 0.4:
                    for k, tag in enumerate(rng.sample(TAGS, rng.randint(1, 3))):
                        tag_rows.append(dict(annotation_id=ann_id, position=k, tag=tag))
                if rng.random() < 0.1:
                    evidence_rows.append(
                        dict(
                            annotation_id=ann_id,
                            position=0,
                            citation=f"Archive box {rng.randint(1, 400)}",
                            url=f"https://archive.example.org/{rng.randint(1, 10**6)}",
                        )
                    )
        link_rows: list[dict[str, object]] = []
        seen: set[tuple[str, str, str]] = set()
        all_claims = [c for d in out_docs for c in d.claims]

        def add_link(a: str, b: str) -> None:
            key = (a, b, rng.choice(RELATIONS))
            if a == b or key in seen:
                return
            seen.add(key)
            link_rows.append(
                dict(
                    id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    source_id=a,
                    target_id=b,
                    relation=key[2],
                    note="" if rng.random() < 0.7 else "see the minutes",
                    author=rng.choice(AUTHORS),
                    created=base + timedelta(days=320),
                )
            )

        if cross_links and len(out_docs) >= 2 and out_docs[0].claims and out_docs[1].claims:
            left, right = out_docs[0].claims, out_docs[1].claims
            for a in rng.sample(left, min(cross_links, len(left))):
                add_link(a, rng.choice(right))
        for _ in range(links * 3):
            if len(link_rows) >= links + cross_links or len(all_claims) < 2:
                break
            a, b = rng.sample(all_claims, 2)
            add_link(a, b)
        bulk_insert(
            project,
            [
                (ClaimRow, ann_rows),
                (TagRow, tag_rows),
                (EvidenceRow, evidence_rows),
                (LinkRow, link_rows),
            ],
        )
    finally:
        project.close()
    return BenchProject(path, out_docs, len(link_rows))


def _size_name(n_bytes: int) -> str:
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:g} MB"
    return f"{n_bytes / 1000:g} KB"


size_name = _size_name


# -- import files ---------------------------------------------------------------------------


def make_import_files(
    folder: Path, kind: str, n_bytes: int, count: int, seed: int = 3
) -> list[Path]:
    """`count` files of `kind` ("txt", "html", "docx", "pdf") holding about `n_bytes` of text
    each (the file itself may be bigger: markup, compression, fonts)."""
    folder.mkdir(parents=True, exist_ok=True)
    maker = TextMaker(seed)
    paths: list[Path] = []
    for i in range(count):
        paras = maker.text(n_bytes).split("\n\n")
        path = folder / f"{kind}-{_size_name(n_bytes).replace(' ', '')}-{i}.{kind}"
        if kind == "txt":
            path.write_text("\n\n".join(paras), encoding="utf-8")
        elif kind == "html":
            _write_html(path, paras, i)
        elif kind == "docx":
            _write_docx(path, paras, i)
        elif kind == "pdf":
            _write_pdf(path, paras, i)
        else:
            raise ValueError(kind)
        paths.append(path)
    return paths


def _write_html(path: Path, paras: list[str], i: int) -> None:
    import html

    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paras)
    path.write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Bench page {i}</title><meta name='author' content='Bench Author'>"
        "<meta property='article:published_time' content='2024-05-01'></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Bench page {i}</h1>\n{body}\n</article>"
        "<footer>© Bench Press</footer></body></html>",
        encoding="utf-8",
    )


def _write_docx(path: Path, paras: list[str], i: int) -> None:
    import docx

    d = docx.Document()
    d.core_properties.title = f"Bench document {i}"
    d.core_properties.author = "Bench Author"
    d.add_heading(f"Bench document {i}", level=1)
    for p in paras:
        d.add_paragraph(p)
    d.save(str(path))


def _write_pdf(path: Path, paras: list[str], i: int) -> None:
    """A text PDF printed by Qt (QTextDocument + QPdfWriter), the way a word processor would
    export one: real fonts, real text objects, several pages."""
    import html

    from benchmarks.bench_common import qt_app

    qt_app()
    from PySide6.QtCore import QMarginsF, QSizeF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout.Unit.Millimeter)
    writer.setResolution(96)
    writer.setTitle(f"Bench document {i}")
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(QFont("DejaVu Serif", 11))
    doc.setHtml("".join(f"<p>{html.escape(p)}</p>" for p in paras))
    doc.setPageSize(QSizeF(writer.width(), writer.height()))
    doc.print_(writer)


def describe_project(p: BenchProject) -> str:
    return json.dumps(
        {
            "documents": [(d.title, d.chars, len(d.claims)) for d in p.documents],
            "links": p.links,
        }
    )
