"""The PDF printer cuts long reports into pieces laid out one by one, and the pages still read
as one document: the same text in the same order, the same number of pages, no piece drawn over
another."""

from __future__ import annotations

import re

import pytest

from annotator.ui import pdf_export
from annotator.ui.pdf_export import FLOW_BREAK, html_to_pdf, split_html

HEAD = '<html><head><meta charset="utf-8"><title>T</title></head><body style="color:#1d232b;">'
TAIL = "</body></html>"


def claim(n: int) -> str:
    """A claim as the report prints it: an anchor and a one-row table with a colour bar."""
    words = " ".join(f"word{n}x{k}" for k in range(25 + n % 40))
    return (
        f'<a name="C{n}"></a>\n<table width="100%" cellspacing="0" cellpadding="7" '
        'style="margin-top:8px; margin-bottom:2px; border-width:1px; border-style:solid;">'
        f'<tr><td width="4" bgcolor="#2e7d32"></td><td><p><b>C{n}</b> sourced</p>'
        f"<p>{words}</p></td></tr></table>"
    )


def report(claims: int) -> str:
    parts = ["<h1>Report</h1><p>Front matter.</p>"]
    parts += [claim(n) for n in range(1, claims + 1)]
    parts.append('<h2 style="page-break-before:always;">Matrix</h2><p>The end.</p>')
    return HEAD + FLOW_BREAK.join(parts) + TAIL


def read(data: bytes) -> tuple[list[str], int]:
    """Each page's text, and how many pages have two runs of text drawn over each other."""
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    texts, crowded = [], 0
    try:
        for k in range(len(document)):
            page = document[k].get_textpage()
            texts.append(page.get_text_range())
            boxes = [page.get_rect(i) for i in range(page.count_rects())]
            crowded += drawn_over(boxes)
    finally:
        document.close()
    return texts, crowded


