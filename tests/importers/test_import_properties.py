"""Property: any bytes under a text extension either import cleanly or are refused, with one
sentence naming the file; no other exception escapes, and the text never holds a \\r."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from annotator.importers import ImportRefused, convert

_texty = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda s: s.encode("utf-8")),
    st.text(max_size=300).map(lambda s: s.encode("utf-16")),
    st.text(alphabet=st.sampled_from("ab<>/=\"'&#;!-[]()*_`\r\n\t \x00é\u202e"), max_size=400).map(
        lambda s: s.encode("utf-8")
    ),
    st.lists(
        st.sampled_from(
            ["<div>", "</div>", "<p>", "<script>", "</script>", "<a href='javascript:x'>", "</a>",
             "# ", "**", "[x](http://y)", "<!--", "-->", "\r\n", "---\n", "title: t\n", "\x00",
             "<meta charset='utf-16'>", "<svg>", "<table><tr><td>", "- item\n", "> q\n", "text"]
        ),
        max_size=60,
    ).map(lambda parts: "".join(parts).encode("utf-8")),
)  # fmt: skip


@pytest.mark.parametrize("name", ["prop.txt", "prop.md", "prop.html"])
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_texty)
def test_convert_returns_clean_text_or_refuses(name: str, data: bytes) -> None:
    try:
        result = convert(data, name)
    except ImportRefused as refusal:
        message = str(refusal)
        assert message.startswith(f"{name}: ")
        assert "\n" not in message
        assert "unexpected error" not in message  # the safety net in convert() must stay unused
        return
    assert "\r" not in result.text
    assert "\x00" not in result.text
    assert result.text.strip()
    for url in result.link_urls:
        assert url.startswith(("http://", "https://"))
