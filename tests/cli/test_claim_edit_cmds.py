"""`annotator edit` and `annotator delete` on real project files: no silent overwrite."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_helpers import Run, one_line_error

TEXT = "The minister said the war began in 2014. Critics dispute this claim strongly.\n"


@pytest.fixture
def project(cli: Run, tmp_path: Path) -> Path:
    source = tmp_path / "speech.txt"
    source.write_text(TEXT, encoding="utf-8")
    path = tmp_path / "p.annot"
    assert cli("new", path).returncode == 0
    assert cli("import", path, source).returncode == 0
    return path


def _claim(cli: Run, project: Path, quote: str, label: str = "disputed", *extra: str) -> str:
    result = cli("annotate", project, "1", "--quote", quote, "--label", label, *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def _claims(cli: Run, project: Path) -> dict[str, dict[str, object]]:
    result = cli("annotations", project, "--json")
    assert result.returncode == 0, result.stderr
    return {c["id"]: c for c in json.loads(result.stdout)}


def test_edit_changes_label_note_and_tags_by_short_reference(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014", "disputed", "--tag", "dates")
    result = cli(
        "edit", project, claim[:8], "--label", "sourced", "--note", "checked",
        "--add-tag", "Ukraine", "--add-tag", "DATES", "--remove-tag", "dates", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert (shown["id"], shown["label"], shown["note"]) == (claim, "sourced", "checked")
    assert shown["tags"] == ["Ukraine", "DATES"]
    assert shown["revision"] == 2
    stored = _claims(cli, project)[claim]
    assert (stored["label"], stored["note"], stored["tags"], stored["revision"]) == (
        "sourced", "checked", ["Ukraine", "DATES"], 2,
    )  # fmt: skip


def test_edit_of_a_stale_revision_is_refused_and_saves_nothing(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014")
    seen = _claims(cli, project)[claim]["revision"]
    # Someone else edits it meanwhile.
    assert cli("edit", project, claim, "--note", "theirs").returncode == 0
    result = cli("edit", project, claim, "--note", "mine", "--if-revision", seen)
    line = one_line_error(result)
    assert line == (
        f"annotator: Claim {claim[:8]} is at revision {seen + 1} now, not {seen}: "
        "someone changed it; nothing was saved."
    )
    stored = _claims(cli, project)[claim]
    assert (stored["note"], stored["revision"]) == ("theirs", seen + 1)
    # At the current revision it goes through.
    ok = cli("edit", project, claim, "--note", "mine", "--if-revision", seen + 1)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip() == f"Claim {claim[:8]} is now at revision {seen + 2}."
    assert _claims(cli, project)[claim]["note"] == "mine"


def test_edit_with_an_unknown_label_saves_nothing(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014")
    line = one_line_error(cli("edit", project, claim, "--label", "nonsense", "--note", "lost?"))
    assert "No label 'nonsense'" in line and "sourced, disputed, polemical" in line
    stored = _claims(cli, project)[claim]
    assert (stored["label"], stored["note"], stored["revision"]) == ("disputed", "", 1)


def test_note_with_quotes_and_sql_is_kept_verbatim(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014")
    note = 'Robert\'); DROP TABLE annotations; -- "quoted" ‘curly’ \\ % _ ;'
    tag = "x' OR '1'='1"
    assert cli("edit", project, claim, "--note", note, "--add-tag", tag).returncode == 0
    stored = _claims(cli, project)[claim]
    assert stored["note"] == note
    assert stored["tags"] == [tag]
    assert len(_claims(cli, project)) == 1


def test_removing_a_tag_the_claim_lacks_is_refused(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014", "disputed", "--tag", "dates")
    line = one_line_error(cli("edit", project, claim, "--remove-tag", "date", "--note", "n"))
    assert "has no tag “date”" in line and "“dates”" in line
    assert _claims(cli, project)[claim]["revision"] == 1


def test_edit_without_a_change_is_a_usage_error(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014")
    result = cli("edit", project, claim)
    assert result.returncode == 2
    assert "nothing to change" in result.stderr


def test_unknown_and_ambiguous_claim_references(cli: Run, project: Path) -> None:
    _claim(cli, project, "the war began in 2014")
    line = one_line_error(cli("edit", project, "zzzz", "--note", "n"))
    assert line == "annotator: No claim with id 'zzzz'."
    line = one_line_error(cli("delete", project, "zzzz"))
    assert line == "annotator: No claim with id 'zzzz'."


def test_delete_removes_the_claim_and_its_links(cli: Run, project: Path) -> None:
    first = _claim(cli, project, "the war began in 2014")
    second = _claim(cli, project, "Critics dispute this claim")
    assert cli("link", project, first, second, "--relation", "contradicts").returncode == 0
    result = cli("delete", project, first[:8], "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["deleted"] == first and len(shown["links_deleted"]) == 1
    stored = _claims(cli, project)
    assert list(stored) == [second]
    listing = cli("annotations", project, "--json")
    assert json.loads(listing.stdout)[0]["links"] == []


def test_delete_of_a_stale_revision_is_refused(cli: Run, project: Path) -> None:
    claim = _claim(cli, project, "the war began in 2014")
    assert cli("edit", project, claim, "--label", "sourced").returncode == 0
    line = one_line_error(cli("delete", project, claim, "--if-revision", "1"))
    assert line.endswith("is at revision 2 now, not 1: someone changed it; nothing was saved.")
    assert claim in _claims(cli, project)
    result = cli("delete", project, claim, "--if-revision", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Deleted claim {claim[:8]}."
    assert _claims(cli, project) == {}


def test_concurrent_edits_lose_no_update(project: Path, cli: Run) -> None:
    """Six processes add a tag each to one claim at once, without --if-revision: each either
    saved its tag (applied on top of the others) or was refused in one line; none is lost."""
    import subprocess
    import sys

    from cli_helpers import _ENV

    claim = _claim(cli, project, "the war began in 2014")
    tags = [f"tag{k}" for k in range(6)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "annotator", "edit", str(project), claim, "--add-tag", tag],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            env=_ENV,
        )
        for tag in tags
    ]
    saved = []
    for tag, proc in zip(tags, procs, strict=True):
        _stdout, stderr = proc.communicate(timeout=120)
        assert "Traceback" not in stderr, stderr
        if proc.returncode == 0:
            saved.append(tag)
        else:
            assert proc.returncode == 1, stderr
            assert "someone changed it; nothing was saved." in stderr
    stored = _claims(cli, project)[claim]
    assert sorted(stored["tags"]) == sorted(saved)
    assert stored["revision"] == 1 + len(saved)
    assert saved, "at least one edit must get through"
