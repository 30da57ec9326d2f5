"""The real, messy sample documents in ../shared/samples (skipped when they are absent)."""

from __future__ import annotations

from pathlib import Path

from annotator.domain.model import PartialDate
from annotator.domain.text import paragraph_spans
from annotator.importers import read_file


def test_rationalwiki_plain_text(samples: Path) -> None:
    result, data = read_file(samples / "rationalwiki-iso.txt")
    assert result.format == "txt"
    assert result.title == "International Socialist Organization"
    assert result.publisher == "RationalWiki"
    assert result.authors == ()
    assert result.published is None
    assert "\r" not in result.text
    assert "street team of American publisher Haymarket Books" in result.text
    assert "Inc.[note 1] an American" in result.text  # footnote markers are kept
    assert "Intellectual Bullying[edit]" in result.text  # wiki artefacts are the source's
    assert result.text == data.decode("utf-8")
    assert result.flags == ()


def test_wsws_markdown(samples: Path) -> None:
    result, _ = read_file(samples / "wsws-iso-anti-russia.md")
    assert result.format == "md"
    assert result.title == (
        "The International Socialist Organization and the CIA-led anti-Russia campaign"
    )
    assert result.authors == ("E.P. Milligan",)
    assert result.published == PartialDate(2017, 2, 21)
    assert "http://socialistworker.org" in result.link_urls
    assert "\r" not in result.text
    assert "have studiously ignored what is undoubtedly the most profound crisis" in result.text
    assert "web site, socialistworker.org, have" in result.text  # link syntax gone, text kept
    assert "*New York Times*" not in result.text
    assert "The pages of the New York Times and" in result.text
    assert "\n\n\n" not in result.text
    assert len(paragraph_spans(result.text)) > 10
