"""Claim commands: annotate (find a claim by its quoted text), annotations, edit, delete, link.

Part of the `annotator` command's contract (docs/reference.md); thin over the services.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from annotator.cli import output as out
from annotator.cli.locations import PROJECT_HELP, project_location
from annotator.cli.project_cmds import open_project, positive_int
from annotator.domain.errors import ConflictError, NotFoundError, ValidationError
from annotator.domain.model import Claim, Evidence, Link, Relation, normalize_tags
from annotator.domain.text import occurrences
from annotator.services.api import Project

MAX_LISTED_OCCURRENCES = 20
EDIT_ATTEMPTS = 10
"""Without --if-revision, an edit that meets a change made meanwhile is re-applied to the newer
claim this many times in all (its tag additions and removals are relative to what is there)."""


def register(subparsers: Any) -> None:
    add = subparsers.add_parser

    p = add(
        "annotate",
        help="mark a claim, found by its quoted text",
        description="Mark a claim in document DOC (id, number or title prefix), found by the "
        "quoted text. Prints the new claim's id.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("doc", metavar="DOC", help="document id, 1-based number or title prefix")
    p.add_argument("--quote", metavar="TEXT", required=True, help="the claim's exact text")
    p.add_argument("--label", metavar="LABEL", required=True, help="label name, key or id")
    p.add_argument("--note", metavar="N", default="")
    p.add_argument("--tag", metavar="T", action="append", default=[], help="a tag (repeatable)")
    p.add_argument(
        "--evidence",
        metavar="E",
        action="append",
        default=[],
        help="a citation, a URL, or 'citation | URL' (repeatable)",
    )
    p.add_argument(
        "--occurrence",
        metavar="K",
        type=positive_int,
        help="which occurrence of the quote (1 = first) when it occurs more than once",
    )
    p.add_argument("--json", action="store_true", help="print the new claim as JSON")
    p.set_defaults(func=cmd_annotate)

    p = add("annotations", help="list the claims", description="List the claims.")
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("--doc", metavar="DOC", help="only the claims of this document")
    p.add_argument("--label", metavar="LABEL", help="only the claims with this label")
    p.add_argument("--json", action="store_true", help="print JSON (see the documented shape)")
    p.set_defaults(func=cmd_annotations)

    p = add(
        "edit",
        help="change a claim's label, note or tags",
        description="Change a claim (full id or unambiguous id prefix): its label, its note, its "
        "tags. With --if-revision N the change is saved only if the claim is still at revision N "
        "(the `revision` of `annotations --json`); otherwise it exits 1 and saves nothing.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("claim", metavar="CLAIM", help="claim id or unambiguous id prefix")
    p.add_argument("--label", metavar="LABEL", help="new label: name, key or id")
    p.add_argument("--note", metavar="N", help="new note (an empty string clears it)")
    p.add_argument("--add-tag", metavar="T", action="append", default=[], help="(repeatable)")
    p.add_argument("--remove-tag", metavar="T", action="append", default=[], help="(repeatable)")
    p.add_argument(
        "--if-revision",
        metavar="N",
        type=non_negative_int,
        help="save only if the claim is still at this revision",
    )
    p.add_argument("--json", action="store_true", help="print the changed claim as JSON")
    p.set_defaults(func=cmd_edit)

    p = add(
        "delete",
        help="delete a claim and its links",
        description="Delete a claim (full id or unambiguous id prefix) and the links touching it.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("claim", metavar="CLAIM", help="claim id or unambiguous id prefix")
    p.add_argument(
        "--if-revision",
        metavar="N",
        type=non_negative_int,
        help="delete only if the claim is still at this revision",
    )
    p.add_argument("--json", action="store_true", help="print what was deleted as JSON")
    p.set_defaults(func=cmd_delete)

    relations = [r.value for r in Relation]
    p = add(
        "link",
        help="link two claims",
        description="Link two claims (full ids or unambiguous id prefixes). Prints the link id.",
    )
    p.add_argument("project", metavar="PROJECT", type=project_location, help=PROJECT_HELP)
    p.add_argument("source", metavar="CLAIM_ID")
    p.add_argument("target", metavar="CLAIM_ID")
    p.add_argument("--relation", required=True, choices=relations, metavar="|".join(relations))
    p.add_argument("--note", metavar="N", default="")
    p.set_defaults(func=cmd_link)


# -- annotate ------------------------------------------------------------------------------------

_URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")


def parse_evidence(value: str) -> Evidence:
    """`citation`, `URL`, or `citation | URL` (split at the last `|` when a URL follows it)."""
    value = value.strip()
    citation, bar, url = value.rpartition("|")
    if bar and _URL_RE.match(url.strip()):
        return Evidence(citation.strip(), url.strip())
    if _URL_RE.match(value):
        return Evidence("", value)
    return Evidence(value)


_QUOTE_MARKS = {
    "'": "'‘’‚‛′",
    '"': '"“”„‟″«»',
    "-": "-‐‑‒–—―",
}
_EQUIVALENT = {ch: chars for chars in _QUOTE_MARKS.values() for ch in chars}


def find_quote(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of `quote` in `text`: exact occurrences; failing that, occurrences that differ
    only in whitespace (any run matches any run) and in the style of quotation marks, apostrophes
    and dashes (so a quote typed on a keyboard finds typographic text)."""
    if not quote.strip():
        return []
    exact = occurrences(text, quote)
    if exact:
        return [(s, s + len(quote)) for s in exact]
    pattern: list[str] = []
    for word in quote.split():
        pattern.append(
            "".join(
                f"[{re.escape(_EQUIVALENT[ch])}]" if ch in _EQUIVALENT else re.escape(ch)
                for ch in word
            )
        )
    if not pattern:
        return []
    regex = re.compile(r"\s+".join(pattern))
    return [(m.start(), m.end()) for m in regex.finditer(text)]


