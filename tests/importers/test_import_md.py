"""Markdown import: rendered from the token stream to readable text, links kept as evidence."""

from __future__ import annotations

from annotator.domain.model import PartialDate
from annotator.importers import convert

SOURCE = """\
# Heading *One*

By Ann Author\\
3 May 2020

Some **bold** and _em_ text with a [link](https://a.example/x "t") and ![alt](http://img.example/i.png)
soft wrapped line and `code` here.<br>After br. <span>inline</span> <script>alert(1)</script> tail

- first item
- second [again](https://a.example/x)
  1. nested one
  2. nested two

3. three
4. four

```python
def f():
    return 1
```

> quoted text

<div class="x"><p>html block <a href="https://b.example/">b</a></p><script>evil()</script></div>

| a | b |
|---|---|
| 1 | 2 |

[js](javascript:alert(1)) [mail](mailto:x@y.z) [rel](/relative) <http://auto.example>
"""


def _render() -> str:
    return convert(SOURCE.encode(), "post.md").text


def test_markup_is_removed_and_text_kept() -> None:
    text = _render()
    assert text.startswith("Heading One\n\nBy Ann Author\n3 May 2020\n\nSome bold and em text")
    assert "with a link and" in text
    assert "soft wrapped line and code here.\nAfter br. inline" in text
    for syntax in ("#", "**", "_em_", "](http", "![", "alt", "img.example", "<span>", "`"):
        assert syntax not in text


def test_raw_html_is_reduced_to_text_and_scripts_dropped() -> None:
    text = _render()
    assert "html block b" in text
    assert "alert(1)</script>" not in text
    assert "evil()" not in text
    assert "alert(1) tail" not in text


def test_lists_code_quotes_and_tables_stay_readable() -> None:
    text = _render()
    assert "• first item\n• second again\n  1. nested one\n  2. nested two" in text
    assert "3. three\n4. four" in text
    assert "def f():\n    return 1" in text
    assert "\n\nquoted text\n\n" in text
    assert "a | b\n1 | 2" in text


def test_paragraphs_are_separated_by_one_blank_line() -> None:
    text = _render()
    assert "\n\n\n" not in text
    assert text == text.strip()


def test_http_links_are_collected_once_in_order() -> None:
    result = convert(SOURCE.encode(), "post.md")
    assert result.link_urls == ("https://a.example/x", "https://b.example/", "http://auto.example")


def test_metadata_from_heading_and_byline() -> None:
    result = convert(SOURCE.encode(), "post.md")
    assert result.format == "md"
    assert result.title == "Heading One"
    assert result.authors == ("Ann Author",)
    assert result.published == PartialDate(2020, 5, 3)


def test_front_matter_gives_metadata_and_is_not_text() -> None:
    source = (
        "---\ntitle: Front Title\nauthor: Ann Author; Bob Writer\ndate: 2020-05\n"
        "url: https://example.org/post\n---\n\n# Other heading\n\nBody.\n"
    )
    result = convert(source.encode(), "front.markdown")
    assert result.text == "Other heading\n\nBody."
    assert result.title == "Front Title"
    assert result.authors == ("Ann Author", "Bob Writer")
    assert result.published == PartialDate(2020, 5)
    assert result.url == "https://example.org/post"


def test_a_rule_text_rule_is_not_front_matter() -> None:
    result = convert(b"---\nJust a sentence here.\n---\n\nBody.\n", "rules.md")
    assert "Just a sentence here." in result.text


def test_title_falls_back_to_a_lower_heading_then_the_first_line() -> None:
    assert convert(b"Intro line\n\n## Sub heading\n\ntext", "a.md").title == "Sub heading"
    assert convert(b"Intro line\n\ntext", "b.md").title == "Intro line"


def test_crlf_source_and_hidden_characters() -> None:
    result = convert("# T\r\n\r\nab\u200bc\u200d d\u2067e\u2069\r\n".encode(), "c.md")
    assert "\r" not in result.text
    assert result.text == "T\n\nab\u200bc\u200d d\u2067e\u2069"
    assert result.flags == (
        "contains 2 bidirectional control characters that can reorder how text is displayed",
        "contains 2 zero-width characters that are invisible on screen",
    )


def test_a_single_five_megabyte_line_imports() -> None:
    result = convert(("word " * 1_000_000).encode(), "huge.md")
    assert len(result.text) == 5_000_000 - 1


def test_deeply_nested_quotes_and_lists_keep_their_text() -> None:
    quotes = convert(("> " * 30 + "deep quote").encode(), "q.md")
    assert quotes.text == "deep quote"
    nested = "".join("  " * i + f"- level {i}\n" for i in range(25))
    result = convert(nested.encode(), "l.md")
    assert result.text.count("level") == 25
