"""Crash-safety harness: a child process writes through the real services as fast as it can and
is killed with SIGKILL at a random moment; the parent then checks the project.

The child prints one JSON line before each mutation ({"t": "begin", ...}) and one after its
commit ({"t": "ok", ...}), flushing each, so the parent knows every acknowledged write and the
one write, at most, that was in flight when the kill came. Every claim's content (label, note,
N tags, evidence) is a pure function of its id and revision, so the parent can tell a complete
claim from a half-written one. After the kill the project must equal, exactly, the state before
plus the acknowledged writes, with the in-flight write either wholly there or wholly absent.

Used by tests/reliability/test_crash_safety.py (50 kills) and benchmarks/soak.py (1,000 kills).
Run as a script for the child: `python crash_harness.py child PROJECT SEED [INDEX_DIR]`.
The child imports only the services (and search when present), never Qt: start-up time counts.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
import traceback
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

HARNESS = Path(__file__).resolve()
READY_TIMEOUT = 60.0
KILL_DELAY = (0.020, 0.400)
"""Seconds between the child's "ready" line and SIGKILL (uniform)."""
RELATIONS = ("corroborates", "contradicts", "repeats", "cites")
SYMMETRIC = ("corroborates", "contradicts")
PHRASE = (
    "the chronicle claims that the council met in secret and the bishop denied every charge "
    "while witnesses later wrote that the letters were forged by a rival faction of the court"
)


def document_text() -> str:
    rng = random.Random(7)
    words = PHRASE.split()
    lines = []
    for _ in range(400):
        lines.append(" ".join(rng.choice(words) for _ in range(12)) + ".")
    return "\n".join(lines)


# -- the state the parent expects --------------------------------------------------------------


@dataclass(frozen=True)
class Claim:
    document_id: str
    start: int
    end: int
    label_id: str
    note: str
    tags: tuple[str, ...]
    evidence: tuple[tuple[str, str | None], ...]
    revision: int


@dataclass(frozen=True)
class State:
    claims: dict[str, Claim] = field(default_factory=dict)
    links: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    change_number: int = 0


def content(claim_id: str, revision: int, labels: list[str]) -> dict[str, Any]:
    """What a claim holds at a revision: 3-8 tags and 1-3 pieces of evidence, all marked with
    the revision, so a claim with some rows of one revision and some of another shows."""
    h = zlib.crc32(claim_id.encode())
    short = claim_id[:8]
    return {
        "label_id": labels[(h + revision) % len(labels)],
        "note": f"revision {revision} of {short}",
        "tags": tuple(f"{short}-r{revision}-t{i}" for i in range(3 + h % 6)),
        "evidence": tuple(
            (f"Source {i} on {short}, r{revision}", f"https://example.org/{short}/{revision}/{i}")
            if i % 2 == 0
            else (f"Source {i} on {short}, r{revision}", None)
            for i in range(1 + (h >> 4) % 3)
        ),
    }


def apply(state: State, op: dict[str, Any], labels: list[str]) -> State:
    """The state after one acknowledged mutation."""
    claims = dict(state.claims)
    links = dict(state.links)
    kind = op["kind"]
    if kind == "create":
        claims[op["id"]] = Claim(
            op["doc"], op["start"], op["end"], revision=1, **content(op["id"], 1, labels)
        )
    elif kind == "edit":
        old = claims[op["id"]]
        claims[op["id"]] = replace(old, revision=op["rev"], **content(op["id"], op["rev"], labels))
    elif kind == "link":
        links[op["id"]] = (op["src"], op["tgt"], op["rel"])
    elif kind == "delete":
        del claims[op["id"]]
        links = {k: v for k, v in links.items() if op["id"] not in (v[0], v[1])}
    elif kind == "unlink":
        del links[op["id"]]
    else:
        raise ValueError(kind)
    return State(claims, links, state.change_number + 1)


