"""The background indexer: changes become searchable without blocking the caller; two
processes writing to one index never see a LockError."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

import pytest

from annotator.search import SearchService
from annotator.services.api import Project


@pytest.fixture(params=["in this process", "in a worker process", "worker fails"])
def where(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Where the indexer writes a batch's new documents: here, or (for a big batch: every
    batch, here) in a worker process, or here after the worker failed. Returns the sizes of
    the batches given to a worker, after the mode."""
    from annotator.search import build_worker, indexer

    given: list[object] = [request.param]
    plain = build_worker.index_segment

    def counted(folder, docs, limitmb=128):  # type: ignore[no-untyped-def]
        given.append(len(docs))
        if request.param == "worker fails":
            raise RuntimeError("an index worker failed: test")
        return plain(folder, docs, limitmb)

    monkeypatch.setattr(build_worker, "index_segment", counted)
    if request.param != "in this process":
        monkeypatch.setattr(indexer, "ELSEWHERE_ABOVE", 0)
    return given


def _check_where(where: list[object]) -> None:
    mode, batches = where[0], where[1:]
    assert bool(batches) == (mode != "in this process"), where


def test_changes_become_searchable_in_the_background(
    project: Project, corpus: object, where: list[object]
) -> None:
    closure = corpus.closure  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    with SearchService(project) as service:
        service.start()
        assert service.wait_until_current(5)
        started = time.perf_counter()
        created = project.create_claim(closure, 0, 3, label, note="zebracorn sighting")
        assert time.perf_counter() - started < 1.0  # the caller does not wait for the index
        assert service.wait_until_current(5)
        assert [h.claim_id for h in service.search("zebracorn").hits] == [created.created_id]
        # Edits, relabels, links and deletions follow.
        project.update_claim(created.created_id, note="unicorn sighting")
        assert service.wait_until_current(5)
        assert service.search("zebracorn").total == 0 and service.search("unicorn").total == 1
        link = project.create_link(created.created_id, corpus.claims["harnby"], "corroborates")  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        assert service.search("relation:corroborates").total == 2
        project.delete_link(link.created_id)
        assert service.wait_until_current(5)
        assert service.search("relation:corroborates").total == 0
        project.delete_claim(created.created_id)
        assert service.wait_until_current(5)
        assert service.search("unicorn").total == 0
        assert service.search("*:*").total == len(project.annotations())
    assert not [t for t in threading.enumerate() if t.name == "annotator-search-indexer"]
    _check_where(where)


def test_documents_added_and_removed(
    project: Project, corpus: object, add_text: object, where: list[object]
) -> None:
    with SearchService(project) as service:
        service.start()
        doc = add_text("A paragraph about quokkas.\n\nAnother about wombats.", title="Marsupials")  # type: ignore[operator]
        assert service.wait_until_current(5)
        assert service.search("quokka", kind="passages").total == 1
        assert service.search("doc:marsupials wombats", kind="passages").total == 1
        project.update_document(doc, title="Animals of Australia")
        assert service.wait_until_current(5)
        assert service.search("doc:australia", kind="passages").total == 2
        project.delete_document(corpus.closure)  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        assert service.search("Brackwater", kind="passages").total == 0
        assert service.search("*:*").total == 2
    _check_where(where)


def test_a_burst_of_changes_is_applied_together(project: Project, corpus: object) -> None:
    closure = corpus.closure  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    with SearchService(project) as service:
        service.start()
        for i in range(30):
            project.create_claim(closure, i, i + 2, label, note=f"burst {i}")
        assert service.wait_until_current(10)
        assert service.search("burst").total == 30
        assert service.applied_change == project.change_number()


def _writer_process(path: str, cache: str, word: str, rounds: int, queue: object) -> None:
    os.environ["ANNOTATOR_CACHE_DIR"] = cache
    try:
        project = Project.open(path)
        label = project.label("sourced").id
        doc = project.documents()[0].id
        with SearchService(project) as service:
            for i in range(rounds):
                project.create_claim(doc, i, i + 2, label, note=f"{word} {i}")
                service.update()  # one writer commit each, racing the other process
            found = service.search(word).total
        project.close()
        queue.put(("ok", found))  # type: ignore[attr-defined]
    except BaseException as exc:
        queue.put(("error", f"{type(exc).__name__}: {exc}"))  # type: ignore[attr-defined]


