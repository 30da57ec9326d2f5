"""Use cases over a project. Every mutation is one transaction returning `Changes`."""

from annotator.services.api import Project
from annotator.services.changes import Changes, EntityRef

__all__ = ["Changes", "EntityRef", "Project"]
