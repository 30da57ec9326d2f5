"""The Jinja2 environment of the HTML and PDF reports: autoescape on, a few safe filters."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from annotator.domain.formatting import FormatKind, FormatSpan, one_line_pieces, styled_pieces

if TYPE_CHECKING:
    from jinja2 import Environment
    from markupsafe import Markup

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp", "ftps"})
"""URL schemes a report makes clickable; any other URL (javascript:, data:...) is plain text."""

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    """Drop control characters that HTML and XML do not allow (tabs and newlines stay)."""
    return _CONTROL.sub("", text)


def safe_url(url: str | None) -> str:
    """`url` if it is a web or mail address, else "" (the template then shows it as text)."""
    if not url:
        return ""
    value = url.strip()
    try:
        scheme = urlsplit(value).scheme.lower()
    except ValueError:
        return ""
    return value if scheme in SAFE_SCHEMES and not _CONTROL.search(value) else ""


def when(value: datetime | None) -> str:
    """`2024-03-01 14:05 UTC`."""
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def day(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d") if value else ""


def one_line(text: str) -> str:
    return " ".join(text.split())


def shorten(text: str, width: int = 140) -> str:
    text = one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


_HTML_TAGS = (
    (FormatKind.CODE, "code"),
    (FormatKind.STRONG, "strong"),
    (FormatKind.EMPHASIS, "em"),
)


def quote_pieces(
    exact: str, formats: Sequence[FormatSpan]
) -> list[tuple[str, frozenset[FormatKind]]]:
    """A quote on one line (as `one_line`), cut where the source's formatting changes."""
    if not formats:
        return [(one_line(exact), frozenset())] if exact.strip() else []
    return one_line_pieces(styled_pieces(exact, formats))


def styled_quote(claim: Any) -> Markup:
    """A claim's quote on one line as HTML, with the source's emphasis (<em>), strong
    (<strong>) and code (<code>): every piece of text escaped (and cleaned) first, then
    wrapped in tags this function writes, so autoescape's safety holds."""
    from markupsafe import Markup, escape

    out: list[str] = []
    for text, kinds in quote_pieces(claim.exact, claim.formats):
        piece = str(escape(clean(text)))
        for kind, tag in _HTML_TAGS:
            if kind in kinds:
                piece = f"<{tag}>{piece}</{tag}>"
        out.append(piece)
    return Markup("".join(out))


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def _finalize(value: Any) -> Any:
    # Markup (macro output, already escaped and cleaned) passes through untouched.
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return clean(value)
    return value


@cache
def environment() -> Environment:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(
        loader=PackageLoader("annotator.exporters", "templates"),
        autoescape=True,  # every value is escaped, whatever the template's extension
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )
    env.filters.update(
        safe_url=safe_url,
        when=when,
        day=day,
        one_line=one_line,
        shorten=shorten,
        thousands=thousands,
        styled_quote=styled_quote,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