def _pick_span(
    args: argparse.Namespace, project: Project, doc_id: str, title: str
) -> tuple[int, int] | None:
    """The span the quote and --occurrence designate; None after listing an ambiguous quote."""
    quote = args.quote.strip()
    if not quote:
        raise ValidationError("The quote is empty: give the claim's text with --quote.")
    text = project.document_text(doc_id)
    spans = find_quote(text, quote)
    shown = out.quoted(quote, 50)
    if not spans:
        raise NotFoundError(f"{shown} does not occur in “{out.truncate(title, 50)}”.")
    if args.occurrence is None:
        if len(spans) == 1:
            return spans[0]
        out.warn(
            f"{shown} occurs {len(spans)} times in “{out.truncate(title, 50)}”; "
            "choose one with --occurrence K:"
        )
        for k, (start, end) in enumerate(spans[:MAX_LISTED_OCCURRENCES], start=1):
            print(f"  {k:>2}  at {start:<7} {out.in_context(text, start, end)}", file=sys.stderr)
        if len(spans) > MAX_LISTED_OCCURRENCES:
            print(f"  ... and {len(spans) - MAX_LISTED_OCCURRENCES} more.", file=sys.stderr)
        return None
    if args.occurrence > len(spans):
        raise ValidationError(
            f"{shown} occurs only {len(spans)} time(s) in “{out.truncate(title, 50)}”, "
            f"so there is no occurrence {args.occurrence}."
        )
    return spans[args.occurrence - 1]


def cmd_annotate(args: argparse.Namespace) -> int:
    evidence = [parse_evidence(e) for e in args.evidence]
    with open_project(args.project) as project:
        doc = project.find_document(args.doc)
        label = project.label(args.label)
        span = _pick_span(args, project, doc.id, doc.title)
        if span is None:
            return 1
        changes = project.create_claim(
            doc.id, span[0], span[1], label.id, note=args.note, tags=args.tag, evidence=evidence
        )
        claim_id = changes.created_id
        assert claim_id is not None
        if args.json:
            out.print_json(
                out.annotation_json(project.annotation(claim_id), out.Lookup.of(project), links=[])
            )
        else:
            print(claim_id)
    return 0


def find_claim(project: Project, ref: str) -> Claim:
    """A claim by its id or an unambiguous prefix of it (as the text listings show)."""
    ref = ref.strip()
    try:
        return project.annotation(ref)
    except NotFoundError:
        pass
    matches = [a for a in project.annotations() if a.id.startswith(ref)] if len(ref) >= 4 else []
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise NotFoundError(f"{ref!r} is the start of {len(matches)} claim ids; give more of it.")
    raise NotFoundError(f"No claim with id {ref!r}.")


# -- edit, delete --------------------------------------------------------------------------------


def non_negative_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("a revision is 0 or more")
    return number


def stale_revision(claim_id: str, current: int, expected: int) -> ConflictError:
    """The one-line refusal of a change based on an older revision of a claim."""
    return ConflictError(
        f"Claim {out.short_id(claim_id)} is at revision {current} now, not {expected}: "
        "someone changed it; nothing was saved."
    )