def read_state(project: Any) -> State:
    claims = {
        a.id: Claim(
            a.document_id,
            a.start,
            a.end,
            a.label_id,
            a.note,
            a.tags,
            tuple((e.citation, e.url) for e in a.evidence),
            a.revision,
        )
        for a in project.annotations()
    }
    links = {k.id: (k.source_id, k.target_id, k.relation.value) for k in project.links()}
    return State(claims, links, project.change_number())


def label_ids(project: Any) -> list[str]:
    return [lab.id for lab in project.labels()][:3]


def setup_project(path: Path) -> None:
    from annotator.importers.base import ImportedText
    from annotator.services.api import Project

    with Project.create(path) as project:
        text = document_text()
        imported = ImportedText(text=text, format="text", title="Chronicle")
        project.add_document(imported, text.encode(), "chronicle.txt")


# -- the child ---------------------------------------------------------------------------------


def choose(rng: random.Random, state: State, doc: str, length: int) -> dict[str, Any]:
    import uuid

    ids = sorted(state.claims)
    roll = rng.random()
    if len(ids) < 2 or roll < 0.40:
        start = rng.randrange(0, length - 80)
        return {
            "kind": "create",
            "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "doc": doc,
            "start": start,
            "end": start + rng.randrange(5, 80),
        }
    if roll < 0.70:
        claim = rng.choice(ids)
        return {"kind": "edit", "id": claim, "rev": state.claims[claim].revision + 1}
    if roll < 0.90:
        taken = set(state.links.values())
        for _ in range(20):
            src, tgt = rng.sample(ids, 2)
            rel = rng.choice(RELATIONS)
            # Corroborating and contradicting are symmetric: B→A duplicates A→B (services/links).
            mirror = (tgt, src, rel) if rel in SYMMETRIC else None
            if (src, tgt, rel) not in taken and mirror not in taken:
                link_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                return {"kind": "link", "id": link_id, "src": src, "tgt": tgt, "rel": rel}
    if roll < 0.95 or not state.links:
        return {"kind": "delete", "id": rng.choice(ids)}
    return {"kind": "unlink", "id": rng.choice(sorted(state.links))}


def perform(project: Any, op: dict[str, Any], labels: list[str], state: State) -> int:
    from annotator.domain.model import Evidence

    kind = op["kind"]
    if kind in ("create", "edit"):
        rev = 1 if kind == "create" else op["rev"]
        c = content(op["id"], rev, labels)
        evidence = [Evidence(cit, url) for cit, url in c["evidence"]]
        if kind == "create":
            changes = project.create_claim(
                op["doc"],
                op["start"],
                op["end"],
                c["label_id"],
                note=c["note"],
                tags=c["tags"],
                evidence=evidence,
                annotation_id=op["id"],
            )
        else:
            changes = project.update_claim(
                op["id"], label_id=c["label_id"], note=c["note"], tags=c["tags"], evidence=evidence
            )
    elif kind == "link":
        changes = project.create_link(op["src"], op["tgt"], op["rel"], link_id=op["id"])
    elif kind == "delete":
        changes = project.delete_claim(op["id"])
    else:
        changes = project.delete_link(op["id"])
    return int(changes.change_number)


def child_main(path: Path, seed: int, index_dir: Path | None) -> None:
    from annotator.services.api import Project

    project = Project.open(path)
    search = open_search(project, index_dir, background=True) if index_dir else None
    state = read_state(project)
    labels = label_ids(project)
    doc = project.documents()[0]
    length = len(project.document_text(doc.id))
    rng = random.Random(seed * 7919 + 1)
    out = sys.stdout

    def emit(kind: str, op: dict[str, Any], number: int = 0) -> None:
        out.write(json.dumps({"t": kind, "op": op, "n": number}) + "\n")
        out.flush()

    out.write("ready\n")
    out.flush()
    parent = os.getppid()
    try:
        while os.getppid() == parent:  # orphaned (the runner died): stop
            op = choose(rng, state, doc.id, length)
            emit("begin", op)
            number = perform(project, op, labels, state)
            emit("ok", op, number)
            state = apply(state, op, labels)
    finally:
        if search is not None:
            search.close()


