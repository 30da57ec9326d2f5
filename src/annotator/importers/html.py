"""Saved web pages (.html, .htm, .xhtml): the main text and the metadata a source critic needs.

An <article> (or <main>) is preferred to the whole body when it holds most of the text. Title,
authors, date, site, language and canonical URL come from the page's meta data first, then from
bylines and <time> elements, then from the head of the text. Emphasis, strong, code, links and
headings are kept as formatting spans. The day the page was saved (its `accessed` date) comes
from what the saving tool wrote: SingleFile's "saved date", Save Page WE's `savepage-date`, an
`accessed` meta element; the URL a browser or SingleFile noted stands in for a missing canonical
one. Nothing is fetched, nothing is run.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from annotator.domain.model import PartialDate
from annotator.importers.base import ImportedText, register
from annotator.importers.common import clean_text, finish, http_urls
from annotator.importers.encoding import decode_text
from annotator.importers.formatting import can_mark, split_formats
from annotator.importers.htmltext import extract, parse_html
from annotator.importers.metadata import (
    byline,
    guess_metadata,
    parse_date,
    parse_day,
    split_authors,
)

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)

_DATE_KEYS = (
    "article:published_time",
    "og:published_time",
    "datepublished",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "citation_publication_date",
    "citation_date",
    "pubdate",
    "publishdate",
    "sailthru.date",
    "parsely-pub-date",
)
_ACCESSED_KEYS = (
    "savepage-date",
    "accessed",
    "date-accessed",
    "dc.date.accessed",
    "dcterms.accessed",
)
_SINGLEFILE = re.compile(
    r"<!--\s*Page saved with SingleFile\s*(?P<body>.{0,2000}?)-->", re.IGNORECASE | re.DOTALL
)
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(?P<url>\S+?)\s*-->", re.IGNORECASE)
_AUTHOR_KEYS = ("author", "article:author", "dc.creator", "citation_author", "parsely-author")


def _metas(tree: LexborHTMLParser) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for node in tree.css("meta"):
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").lower()
        value = " ".join((attrs.get("content") or "").split())
        if key and value:
            found.setdefault(key.strip(), []).append(value)
    return found


def _first(metas: dict[str, list[str]], *keys: str) -> str:
    return next((metas[k][0] for k in keys if k in metas), "")


def _node_text(tree: LexborHTMLParser | LexborNode, selector: str) -> str:
    node = tree.css_first(selector)
    return " ".join((node.text(deep=True) if node else "").split())


def _choose_root(tree: LexborHTMLParser) -> LexborNode | None:
    body = tree.body or tree.root
    if body is None:
        return None
    whole = max(1, len(body.text(deep=True)))
    articles = tree.css("article")
    if articles:
        best = max(articles, key=lambda n: len(n.text(deep=True)))
        if len(best.text(deep=True)) * 4 >= whole:
            return best
    main = tree.css_first("main")
    return main if main is not None and len(main.text(deep=True)) * 4 >= whole else body


def _authors(tree: LexborHTMLParser, metas: dict[str, list[str]]) -> tuple[str, ...]:
    for key in _AUTHOR_KEYS:
        names = [v for v in metas.get(key, []) if "://" not in v]
        if names:
            return tuple(a for name in names for a in split_authors(name))
    for selector in ("[rel=author]", "[itemprop=author]", ".byline", ".author"):
        text = _node_text(tree, selector)
        if text and len(text) < 120:
            found = byline(text if text.lower().startswith("by") else "By " + text)
            if found:
                return found[0]
    return ()


def _published(tree: LexborHTMLParser, metas: dict[str, list[str]]) -> PartialDate | None:
    for key in _DATE_KEYS:
        for value in metas.get(key, []):
            if date := parse_date(value):
                return date
    for node in tree.css("time"):
        if date := parse_date(node.attributes.get("datetime") or node.text(deep=True)):
            return date
    return None


def saved_page(source: str, metas: dict[str, list[str]]) -> tuple[PartialDate | None, str]:
    """(the day the page was saved, the URL it was saved from) as the saving tool noted them
    in the head of the file; None and "" where it says nothing."""
    head = source[:20_000]
    accessed: PartialDate | None = None
    url = ""
    if single := _SINGLEFILE.search(head):
        for line in single.group("body").splitlines():
            key, _, value = line.strip().partition(":")
            key = key.strip().lower()
            if key == "saved date" and accessed is None:
                accessed = parse_day(value.strip())
            elif key == "url" and not url:
                url = value.strip()
    if saved := _SAVED_FROM.search(head):
        url = url or saved.group("url")
    for key in _ACCESSED_KEYS:
        for value in metas.get(key, []):
            accessed = accessed or parse_day(value)
    url = url or _first(metas, "savepage-url")
    return accessed, next(iter(http_urls([url])), "")


def _href(tree: LexborHTMLParser, selector: str) -> str:
    node = tree.css_first(selector)
    return (node.attributes.get("href") or "") if node is not None else ""


def _strip_site(title: str, site: str) -> str:
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        if site and title.endswith(sep + site):
            return title[: -len(sep + site)]
    return title


@register(".html", ".htm", ".xhtml", format="html")
def import_html(data: bytes, file_name: str) -> ImportedText:
    head = _CHARSET.search(data[:4096])
    decoded = decode_text(
        data, file_name, head.group(1).decode("ascii", "ignore") if head else None
    )
    tree = parse_html(decoded.text, file_name)
    metas = _metas(tree)
    url = next(iter(http_urls([_href(tree, "link[rel=canonical]"), _first(metas, "og:url")])), "")
    base = next(iter(http_urls([_href(tree, "base[href]")])), "") or url  # for relative links
    accessed, saved_from = saved_page(decoded.text, metas)
    url = url or saved_from
    root = _choose_root(tree)
    marked = can_mark(decoded.text)
    paragraphs, links = extract(root, base, marked=marked) if root is not None else ([], [])
    marked_text, flags = clean_text("\n\n".join(paragraphs))
    text, formats = split_formats(marked_text) if marked else (marked_text, ())
    site = _first(metas, "og:site_name", "application-name")
    title = _first(metas, "og:title", "twitter:title", "dc.title", "citation_title")
    title = title or _strip_site(_node_text(tree, "title"), site) or _node_text(tree, "h1")
    html_node = tree.css_first("html")
    language = (html_node.attributes.get("lang") or "") if html_node else ""
    language = language or _first(metas, "og:locale", "content-language").replace("_", "-")
    guessed = guess_metadata(text, title=title)
    return finish(
        text,
        "html",
        title=guessed.title,
        authors=_authors(tree, metas) or guessed.authors,
        publisher=site or guessed.publisher,
        published=_published(tree, metas) or guessed.published,
        url=url,
        language=language,
        link_urls=links,
        flags=[*decoded.flags, *flags],
        formats=formats,
        accessed=accessed,
    )
