"""The task runner: work on worker threads, continuations on the GUI thread, stale results
dropped, tasks of one key one at a time, and the one garbage-collection policy."""

from __future__ import annotations

import gc
import threading
import time

import pytest

from annotator.ui.tasks import GarbageCollection, TaskRunner, runner, wait_for


@pytest.fixture
def tasks(qapp) -> TaskRunner:  # type: ignore[no-untyped-def]
    made = TaskRunner()
    yield made
    made.deleteLater()


def test_the_result_comes_back_on_the_gui_thread(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[object, threading.Thread]] = []
    worker: list[threading.Thread] = []

    def work() -> int:
        worker.append(threading.current_thread())
        return 42

    tasks.submit(work, lambda r: seen.append((r, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [(42, threading.main_thread())]
    assert worker and worker[0] is not threading.main_thread()


def test_an_error_goes_to_on_error(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    errors: list[BaseException] = []

    def fail() -> None:
        raise ValueError("boom")

    task = tasks.submit(fail, lambda _r: pytest.fail("no result expected"), errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "boom"
    with pytest.raises(ValueError):
        wait_for(task)


def test_a_newer_task_of_the_same_key_drops_the_older_ones(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    done: list[str] = []
    order: list[str] = []

    def slow(name: str) -> str:
        order.append(f"start {name}")
        if name == "first":
            gate.wait(5)
        order.append(f"end {name}")
        return name

    first = tasks.submit(lambda: slow("first"), done.append, key="k")
    qtbot.waitUntil(lambda: order == ["start first"], timeout=5000)
    second = tasks.submit(lambda: slow("second"), done.append, key="k")
    third = tasks.submit(lambda: slow("third"), done.append, key="k")
    assert not tasks.is_current(first) and not tasks.is_current(second)
    gate.set()
    qtbot.waitUntil(lambda: done == ["third"], timeout=5000)
    qtbot.wait(50)
    assert done == ["third"]
    assert second.cancelled and second.done()
    # one at a time: the third starts only after the first ended; the second never starts
    assert order == ["start first", "end first", "start third", "end third"]
    assert third.wait(1)


def test_cancel_drops_the_result_and_wait_blocks_until_the_key_is_idle(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    done: list[object] = []
    tasks.submit(lambda: time.sleep(0.2) or 1, done.append, key="k")
    tasks.cancel("k")
    assert tasks.wait("k", 5)
    qtbot.wait(100)
    assert done == []


def test_post_reports_progress_from_a_worker(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, bool]] = []
    main = threading.main_thread()

    def work() -> None:
        for k in range(3):
            tasks.post(lambda k=k: seen.append((k, threading.current_thread() is main)))

    tasks.submit(work)
    qtbot.waitUntil(lambda: len(seen) == 3, timeout=5000)
    assert seen == [(0, True), (1, True), (2, True)]


def test_a_deleted_owner_gets_nothing(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject

    owner = QObject()
    gate = threading.Event()
    done: list[object] = []
    task = tasks.submit(lambda: gate.wait(5), done.append, owner=owner)
    import shiboken6

    shiboken6.delete(owner)
    gate.set()
    assert task.wait(5)
    qtbot.wait(100)
    assert done == []


def test_many_tasks_all_finish_on_a_small_pool(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    done: list[int] = []
    for k in range(50):
        tasks.submit(lambda k=k: k * k, done.append)
    qtbot.waitUntil(lambda: len(done) == 50, timeout=10_000)
    assert sorted(done) == [k * k for k in range(50)]
    assert (
        len({t.name for t in threading.enumerate() if t.name.startswith("annotator-task")}) <= 3 * 2
    )


def test_the_app_has_one_runner_and_one_gc_policy(qapp) -> None:  # type: ignore[no-untyped-def]
    assert runner() is runner()
    policy = GarbageCollection.install()
    assert policy is GarbageCollection.install()
    TaskRunner().deleteLater()
    assert not gc.isenabled()


def test_a_task_that_must_run_runs_in_order_and_supersedes_nothing(qtbot, tasks) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()
    order: list[str] = []
    done: list[str] = []

    def step(name: str) -> str:
        order.append(name)
        if name == "search 1":
            gate.wait(5)
        return name

    tasks.submit(lambda: step("search 1"), done.append, key="k")
    qtbot.waitUntil(lambda: order == ["search 1"], timeout=5000)
    tasks.submit(lambda: step("search 2"), done.append, key="k")
    tasks.submit(lambda: step("update"), done.append, key="k", replaceable=False)
    tasks.submit(lambda: step("search 3"), done.append, key="k")  # drops search 2 only
    gate.set()
    qtbot.waitUntil(lambda: "search 3" in done, timeout=5000)
    assert order == ["search 1", "update", "search 3"]
    assert done == ["update", "search 3"]
