"""The background indexer: changes become searchable without blocking the caller; two
processes writing to one index never see a LockError."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from pathlib import Path

from annotator.search import SearchService
from annotator.services.api import Project


def test_changes_become_searchable_in_the_background(project: Project, corpus: object) -> None:
    russia = corpus.russia  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    with SearchService(project) as service:
        service.start()
        assert service.wait_until_current(5)
        started = time.perf_counter()
        created = project.create_annotation(russia, 0, 3, label, note="zebracorn sighting")
        assert time.perf_counter() - started < 1.0  # the caller does not wait for the index
        assert service.wait_until_current(5)
        assert [h.claim_id for h in service.search("zebracorn").hits] == [created.created_id]
        # Edits, relabels, links and deletions follow.
        project.update_annotation(created.created_id, note="unicorn sighting")
        assert service.wait_until_current(5)
        assert service.search("zebracorn").total == 0 and service.search("unicorn").total == 1
        link = project.create_link(created.created_id, corpus.claims["korea"], "corroborates")  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        assert service.search("relation:corroborates").total == 2
        project.delete_link(link.created_id)
        assert service.wait_until_current(5)
        assert service.search("relation:corroborates").total == 0
        project.delete_annotation(created.created_id)
        assert service.wait_until_current(5)
        assert service.search("unicorn").total == 0
    assert not [t for t in threading.enumerate() if t.name == "annotator-search-indexer"]


def test_documents_added_and_removed(project: Project, corpus: object, add_text: object) -> None:
    with SearchService(project) as service:
        service.start()
        doc = add_text("A paragraph about quokkas.\n\nAnother about wombats.", title="Marsupials")  # type: ignore[operator]
        assert service.wait_until_current(5)
        assert service.search("quokka", kind="passages").total == 1
        assert service.search("doc:marsupials wombats", kind="passages").total == 1
        project.update_document(doc, title="Animals of Australia")
        assert service.wait_until_current(5)
        assert service.search("doc:australia", kind="passages").total == 2
        project.delete_document(corpus.russia)  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        assert service.search("Moscow", kind="passages").total == 0
        assert service.search("*:*").total == 2


def test_a_burst_of_changes_is_applied_together(project: Project, corpus: object) -> None:
    russia = corpus.russia  # type: ignore[attr-defined]
    label = corpus.labels["sourced"]  # type: ignore[attr-defined]
    with SearchService(project) as service:
        service.start()
        for i in range(30):
            project.create_annotation(russia, i, i + 2, label, note=f"burst {i}")
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
                project.create_annotation(doc, i, i + 2, label, note=f"{word} {i}")
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
        project.create_annotation(corpus.russia, 0, 3, corpus.labels["sourced"])  # type: ignore[attr-defined]
        assert service.wait_until_current(5)
        deadline = time.monotonic() + 5
        while project.change_number() not in heard and time.monotonic() < deadline:
            time.sleep(0.01)
        assert project.change_number() in heard
        stop()
