"""Where a claim is (domain.location): paragraph numbers, pages, context cut at paragraphs."""

from __future__ import annotations

import time

from annotator.domain.location import Location, Locator, locate, within_paragraph
from annotator.domain.text import paragraph_spans

# Shaped like an imported Markdown article: a heading, a two-line byline, then paragraphs.
ARTICLE = (
    "The harbour strike and its chroniclers\n"
    "\n"
    "By A. Writer\n"
    "3 March 1931\n"
    "\n"
    "For the past week, the dockers of Velmora have stopped work.\n"
    "\n"
    "   \n"
    "The register counts 1,800 men at the morning call.\n"
)


def test_paragraphs_count_headings_and_bylines_from_one() -> None:
    def where(quote: str) -> int:
        return locate(ARTICLE, ARTICLE.index(quote)).paragraph

    assert where("The harbour strike") == 1
    assert where("By A. Writer") == 2
    assert where("3 March 1931") == 2  # a line break alone does not end a paragraph
    assert where("For the past week") == 3
    assert where("dockers") == 3
    assert where("The register") == 4  # a line of spaces is a blank line


def test_a_start_in_the_space_between_paragraphs_belongs_to_the_next() -> None:
    gap = ARTICLE.index("\n\nFor the past")
    assert locate(ARTICLE, gap).paragraph == 3
    assert locate(ARTICLE, len(ARTICLE)).paragraph == 4  # the end: the last paragraph
    assert locate("", 0) == Location(1, None)


def test_pages_come_from_the_page_starts() -> None:
    # The PDF importer joins pages with a blank line and records where each starts.
    text = "Page one text.\n\nStill page one.\n\nPage two starts here.\n\nMore on two."
    pages = (0, text.index("Page two"))
    locator = Locator(paragraph_spans(text), pages)
    assert locator.locate(0) == Location(1, 1)
    assert locator.locate(text.index("Still")) == Location(2, 1)
    assert locator.locate(text.index("More on two")) == Location(4, 2)
    assert Location(4, 2).text == "page 2, paragraph 4"
    assert Location(4, 2).short == "p. 2, ¶ 4"
    assert Location(3).text == "paragraph 3" and Location(3).short == "¶ 3"
    assert Location(4, 2).to_json() == {"paragraph": 4, "page": 2}
    assert Location(3).to_json() == {"paragraph": 3, "page": None}


def test_offsets_are_code_points_past_emoji_and_accents() -> None:
    text = "📜 Titel 😀\n\nZweiter Absatz mit e\u0301 und 👍🏽.\n\nنص قصير من اليمين"
    assert locate(text, text.index("Zweiter")).paragraph == 2
    assert locate(text, text.index("👍🏽")).paragraph == 2
    assert locate(text, text.index("نص")).paragraph == 3
    # Qt would count two UTF-16 units for each emoji: the paragraph must not shift.
    assert locate(text, text.index("\n\nنص") + 1).paragraph == 3


def test_paragraph_span_for_context() -> None:
    locator = Locator.of_text(ARTICLE)
    start = ARTICLE.index("dockers")
    s, e = locator.paragraph_span(start) or (0, 0)
    assert ARTICLE[s:e] == "For the past week, the dockers of Velmora have stopped work."
    assert Locator(()).paragraph_span(5) is None


def test_context_is_cut_at_the_paragraphs_edges() -> None:
    before, after = within_paragraph(
        "By A. Writer\n3 March 1931\n\nFor the ", " of Velmora.\n\nThe"
    )
    assert (before, after) == ("For the ", " of Velmora.")
    assert within_paragraph("one\ntwo ", " three\nfour") == ("one\ntwo ", " three\nfour")
    assert within_paragraph("end.\n \t\n", "") == ("", "")


def test_ten_thousand_claims_are_located_quickly() -> None:
    text = "\n\n".join(f"Paragraph {n} of a long document, with some words." for n in range(20_000))
    locator = Locator(paragraph_spans(text))
    starts = list(range(0, len(text), len(text) // 10_000))[:10_000]
    began = time.perf_counter()
    found = [locator.locate(s).paragraph for s in starts]
    elapsed = time.perf_counter() - began
    assert found == sorted(found) and found[0] == 1 and found[-1] <= 20_000
    assert elapsed < 2.0  # a bisection each: milliseconds; only a scan per claim breaks this
