"""Where a claim is, through the command: `annotations --json` carries `location`, the listing
shows the paragraph instead of character offsets."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run

ARTICLE = """# The harbour strike and its chroniclers

By A. Writer
3 March 1931

For the past week, the dockers of Velmora have stopped work, the *Harbour Gazette* reports.

The register counts 1,800 men at the morning call.
"""


def test_annotations_json_carries_the_paragraph(cli: Run, tmp_path: Path) -> None:
    source = tmp_path / "strike.md"
    source.write_text(ARTICLE, encoding="utf-8")
    project = tmp_path / "p.annot"
    assert cli("new", project).returncode == 0
    assert cli("import", project, source).returncode == 0
    for quote in ("For the past week", "The harbour strike", "1,800 men"):
        result = cli("annotate", project, "1", "--quote", quote, "--label", "1")
        assert result.returncode == 0, result.stderr

    result = cli("annotations", project, "--json")
    assert result.returncode == 0, result.stderr
    claims = {c["quote"]: c for c in json.loads(result.stdout)}
    assert claims["The harbour strike"]["location"] == {"paragraph": 1, "page": None}
    assert claims["For the past week"]["location"] == {"paragraph": 3, "page": None}
    assert claims["1,800 men"]["location"] == {"paragraph": 4, "page": None}
    assert isinstance(claims["1,800 men"]["start"], int)  # the offsets stay

    listing = cli("annotations", project)
    assert listing.returncode == 0
    line = next(x for x in listing.stdout.splitlines() if "For the past week" in x)
    assert "¶ 3" in line
