"""Background work for the window: one task runner, and the app's garbage-collection policy.

`runner().submit(fn, on_done, on_error)` runs `fn` (pure Python: services, storage, search,
exporters) on a small pool of plain Python threads and calls `on_done(result)` or
`on_error(exception)` on the GUI thread. Rules it keeps:

- **Workers never touch Qt.** A worker neither makes, connects, emits nor calls any Qt object.
  It puts the finished task in a plain Python queue and writes one byte to a socket pair; the
  GUI thread's `QSocketNotifier` on the other end wakes the event loop and runs the
  continuations (a signal emitted from a worker would take Qt's connection mutexes while holding
  the GIL: the lock-order inversion that deadlocked PDF printing).
- **Stale results are dropped.** A task submitted with a `key` supersedes the earlier tasks of
  that key: a queued one never starts, and the result of a running one is not handed over.
  Tasks of one key run one at a time, in order.
- **No nested event loops.** Nothing here waits in a local `QEventLoop`; continuations run from
  the app's own loop. `Task.wait()` blocks without turning the loop (used only to make sure a
  worker is done before what it uses is closed).
- **One owner of the GC policy** (`GarbageCollection`): the cyclic collector never runs on a
  worker thread, where it could free a cycle holding a Qt object.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import queue
import socket
import sys
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

WORKERS = 3
"""Threads in the pool: a long export, a preview and a search may run at once."""


@dataclass(eq=False)
class Task:
    """One piece of work handed to the runner."""

    fn: Callable[[], Any]
    on_done: Callable[[Any], object] | None
    on_error: Callable[[BaseException], object] | None
    key: str | None
    generation: int
    owner: QObject | None = None
    replaceable: bool = True
    result: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    _finished: threading.Event = field(default_factory=threading.Event)

    def done(self) -> bool:
        """The work has ended (or was cancelled before it started)."""
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has ended (without turning the event loop); False on timeout."""
        return self._finished.wait(timeout)


class TaskRunner(QObject):
    """A pool of worker threads and one relay to the GUI thread (see the module docstring)."""

    def __init__(self, parent: QObject | None = None, workers: int = WORKERS) -> None:
        super().__init__(parent)
        GarbageCollection.install()
        self._size = workers
        self._lock = threading.Lock()
        self._jobs: queue.SimpleQueue[Task | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._queued = 0
        self._generations: dict[str, int] = {}
        self._running: dict[str, Task] = {}
        self._waiting: dict[str, deque[Task]] = {}
        self._outbox: deque[Callable[[], object]] = deque()
        self._woken = False
        self._counter = itertools.count(1)
        self._receive, self._send = socket.socketpair()
        self._receive.setblocking(False)
        self._send.setblocking(False)
        self._notifier = QSocketNotifier(self._receive.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._deliver)
        jobs, receive, send, threads = self._jobs, self._receive, self._send, self._threads
        self.destroyed.connect(lambda *_: _close(jobs, receive, send, threads))

    # -- submitting (GUI thread) -------------------------------------------------------------

    def submit(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], object] | None = None,
        on_error: Callable[[BaseException], object] | None = None,
        *,
        key: str | None = None,
        owner: QObject | None = None,
        replaceable: bool = True,
    ) -> Task:
        """Run `fn` on a worker; then `on_done(result)` or `on_error(exc)` on the GUI thread,
        unless a newer task of the same `key` was submitted meanwhile, or `owner` (a QObject)
        was deleted. Without `on_error` an exception goes to `sys.excepthook` (the error dialog).
        A task that is not `replaceable` always runs and is handed over, in its key's order
        (work that later tasks of the key rely on, such as bringing an index up to date)."""
        with self._lock:
            generation = next(self._counter)
            task = Task(fn, on_done, on_error, key, generation, owner, replaceable)
            if key is not None:
                if replaceable:  # a task that always runs supersedes nothing either
                    self._generations[key] = generation
                    self._drop_waiting(key)
                if key in self._running:
                    self._waiting.setdefault(key, deque()).append(task)  # runs after those
                    return task
                self._running[key] = task
            self._start(task)
        return task

    def _drop_waiting(self, key: str) -> None:
        """Cancel the replaceable tasks of `key` that have not started (lock held)."""
        waiting = self._waiting.get(key)
        if not waiting:
            return
        for task in [t for t in waiting if t.replaceable]:
            waiting.remove(task)
            task.cancelled = True
            task._finished.set()

    def cancel(self, key: str) -> None:
        """Drop every task of `key`: a waiting one never starts, a running one's result is
        not handed over."""
        with self._lock:
            self._generations[key] = next(self._counter)
            self._drop_waiting(key)

    def wait(self, key: str, timeout: float | None = None) -> bool:
        """Block until no task of `key` runs or waits (the caller is about to close what they
        use); False on timeout."""
        while True:
            with self._lock:
                waiting = self._waiting.get(key)
                task = self._running.get(key) or (waiting[-1] if waiting else None)
            if task is None:
                return True
            if not task.wait(timeout):
                return False

    def is_current(self, task: Task) -> bool:
        return not self._stale(task)

    def post(self, fn: Callable[[], object]) -> None:
        """Call `fn` on the GUI thread soon. Safe from any thread: how a worker reports
        progress."""
        self._outbox.append(fn)
        self._wake()

    # -- the pool (worker threads) -----------------------------------------------------------

    def _start(self, task: Task) -> None:
        """Queue `task` for a worker (called with the lock held); start a thread when every
        one is busy and the pool is not full."""
        self._queued += 1
        self._jobs.put(task)
        if self._queued > self._idle and len(self._threads) < self._size:
            thread = threading.Thread(
                target=self._work, name=f"annotator-task-{len(self._threads) + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            task = self._jobs.get()
            if task is None:
                return
            with self._lock:
                self._idle -= 1
                self._queued -= 1
            if not task.cancelled and not self._stale(task):
                try:
                    task.result = task.fn()
                except BaseException as exc:  # handed to on_error on the GUI thread
                    task.error = exc
            else:
                task.cancelled = True
            with self._lock:
                if task.key is not None and self._running.get(task.key) is task:
                    del self._running[task.key]
                    waiting = self._waiting.get(task.key)
                    following = waiting.popleft() if waiting else None
                    if following is not None:
                        self._running[task.key] = following
                        self._start(following)
            task._finished.set()
            self._outbox.append(lambda t=task: self._hand_over(t))  # type: ignore[misc]
            self._wake()

    def _stale(self, task: Task) -> bool:
        with self._lock:
            return (
                task.replaceable
                and task.key is not None
                and self._generations.get(task.key) != task.generation
            )

    def _wake(self) -> None:
        if self._woken:
            return
        self._woken = True
        with contextlib.suppress(OSError):  # full (a wake is pending anyway) or closed
            self._send.send(b"\0")

    # -- continuations (GUI thread) ----------------------------------------------------------

    def _deliver(self) -> None:
        with contextlib.suppress(OSError):  # drained: the socket is non-blocking
            while self._receive.recv(4096):
                continue
        self._woken = False
        while self._outbox:
            fn = self._outbox.popleft()
            try:
                fn()
            except Exception:
                sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]

    def _hand_over(self, task: Task) -> None:
        if task.cancelled or self._stale(task):
            return
        owner = task.owner
        if owner is not None:
            import shiboken6

            if not shiboken6.isValid(owner):
                return
        if task.error is not None:
            if task.on_error is not None:
                task.on_error(task.error)
            elif isinstance(task.error, Exception):
                error = task.error
                sys.excepthook(type(error), error, error.__traceback__)
            return
        if task.on_done is not None:
            task.on_done(task.result)


