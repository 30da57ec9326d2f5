"""The claim store outside any view: it follows change sets claim by claim, says what changed in
one update once its state is whole, and hands every observer every update in the same order,
also when a change set arrives while an update is being handed out."""

from __future__ import annotations

from app_helpers import LEFT_TEXT, Study, reopen

from annotator.ui.claim_store import ClaimStore, StoreUpdate


def _word_spans(text: str, n: int) -> list[tuple[int, int]]:
    out, start = [], 0
    for word in text.split()[:n]:
        start = text.index(word, start)
        out.append((start, start + len(word)))
        start += len(word)
    return out


def test_an_update_says_what_changed_once_the_store_is_whole(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    with reopen(study.path) as project:
        label = project.labels()[0].id
        store = ClaimStore()
        store.set_project(project)
        seen: list[tuple[StoreUpdate, dict, list]] = []
        # what an observer reads from the store while it is told: already the new state
        store.changed.connect(lambda u: seen.append((u, store.counts(), list(store.claims()))))
        (s, e), (s2, e2) = _word_spans(LEFT_TEXT, 2)
        made = project.create_claim(study.left, s, e, label)
        store.apply(made)
        claim_id = made.created_id or ""
        store.apply(project.update_claim(claim_id, note="n"))
        store.apply(project.create_claim(study.left, s2, e2, label))
        store.apply(project.delete_claim(claim_id))
        kinds = [(len(u.added), len(u.changed), len(u.removed)) for u, _c, _l in seen]
        assert kinds == [(1, 0, 0), (0, 1, 0), (1, 0, 0), (0, 0, 1)]
        assert seen[1][0].changed[0][0].note == "" and seen[1][0].changed[0][1].note == "n"
        assert all(u.counts_changed and not u.reset for u, _c, _l in seen)
        assert seen[0][1] == {study.left: {label: 1}}  # counted before it was said
        assert [c.id for c in seen[-1][2]] == [c.id for c in store.claims()]
        assert store.counts() == project.claim_counts()
        assert store.neighbour(store.claims()[0].id) == ""  # the only claim left


def test_a_change_set_during_an_update_waits_for_it(qtbot, study: Study) -> None:  # type: ignore[no-untyped-def]
    with reopen(study.path) as project:
        label = project.labels()[0].id
        store = ClaimStore()
        store.set_project(project)
        spans = _word_spans(LEFT_TEXT, 3)
        first: list[str] = []
        second: list[str] = []

        def eager(update: StoreUpdate) -> None:
            first.extend(c.id for c in update.added)
            if len(first) == 1:  # an observer whose work brings the next change set in
                s, e = spans[1]
                store.apply(project.create_claim(study.left, s, e, label))

        store.changed.connect(eager)
        store.changed.connect(lambda u: second.extend(c.id for c in u.added))
        s, e = spans[0]
        store.apply(project.create_claim(study.left, s, e, label))
        assert len(first) == 2 and first == second  # both saw both, in the same order
        assert store.claim_count() == 2 == project.annotation_count()


def test_a_read_that_comes_later_holds_the_updates_back(qtbot, study: Study, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As on a task runner: the snapshot arrives from the event loop after `reload` returned.
    A change set applied meanwhile waits for it, then is told after the reset (the read was
    made again, the change number having moved: the claim is in it already, as it is now)."""
    from PySide6.QtCore import QTimer

    from annotator.ui import claim_store

    def later(project, done, failed, owner=None) -> None:  # type: ignore[no-untyped-def]
        snapshot = claim_store._Snapshot(project)
        QTimer.singleShot(100, lambda: done(snapshot))

    monkeypatch.setattr(claim_store, "BACKGROUND_CLAIMS", 0)
    monkeypatch.setattr(claim_store, "read_in_background", later)
    with reopen(study.path) as project:
        label = project.labels()[0].id
        s, e = _word_spans(LEFT_TEXT, 1)[0]
        project.create_claim(study.left, s, e, label)
        store = ClaimStore()
        told: list[str] = []
        store.changed.connect(
            lambda u: told.append("reset" if u.reset else f"+{len(u.added)}~{len(u.changed)}")
        )
        store.set_project(project)
        assert store.reading() and told == []
        s, e = _word_spans(LEFT_TEXT, 2)[1]
        store.apply(project.create_claim(study.left, s, e, label))
        assert told == []  # held back until the read is in
        qtbot.waitUntil(lambda: not store.reading() and len(told) == 2)
        assert told == ["reset", "+0~1"]
        assert store.claim_count() == 2 and store.counts() == project.claim_counts()
