"""`after_first_paint`: callbacks run once the window's first frame is painted, in order (a
`first` one before those already waiting)."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit

from annotator.ui.first_paint import after_first_paint, has_painted


def test_callbacks_run_after_the_first_paint_and_first_goes_first(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QPlainTextEdit()
    qtbot.addWidget(window)
    calls: list[str] = []
    after_first_paint(window, lambda: calls.append("services"))
    after_first_paint(window, lambda: calls.append("more"))
    after_first_paint(window, lambda: calls.append("painted"), first=True)
    assert calls == []
    window.show()
    qtbot.waitUntil(lambda: len(calls) == 3, timeout=5000)
    assert calls == ["painted", "services", "more"]
    assert has_painted(window)
    after_first_paint(window, lambda: calls.append("later"))  # painted already: soon after
    qtbot.waitUntil(lambda: calls[-1:] == ["later"], timeout=5000)
