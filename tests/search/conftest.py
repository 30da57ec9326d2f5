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

CLOSURE = (
    "The Harbour Party and the port authority have long been running a campaign "
    f"against Tidewater. {PAD}\n\n"
    f"{PAD} Halvorsen later took a strikebreaking part. He backed the sale of the Harnby "
    f"quays.\n\n{PAD} The harbour board is divided over its policy toward Brackwater. {PAD}"
)
GUILD = (
    f"The Guild had its beginnings in a quarrel after the flood of 1953. {PAD}\n\n"
    f"{PAD} A faction led by Nils Halvorssen said that the north basin, no longer a "
    f'"dockers\' harbour", was not worth defending. {PAD}\n\n'
    f"{PAD} Its members studied maritime law & history <in depth>. {PAD}"
)


@dataclass
class Corpus:
    closure: str
    guild: str
    labels: dict[str, str]
    claims: dict[str, str]
    """Short name -> claim id."""


def span(project: Project, doc_id: str, needle: str) -> tuple[int, int]:
    start = project.document_text(doc_id).index(needle)
    return start, start + len(needle)


@pytest.fixture
def corpus(project: Project, add_text: object) -> Corpus:
    """Two documents and a handful of claims whose words, labels, tags and notes are known."""
    closure = add_text(
        CLOSURE, title="The council-led harbour-closure campaign", published="2017-02-21"
    )  # type: ignore[operator]
    guild = add_text(GUILD, title="Harbour Pilots Guild", published="2014")  # type: ignore[operator]
    labels = {lab.name: lab.id for lab in project.labels()}
    claims: dict[str, str] = {}

    def claim(name: str, doc: str, needle: str, label: str, **kw: object) -> None:
        start, end = span(project, doc, needle)
        changes = project.create_claim(doc, start, end, labels[label], **kw)  # type: ignore[arg-type]
        assert changes.created_id
        claims[name] = changes.created_id

    claim(
        "harnby",
        closure,
        "Halvorsen later took a strikebreaking part",
        "disputed",
        note="Halvorsen's part in Harnby is contested by historians.",
        tags=["Great Flood"],
    )
    claim(
        "campaign",
        closure,
        "running a campaign against Tidewater",
        "polemical",
        note="Loaded wording; no source given.",
        tags=["Press", "Tidewater"],
    )
    claim(
        "board",
        closure,
        "The harbour board is divided over its policy",
        "sourced",
        tags=["Tidewater"],
    )
    claim(
        "dockers",
        guild,
        'no longer a "dockers\' harbour"',
        "disputed",
        note="Compare with the Chronicle's account of the quarrel.",
    )
    claim(
        "studies",
        guild,
        "studied maritime law & history <in depth>",
        "sourced",
        note="Members' <memoirs> & letters",
    )
    project.create_link(claims["harnby"], claims["dockers"], "contradicts")
    return Corpus(closure, guild, labels, claims)


@pytest.fixture
def service(project: Project, corpus: Corpus) -> Iterator[SearchService]:
    svc = SearchService(project)
    try:
        yield svc
    finally:
        svc.close()
