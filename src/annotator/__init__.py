"""Annotator: a desktop annotation tool for source criticism."""

__version__ = "0.1.0"
