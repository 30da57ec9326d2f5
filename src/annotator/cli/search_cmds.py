"""Search commands: `annotator search PROJECT QUERY` and `annotator reindex PROJECT`.

The --json shape is a contract (docs/reference.md): `SearchResults.to_json()` plus
`"repaired"` (the index repair message, or null). Keys are only ever added.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from annotator.cli import output as out
from annotator.cli.locations import PROJECT_HELP, project_location
from annotator.cli.main import UsageError


def register(subparsers: Any) -> None:
    add = subparsers.add_parser

    p = add(
        "search",
        help="search the claims (or the source passages)",
        description="Search the claims of a project, or with --passages the paragraphs of its "
        'documents. QUERY: free words (stemmed), "exact phrases", AND/OR/NOT, (groups), '
        "word~ (fuzzy), word* (prefix), label:disputed, tag:T, doc:TITLE-WORDS-OR-ID, "
        "author:A, note:W, quote:W, relation:contradicts, created:2026-01..2026-03, "
        "modified:>=2026-02, published:2017, published:>2015. A query that cannot be read "
        "is searched as plain words, and says so.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("query", metavar="QUERY", help="what to look for (quote it in the shell)")
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.add_argument("--limit", metavar="N", type=_count, default=20, help="results per page (20)")
    p.add_argument("--page", metavar="P", type=_count, default=1, help="which page (1)")
    p.add_argument("--passages", action="store_true", help="search source passages, not claims")
    p.add_argument(
        "--sort",
        choices=("relevance", "date", "created", "document"),
        default="relevance",
        help="relevance (default), date (last modified first), created, document order",
    )
    p.set_defaults(func=cmd_search)

    p = add(
        "reindex",
        help="rebuild the search index",
        description="Rebuild the project's search index from scratch (it lives in the user "
        "cache folder, or $ANNOTATOR_CACHE_DIR, never in the project file).",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.set_defaults(func=cmd_reindex)


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 1000:
        raise argparse.ArgumentTypeError("use a number from 1 to 1000")
    return number


def _open(path: Any) -> Any:
    from annotator.services.api import Project
    from annotator.storage.engine import ProjectError

    try:  # searching never writes to the project: open it read-only when possible
        return Project.open(path, readonly=True)
    except ProjectError as exc:
        if "upgrade" not in str(exc):
            raise
        return Project.open(path)


def cmd_search(args: argparse.Namespace) -> int:
    from annotator.search import SearchService

    if not args.query.strip():
        raise UsageError("QUERY is empty; give words to look for (or '*:*' for everything).")
    project = _open(args.project)
    try:
        with SearchService(project) as service:
            if service.repair_message and not args.json:
                out.warn(service.repair_message)
            results = service.search(
                args.query,
                kind="passages" if args.passages else "claims",
                sort=args.sort,
                page=args.page,
                page_size=args.limit,
            )
            if args.json:
                data = results.to_json()
                data["repaired"] = service.repair_message
                out.print_json(data)
            else:
                _print(results)
    finally:
        project.close()
    return 0


def _print(results: Any) -> None:
    from annotator.search import marked
    from annotator.search.results import DETAIL_NAMES

    what = "claims" if results.kind == "claims" else "passages"
    if results.notice:
        out.warn(results.notice)
    shown = len(results.hits)
    first = (results.page - 1) * results.page_size + 1
    span = f", showing {first}–{first + shown - 1}" if shown and results.pages > 1 else ""
    noun, verb = (what[:-1], "matches") if results.total == 1 else (what, "match")
    print(f"{results.total:,} {noun} {verb}{span}.")
    if results.did_you_mean:
        print(f"Did you mean: {results.did_you_mean}")
    for i, hit in enumerate(results.hits, start=first):
        where = out.truncate(hit.document_title, 40)
        if hit.location is not None:
            where += f" · {hit.location.text}"
        if hit.kind == "claim":
            print(f"{i:>3}. {hit.label or '?'} · {where} · claim {out.short_id(hit.claim_id)}")
        else:
            print(f"{i:>3}. {where}")
        print(f"     {out.one_line(marked(hit.snippet_text, hit.highlights))}")
        if hit.detail_text:
            what = DETAIL_NAMES.get(hit.detail_field, hit.detail_field)
            print(f"     {what}: {out.one_line(marked(hit.detail_text, hit.detail_highlights))}")
    for name, values in results.facets.items():
        if values and results.total:
            listed = ", ".join(f"{v.label} {v.count}" for v in values[:8])
            more = f", +{len(values) - 8} more" if len(values) > 8 else ""
            print(f"{name.capitalize()}s: {listed}{more}")


def cmd_reindex(args: argparse.Namespace) -> int:
    from annotator.search import SearchService

    project = _open(args.project)
    started = time.perf_counter()
    try:
        with SearchService(project) as service:
            built_on_open = service.repair_message or (service.status_message or "").startswith(
                "Built"
            )
            if not built_on_open:  # opening did not just build it: rebuild now
                service.rebuild(progress=_progress if sys.stderr.isatty() else None)
            if sys.stderr.isatty():
                print(file=sys.stderr)
            folder = service.index_dir
    finally:
        project.close()
    seconds = time.perf_counter() - started
    print(f"Rebuilt the search index of {args.project.name} in {seconds:.1f} s ({folder}).")
    return 0


def _progress(done: int, total: int) -> None:
    percent = 100 * done // max(1, total)
    print(f"\rIndexing… {percent}%", end="", file=sys.stderr, flush=True)
