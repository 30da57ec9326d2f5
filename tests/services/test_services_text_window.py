"""Claims read only a window of the text; the quote selector must equal one made from it all."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.domain.errors import ValidationError
from annotator.domain.model import QuoteSelector
from annotator.importers.base import ImportedText
from annotator.services.api import Project

ALPHABET = st.sampled_from([*"ab \n", "😀", "e\u0301", "ש", "🇺🇸", "\u200b"])


@settings(max_examples=40, deadline=None)
@given(st.lists(ALPHABET, min_size=2, max_size=120).map("".join), st.data())
def test_window_quote_equals_whole_text_quote(tmp_path_factory, text: str, data) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("w") / "w.annot"
    project = Project.create(path)
    try:
        doc = project.add_document(ImportedText(text=text, format="txt", title="t"), b"x", "t.txt")
        assert doc.created_id is not None
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        label = project.label("sourced").id
        claim = project.create_claim(doc.created_id, start, end, label).created_id
        assert claim is not None
        assert project.annotation(claim).quote == QuoteSelector.at(text, start, end)
        assert project.document_slice(doc.created_id, start, end) == text[start:end]
        with pytest.raises(ValidationError):  # a span past the end
            project.create_claim(doc.created_id, start, len(text) + 1, label)
    finally:
        project.close()
