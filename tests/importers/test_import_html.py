"""HTML import: main text only, metadata from the page, nothing fetched or run, no recursion."""

from __future__ import annotations

import time

import pytest

from annotator.domain.model import PartialDate
from annotator.importers import ImportRefused, convert

PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>The Article Title | Example News</title>
<meta property="og:title" content="The Article Title">
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Reporter">
<meta property="article:published_time" content="2017-02-21T09:30:00+00:00">
<link rel="canonical" href="https://news.example/2017/article">
<style>body { color: red }</style>
<script>document.write("evil script text")</script>
</head>
<body onload="alert('onload')">
<header><a href="/">Example News home</a><nav><a href="/world">World</a></nav></header>
<nav>Menu text</nav>
<main>
<article>
<header><h1>The Article Title</h1><p class="byline">By Jane Reporter</p></header>
<p>First paragraph with a <a href="https://source.example/report">source</a> and
a <a href="javascript:alert(1)">bad link</a> and <a href="/relative/page">relative</a>.</p>
<p>Second paragraph<br>with a break. <img src="https://tracker.example/pixel.gif" alt="pixel"></p>
<iframe src="https://ads.example/frame">iframe text</iframe>
<noscript>Enable JavaScript</noscript>
<div hidden>Hidden text</div>
<div style="display: none">Invisible text</div>
<ul><li>Item one</li><li>Item <b>two</b></li></ul>
<table><tr><th>Year</th><th>Members</th></tr><tr><td>2017</td><td>1000</td></tr></table>
<pre>  code   block
    indented</pre>
<form><input value="form text"><button>Submit</button></form>
<template><p>template text</p></template>
<svg><text>svg text</text></svg>
<object data="x.swf">object text</object>
<embed src="https://cdn.example/movie.swf">
</article>
<aside>Related stories</aside>
</main>
<footer>Copyright footer</footer>
<script src="https://cdn.example/tracker.js"></script>
</body>
</html>
"""


def test_main_text_only() -> None:
    result = convert(PAGE.encode(), "page.html")
    assert result.text == (
        "The Article Title\n\n"
        "By Jane Reporter\n\n"
        "First paragraph with a source and a bad link and relative.\n\n"
        "Second paragraph\nwith a break.\n\n"
        "• Item one\n• Item two\n\n"
        "Year | Members\n2017 | 1000\n\n"
        "  code   block\n    indented"
    )


@pytest.mark.parametrize(
    "unwanted",
    [
        "evil script text", "color: red", "Example News home", "Menu text", "World", "iframe text",
        "Enable JavaScript", "Hidden text", "Invisible text", "form text", "Submit",
        "template text", "svg text", "object text", "Related stories", "Copyright footer",
        "pixel", "alert",
    ],
)  # fmt: skip
def test_scripts_navigation_and_embedded_content_are_left_out(unwanted: str) -> None:
    assert unwanted not in convert(PAGE.encode(), "page.html").text


def test_metadata_from_the_head() -> None:
    result = convert(PAGE.encode(), "page.html")
    assert result.format == "html"
    assert result.title == "The Article Title"
    assert result.authors == ("Jane Reporter",)
    assert result.published == PartialDate(2017, 2, 21)
    assert result.publisher == "Example News"
    assert result.language == "en-GB"
    assert result.url == "https://news.example/2017/article"


def test_links_are_http_only_resolved_and_from_the_main_text() -> None:
    result = convert(PAGE.encode(), "page.html")
    assert result.link_urls == (
        "https://source.example/report",
        "https://news.example/relative/page",
    )


def test_fallbacks_title_tag_byline_and_time_element() -> None:
    page = (
        "<html><head><title>Plain Title - Site</title>"
        '<meta property="og:site_name" content="Site"></head><body>'
        '<p class="byline">By Max Mustermann and Erika Musterfrau</p>'
        '<p>Posted <time datetime="2019-11-05T08:00">5 Nov</time></p><p>Body text.</p>'
        "</body></html>"
    )
    result = convert(page.encode(), "plain.htm")
    assert result.title == "Plain Title"
    assert result.authors == ("Max Mustermann", "Erika Musterfrau")
    assert result.published == PartialDate(2019, 11, 5)
    assert result.language == ""
    assert result.url == ""


def test_title_from_first_heading_and_date_from_the_text() -> None:
    page = "<body><h1>Only Heading</h1><p>By Ann Author</p><p>3 May 2020</p><p>Text.</p></body>"
    result = convert(page.encode(), "bare.html")
    assert result.title == "Only Heading"
    assert result.authors == ("Ann Author",)
    assert result.published == PartialDate(2020, 5, 3)


def test_the_longest_article_is_chosen_over_teasers() -> None:
    page = (
        "<body><nav>menu</nav><article><p>Teaser.</p></article>"
        "<article><p>" + "The real story goes on. " * 40 + "</p></article>"
        "<div>Sidebar widget</div></body>"
    )
    result = convert(page.encode(), "teasers.html")
    assert result.text.startswith("The real story goes on.")
    assert "Teaser" not in result.text
    assert "Sidebar" not in result.text


def test_encoding_from_meta_charset() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "</head><body><p>Международная социалистическая организация</p></body></html>"
    )
    result = convert(page.encode("cp1251"), "ru.html")
    assert result.text == "Международная социалистическая организация"
    assert not result.flags


def test_latin1_declared_page_decodes_curly_quotes_as_windows_1252() -> None:
    page = '<meta charset="iso-8859-1"><p>\u201cQuoted\u201d caf\u00e9</p>'.encode("cp1252")
    assert convert(page, "latin.html").text == "\u201cQuoted\u201d caf\u00e9"


def test_entities_are_decoded_and_markup_like_text_is_kept() -> None:
    result = convert(b"<p>a &lt;b&gt; &amp; &eacute; &#x263A;</p>", "ent.html")
    assert result.text == "a <b> & \u00e9 \u263a"


def test_deep_nesting_is_refused_quickly_not_a_crash() -> None:
    page = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match=r"^deep\.html: its elements are nested 1"):
        convert(page.encode(), "deep.html")
    assert time.perf_counter() - started < 5  # the guard runs before the (quadratic) parser


def test_moderate_nesting_imports() -> None:
    page = "<body>" + "<div><span>" * 3000 + "deep text" + "</span></div>" * 3000 + "</body>"
    assert convert(page.encode(), "nested.html").text == "deep text"


def test_unclosed_paragraphs_do_not_count_as_nesting() -> None:
    page = "<body>" + "<p>para" * 50_000 + "</body>"
    result = convert(page.encode(), "paras.html")
    assert result.text.count("para") == 50_000


def test_hidden_characters_are_flagged_and_kept() -> None:
    result = convert("<p>a\u202eb\u200bc</p>".encode(), "hid.html")
    assert result.text == "a\u202eb\u200bc"
    assert len(result.flags) == 2


def test_a_single_five_megabyte_line_imports() -> None:
    page = b"<html><body><p>" + b"word " * 1_000_000 + b"</p></body></html>"
    result = convert(page, "huge.html")
    assert len(result.text) == 5_000_000 - 1
