"""The index is derived data: checked on open, repaired when missing, emptied or damaged."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotator.search import SearchService
from annotator.search.index_store import META_NAME
from annotator.services.api import Project


def answer(service: SearchService) -> list[str | None]:
    return [h.claim_id for h in service.search("label:disputed Halvorsen").hits]


@pytest.fixture
def built(project: Project, corpus: object) -> tuple[Path, list[str | None]]:
    with SearchService(project) as service:
        assert service.repair_message is None
        assert service.status_message and service.status_message.startswith("Built")
        folder = service.index_dir
        expected = answer(service)
    assert folder is not None and expected
    return folder, expected


def reopen(project: Project) -> SearchService:
    return SearchService(project)


def test_reopen_uses_the_index_as_it_is(project: Project, built: tuple[Path, list]) -> None:
    folder, expected = built
    with reopen(project) as service:
        assert service.repair_message is None and service.index_dir == folder
        assert answer(service) == expected


def test_catches_up_with_changes_made_while_closed(
    project: Project, corpus: object, built: tuple
) -> None:
    project.create_claim(corpus.closure, 0, 3, corpus.labels["sourced"], note="Halvorsen later")  # type: ignore[attr-defined]
    with reopen(project) as service:
        assert service.repair_message is None
        assert "1 changes" in (service.status_message or "")
        assert service.search("Halvorsen").total == 2


@pytest.mark.parametrize(
    "damage",
    [
        "delete folder",
        "empty folder",
        "delete home",
        "truncate",
        "garbage",
        "meta",
        "version",
        "pointer",
    ],
)
def test_damage_is_repaired_and_reported(project: Project, built: tuple, damage: str) -> None:
    folder, expected = built
    home = folder.parent
    if damage == "delete folder":
        shutil.rmtree(folder)
    elif damage == "empty folder":
        for f in folder.iterdir():
            f.unlink()
    elif damage == "delete home":
        shutil.rmtree(home)
    elif damage in ("truncate", "garbage"):
        biggest = max(
            (f for f in folder.iterdir() if f.name != META_NAME), key=lambda f: f.stat().st_size
        )
        data = biggest.read_bytes()
        biggest.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"\0" * len(data))
    elif damage == "meta":
        (folder / META_NAME).write_text("{not json")
    elif damage == "version":
        meta = json.loads((folder / META_NAME).read_text())
        meta["schema_version"] = 0
        (folder / META_NAME).write_text(json.dumps(meta))
    elif damage == "pointer":
        (home / "CURRENT").write_text("../../etc")
    with reopen(project) as service:
        if damage == "delete home":  # indistinguishable from a first open
            assert service.status_message and "Built" in service.status_message
        elif damage == "garbage":  # same sizes: Whoosh notices, or the search still works
            pass
        else:
            assert service.repair_message and "rebuilt it" in service.repair_message, damage
        assert answer(service) == expected
        assert service.index_dir != folder or damage == "garbage"


def test_index_of_another_state_is_rebuilt(project: Project, corpus: object, built: tuple) -> None:
    folder, _ = built
    meta = json.loads((folder / META_NAME).read_text())
    meta["last_change"] = 10_000  # "ahead" of the project: restored from a backup?
    (folder / META_NAME).write_text(json.dumps(meta))
    with reopen(project) as service:
        assert service.repair_message and "ahead" in service.repair_message


def test_missing_claims_are_noticed(project: Project, corpus: object, built: tuple) -> None:
    folder, expected = built
    # Remove a claim from the index behind the project's back (change number untouched).
    from whoosh import index

    ix = index.open_dir(str(folder))
    writer = ix.writer()
    writer.delete_by_term("key", f"c:{corpus.claims['harnby']}")  # type: ignore[attr-defined]
    writer.commit()
    meta = json.loads((folder / META_NAME).read_text())
    meta["files"] = {
        f.name: f.stat().st_size
        for f in folder.iterdir()
        if f.name != META_NAME and f.is_file() and "LOCK" not in f.name
    }
    (folder / META_NAME).write_text(json.dumps(meta))
    with reopen(project) as service:
        assert service.repair_message and "claims" in service.repair_message
        assert answer(service) == expected


def test_deleted_while_open_still_answers(project: Project, built: tuple) -> None:
    folder, expected = built
    with reopen(project) as service:
        assert answer(service) == expected
        shutil.rmtree(folder.parent)
        assert answer(service) == expected
        assert service.repair_message and "missing" in service.repair_message


def test_rebuild_swaps_in_a_new_folder(project: Project, built: tuple) -> None:
    folder, expected = built
    with reopen(project) as service:
        service.rebuild()
        assert service.index_dir != folder and not folder.exists()
        assert answer(service) == expected
        assert (service.index_dir.parent / "CURRENT").read_text() == service.index_dir.name  # type: ignore[union-attr]


def test_parallel_build_matches_single(project: Project, corpus: object) -> None:
    with SearchService(project, procs=1) as one:
        single = [(h.claim_id, h.snippet_text) for h in one.search("*:*", sort="document").hits]
        one.rebuild(procs=2)
        parallel = [(h.claim_id, h.snippet_text) for h in one.search("*:*", sort="document").hits]
        assert parallel == single
        assert one.search("Brackwater", kind="passages").total == 1
        # Each worker wrote its own segment.
        assert len(list(one.index_dir.glob("*.seg"))) >= 2  # type: ignore[union-attr]


def test_a_medium_project_is_built_in_a_worker_process(
    project: Project, corpus: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Claims and passages are written by a worker process (the window's process only waits),
    with the same results as a build in this process."""
    from annotator.search import build_worker, index_store

    with SearchService(project, procs=1) as one:
        single = [(h.claim_id, h.snippet_text) for h in one.search("*:*", sort="document").hits]
        passages = one.search("*:*", kind="passages").total
    workers: list[int] = []
    original = build_worker.fill_parallel

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        workers.append(args[4])
        return original(*args, **kwargs)

    monkeypatch.setattr(build_worker, "fill_parallel", counted)
    monkeypatch.setattr(index_store, "SUBPROCESS_MIN_DOCS", 1)
    with SearchService(project) as service:
        service.rebuild()
        assert workers == [1]
        assert [
            (h.claim_id, h.snippet_text) for h in service.search("*:*", sort="document").hits
        ] == single
        assert service.search("*:*", kind="passages").total == passages
        assert service.search("Brackwater", kind="passages").total == 1


def test_worker_count() -> None:
    from annotator.search.index_store import (
        PARALLEL_MIN_CLAIMS,
        SUBPROCESS_MIN_DOCS,
        _worker_count,
    )

    assert _worker_count(None, 10, SUBPROCESS_MIN_DOCS - 1) == 0  # small: this process
    assert _worker_count(None, 10, SUBPROCESS_MIN_DOCS) == 1
    assert _worker_count(None, PARALLEL_MIN_CLAIMS, PARALLEL_MIN_CLAIMS) >= 1
    assert _worker_count(1, PARALLEL_MIN_CLAIMS, PARALLEL_MIN_CLAIMS) == 0  # procs=1: here
    assert _worker_count(3, 10, 10) == 3


def test_unwritable_cache_folder_is_a_clear_error(
    project: Project, corpus: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from annotator.domain.errors import AnnotatorError

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("ANNOTATOR_CACHE_DIR", str(blocker))
    with pytest.raises(AnnotatorError, match="cannot be written"):
        SearchService(project)
