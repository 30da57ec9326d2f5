"""Messy sample texts through the services: the suite's own, and the real ones of ../shared/samples
(that run skipped without them).

They go in through `ImportedText` with the raw file text, not through the importers (which
another part of the suite tests): this checks storage, paragraphs, claims and anchoring on
messy text.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from annotator.domain.anchoring import anchor
from annotator.domain.text import normalize_newlines
from annotator.importers.base import ImportedText
from annotator.services.api import Project


def _add_samples(project: Project, sample_folder: Path) -> list[str]:
    ids = []
    for path in sorted(sample_folder.iterdir()):
        if path.suffix not in (".txt", ".md"):
            continue
        data = path.read_bytes()
        imported = ImportedText(data.decode("utf-8"), "text", title=path.stem)
        doc_id = project.add_document(imported, data, path.name).created_id
        assert doc_id
        ids.append(doc_id)
    return ids


def test_samples_store_and_claim(project: Project, sample_folder: Path) -> None:
    ids = _add_samples(project, sample_folder)
    assert ids
    label = project.labels()[0].id
    for doc_id in ids:
        doc = project.document(doc_id)
        source = (sample_folder / doc.file_name).read_bytes().decode("utf-8")
        assert doc.text == normalize_newlines(source)
        assert project.original_bytes(doc_id) == (sample_folder / doc.file_name).read_bytes()
        assert doc.paragraphs
        for start, end in doc.paragraphs:
            assert doc.text[start:end].strip() == doc.text[start:end]
        # Claim the longest paragraph and re-find it after the text is edited above it.
        start, end = max(doc.paragraphs, key=lambda p: p[1] - p[0])
        claim_id = project.create_claim(doc_id, start, end, label).created_id
        assert claim_id
        claim = project.annotation(claim_id)
        claim.check_against(doc.text)
        edited = "[Editor's note added later.]\n\n" + doc.text
        found = anchor(edited, claim.quote, claim.start, claim.end)
        assert found is not None
        assert edited[found.start : found.end] == claim.quote.exact


def test_samples_are_duplicates_the_second_time(project: Project, sample_folder: Path) -> None:
    _add_samples(project, sample_folder)
    path = next(p for p in sorted(sample_folder.iterdir()) if p.suffix in (".txt", ".md"))
    data = path.read_bytes()
    existing = project.find_by_hash(hashlib.sha256(data).hexdigest())
    assert existing is not None and existing.file_name == path.name
