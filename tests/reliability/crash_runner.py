"""Running crash rounds: launch a writer child (forked from a zygote, or a fresh interpreter),
SIGKILL it at a random moment, verify the project. See crash_harness.py for the child and for
what "verify" means.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crash_harness import (
    HARNESS,
    KILL_DELAY,
    READY_TIMEOUT,
    State,
    apply,
    label_ids,
    read_state,
    search_claim_ids,
)

# -- launching children ------------------------------------------------------------------------


class _Child:
    """A running writer: `finished()` without blocking, `kill()` (SIGKILL), `wait()` returns
    "" when the kill ended it, else how it ended."""

    def finished(self) -> bool:
        raise NotImplementedError

    def kill(self) -> None:
        raise NotImplementedError

    def wait(self) -> str:
        raise NotImplementedError


class _Process(_Child):
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.proc = proc

    def finished(self) -> bool:
        return self.proc.poll() is not None

    def kill(self) -> None:
        self.proc.kill()

    def wait(self) -> str:
        code = self.proc.wait()
        if sys.platform == "win32" or code == -signal.SIGKILL:
            return ""
        return f"exit status {code}"


class SubprocessLauncher:
    """One fresh interpreter per child (what a user's program is; ~0.5-1 s of imports)."""

    def launch(self, path: Path, seed: int, index_dir: Path | None, out: Path, err: Path) -> _Child:
        args = [sys.executable, str(HARNESS), "child", str(path), str(seed)]
        if index_dir is not None:
            args.append(str(index_dir))
        with out.open("wb") as stdout, err.open("wb") as stderr:
            return _Process(subprocess.Popen(args, stdout=stdout, stderr=stderr))

    def close(self) -> None:
        pass


class _Forked(_Child):
    def __init__(self, zygote: ZygoteLauncher, pid: int) -> None:
        self.zygote = zygote
        self.pid = pid
        self.status: str | None = None

    def finished(self) -> bool:
        readable, _, _ = select.select([self.zygote.replies], [], [], 0)
        return bool(readable)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)

    def wait(self) -> str:
        if self.status is None:
            word, pid, status = self.zygote.reply().split()
            assert word == "exit" and int(pid) == self.pid
            code = int(status)
            killed = os.WIFSIGNALED(code) and os.WTERMSIG(code) == signal.SIGKILL
            self.status = "" if killed else f"wait status {code}"
        return self.status