def _close(
    jobs: queue.SimpleQueue[Task | None],
    receive: socket.socket,
    send: socket.socket,
    threads: list[threading.Thread],
) -> None:
    """When the runner goes: every idle worker ends, and the relay's sockets close."""
    for _ in threads:
        jobs.put(None)
    for sock in (receive, send):
        with contextlib.suppress(OSError):
            sock.close()


_T = TypeVar("_T")


def runner() -> TaskRunner:
    """The app's task runner (made on first use, owned by the QApplication)."""
    return _owned_by_app("_annotator_tasks", TaskRunner)


def _owned_by_app(name: str, make: Callable[[QApplication], _T]) -> _T:
    """The running QApplication's one `make(app)`, kept on it as `name` (made on first use)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("Annotator's background work needs a QApplication.")
    found = getattr(app, name, None)
    if found is None:
        found = make(app)
        setattr(app, name, found)
    return cast(_T, found)


def on_gui_thread(fn: Callable[..., object]) -> Callable[..., None]:
    """`fn`, callable from any thread: called at once on the GUI thread, handed to it by the
    runner from any other (how a project's change listener, called on the thread that
    committed, reaches Qt without touching it from a worker)."""
    tasks = runner()

    def call(*args: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            fn(*args)
        else:
            tasks.post(lambda: fn(*args))

    return call


def wait_for(task: Task, timeout: float = 30.0) -> Any:
    """Block until `task` ends and return its result (or raise its error): for the command
    line and tests, where no event loop turns. The GUI thread's continuation still runs later."""
    if not task.wait(timeout):
        raise TimeoutError("The background task took too long.")
    if task.error is not None:
        raise task.error
    return task.result


class GarbageCollection(QObject):
    """The app's one garbage-collection policy.

    Python's cyclic collector runs in whichever thread happens to allocate. With worker threads
    it may collect a cycle holding a Qt object there, and Qt objects destroyed outside the GUI
    thread crash the app (seen as a segfault in QTimerInfoList::activateTimers); a full
    collection also holds the GIL for ~100 ms wherever it runs. So automatic collection is off
    for good, and a timer collects on the GUI thread instead, generation by generation, as often
    as the interpreter's own thresholds would (pyqtgraph's GarbageCollector does the same).
    `freeze_startup()` moves what start-up made (modules, classes, the ORM's registries) out of
    the collector's sight, so a full collection costs what the work made since. (The `gui`
    command turns automatic collection off earlier still, in `annotator.ui.startup`, before it
    imports the storage stack.)"""

    INTERVAL_MS = 500

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    @classmethod
    def install(cls) -> GarbageCollection:
        """The policy of the running QApplication (installed once)."""
        return _owned_by_app("_annotator_gc", cls)

    @staticmethod
    def freeze_startup() -> None:
        gc.freeze()

    def check(self) -> None:
        counts, limits = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > limits[generation]:
                gc.collect(generation)
                return
