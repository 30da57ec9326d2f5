"""`Project`: the one object the CLI, the UI, search and reports talk to."""

from __future__ import annotations

from annotator.services.adjudication import AdjudicationService
from annotator.services.claims import ClaimService
from annotator.services.documents import DocumentService
from annotator.services.labels import LabelService
from annotator.services.links import LinkService
from annotator.services.searches import SavedSearchService


class Project(
    DocumentService,
    ClaimService,
    LinkService,
    LabelService,
    SavedSearchService,
    AdjudicationService,
):
    """An open project file. Create with `Project.create(path)` or `Project.open(path)`."""
