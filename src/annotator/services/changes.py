"""The typed change set every mutation returns (Anki's OpChanges idea)."""

from __future__ import annotations

from dataclasses import dataclass, field

ENTITIES = ("document", "annotation", "link", "label", "saved_search", "settlement")


@dataclass(frozen=True)
class EntityRef:
    entity: str
    id: str


@dataclass(frozen=True)
class Changes:
    """What one committed transaction did. `change_number` is the project-wide number it got."""

    change_number: int
    added: tuple[EntityRef, ...] = ()
    changed: tuple[EntityRef, ...] = ()
    removed: tuple[EntityRef, ...] = ()
    created_id: str | None = None
    """Id of the main thing a create call made (the claim, the link, the document...)."""
    description: str = ""
    """What was done, in the user's words ("Create claim"), for undo menus and logs."""
    author: str = ""

    def touches(self, entity: str) -> bool:
        return any(r.entity == entity for r in (*self.added, *self.changed, *self.removed))

    def ids(self, entity: str) -> set[str]:
        return {r.id for r in (*self.added, *self.changed, *self.removed) if r.entity == entity}

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class ChangeCollector:
    """Collects what a transaction touches; turned into `Changes` on commit."""

    added: list[EntityRef] = field(default_factory=list)
    changed: list[EntityRef] = field(default_factory=list)
    removed: list[EntityRef] = field(default_factory=list)
    created_id: str | None = None
    result: Changes | None = None
    """Set once the transaction has committed."""

    def done(self) -> Changes:
        """The committed change set (call after the `with` block)."""
        assert self.result is not None, "the transaction has not committed"
        return self.result

    def add(self, entity: str, id: str) -> None:
        self.added.append(EntityRef(entity, id))

    def change(self, entity: str, id: str) -> None:
        ref = EntityRef(entity, id)
        if ref not in self.changed and ref not in self.added:
            self.changed.append(ref)

    def remove(self, entity: str, id: str) -> None:
        self.removed.append(EntityRef(entity, id))
