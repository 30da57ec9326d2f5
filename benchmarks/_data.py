"""Generated projects for the benchmarks: big, deterministic, written straight through SQL.

`generate_project(path, documents=200, annotations=100_000, seed=1)` creates a real project file
(schema by the Alembic migrations, built-in labels seeded by `Project.create`) and fills it in ONE
transaction with SQLAlchemy Core bulk inserts: documents (with their original bytes and paragraph
spans), claims with quote selectors, notes, tags, evidence, and links between claims. It then
bumps the project's change number once, so every derived cache (the search index) sees that the
project changed. 100,000 claims take a few seconds.

The text is a Zipf-distributed mix of invented words and a fixed list of real words, with a few
fixed phrases sprinkled in, so that benchmarks can use stable queries whose hit counts range from
rare to very common (see `QUERY_WORDS`, `PHRASES`, `TAGS`).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

# Real words at fixed ranks of the Zipf distribution: benchmarks query them.
QUERY_WORDS: dict[str, int] = {
    "party": 5,
    "workers": 12,
    "socialist": 20,
    "revolution": 40,
    "imperialist": 80,
    "bureaucracy": 200,
    "syndicalist": 600,
    "halvorsen": 2_000,
    "collectivism": 5_000,
}
PHRASES = ("ruling class", "no longer a dockers harbour", "foreign policy", "united front")
TAGS = tuple(
    f"{a} {b}"
    for a in ("harbour", "party", "media", "war", "labour", "election")
    for b in ("history", "claims", "sources", "figures", "quotes")
)
AUTHORS = ("alice", "bruno", "chen", "dana")
RELATIONS = ("corroborates", "contradicts", "repeats", "cites")
_SYLLABLES = [
    "ka",
    "ri",
    "to",
    "men",
    "sal",
    "vo",
    "de",
    "pra",
    "lin",
    "ost",
    "ur",
    "bel",
    "mar",
    "qui",
    "tes",
    "non",
    "gra",
    "fel",
    "dor",
    "ich",
    "an",
    "ber",
    "cor",
    "dis",
    "ep",
    "fal",
    "gen",
    "hal",
    "im",
    "jor",
    "kel",
    "lum",
    "mor",
    "nel",
    "opt",
    "per",
    "rus",
    "stan",
    "tor",
]


@dataclass(frozen=True)
class GeneratedProject:
    path: Path
    documents: int
    annotations: int
    links: int
    paragraphs: int
    seconds: float


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set(QUERY_WORDS)
    out: list[str] = []
    while len(out) < size:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in words:
            words.add(word)
            out.append(word)
    for word, rank in sorted(QUERY_WORDS.items(), key=lambda kv: kv[1]):
        out.insert(min(rank, len(out)), word)
    return out


def _paragraph(rng: random.Random, vocab: list[str], cum: list[float]) -> str:
    words = rng.choices(vocab, cum_weights=cum, k=rng.randint(40, 140))
    for _ in range(rng.randint(0, 2)):
        i = rng.randrange(len(words))
        words[i : i + 1] = [words[i], *rng.choice(PHRASES).split()]
    for i in range(rng.randint(5, 14), len(words), rng.randint(9, 16)):
        words[i] += "."
    words[0] = words[0].capitalize()
    return " ".join(words)


def bulk_insert(project: Any, tables: list[tuple[Any, list[dict[str, Any]]]]) -> None:
    """Insert generated rows in one transaction (Core, 5,000 at a time) and count it as one
    change of the project, so that the search index sees the data as new."""
    from sqlalchemy import insert, select, update

    from annotator.storage.orm import ProjectMetaRow

    with project.engine.begin() as conn:
        for table, rows in tables:
            for i in range(0, len(rows), 5_000):
                conn.execute(insert(table), rows[i : i + 5_000])
        number = int(
            conn.scalar(select(ProjectMetaRow.value).where(ProjectMetaRow.key == "change_number"))
            or 0
        )
        conn.execute(
            update(ProjectMetaRow)
            .where(ProjectMetaRow.key == "change_number")
            .values(value=str(number + 1))
        )


def generate_project(
    path: Path | str,
    documents: int = 200,
    annotations: int = 100_000,
    seed: int = 1,
    *,
    links: int | None = None,
    paragraphs_per_document: int = 30,
    vocabulary: int = 20_000,
) -> GeneratedProject:
    """Create the project file `path` (must not exist) filled with generated data."""
    import time

    from sqlalchemy import select

    from annotator.domain.text import astral_positions, block_starts
    from annotator.services.api import Project
    from annotator.storage.mapping import pack_offsets
    from annotator.storage.orm import (
        ClaimRow,
        DocumentRow,
        DocumentTextRow,
        EvidenceRow,
        LabelRow,
        LinkRow,
        OriginalRow,
        TagRow,
    )

    t0 = time.perf_counter()
    path = Path(path)
    rng = random.Random(seed)
    vocab = _vocabulary(rng, vocabulary)
    cum = list(accumulate(1.0 / (rank + 1) for rank in range(len(vocab))))
    links = annotations // 20 if links is None else links
    project = Project.create(path)
    try:
        with project.engine.connect() as conn:
            label_ids = list(conn.scalars(select(LabelRow.id).order_by(LabelRow.position)))
        base_time = datetime(2025, 1, 1)
        doc_rows: list[dict[str, object]] = []
        text_rows: list[dict[str, object]] = []
        originals: list[dict[str, object]] = []
        ann_rows: list[dict[str, object]] = []
        tag_rows: list[dict[str, object]] = []
        evidence_rows: list[dict[str, object]] = []
        total_paragraphs = 0
        per_doc = [
            annotations // documents + (1 if i < annotations % documents else 0)
            for i in range(documents)
        ]
        for d in range(documents):
            paras = [_paragraph(rng, vocab, cum) for _ in range(paragraphs_per_document)]
            text = "\n\n".join(paras)
            spans: list[list[int]] = []
            pos = 0
            for p in paras:
                spans.append([pos, pos + len(p)])
                pos += len(p) + 2
            total_paragraphs += len(spans)
            doc_id = f"{d:08x}-0000-4000-8000-{seed:012x}"
            year = rng.randint(1990, 2024)
            published = rng.choice(
                [
                    f"{year}",
                    f"{year}-{rng.randint(1, 12):02d}",
                    f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                ]
            )
            data = text.encode()
            now = base_time + timedelta(minutes=d)
            doc_rows.append(
                dict(
                    id=doc_id,
                    position=d + 1,
                    title=f"Document {d + 1}: " + " ".join(rng.choices(vocab[:3000], k=4)),
                    authors=json.dumps([rng.choice(AUTHORS).title()]),
                    publisher="Bench Press",
                    published=published,
                    url=f"https://example.org/{d}",
                    language="en",
                    source_kind="secondary",
                    provenance_note="",
                    reliability_note="",
                    file_name=f"doc{d}.txt",
                    format="text",
                    sha256=hashlib.sha256(data).hexdigest(),
                    imported_at=now,
                    text_length=len(text),
                    paragraphs=json.dumps(spans),
                    pages="[]",
                    link_urls="[]",
                    flags="[]",
                    modified=now,
                )
            )
            text_rows.append(
                dict(
                    document_id=doc_id,
                    block_starts=pack_offsets(block_starts(text)),
                    astral=pack_offsets(astral_positions(text)),
                    text=text,
                )
            )
            originals.append(dict(document_id=doc_id, data=data))
            # Word start/end offsets, to cut claims on word boundaries.
            starts = [0]
            for i, ch in enumerate(text):
                if ch in " \n" and i + 1 < len(text) and text[i + 1] not in " \n":
                    starts.append(i + 1)
            for _ in range(per_doc[d]):
                w = rng.randrange(len(starts))
                w_end = min(len(starts) - 1, w + rng.randint(3, 25))
                start = starts[w]
                end = starts[w_end] - 1 if w_end > w else len(text)
                end = len(text[:end].rstrip(" \n."))
                if end <= start:
                    end = min(len(text), start + 5)
                created = base_time + timedelta(seconds=rng.randrange(0, 520 * 86_400))
                modified = created + timedelta(
                    seconds=rng.choice([0, 0, rng.randrange(86_400 * 30)])
                )
                ann_id = f"{len(ann_rows):08x}-{d:04x}-4000-8000-{seed:012x}"
                note = ""
                if rng.random() < 0.6:
                    note = " ".join(rng.choices(vocab, cum_weights=cum, k=rng.randint(5, 20)))
                ann_rows.append(
                    dict(
                        id=ann_id,
                        document_id=doc_id,
                        start=start,
                        end=end,
                        exact=text[start:end],
                        prefix=text[max(0, start - 32) : start],
                        suffix=text[end : end + 32],
                        label_id=rng.choices(
                            label_ids,
                            weights=[5, 3, 2][: len(label_ids)] + [1] * (len(label_ids) - 3),
                        )[0],
                        note=note,
                        author=rng.choice(AUTHORS),
                        created=created,
                        modified=modified,
                        revision=1,
                    )
                )
                if rng.random() < 0.4:
                    for k, tag in enumerate(rng.sample(TAGS, rng.randint(1, 2))):
                        tag_rows.append(dict(annotation_id=ann_id, position=k, tag=tag))
                if rng.random() < 0.1:
                    evidence_rows.append(
                        dict(
                            annotation_id=ann_id,
                            position=0,
                            citation=f"Archive box {rng.randint(1, 400)}, "
                            + " ".join(rng.choices(vocab[:5000], k=3)),
                            url=f"https://archive.example.org/{rng.randint(1, 10**6)}",
                        )
                    )
        link_rows: list[dict[str, object]] = []
        seen: set[tuple[str, str, str]] = set()
        while len(link_rows) < links and len(ann_rows) > 1:
            a, b = rng.sample(range(len(ann_rows)), 2)
            key = (str(ann_rows[a]["id"]), str(ann_rows[b]["id"]), rng.choice(RELATIONS))
            if key in seen:
                continue
            seen.add(key)
            link_rows.append(
                dict(
                    id=f"{len(link_rows):08x}-1111-4000-8000-{seed:012x}",
                    source_id=key[0],
                    target_id=key[1],
                    relation=key[2],
                    note="",
                    author=rng.choice(AUTHORS),
                    created=base_time + timedelta(days=600),
                )
            )
        bulk_insert(
            project,
            [
                (DocumentRow, doc_rows),
                (DocumentTextRow, text_rows),
                (OriginalRow, originals),
                (ClaimRow, ann_rows),
                (TagRow, tag_rows),
                (EvidenceRow, evidence_rows),
                (LinkRow, link_rows),
            ],
        )
    finally:
        project.close()
    return GeneratedProject(
        path=path,
        documents=documents,
        annotations=len(ann_rows),
        links=len(link_rows),
        paragraphs=total_paragraphs,
        seconds=time.perf_counter() - t0,
    )
