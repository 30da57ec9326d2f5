"""Source independence: threads of linked claims, and whether their corroboration is independent.

Source criticism asks of a corroborated claim whether its corroborators are independent of it
and of each other. Here, two sources are *tied* when a chain of `repeats` links (either
direction) joins claims of theirs in the same thread. A corroborated claim is `dependent` when
every corroborating source is its own source, or is tied to its source or to another
corroborating source. Pure functions over ids: no project, no storage.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from annotator.domain.model import Relation

ClaimLink = tuple[str, str, str]
"""(source claim id, target claim id, relation value) of one link."""


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def link_threads(links: Iterable[ClaimLink]) -> list[list[str]]:
    """The claims connected by `links` (connected components of the link graph), each sorted
    by id, in the order of their smallest id."""
    components = _UnionFind()
    ids: set[str] = set()
    for source, target, _ in links:
        components.union(source, target)
        ids.update((source, target))
    groups: dict[str, list[str]] = {}
    for claim_id in sorted(ids):
        groups.setdefault(components.find(claim_id), []).append(claim_id)
    return sorted(groups.values(), key=lambda group: group[0])


@dataclass(frozen=True)
class SourceRelations:
    """The other sources (document ids) one claim's links relate it to, and its verdict."""

    corroborated_by: tuple[str, ...]
    """Sources whose claims corroborate this one (either direction)."""
    contradicted_by: tuple[str, ...]
    repeats: tuple[str, ...]
    """Sources this claim repeats."""
    repeated_by: tuple[str, ...]
    dependent: bool
    """Corroborated, but never independently (see the module's rule)."""


def assess_sources(
    claim_documents: Mapping[str, str],
    links: Iterable[ClaimLink],
    source_order: Mapping[str, int] | None = None,
) -> dict[str, SourceRelations]:
    """For each claim of `claim_documents` (claim id -> its document id), the sources its
    `links` relate it to, its own source left out, in `source_order` (document id -> rank; by
    id where it has none).

    Links whose two ends are not both in `claim_documents` are ignored."""
    doc = claim_documents
    rank = source_order or {}
    inside = [k for k in links if k[0] in doc and k[1] in doc]
    tied = _UnionFind()
    for source, target, relation in inside:
        if relation == Relation.REPEATS.value:
            tied.union(doc[source], doc[target])
    related: dict[str, dict[str, set[str]]] = {c: {r.value: set() for r in Relation} for c in doc}
    repeats_out: dict[str, set[str]] = {c: set() for c in doc}
    repeated_by: dict[str, set[str]] = {c: set() for c in doc}
    for source, target, relation in inside:
        related[source][relation].add(doc[target])
        related[target][relation].add(doc[source])
        if relation == Relation.REPEATS.value:
            repeats_out[source].add(doc[target])
            repeated_by[target].add(doc[source])

    out: dict[str, SourceRelations] = {}
    for claim, own in doc.items():

        def names(ids: set[str], own: str = own) -> tuple[str, ...]:
            return tuple(sorted(ids - {own}, key=lambda i: (rank.get(i, 1 << 30), i)))

        corroborating = related[claim][Relation.CORROBORATES.value]
        independent = [
            s
            for s in corroborating
            if s != own
            and tied.find(s) != tied.find(own)
            and not any(tied.find(s) == tied.find(o) for o in corroborating if o != s)
        ]
        out[claim] = SourceRelations(
            corroborated_by=names(corroborating),
            contradicted_by=names(related[claim][Relation.CONTRADICTS.value]),
            repeats=names(repeats_out[claim]),
            repeated_by=names(repeated_by[claim]),
            dependent=bool(corroborating) and not independent,
        )
    return out