def drawn_over(boxes: list[tuple[float, float, float, float]]) -> bool:
    """Whether two boxes (left, bottom, right, top) share ground, less a point at each edge:
    each box marks the 2-point cells it covers, and no cell may be marked twice."""
    seen: set[tuple[int, int]] = set()
    for left, bottom, right, top in boxes:
        cells = {
            (x, y)
            for x in range(int(left + 1) // 2, int(right - 1) // 2 + 1)
            for y in range(int(bottom + 1) // 2, int(top - 1) // 2 + 1)
        }
        if cells & seen:
            return True
        seen |= cells
    return False


def pages_text(data: bytes) -> list[str]:
    return read(data)[0]


def words(pages: list[str]) -> list[str]:
    """Every claim word, in the order the pages give them (a page break may glue two together,
    so they are found by their shape rather than by spaces)."""
    return re.findall(r"word\d+x\d+", "\n".join(pages))


def test_split_keeps_every_piece_in_order_within_the_limit() -> None:
    html = report(40)
    chunks = split_html(html, limit=3_000)
    assert len(chunks) > 5
    bodies = []
    for chunk in chunks:
        assert chunk.startswith(HEAD) and chunk.endswith(TAIL)
        body = chunk[len(HEAD) : -len(TAIL)]
        assert FLOW_BREAK not in body
        bodies.append(body)
    assert "".join(bodies) == html[len(HEAD) : -len(TAIL)].replace(FLOW_BREAK, "")
    assert all(len(b) <= 3_000 for b in bodies if b.count("<table") > 1)


def test_without_breaks_the_html_is_one_document() -> None:
    assert split_html(HEAD + "<p>x</p>" + TAIL) == [HEAD + "<p>x</p>" + TAIL]
    assert split_html("<p>no body</p>" + FLOW_BREAK + "<p>y</p>") == [
        "<p>no body</p>" + FLOW_BREAK + "<p>y</p>"
    ]


@pytest.mark.usefixtures("qapp")
def test_pieces_print_like_one_document(monkeypatch: pytest.MonkeyPatch) -> None:
    html = report(120)
    whole = pages_text(html_to_pdf(html.replace(FLOW_BREAK, ""), title="Flow"))
    monkeypatch.setattr(pdf_export, "CHUNK_CHARS", 4_000)
    assert len(split_html(html, limit=4_000)) > 20
    cut, crowded = read(html_to_pdf(html, title="Flow"))

    # Nothing lost. (A line cut by a page's edge is in the text of both pages, clipped, with
    # or without pieces, so the words are compared as sets.)
    assert set(words(cut)) == set(words(whole)) == set(words([html]))
    assert crowded == 0
    assert abs(len(cut) - len(whole)) <= 1
    assert f"Page {len(cut)} of {len(cut)}" in " ".join(cut[-1].split())
    # Every claim starts once, in order; a piece starts on the page where the last one ended
    # (no page is left short by more than one claim's height, none holds nothing).
    starts = [int(m) for page in cut for m in re.findall(r"\bC(\d+)\s+sourced", page)]
    assert starts == list(range(1, 121))
    assert all(re.search(r"word\d+x", page) for page in cut[1:-1])


@pytest.mark.usefixtures("qapp")
def test_a_child_process_prints_the_same_pages_and_says_why_it_fails(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Off the main thread a PDF is printed by a child process: the same pages as printed
    here, its progress reported page by page, its first pages rendered for the preview; a
    child that cannot print gives one sentence, not a traceback."""
    import threading

    from annotator.ui.pdf_export import PrintFailed, print_in_child

    html = report(30)
    here = pages_text(html_to_pdf(html, title="Child"))
    seen: list[tuple[int, int, str]] = []
    out: dict[str, object] = {}

    def work() -> None:
        with pdf_export.reporting(lambda *step: seen.append(step)):
            out["pdf"] = html_to_pdf(html, title="Child")
        out["printed"] = print_in_child(html, "Child", preview_pages=2, preview_width=300)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert pages_text(out["pdf"]) == here  # type: ignore[arg-type]
    printed = out["printed"]
    assert printed.pages == len(here) >= 2  # type: ignore[attr-defined]
    assert [image[:8] for image in printed.images] == [b"\x89PNG\r\n\x1a\n"] * 2  # type: ignore[attr-defined]
    assert (len(here) - 1, len(here), f"Printing page {len(here)} of {len(here)}") in seen

    bad = tmp_path / "job.json"
    bad.write_text("{}")
    assert pdf_export.main([str(bad)]) == 2
    with pytest.raises(PrintFailed, match=r"^The PDF could not be printed: .+"):
        pdf_export_child_failing(print_in_child)


def pdf_export_child_failing(print_in_child):  # type: ignore[no-untyped-def]
    """A child that fails: an interpreter that cannot import the printer."""
    import os

    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        saved = pdf_export.child_command
        pdf_export.child_command = lambda module: [  # type: ignore[assignment]
            __import__("sys").executable,
            "-c",
            "import sys; print('error: no printer here', file=sys.stderr); sys.exit(3)",
        ]
        try:
            return print_in_child("<p>x</p>", "x")
        finally:
            pdf_export.child_command = saved  # type: ignore[assignment]
    finally:
        os.environ.pop("PYTHONSAFEPATH", None)
        if old is not None:
            os.environ["PYTHONPATH"] = old


STRESS_ROUNDS = 50
STRESS_TIMEOUT_S = 240


@pytest.mark.slow  # 25-55 s on two busy cores: 50 child processes, each starting Qt
def test_pdf_exports_under_stress_never_hang(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The hang of issue 14: a PDF printed while the GUI thread connects and disconnects
    signals. 50 exports through the task runner, each while the GUI thread connects and
    disconnects a signal in a tight loop; faulthandler dumps every thread's stack and ends the
    process if it ever stands still for STRESS_TIMEOUT_S."""
    import faulthandler
    import sys

    from PySide6.QtCore import QObject, QTimer, Signal

    from annotator.ui.tasks import runner

    class Emitter(QObject):
        ping = Signal()

    # Many senders: Qt guards connections with a pool of mutexes picked by object address, so
    # the loop takes every one of them in turn, as a busy window does.
    emitters = [Emitter() for _ in range(256)]
    timers = [QTimer() for _ in range(16)]
    html = report(12)
    tasks = runner()
    printed: list[bytes] = []
    errors: list[BaseException] = []
    connects = 0
    faulthandler.dump_traceback_later(STRESS_TIMEOUT_S, exit=True, file=sys.__stderr__)
    try:
        for _ in range(STRESS_ROUNDS):
            task = tasks.submit(
                lambda: html_to_pdf(html, title="Stress"), printed.append, errors.append
            )
            before = len(printed) + len(errors)
            while not task.done():
                slot = lambda: None  # noqa: E731 (a new callable each time, as a panel makes)
                emitter = emitters[connects % len(emitters)]
                timer = timers[connects % len(timers)]
                emitter.ping.connect(slot)
                timer.timeout.connect(slot)
                emitter.ping.disconnect(slot)
                timer.timeout.disconnect(slot)
                connects += 1
            qtbot.waitUntil(lambda b=before: len(printed) + len(errors) > b, timeout=10_000)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert errors == []
    assert len(printed) == STRESS_ROUNDS
    assert all(pdf.startswith(b"%PDF") for pdf in printed)
    assert connects > STRESS_ROUNDS
