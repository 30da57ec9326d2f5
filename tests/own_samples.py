"""Where the suite's own messy sample documents are, and their file names.

Written for the suite about an invented harbour club (no text of any real source): a wiki-style
article as plain text (`[edit]` after headings, run-together "...Wikipedia" links, footnote
markers, a list, a paragraph broken mid-sentence, non-ASCII names, an emoji) and a partisan
article in Markdown (a title heading, a byline with a date, italic periodical titles, links, an
e-mail address, a blockquote, a paragraph broken mid-sentence). Tests of behaviour use these;
the real texts of ../shared/samples only add a check that real web texts also come through.
"""

from __future__ import annotations

from pathlib import Path

OWN_SAMPLES = Path(__file__).resolve().parent / "fixtures" / "sources"
OWN_WIKI = "wikiwatch-tidewater.txt"
"""The wiki-style article: title "Tidewater Workers League", site "WikiWatch"."""
OWN_ARTICLE = "workers-review-tidewater.md"
"""The partisan article: by R.J. Okafor, 21 February 2017."""
