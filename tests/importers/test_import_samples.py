"""The real, messy sample documents of ../shared/samples, when present (skipped otherwise).

The suite's own samples (test_import_own_samples.py) check the importers in detail; this only
checks that real web texts come through whole, with their metadata found and nothing invented.
"""

from __future__ import annotations

import re
from pathlib import Path

from annotator.domain.text import paragraph_spans
from annotator.importers import read_file


def test_real_plain_text_comes_through_as_written(samples: Path) -> None:
    for path in sorted(samples.glob("*.txt")):
        result, data = read_file(path)
        assert result.format == "txt"
        assert result.title and result.publisher  # a wiki page: title, then "From <site>"
        assert result.text == data.decode("utf-8").replace("\r\n", "\n")
        assert re.search(r"\[\d+\]", result.text)  # footnote markers are kept
        assert "[edit]" in result.text  # wiki artefacts are the source's
        assert result.flags == ()


def test_real_markdown_loses_its_syntax_not_its_words(samples: Path) -> None:
    for path in sorted(samples.glob("*.md")):
        result, data = read_file(path)
        assert result.format == "md"
        assert result.title and result.authors and result.published is not None
        assert result.link_urls
        assert "\r" not in result.text and "\n\n\n" not in result.text
        assert not re.search(r"\*\w[^*\n]*\*", result.text)  # no *italic* marks left
        assert "](" not in result.text  # no link syntax left
        assert len(paragraph_spans(result.text)) > 10
        source_words = re.findall(r"[A-Za-z]{4,}", data.decode("utf-8"))
        assert sum(w in result.text for w in source_words) > 0.95 * len(source_words)
