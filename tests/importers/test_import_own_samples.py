"""The suite's own messy sample documents (tests/fixtures/sources) through the importers."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.model import PartialDate
from annotator.domain.text import paragraph_spans
from annotator.importers import read_file
from own_samples import OWN_ARTICLE, OWN_WIKI


def test_wiki_plain_text(own_samples: Path) -> None:
    result, data = read_file(own_samples / OWN_WIKI)
    assert result.format == "txt"
    assert result.title == "Tidewater Workers League"
    assert result.publisher == "WikiWatch"
    assert result.authors == ()
    assert result.published is None
    assert "\r" not in result.text
    assert "the press gang of the Brackwater Printing Cooperative" in result.text
    assert "Cooperative[note 1] a harbour club" in result.text  # footnote markers are kept
    assert "Recruitment[edit]" in result.text  # wiki artefacts are the source's
    assert "Grain Quay LockoutWikipedia in 1952" in result.text
    assert "Zoë Ørsted 🚢 spent" in result.text and "Adébáyọ̀" in result.text
    assert "  * sell twenty copies" in result.text  # the list keeps its layout
    assert "questioned the\n\nreading of the founding texts" in result.text  # broken as written
    assert result.text == data.decode("utf-8")
    assert result.flags == ()


def test_partisan_markdown(own_samples: Path) -> None:
    result, _ = read_file(own_samples / OWN_ARTICLE)
    assert result.format == "md"
    assert result.title == "The Tidewater Workers League and the harbour-closure campaign"
    assert result.authors == ("R.J. Okafor",)
    assert result.published == PartialDate(2017, 2, 21)
    assert "http://example-worker.org" in result.link_urls
    assert "https://council.example.org/minutes/2017-01" in result.link_urls
    assert "\r" not in result.text
    assert "have carefully stepped around what is plainly the deepest crisis" in result.text
    assert "web site, example-worker.org, have" in result.text  # link syntax gone, text kept
    assert "*Brackwater Chronicle*" not in result.text
    assert "The columns of the Brackwater Chronicle and" in result.text
    assert "\n\nThe question of the north basin is a matter" in result.text  # no "> " left
    assert "press@example-worker.org" in result.text
    assert "harbour-closure" in result.text and "well-meaning" in result.text
    assert "\n\n\n" not in result.text
    assert len(paragraph_spans(result.text)) > 10
