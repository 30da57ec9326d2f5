"""Errors a user can cause. Each carries one clear sentence meant to be shown as it is."""


class AnnotatorError(Exception):
    """Base class of every error that is the user's to fix (bad input, missing thing, refusal)."""


class ValidationError(AnnotatorError):
    """A value the model refuses: an empty span, a quote that does not match, a bad colour."""


class NotFoundError(AnnotatorError):
    """A document, claim, label or link that does not exist."""


class ConflictError(AnnotatorError):
    """A change that conflicts with the current state (a label in use, a stale revision)."""
