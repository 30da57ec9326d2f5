"""The application layer: use cases that compose importers, exporters and search over services.

Importing files into a project (`imports`), the built-in demo (`demo`) and the self-test
(`selftest`) each need more than one of the sibling packages importers, exporters and search, so
they sit above all three; the CLI and the desktop UI call them. Nothing below imports this package.
"""
