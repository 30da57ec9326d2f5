"""Fixtures for search: a real project, a real Whoosh index in tmp_path, a small known corpus."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.search import SearchService
from annotator.services.api import Project


@pytest.fixture(autouse=True)
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every index of these tests lives under tmp_path (never in the user's cache)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(folder))
    return folder


PAD = "Lorem ipsum dolor sit amet, consectetur adipiscing elit."
"""Between claims, so that no claim's 32 characters of context reach another claim's words."""

RUSSIA = (
    "The Democratic Party and the intelligence agencies have been engaged in a campaign "
    f"against Russia. {PAD}\n\n"
    f"{PAD} Shachtman went on to play a counterrevolutionary role. He supported the war in "
    f"Korea.\n\n{PAD} The ruling class is divided over foreign policy toward Moscow. {PAD}"
)
WIKI = (
    f"The ISO had its roots in a split after the pact of 1939. {PAD}\n\n"
    f"{PAD} A minority led by Max Schachtman held that the Soviet Union was no longer a "
    f'"workers\' state" worthy of defence. {PAD}\n\n'
    f"{PAD} Its members studied Marxist theory & history <in depth>. {PAD}"
)


@dataclass
class Corpus:
    russia: str
    wiki: str
    labels: dict[str, str]
    claims: dict[str, str]
    """Short name -> claim id."""


def span(project: Project, doc_id: str, needle: str) -> tuple[int, int]:
    start = project.document_text(doc_id).index(needle)
    return start, start + len(needle)


@pytest.fixture
def corpus(project: Project, add_text: object) -> Corpus:
    """Two documents and a handful of claims whose words, labels, tags and notes are known."""
    russia = add_text(RUSSIA, title="The CIA-led anti-Russia campaign", published="2017-02-21")  # type: ignore[operator]
    wiki = add_text(WIKI, title="International Socialist Organization", published="2014")  # type: ignore[operator]
    labels = {lab.name: lab.id for lab in project.labels()}
    claims: dict[str, str] = {}

    def claim(name: str, doc: str, needle: str, label: str, **kw: object) -> None:
        start, end = span(project, doc, needle)
        changes = project.create_claim(doc, start, end, labels[label], **kw)  # type: ignore[arg-type]
        assert changes.created_id
        claims[name] = changes.created_id

    claim(
        "korea",
        russia,
        "Shachtman went on to play a counterrevolutionary role",
        "disputed",
        note="Shachtman's part in Korea is contested by historians.",
        tags=["Cold War"],
    )
    claim(
        "campaign",
        russia,
        "engaged in a campaign against Russia",
        "polemical",
        note="Loaded wording; no source given.",
        tags=["Media", "Russia"],
    )
    claim(
        "ruling",
        russia,
        "The ruling class is divided over foreign policy",
        "sourced",
        tags=["Russia"],
    )
    claim(
        "workers",
        wiki,
        'no longer a "workers\' state"',
        "disputed",
        note="Compare with the WSWS account of the split.",
    )
    claim(
        "theory",
        wiki,
        "studied Marxist theory & history <in depth>",
        "sourced",
        note="Members' <memoirs> & letters",
    )
    project.create_link(claims["korea"], claims["workers"], "contradicts")
    return Corpus(russia, wiki, labels, claims)


@pytest.fixture
def service(project: Project, corpus: Corpus) -> Iterator[SearchService]:
    svc = SearchService(project)
    try:
        yield svc
    finally:
        svc.close()
