"""A full rebuild in worker processes: each writes one segment of the new index.

Whoosh's own `MpWriter` was tried first and dropped: with "spawn" it re-imports the caller's
main script in every worker (an unguarded script starts the whole program again, its workers
die), and when a worker dies the parent waits on a full job queue forever. Here the workers are
plain `python -m annotator.search.build_worker` subprocesses that know nothing of the caller:

- the parent pickles the index documents (claims and passages) into one job file per worker,
  starts the workers and waits (it holds no GIL meanwhile: the window that opened the project
  stays responsive; the workers also run at a lower priority than the window);
- each worker opens the new index, writes its documents as one segment with an unlocked
  `SegmentWriter` (as MpWriter's sub-writers do) and pickles the segment object back;
- the parent lists every segment in one commit (MpWriter's `multisegment` path).

Any failure (no interpreter to start, a worker crash, a timeout) raises, and the caller builds
the index again in one process.

`index_segment` does the same for one big batch of an incremental update (an import): one
worker writes the batch's new documents as a segment, and the indexer thread's writer commits it
with its own deletions (`with_segments`, a merge policy that adds segments and merges nothing).

This uses Whoosh internals (`SegmentWriter(_lk=False)`, `_finalize_segment`, `_commit_toc`):
whoosh3 is pinned below 4 and tests/search cover it.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from whoosh.index import Index

WORKER_TIMEOUT = 600.0
"""Seconds a worker may take for its share before the parallel build is abandoned."""


def _start(folder: Path, docs: list[dict[str, Any]], job: Path, result: Path, limitmb: int) -> Any:
    """Start one worker on `docs` (pickled to `job`); it pickles its segment to `result`."""
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    with job.open("wb") as handle:
        pickle.dump(docs, handle, protocol=pickle.HIGHEST_PROTOCOL)
    command = [sys.executable, "-m", "annotator.search.build_worker"]
    return subprocess.Popen(
        [*command, str(folder), str(job), str(result), str(limitmb)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )


def _collect(procs: list[tuple[Any, Path]]) -> list[Any]:
    """Wait for the workers and load the segments they wrote; raises if one failed."""
    segments = []
    deadline = time.monotonic() + WORKER_TIMEOUT
    for proc, result in procs:
        try:
            _, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            raise RuntimeError("an index worker took too long") from None
        if proc.returncode != 0 or not result.exists():
            tail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"an index worker failed: {tail[0]}")
        with result.open("rb") as handle:
            segments.append(pickle.load(handle))
    return segments


@contextlib.contextmanager
def _workers() -> Iterator[tuple[Path, list[tuple[Any, Path]]]]:
    """A folder for job files and a list for started workers; on the way out every worker
    still running is killed and the folder removed."""
    jobs = Path(tempfile.mkdtemp(prefix="annotator-build-"))
    procs: list[tuple[Any, Path]] = []
    try:
        yield jobs, procs
    finally:
        for proc, _ in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        shutil.rmtree(jobs, ignore_errors=True)


def index_segment(folder: Path, docs: list[dict[str, Any]], limitmb: int = 128) -> Any:
    """Index `docs` into one new segment of the index in `folder`, in a worker process, and
    return the segment (for the caller's writer to commit: see `with_segments`). The caller
    waits without the GIL, so its other threads (the window) keep running. Raises RuntimeError
    or OSError when no worker could do it."""
    with _workers() as (jobs, procs):
        job, result = jobs / "job.pickle", jobs / "segment.pickle"
        procs.append((_start(folder, docs, job, result, limitmb), result))
        return _collect(procs)[0]


def with_segments(segments: list[Any]) -> Callable[[Any, list[Any]], list[Any]]:
    """A Whoosh merge policy for `writer.commit(mergetype=...)`: keep every existing segment
    as it is (with the writer's deletions) and add `segments`, written elsewhere."""

    def policy(_writer: Any, existing: list[Any]) -> list[Any]:
        return [*existing, *segments]

    return policy


def fill_parallel(
    ix: Index,
    folder: Path,
    docs: list[dict[str, Any]],
    add_rest: Callable[[Any], None],
    workers: int,
    limitmb: int = 128,
) -> None:
    """Index `docs` in `workers` processes and whatever `add_rest(writer)` adds in this one,
    all in one commit."""
    writer: Any = None
    with _workers() as (jobs, procs):
        try:
            for i in range(workers):
                job, result = jobs / f"job{i}.pickle", jobs / f"segment{i}.pickle"
                procs.append((_start(folder, docs[i::workers], job, result, limitmb), result))
            writer = ix.writer(limitmb=limitmb)
            add_rest(writer)
            segments = _collect(procs)
            final = writer._merge_segments(None, None, None)  # a fresh index: nothing to merge
            final += segments
            if writer._added:
                final.append(writer._finalize_segment())
            else:
                writer._close_segment()
            writer._commit_toc(final)
            writer._finish()
            writer = None
        finally:
            if writer is not None:
                writer.cancel()


def main(argv: Sequence[str]) -> int:
    """Worker: index the pickled documents of `job` into a new segment of the index in
    `folder`, and pickle the segment object to `result`."""
    from whoosh import index
    from whoosh.writing import SegmentWriter

    folder, job, result, limitmb = argv
    if hasattr(os, "nice"):  # background work: the window the user works in comes first
        with contextlib.suppress(OSError):
            os.nice(10)
    ix = index.open_dir(folder)
    writer = SegmentWriter(ix, _lk=False, limitmb=int(limitmb))
    with open(job, "rb") as handle:
        docs = pickle.load(handle)
    for fields in docs:
        writer.add_document(**fields)
    segment = writer._finalize_segment()
    tmp = f"{result}.tmp"
    with open(tmp, "wb") as handle:
        pickle.dump(segment, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