def writer_main(path: Path, prefix: str, count: int) -> None:
    """Another program on the same project: `count` claims with ids `<prefix>-<i>`, each
    linked to the previous one, every third edited; prints each claim's id once saved."""
    from annotator.services.api import Project

    with Project.open(path) as project:
        labels = label_ids(project)
        doc = project.documents()[0].id
        length = len(project.document_text(doc))
        previous = None
        for i in range(count):
            claim = f"{prefix}-{i}"
            c = content(claim, 1, labels)
            start = (i * 37) % (length - 50)
            project.create_claim(
                doc, start, start + 20, c["label_id"], tags=c["tags"], annotation_id=claim
            )
            if previous is not None:
                project.create_link(previous, claim, "repeats", link_id=f"{claim}-link")
            if i % 3 == 0:
                project.update_claim(claim, note=f"edited by {prefix}")
            print(claim, flush=True)
            previous = claim


# -- search (when src/annotator/search exists) -------------------------------------------------


def search_available() -> bool:
    try:
        from annotator.search import SearchService  # noqa: F401
    except ImportError:
        return False
    return True


def open_search(project: Any, index_dir: Path, *, background: bool) -> Any:
    """Open the search service on `index_dir` (opening checks the index against the project
    and repairs or catches it up); in the child with its background indexer running."""
    from annotator.search import SearchService

    service = SearchService(project, index_dir)
    if background:
        service.start()
    return service


def search_claim_ids(project: Any, index_dir: Path) -> tuple[set[str], bool]:
    """The claim ids a match-all claims search finds after the service's automatic repair,
    and whether opening had to rebuild the index (not merely catch up)."""
    service = open_search(project, index_dir, background=False)
    try:
        ids: set[str] = set()
        page = 1
        while True:
            results = service.search("", kind="claims", sort="document", page=page, page_size=1000)
            ids.update(hit.claim_id for hit in results.hits)
            if page >= results.pages:
                return ids, service.repair_message is not None
            page += 1
    finally:
        service.close()


# -- the zygote: forks children after importing once ------------------------------


def zygote_main() -> None:
    import annotator.domain.model
    import annotator.services.api  # the point: imported once, before any fork

    if search_available():
        import whoosh.fields
        import whoosh.index
        import whoosh.qparser
        import whoosh.writing  # noqa: F401

        import annotator.search.service  # noqa: F401
    runner = os.getppid()
    out = sys.stdout.buffer
    out.write(b"zygote ready\n")
    out.flush()
    for line in sys.stdin.buffer:
        req = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _forked_child(req)  # never returns
        out.write(f"pid {pid}\n".encode())
        out.flush()
        status = _wait_for(pid, runner)
        out.write(f"exit {pid} {status}\n".encode())
        out.flush()


def _wait_for(pid: int, runner: int) -> int:
    """The child's wait status; kills it if the runner that asked for it has died."""
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return status
        if os.getppid() != runner:
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.005)


def _forked_child(req: dict[str, Any]) -> None:
    code = 1
    try:
        for fd, name, flags in (
            (0, os.devnull, os.O_RDONLY),
            (1, req["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
            (2, req["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC),
        ):
            new = os.open(name, flags, 0o644)
            os.dup2(new, fd)
            os.close(new)
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        index_dir = Path(req["index_dir"]) if req["index_dir"] else None
        child_main(Path(req["path"]), int(req["seed"]), index_dir)
        code = 0
    except BaseException:
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "child":
        index = Path(sys.argv[4]) if len(sys.argv) > 4 else None
        child_main(Path(sys.argv[2]), int(sys.argv[3]), index)
    elif len(sys.argv) == 5 and sys.argv[1] == "writer":
        writer_main(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1:] == ["zygote"]:
        zygote_main()
    else:
        print(__doc__)
        sys.exit(2)