def edited_tags(claim: Claim, add: list[str], remove: list[str]) -> tuple[str, ...]:
    """The claim's tags with `add` appended and `remove` taken out (compared as
    `normalize_tags` does: spaces collapsed, case ignored). Removing a tag the claim does not
    carry is refused: a mistyped tag must not pass for done."""
    gone = {t.casefold() for t in normalize_tags(remove)}
    present = {t.casefold() for t in claim.tags}
    missing = [t for t in normalize_tags(remove) if t.casefold() not in present]
    if missing:
        has = ", ".join(f"“{t}”" for t in claim.tags) or "none"
        raise NotFoundError(
            f"Claim {out.short_id(claim.id)} has no tag “{missing[0]}” (its tags: {has}); "
            "nothing was saved."
        )
    kept = [t for t in claim.tags if t.casefold() not in gone]
    return normalize_tags([*kept, *add])


def cmd_edit(args: argparse.Namespace) -> int:
    from annotator.cli.main import UsageError

    if args.label is None and args.note is None and not args.add_tag and not args.remove_tag:
        raise UsageError("nothing to change: give --label, --note, --add-tag or --remove-tag")
    with open_project(args.project) as project:
        claim = find_claim(project, args.claim)
        label_id = project.label(args.label).id if args.label is not None else None
        attempts = 1 if args.if_revision is not None else EDIT_ATTEMPTS
        for attempt in range(attempts):
            if args.if_revision is not None and claim.revision != args.if_revision:
                raise stale_revision(claim.id, claim.revision, args.if_revision)
            tags = edited_tags(claim, args.add_tag, args.remove_tag)
            expected = claim.revision
            try:
                project.update_claim(
                    claim.id,
                    label_id=label_id,
                    note=args.note,
                    tags=tags if (args.add_tag or args.remove_tag) else None,
                    expected_revision=expected,
                )
                break
            except ConflictError:
                # Changed between our read and our write: name the revision it is at now.
                claim = project.annotation(claim.id)
                if attempt == attempts - 1:
                    raise stale_revision(claim.id, claim.revision, expected) from None
        claim = project.annotation(claim.id)
        if args.json:
            links = project.links(annotation_ids=[claim.id])
            out.print_json(out.annotation_json(claim, out.Lookup.of(project), links=links))
        else:
            print(f"Claim {out.short_id(claim.id)} is now at revision {claim.revision}.")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        claim = find_claim(project, args.claim)
        if args.if_revision is not None and claim.revision != args.if_revision:
            raise stale_revision(claim.id, claim.revision, args.if_revision)
        try:
            changes = project.delete_claim(claim.id, expected_revision=claim.revision)
        except ConflictError:
            current = project.annotation(claim.id).revision
            raise stale_revision(claim.id, current, claim.revision) from None
    links = sorted(r.id for r in changes.removed if r.entity == "link")
    if args.json:
        out.print_json({"deleted": claim.id, "revision": claim.revision, "links_deleted": links})
    else:
        also = f" and {len(links)} link{'s' if len(links) != 1 else ''}" if links else ""
        print(f"Deleted claim {out.short_id(claim.id)}{also}.")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        source = find_claim(project, args.source)
        target = find_claim(project, args.target)
        changes = project.create_link(source.id, target.id, args.relation, note=args.note)
    print(changes.created_id)
    return 0


def cmd_annotations(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        doc_id = project.find_document(args.doc).id if args.doc else None
        label_id = project.label(args.label).id if args.label else None
        claims = project.annotations(document_id=doc_id, label_id=label_id)
        links = project.links(annotation_ids=[a.id for a in claims])
        lookup = out.Lookup.of(project)
    touching: dict[str, list[Link]] = {a.id: [] for a in claims}
    for link in links:
        for end in (link.source_id, link.target_id):
            if end in touching:
                touching[end].append(link)
    if args.json:
        out.print_json([out.annotation_json(a, lookup, links=touching[a.id]) for a in claims])
        return 0
    if not claims:
        print("No claims.")
        return 0
    current = None
    for ann in claims:
        if ann.document_id != current:
            if current is not None:
                print()
            current = ann.document_id
            number = lookup.numbers.get(current, "?")
            print(f"{number}  {lookup.document_title(current)}")
        label = lookup.label_name(ann.label_id)
        print(
            f"  {out.short_id(ann.id)}  {label:<10} {lookup.location(ann).short:<8} "
            f"{out.quoted(ann.quote.exact, 70)}"
        )
        indent = " " * 12
        if ann.note:
            print(f"{indent}note: {out.truncate(ann.note, 80)}")
        if ann.tags:
            print(f"{indent}tags: {', '.join(ann.tags)}")
        for item in ann.evidence:
            print(f"{indent}evidence: {out.evidence_text(item)}")
        for link in touching[ann.id]:
            outgoing = link.source_id == ann.id
            other = link.target_id if outgoing else link.source_id
            arrow = "→" if outgoing else "←"
            print(f"{indent}{link.relation.value} {arrow} {out.short_id(other)}")
    return 0