class ZygoteLauncher:
    """Children forked from a process that has imported the services once (POSIX only), so
    a child starts writing in milliseconds: each child still opens the project itself."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(HARNESS), "zygote"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.requests = self.proc.stdin
        self.replies = self.proc.stdout
        if self.reply() != "zygote ready":
            raise RuntimeError("the zygote did not start")

    def reply(self) -> str:
        line = self.replies.readline()  # unbuffered: one byte at a time, nothing read ahead
        if not line:
            raise RuntimeError("the zygote ended")
        return line.decode().strip()

    def launch(self, path: Path, seed: int, index_dir: Path | None, out: Path, err: Path) -> _Child:
        request = {"path": str(path), "seed": seed, "out": str(out), "err": str(err)}
        request["index_dir"] = str(index_dir) if index_dir else ""
        self.requests.write((json.dumps(request) + "\n").encode())
        word, pid = self.reply().split()
        assert word == "pid"
        return _Forked(self, int(pid))

    def close(self) -> None:
        self.requests.close()
        self.proc.wait(timeout=30)
        self.replies.close()


# -- the parent --------------------------------------------------------------------------------


@dataclass
class RoundResult:
    seed: int
    delay: float
    acked: int = 0
    in_flight: str = ""
    """The kind of the write in flight at the kill ("" when none)."""
    in_flight_applied: bool = False
    problems: list[str] = field(default_factory=list)
    search_checked: bool = False
    search_rebuilt: bool = False
    """Opening the search service found the index damaged or behind and rebuilt it."""
    claims: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        flight = (
            f"; in flight: {self.in_flight} ({'applied' if self.in_flight_applied else 'absent'})"
            if self.in_flight
            else ""
        )
        head = f"seed {self.seed}: killed after {self.delay * 1000:.0f} ms, {self.acked} acked"
        return head + flight + ("" if self.ok else " -- " + " | ".join(self.problems))


class CrashRunner:
    """Kill rounds against one project. The state verified after a round is the next round's
    starting point, so each round checks everything written so far."""

    def __init__(
        self,
        path: Path,
        workdir: Path,
        *,
        index_dir: Path | None = None,
        fork: bool = True,
        check: Callable[[Any], Any] | None = None,
    ) -> None:
        self.path = path
        self.workdir = workdir
        self.index_dir = index_dir
        self.check = check
        use_fork = fork and hasattr(os, "fork") and sys.platform != "win32"
        self.launcher: ZygoteLauncher | SubprocessLauncher = (
            ZygoteLauncher() if use_fork else SubprocessLauncher()
        )
        self.spawner = SubprocessLauncher()
        self.state: State | None = None
        self.labels: list[str] = []

    def __enter__(self) -> CrashRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.launcher.close()

    def _before(self) -> State:
        from annotator.services.api import Project

        if self.state is None:
            with Project.open(self.path) as project:
                self.state = read_state(project)
                self.labels = label_ids(project)
        return self.state

    def verify(self) -> RoundResult:
        """Verify the project against the state this runner expects, without a writer."""
        result = RoundResult(-1, 0.0)
        before = self._before()
        self.state = None
        self.state = _verify(self, before, [], result)
        return result

    def round(self, seed: int, delay: float | None = None, *, fresh: bool = False) -> RoundResult:
        """Start a writer, SIGKILL it `delay` seconds (random 20-400 ms) after it is ready to
        write, then verify the project. `fresh`: a new interpreter instead of a fork."""
        started = time.monotonic()
        delay = random.Random(seed).uniform(*KILL_DELAY) if delay is None else delay
        result = RoundResult(seed, delay)
        before = self._before()
        out, err = self.workdir / "child.out", self.workdir / "child.err"
        launcher = self.spawner if fresh else self.launcher
        child = launcher.launch(self.path, seed, self.index_dir, out, err)
        try:
            if not _wait_ready(child, out):
                result.problems.append("the writer did not start")
            else:
                time.sleep(delay)
        finally:
            child.kill()
            ended = child.wait()
        if ended:
            lines = err.read_text("utf-8", "replace").strip().splitlines() or ["no message"]
            result.problems.append(f"the writer ended by itself ({ended}): {lines[-1]}")
            self.state = None  # the next round starts from what is on disk, not from this one
        if not result.problems:
            self.state = None
            self.state = _verify(self, before, _acknowledged(out), result)
        result.seconds = time.monotonic() - started
        return result


def _wait_ready(child: _Child, out: Path) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if out.exists() and out.read_bytes().startswith(b"ready\n"):
            return True
        if child.finished():
            return False
        time.sleep(0.002)
    return False


def _acknowledged(out: Path) -> list[dict[str, Any]]:
    """The complete lines the child wrote before it died (a line cut by the kill is dropped)."""
    data = out.read_bytes()
    lines = data.split(b"\n")[:-1]  # the piece after the last newline is incomplete
    return [json.loads(line) for line in lines if line and line != b"ready"]


def _verify(
    runner: CrashRunner, before: State, events: list[dict[str, Any]], result: RoundResult
) -> State | None:
    """Check the project after a kill; returns its state when it is the expected one."""
    from annotator.services.api import Project
    from annotator.services.check import check_project

    labels = runner.labels
    begun = [e["op"] for e in events if e["t"] == "begin"]
    acked = [e for e in events if e["t"] == "ok"]
    result.acked = len(acked)
    expected = before
    for i, event in enumerate(acked):
        if event["op"] != begun[i]:
            result.problems.append(f"write {i} was acknowledged out of order")
            return None
        expected = apply(expected, event["op"], labels)
        if event["n"] != expected.change_number:
            result.problems.append(
                f"write {i} got change number {event['n']}, expected {expected.change_number}"
            )
    flight = begun[len(acked)] if len(begun) > len(acked) else None
    result.in_flight = flight["kind"] if flight else ""
    with Project.open(runner.path) as project:
        report = (runner.check or check_project)(project)
        if not report.ok:
            result.problems.extend(f"check: {p}" for p in report.problems[:5])
        actual = read_state(project)
        result.claims = len(actual.claims)
        if actual != expected:
            if flight is not None and actual == apply(expected, flight, labels):
                result.in_flight_applied = True
            else:
                result.problems.append(_diff(expected, actual, flight))
        if runner.index_dir is not None and not result.problems:
            found, result.search_rebuilt = search_claim_ids(project, runner.index_dir)
            if found != set(actual.claims):
                missing, extra = set(actual.claims) - found, found - set(actual.claims)
                result.problems.append(
                    f"search disagrees: {len(missing)} claim(s) missing, {len(extra)} extra"
                )
            result.search_checked = True
    return None if result.problems else actual


def _diff(expected: State, actual: State, flight: dict[str, Any] | None) -> str:
    parts = [f"in flight: {flight['kind'] if flight else 'nothing'}"]
    missing = set(expected.claims) - set(actual.claims)
    extra = set(actual.claims) - set(expected.claims)
    differ = [
        c
        for c in set(expected.claims) & set(actual.claims)
        if expected.claims[c] != actual.claims[c]
    ]
    if missing:
        parts.append(f"{len(missing)} acknowledged claim(s) missing")
    if extra:
        parts.append(f"{len(extra)} unexpected claim(s)")
    for c in differ[:2]:
        parts.append(f"claim {c[:8]}: expected {expected.claims[c]}, found {actual.claims[c]}")
    if expected.links != actual.links:
        lost = set(expected.links) - set(actual.links)
        more = set(actual.links) - set(expected.links)
        parts.append(f"links: {len(lost)} missing, {len(more)} unexpected")
    if expected.change_number != actual.change_number:
        parts.append(f"change number {actual.change_number}, expected {expected.change_number}")
    return "state differs (" + "; ".join(parts) + ")"
