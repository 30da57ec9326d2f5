"""Ranking, facets, filters, paging, sorting and snippets."""

from __future__ import annotations

import html

from annotator.search import SearchService, marked
from annotator.services.api import Project


def test_facets_count_labels_documents_and_tags(service: SearchService, corpus: object) -> None:
    results = service.search("*:*")
    labels = {v.label: v.count for v in results.facets["label"]}
    assert labels == {"sourced": 2, "disputed": 2, "polemical": 1}
    docs = {v.value: v.count for v in results.facets["document"]}
    assert docs == {corpus.closure: 3, corpus.guild: 2}  # type: ignore[attr-defined]
    tags = {v.value: (v.label, v.count) for v in results.facets["tag"]}
    assert tags == {
        "tidewater": ("Tidewater", 2),
        "press": ("Press", 1),
        "great flood": ("Great Flood", 1),
    }
    value, label, count = results.facets["tag"][0]  # unpacks as a tuple
    assert (value, label, count) == ("tidewater", "Tidewater", 2)
    # Facets describe the results of the query, not the whole project.
    narrowed = service.search("label:disputed")
    assert {v.label: v.count for v in narrowed.facets["label"]} == {"disputed": 2}


def test_filters_narrow_by_facet_values(service: SearchService, corpus: object) -> None:
    disputed = corpus.labels["disputed"]  # type: ignore[attr-defined]
    results = service.search("*:*", filters={"label": [disputed]})
    assert results.total == 2
    results = service.search("*:*", filters={"label": [disputed], "document": [corpus.guild]})  # type: ignore[attr-defined]
    assert [h.claim_id for h in results.hits] == [corpus.claims["dockers"]]  # type: ignore[attr-defined]
    assert service.search("*:*", filters={"tag": ["Tidewater"]}).total == 2
    assert service.search("*:*", filters={"nonsense": ["x"], "tag": []}).total == 5


def test_paging_covers_everything_once(
    project: Project, service: SearchService, corpus: object
) -> None:
    doc = corpus.closure  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    text = project.document_text(doc)
    for i in range(0, 40, 2):  # 20 more claims
        project.create_claim(doc, i, i + 3, label, note=f"pagination item {i}")
    service.update()
    first = service.search("pagination", page=1, page_size=7)
    assert first.total == 20 and first.pages == 3 and len(first.hits) == 7
    seen = [
        h.claim_id
        for p in (1, 2, 3)
        for h in service.search("pagination", page=p, page_size=7).hits
    ]
    assert len(seen) == 20 and len(set(seen)) == 20
    assert service.search("pagination", page=9, page_size=7).hits == []
    for sort in ("date", "created", "document"):
        seen = [
            h.claim_id
            for p in (1, 2, 3)
            for h in service.search("pagination", sort=sort, page=p, page_size=7).hits
        ]
        assert len(set(seen)) == 20, sort
    assert text  # the document is unchanged


def test_sorting(project: Project, service: SearchService, corpus: object) -> None:
    in_doc_order = service.search("*:*", sort="document")
    positions = [(h.document_id != corpus.closure, h.start) for h in in_doc_order.hits]  # type: ignore[attr-defined]
    assert positions == sorted(positions)
    # The most recently modified first.
    project.update_claim(corpus.claims["studies"], note="edited last")  # type: ignore[attr-defined]
    service.update()
    assert service.search("*:*", sort="date").hits[0].claim_id == corpus.claims["studies"]  # type: ignore[attr-defined]
    created = service.search("*:*", sort="created").hits
    assert created[0].claim_id == corpus.claims["studies"]  # type: ignore[attr-defined]


def test_relevance_prefers_the_quote(
    project: Project, service: SearchService, corpus: object
) -> None:
    results = service.search("Halvorsen OR historians OR Harnby")
    assert results.hits[0].claim_id == corpus.claims["harnby"]  # type: ignore[attr-defined]
    assert results.hits[0].score and results.hits[0].score > 0


def test_snippets_mark_the_hits(service: SearchService, corpus: object) -> None:
    hit = service.search("strikebreaking").hits[0]
    assert hit.snippet_field == "quote"
    assert marked(hit.snippet_text, hit.highlights) == (
        "Halvorsen later took a «strikebreaking» part"
    )
    assert hit.snippet_html == "Halvorsen later took a <b>strikebreaking</b> part"
    # A hit in the note shows the quote, and the note beneath it; the HTML is escaped.
    hit = service.search("memoirs").hits[0]
    assert hit.snippet_field == "quote" and hit.snippet_text == hit.quote
    assert hit.detail_field == "note"
    assert hit.detail_html == "Members&#x27; &lt;<b>memoirs</b>&gt; &amp; letters"
    assert html.unescape(hit.detail_html.replace("<b>", "").replace("</b>", "")) == hit.detail_text
    for a, b in hit.detail_highlights:
        assert hit.detail_text[a:b].lower() == "memoirs"
    assert hit.card_html.startswith(hit.snippet_html + "<br>")


def test_long_passage_snippet_is_a_window_around_the_hits(
    project: Project, add_text: object
) -> None:
    words = " ".join(f"word{i}" for i in range(400))
    doc = add_text(f"{words} needle {words}", title="Long")  # type: ignore[operator]
    with SearchService(project) as service:
        hit = service.search("needle", kind="passages").hits[0]
    assert hit.start == 0 and hit.end == len(project.document_text(doc))
    assert len(hit.snippet_text) <= 250
    assert hit.snippet_text.startswith("…") and hit.snippet_text.endswith("…")
    ((a, b),) = hit.highlights
    assert hit.snippet_text[a:b] == "needle"


def test_deleted_claims_never_show(
    project: Project, service: SearchService, corpus: object
) -> None:
    project.delete_claim(corpus.claims["harnby"])  # type: ignore[attr-defined]
    # Not yet applied to the index: the hit is dropped because the project no longer has it.
    results = service.search("Halvorsen")
    assert results.hits == [] and results.total == 0
    service.update()
    assert service.search("Halvorsen").total == 0


def test_json_shape(service: SearchService, corpus: object) -> None:
    data = service.search("label:disputed Halvorsen").to_json()
    assert set(data) >= {
        "query",
        "kind",
        "total",
        "page",
        "pages",
        "page_size",
        "sort",
        "notice",
        "did_you_mean",
        "results",
        "facets",
    }
    (hit,) = data["results"]
    assert set(hit) >= {
        "claim_id",
        "document_id",
        "document_title",
        "label",
        "quote",
        "note",
        "snippet",
        "snippet_html",
        "highlights",
        "score",
        "start",
        "end",
    }
    assert hit["label"] == "disputed" and "Halvorsen" in hit["snippet"]
    assert data["facets"]["label"] == [
        {"value": corpus.labels["disputed"], "label": "disputed", "count": 1}  # type: ignore[attr-defined]
    ]
