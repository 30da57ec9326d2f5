"""Reader of Hypothesis API JSON: a search response `{"rows": [...]}` or a list of rows.

A row's `target[0].selector` holds a TextQuoteSelector and a TextPositionSelector (and a
RangeSelector, which needs the web page's DOM and is ignored); `uri` is the document's URL,
`document.title` its title, `text` the note, `tags` the tags, `user` the author. Hypothesis'
positions count characters of the web page, so they rarely match our text exactly: the quote
and its context then anchor the claim.
Labels: the first tag naming a label of the project (sourced, disputed, ...) becomes the label
and leaves the tags; a row without one gets the default label ("unassessed"). Replies and page
notes carry no quote: they are listed as not imported.
Ids: a row's id maps to a stable UUID (uuid5 of its https://hypothes.is/a/<id> address), so
importing the same file twice does not duplicate claims.
"""

from __future__ import annotations

from typing import Any

from annotator.exporters.jsonld_reader import claim_id_of, parse_time, selectors
from annotator.services.interchange import ImportIssue, Incoming, IncomingClaim, IncomingDocument


def looks_like_hypothesis(data: Any) -> bool:
    rows = data.get("rows") if isinstance(data, dict) else data
    return (
        isinstance(rows, list)
        and bool(rows)
        and all(isinstance(r, dict) and "target" in r and ("uri" in r or "id" in r) for r in rows)
        and not any("type" in r for r in rows)
    ) or (isinstance(data, dict) and isinstance(data.get("rows"), list))


def _author(row: dict[str, Any]) -> str:
    info = row.get("user_info")
    name = info.get("display_name") if isinstance(info, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    user = str(row.get("user") or "")
    return user.removeprefix("acct:").split("@")[0] if user else ""


def _title(row: dict[str, Any]) -> str:
    document = row.get("document")
    titles = document.get("title") if isinstance(document, dict) else None
    if isinstance(titles, list) and titles and isinstance(titles[0], str):
        return titles[0]
    return titles if isinstance(titles, str) else ""


def read_hypothesis(data: Any) -> Incoming:
    rows = data.get("rows", []) if isinstance(data, dict) else data
    claims: list[IncomingClaim] = []
    skipped: list[ImportIssue] = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        raw_id = str(row.get("id") or "")
        ref = f"https://hypothes.is/a/{raw_id}" if raw_id else f"row {len(claims) + 1}"
        targets = [t for t in row.get("target") or [] if isinstance(t, dict)]
        target = next((t for t in targets if t.get("selector")), None)
        if row.get("references"):
            skipped.append(ImportIssue(ref, "a reply, not an annotation of the text."))
            continue
        if target is None:
            skipped.append(ImportIssue(ref, "a page note without a quote."))
            continue
        quote, start, end = selectors(target)
        tags = row.get("tags") or []
        claims.append(
            IncomingClaim(
                id=claim_id_of(ref),
                ref=ref,
                document=IncomingDocument(
                    url=str(row.get("uri") or target.get("source") or ""), title=_title(row)
                ),
                quote=quote,
                start=start,
                end=end,
                tags=tuple(str(t) for t in tags if isinstance(t, str)),
                note=str(row.get("text") or ""),
                author=_author(row),
                created=parse_time(row.get("created")),
                modified=parse_time(row.get("updated")),
            )
        )
    return Incoming(format="Hypothesis", claims=tuple(claims), skipped=tuple(skipped))
