"""The reference says what the code does: its query-language table is the app's search help,
its CSV columns are the exporter's, and Help > Search syntax shows that section."""

from __future__ import annotations

from pathlib import Path

from annotator.exporters.csv import COLUMNS
from annotator.ui.help_viewer import SEARCH_SYNTAX_HEADING, section
from annotator.ui.search_model import QUERY_HELP

REFERENCE = Path(__file__).resolve().parents[1] / "docs" / "reference.md"


def _rows(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("| `")]


def test_the_query_language_table_is_the_apps_search_help() -> None:
    docs = _rows(section(REFERENCE.read_text(encoding="utf-8"), SEARCH_SYNTAX_HEADING))
    assert len(docs) >= 10
    assert docs == _rows(QUERY_HELP)


def test_the_csv_columns_are_the_exporters_in_order() -> None:
    table = section(REFERENCE.read_text(encoding="utf-8"), "CSV columns")
    named = [
        name.strip().strip("`") for row in _rows(table) for name in row.split("|")[1].split(",")
    ]
    assert named == list(COLUMNS)


def test_section_stops_at_the_next_heading_of_its_level() -> None:
    text = "# A\n\n## B\nb\n### C\nc\n```\n# not a heading\n```\n## D\nd\n"
    assert section(text, "B") == "## B\nb\n### C\nc\n```\n# not a heading\n```\n"
    assert section(text, "nowhere") == ""
