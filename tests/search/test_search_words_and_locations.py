"""Joined words found by their parts, snippets that show the quote, hits that say where they are."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from annotator.domain.location import Location
from annotator.domain.model import Evidence
from annotator.search import SearchService
from annotator.search.analysis import word_parts
from annotator.services.api import Project

ARTICLE = (
    "The harbour strike and the zebra crossing\n\n"
    "By A. Writer\n3 March 1931\n\n"
    "Yet the union's web site, dockworker.org, has ignored the council-led anti-pilot "
    "campaign. Write to jane.doe@example.org for the minutes.\n\n"
    "The register counts 1,800 men at the morning call, 4.1% fewer than in May."
)


@dataclass
class Claims:
    site: str
    register: str
    byline: str


@pytest.fixture
def corpus(project: Project, add_text: Callable[..., str]) -> Claims:
    """This module's corpus (the `service` fixture indexes the project once it is filled)."""
    doc = add_text(ARTICLE, title="The e-mail of the strike committee")
    sourced = project.label("sourced").id

    def mark(quote: str, **extra: object) -> str:
        start = ARTICLE.index(quote)
        changes = project.create_claim(doc, start, start + len(quote), sourced, **extra)  # type: ignore[arg-type]
        assert changes.created_id is not None
        return changes.created_id

    return Claims(
        site=mark("union's web site, dockworker.org, has ignored"),
        register=mark(
            "The register counts 1,800 men",
            tags=["numbers"],
            evidence=[Evidence("Harbour register", "https://archive.harbourmaster.org/1931")],
        ),
        byline=mark("By A. Writer"),
    )


def found(service: SearchService, query: str, kind: str = "claims") -> set[str]:
    results = service.search(query, kind=kind)
    return {h.claim_id or f"p{h.paragraph}" for h in results.hits}


def test_word_parts() -> None:
    assert word_parts("plain") == []
    word = "jane.doe@example.org"
    assert [word[a:b] for a, b in word_parts(word)] == [
        "jane.doe",
        "example.org",
        "jane",
        "doe",
        "example",
        "org",
    ]
    assert [w[a:b] for w in ("anti-pilot",) for a, b in word_parts(w)] == ["anti", "pilot"]
    assert word_parts("U.S") == []  # one-letter parts are not words


def test_a_word_inside_a_dotted_name_is_found_by_itself(
    service: SearchService, corpus: Claims
) -> None:
    assert found(service, "dockworker") == {corpus.site}
    assert found(service, "dockworker.org") == {corpus.site}
    assert found(service, "harbourmaster") == {corpus.register}  # in an evidence URL
    assert "p2" in found(service, "dockworker", kind="passages")


def test_e_mail_addresses_and_hyphenated_words_by_their_parts(service: SearchService) -> None:
    for query in ("example", "jane.doe", "example.org", "jane.doe@example.org"):
        assert found(service, query, kind="passages") == {"p2"}, query
    for query in ("pilot", "anti-pilot", "council", "council-led"):
        assert found(service, query, kind="passages") == {"p2"}, query


def test_exact_phrases_still_match_word_after_word(service: SearchService, corpus: Claims) -> None:
    assert found(service, '"web site, dockworker.org, has"') == {corpus.site}
    assert found(service, '"council-led anti-pilot campaign"', kind="passages") == {"p2"}
    assert found(service, '"anti-pilot campaign"', kind="passages") == {"p2"}
    assert found(service, '"campaign anti-pilot"', kind="passages") == set()
    assert found(service, '"4.1% fewer"', kind="passages") == {"p3"}


def test_the_snippet_shows_the_quote_and_the_tag_or_evidence_hit_beneath(
    service: SearchService, corpus: Claims
) -> None:
    (hit,) = service.search("harbourmaster").hits
    assert hit.snippet_text == "The register counts 1,800 men"
    assert hit.snippet_field == "quote"
    assert hit.detail_field == "extra"
    assert "harbourmaster" in hit.detail_text
    (a, b), *_ = hit.detail_highlights
    assert hit.detail_text[a:b] == "harbourmaster"
    card = hit.card_html
    assert card.index("The register counts") < card.index("Tags and evidence:")
    assert "<b>harbourmaster</b>" in card
    (tagged,) = service.search("tag:numbers").hits
    assert tagged.snippet_text == "The register counts 1,800 men"
    (quoted,) = service.search("dockworker").hits
    assert quoted.detail_text == "" and "<b>dockworker</b>" in quoted.snippet_html
    # Words in the quote and in the evidence: the quote's in bold, the evidence beneath.
    (both,) = service.search("register harbourmaster").hits
    assert "<b>register</b>" in both.snippet_html and both.detail_field == "extra"


def test_hits_say_where_they_are(service: SearchService, corpus: Claims) -> None:
    (hit,) = service.search("dockworker").hits
    assert hit.location == Location(3, None)
    assert hit.to_json()["location"] == {"paragraph": 3, "page": None}
    assert "paragraph 3" in hit.card_html
    (byline,) = service.search('"A. Writer"').hits
    assert byline.location == Location(2, None)
    passage = service.search("dockworker", kind="passages").hits[0]
    assert passage.location == Location(3, None) and passage.paragraph == 2


def test_the_context_of_a_quote_stops_at_its_paragraph(
    service: SearchService, corpus: Claims
) -> None:
    # "zebra crossing" ends the paragraph before the byline claim, within its 32 characters.
    assert corpus.byline not in found(service, "crossing")
    assert corpus.byline in found(service, "March")  # the same paragraph, after the quote


def test_context_text_drops_cut_words_and_other_paragraphs() -> None:
    from annotator.search.schema import context_text

    assert context_text("ike began. The union ", ", said the gazette. Its ed") == (
        "began. The union … , said the gazette. Its"
    )
    assert context_text("Title line\n\nThe union ", " walked out.\n\nNext") == (
        "The union … walked out."
    )