def test_two_processes_writing(project: Project, corpus: object, cache_dir: Path) -> None:
    with SearchService(project):
        pass  # build the index first
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_writer_process, args=(str(project.path), str(cache_dir), w, 8, queue))
        for w in ("aardvark", "bandicoot")
    ]
    for p in procs:
        p.start()
    outcomes = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(30)
    assert all(status == "ok" for status, _ in outcomes), outcomes
    with SearchService(project) as service:
        assert service.repair_message is None
        assert service.search("aardvark").total == 8
        assert service.search("bandicoot").total == 8


def test_listeners_hear_about_updates(project: Project, corpus: object) -> None:
    heard: list[int] = []
    with SearchService(project) as service:
        stop = service.on_updated(heard.append)
        service.start()
        project.create_claim(corpus.closure, 0, 3, corpus.labels["sourced"])  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        deadline = time.monotonic() + 5
        while project.change_number() not in heard and time.monotonic() < deadline:
            time.sleep(0.01)
        assert project.change_number() in heard
        stop()


def test_the_indexer_waits_for_quiet_then_applies_a_burst_once() -> None:
    from annotator.search.indexer import BackgroundIndexer
    from annotator.services.changes import Changes

    applied: list[float] = []
    indexer = BackgroundIndexer(lambda: applied.append(time.monotonic()), quiet=0.2, max_hold=3.0)
    indexer.start()
    try:
        deadline = time.monotonic() + 5
        while not applied and time.monotonic() < deadline:  # the catch-up at start: at once
            time.sleep(0.005)
        assert len(applied) == 1
        first = time.monotonic()
        for n in range(1, 6):  # a burst, 50 ms apart: one apply, 200 ms after the last
            indexer.notify(Changes(change_number=n))
            time.sleep(0.05)
        last = time.monotonic() - 0.05
        assert len(applied) == 1
        while len(applied) < 2 and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.3)
        assert len(applied) == 2
        assert applied[1] - last >= 0.19 and applied[1] > first
        indexer.notify(Changes(change_number=6))
        woken = time.monotonic()
        indexer.wake()  # someone waits: no quiet period
        while len(applied) < 3 and time.monotonic() < deadline:
            time.sleep(0.002)
        assert len(applied) == 3 and applied[2] - woken < 0.15
    finally:
        indexer.stop()
    assert not indexer.running


def test_a_steady_stream_is_applied_at_least_every_max_hold() -> None:
    from annotator.search.indexer import BackgroundIndexer
    from annotator.services.changes import Changes

    applied: list[float] = []
    indexer = BackgroundIndexer(lambda: applied.append(time.monotonic()), quiet=0.1, max_hold=0.2)
    indexer.start()
    try:
        time.sleep(0.05)
        started = time.monotonic()
        n = 0
        while time.monotonic() - started < 0.5:  # a change every 20 ms: never quiet
            n += 1
            indexer.notify(Changes(change_number=n))
            time.sleep(0.02)
        assert len(applied) >= 3  # the catch-up at start, then at least every 0.2 s
    finally:
        indexer.stop()


def test_a_new_claim_is_searchable_soon_without_anyone_waiting(
    project: Project, corpus: object
) -> None:
    """Debounced, a claim is still searchable within 200 ms when nobody calls
    wait_until_current (which applies at once)."""
    closure = corpus.closure  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    with SearchService(project) as service:
        service.start()
        assert service.wait_until_current(5)
        took = []
        for i in range(5):
            word = f"quietword{i}"
            started = time.perf_counter()
            project.create_claim(closure, i, i + 3, label, note=word)
            while service.search(word, page_size=1).total != 1:
                assert time.perf_counter() - started < 5
                time.sleep(0.005)
            took.append(time.perf_counter() - started)
            time.sleep(0.05)
        assert sorted(took)[len(took) // 2] < 0.5  # ~0.15 s; generous for a loaded machine
