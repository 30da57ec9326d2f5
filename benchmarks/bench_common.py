"""What every benchmark family shares: timing, statistics, result rows, subprocesses, Qt.

Not a measurement family itself. A family module (`bench_*.py`) has a `NAME`, a one-line
`TITLE` and `run(ctx) -> list[Result]`; the runner (`python -m benchmarks`) calls it.

Every measurement is taken as repeated runs and reported as median and p95, beside a baseline
measured in the same run (interleaved with the measurement where that is possible), so that
the ratio holds on a noisy machine even when the absolute figures drift.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


# -- statistics ---------------------------------------------------------------------------


def percentile(values: Iterable[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation (numpy's default)."""
    data = sorted(values)
    if not data:
        return math.nan
    if len(data) == 1:
        return data[0]
    k = (len(data) - 1) * q / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)


@dataclass(frozen=True)
class Stats:
    median: float
    p95: float
    n: int
    min: float
    max: float

    @classmethod
    def of(cls, samples: list[float], higher_is_better: bool = False) -> Stats:
        """Median and p95 of the samples; for throughputs (`higher_is_better`) the "p95" is
        the 5th percentile, the slow tail."""
        if not samples:
            return cls(math.nan, math.nan, 0, math.nan, math.nan)
        return cls(
            statistics.median(samples),
            percentile(samples, 5 if higher_is_better else 95),
            len(samples),
            min(samples),
            max(samples),
        )


@dataclass
class Target:
    """What a row must stay under: `value` (in the row's unit, or a ratio to the baseline)
    compared on `stat` ("median" or "p95")."""

    value: float
    kind: str = "abs"  # "abs" | "ratio"
    stat: str = "median"

    def describe(self, unit: str, higher_is_better: bool = False) -> str:
        what = "p95" if self.stat == "p95" else "median"
        if self.kind == "ratio":
            return f"≤ {self.value:g}× baseline ({what})"
        value = f"{self.value:,.0f}" if self.value == int(self.value) else _fmt(self.value, unit)
        return f"{'≥' if higher_is_better else '<'} {value} {unit} ({what})"


@dataclass
class Result:
    """One row of the results table."""

    family: str
    name: str
    """Stable key, e.g. "reader.open.10MB"."""
    title: str
    """What was measured, in words."""
    size: str
    unit: str  # "ms", "s", "MB", "MB/s", "files/s"
    stats: Stats
    baseline_title: str = ""
    baseline: Stats | None = None
    target: Target | None = None
    higher_is_better: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        """Median over the baseline's median (for throughput: baseline over measurement, so
        that a ratio above 1 always means "slower than the baseline")."""
        if self.baseline is None or not self.baseline.median or not self.stats.median:
            return None
        if self.higher_is_better:
            return self.baseline.median / self.stats.median
        return self.stats.median / self.baseline.median

    @property
    def met(self) -> bool | None:
        if self.target is None:
            return None
        t = self.target
        if t.kind == "ratio":
            if self.baseline is None or self.stats.n == 0:
                return None
            mine = self.stats.p95 if t.stat == "p95" else self.stats.median
            base = self.baseline.p95 if t.stat == "p95" else self.baseline.median
            return bool(base) and mine / base <= t.value
        value = self.stats.p95 if t.stat == "p95" else self.stats.median
        if math.isnan(value):
            return None
        return value >= t.value if self.higher_is_better else value < t.value

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data["met"] = self.met
        data["target_text"] = (
            self.target.describe(self.unit, self.higher_is_better) if self.target else ""
        )
        return data


def _fmt(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if unit in ("files/s", "MB/s"):
        return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


fmt = _fmt


# -- timing -------------------------------------------------------------------------------


def ms_since(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000.0


def measure(fn: Callable[[], object], repeats: int, warmup: int = 1) -> list[float]:
    """Milliseconds per call of `fn`, `repeats` times after `warmup` unmeasured calls. The
    garbage collector runs before each call, not during it."""
    for _ in range(warmup):
        fn()
    out: list[float] = []
    for _ in range(repeats):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append(ms_since(t0))
    return out


def interleaved(
    fns: list[Callable[[], object]],
    repeats: int,
    warmup: int = 1,
    *,
    budget: float | None = None,
    min_repeats: int = 3,
    resets: list[Callable[[], object]] | None = None,
) -> list[list[float]]:
    """Like `measure` for several functions, alternating them run by run (A B A B ...) so that
    a noisy moment hurts both the measurement and its baseline. `resets[i]` runs (unmeasured)
    before each call of `fns[i]`. With `budget` (seconds), stop after `min_repeats` once the
    budget is spent, so that a slow case cannot make the whole suite crawl."""
    started = time.perf_counter()
    for _ in range(warmup):
        for i, fn in enumerate(fns):
            if resets:
                resets[i]()
            fn()
    out: list[list[float]] = [[] for _ in fns]
    for k in range(repeats):
        if budget is not None and k >= min_repeats and time.perf_counter() - started > budget:
            break
        for i, fn in enumerate(fns):
            if resets:
                resets[i]()
            gc.collect()
            t0 = time.perf_counter()
            fn()
            out[i].append(ms_since(t0))
    return out


# -- subprocesses -------------------------------------------------------------------------


def child_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")) if p
    )
    env.update(extra)
    return env


def run_python(
    args: list[str], timeout: float = 300, env: dict[str, str] | None = None
) -> tuple[float, str]:
    """Run `python args...` (this interpreter) and return (wall milliseconds from spawn to
    exit, stdout). Raises RuntimeError with the child's stderr when it fails."""
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or child_env(),
        cwd=ROOT,
    )
    elapsed = ms_since(t0)
    if proc.returncode != 0:
        raise RuntimeError(
            f"{' '.join(args[:3])}... exited {proc.returncode}: {proc.stderr.strip()[-2000:]}"
        )
    return elapsed, proc.stdout


# -- Qt -----------------------------------------------------------------------------------


def qt_app() -> Any:
    """The QApplication of this process (offscreen unless a platform was chosen), styled as the
    app styles it so that fonts and metrics match."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator.ui.app import make_application

    return make_application(["benchmarks"])


def settle(app: Any, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def rss_mb() -> float:
    """Peak resident set size of this process so far, in MB. On Linux from VmHWM: ru_maxrss
    would not do, since Linux carries it over from the parent through fork and exec (a child
    of a 1 GB runner would report 1 GB)."""
    with contextlib.suppress(OSError, ValueError, IndexError):  # no /proc: getrusage below
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- the context the runner hands to each family --------------------------------------------


@dataclass
class Context:
    quick: bool
    work: Path
    """A temporary folder for generated data, shared by the families of one run."""
    log: Callable[[str], None] = print
    cache: dict[str, Any] = field(default_factory=dict)

    def repeats(self, full: int, quick: int = 2) -> int:
        return quick if self.quick else full

    def cached(self, key: str, make: Callable[[], Any]) -> Any:
        """Build shared data once per run (generated projects, files)."""
        if key not in self.cache:
            t0 = time.perf_counter()
            self.cache[key] = make()
            self.log(f"    (generated {key} in {time.perf_counter() - t0:.1f} s)")
        return self.cache[key]
