"""The self-test behind `annotator selftest`: one short session through the real code paths.

It is what tells a packager (PyInstaller bundle, wheel, distribution package) that the installed
copy works: the migrations are found and run, an importer reads a file, a claim is stored, the
search index is built and finds it, and the HTML report renders (templates found). Everything
happens in a folder the caller gives (a temporary one, normally), and the search index is kept
there too, so the user's own cache is never touched.

The steps run in order and stop at the first failure. A failure is a `StepResult` with
`ok=False` and one line saying what went wrong; `run_selftest` itself never raises for it. The
desktop part (a window grabbed offscreen) lives in `annotator.ui.selftest` and is passed in as
an extra step by the command, so that this module stays free of Qt.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.domain.errors import AnnotatorError

if TYPE_CHECKING:
    from annotator.services.api import Project

PROJECT_NAME = "selftest.annot"
DOCUMENT_NAME = "selftest-source.md"
CLAIM_QUOTE = "mehr als viertausend Streikende"
SEARCH_WORD = "viertausend"
# Non-ASCII on purpose: accents, an emoji before the claim (a character outside the BMP, so
# code-point and UTF-16 offsets differ from there on) and a right-to-left line.
DOCUMENT_TEXT = f"""# Self-test source

The harbour register of 1931 lists 1,800 dockers at the morning call.

Der Bericht der Gewerkschaft 📜 nennt „{CLAIM_QUOTE}“ — eine umstrittene Zählung.

نص قصير من اليمين إلى اليسار.
"""


class SelfTestFailed(AnnotatorError):
    """A step of the self-test failed."""


@dataclass
class SelfTestState:
    """What the steps hand on to each other."""

    folder: Path
    project: Project | None = None
    document_id: str = ""
    claim_id: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def project_path(self) -> Path:
        return self.folder / PROJECT_NAME

    def open_project(self) -> Project:
        if self.project is None:
            raise SelfTestFailed("No project is open (an earlier step did not run).")
        return self.project

    def close(self) -> None:
        if self.project is not None:
            self.project.close()
            self.project = None


StepFunction = Callable[[SelfTestState], str]
"""A step: does its work, returns a few words of detail, raises on failure."""


@dataclass(frozen=True)
class Step:
    name: str
    run: StepFunction


@dataclass(frozen=True)
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


def _create_project(state: SelfTestState) -> str:
    from annotator.services.api import Project
    from annotator.storage.migrations import current_revision, head_revision

    state.project = Project.create(state.project_path)
    revision = current_revision(state.project.engine)
    if revision != head_revision():
        raise SelfTestFailed(f"The new project has schema {revision}, not {head_revision()}.")
    return f"schema {revision}"


def _import_document(state: SelfTestState) -> str:
    from annotator.app.imports import import_files

    project = state.open_project()
    source = state.folder / DOCUMENT_NAME
    source.write_text(DOCUMENT_TEXT, encoding="utf-8")
    (result,) = import_files(project, [source])
    if result.status != "imported" or result.document_id is None:
        raise SelfTestFailed(f"{source.name} was not imported: {result.message}")
    state.document_id = result.document_id
    document = project.document(result.document_id)
    if CLAIM_QUOTE not in document.text:
        raise SelfTestFailed("The imported text lacks the expected sentence.")
    return f"“{document.title}”, {len(document.text)} characters"


def _annotate(state: SelfTestState) -> str:
    project = state.open_project()
    starts = project.find_quote(state.document_id, CLAIM_QUOTE)
    if len(starts) != 1:
        raise SelfTestFailed(f"The claim's quote occurs {len(starts)} times, expected once.")
    start = starts[0]
    label = project.label("disputed")
    changes = project.create_claim(
        state.document_id,
        start,
        start + len(CLAIM_QUOTE),
        label.id,
        note="The register counts 1,800; checked by the self-test.",
        tags=("numbers",),
    )
    if changes.created_id is None:
        raise SelfTestFailed("Creating the claim returned no id.")
    state.claim_id = changes.created_id
    # Reopen: the claim must come back from the file, not from memory.
    state.close()
    from annotator.services.api import Project

    state.project = Project.open(state.project_path)
    claim = state.project.annotation(state.claim_id)
    if claim.quote.exact != CLAIM_QUOTE:
        raise SelfTestFailed(f"The stored claim quotes {claim.quote.exact!r}.")
    return f"claim “{CLAIM_QUOTE}” labelled {label.name}, reopened"


def _search(state: SelfTestState) -> str:
    from annotator.search import SearchService

    project = state.open_project()
    service = SearchService(project, index_dir=state.folder / "search-index")
    try:
        claims = service.search(SEARCH_WORD, kind="claims")
        if state.claim_id not in [hit.claim_id for hit in claims.hits]:
            raise SelfTestFailed(f"Searching for “{SEARCH_WORD}” did not find the claim.")
        passages = service.search("harbour register", kind="passages")
        if not passages.hits:
            raise SelfTestFailed("Searching the document's passages found nothing.")
    finally:
        service.close()
    return f"“{SEARCH_WORD}” found the claim, {passages.total} passage(s) for “harbour register”"


def _export_html(state: SelfTestState) -> str:
    from annotator.exporters import export_report

    project = state.open_project()
    out = state.folder / "selftest-report.html"
    result = export_report(project, "html", out)
    html = out.read_text(encoding="utf-8")
    if result.claims != 1 or CLAIM_QUOTE not in html:
        raise SelfTestFailed(f"The report holds {result.claims} claim(s), expected 1.")
    return f"{out.name}, {result.size:,} bytes"


CORE_STEPS: tuple[Step, ...] = (
    Step("create project", _create_project),
    Step("import document", _import_document),
    Step("annotate", _annotate),
    Step("search", _search),
    Step("export HTML", _export_html),
)


def run_selftest(
    folder: Path,
    extra_steps: Sequence[Step] = (),
    on_step: Callable[[StepResult], None] | None = None,
) -> list[StepResult]:
    """Run the core steps, then `extra_steps`, in `folder` (which must exist and should be
    empty). Stops at the first failing step; the last result says why. `on_step` is called after
    each step (for printing progress)."""
    state = SelfTestState(Path(folder))
    results: list[StepResult] = []
    try:
        for step in (*CORE_STEPS, *extra_steps):
            started = time.perf_counter()
            try:
                detail = step.run(state)
                ok = True
            except AnnotatorError as exc:
                detail, ok = " ".join(str(exc).split()), False
            except Exception as exc:  # a self-test reports every failure, never a traceback
                detail, ok = f"{type(exc).__name__}: {' '.join(str(exc).split())}", False
            result = StepResult(step.name, ok, detail, time.perf_counter() - started)
            results.append(result)
            if on_step is not None:
                on_step(result)
            if not ok:
                break
    finally:
        state.close()
    return results
