"""The `annotator` project commands, run as users' scripts run them: in a subprocess."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from cli_helpers import ARTICLE, SAMPLES, WIKI, Run, one_line_error, sql

from annotator import __version__
from annotator.domain.text import occurrences
from annotator.services.api import Project

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$")

DOCUMENT_KEYS = {
    "id",
    "number",
    "title",
    "authors",
    "published",
    "publisher",
    "url",
    "language",
    "source_kind",
    "format",
    "file_name",
    "length",
    "imported_at",
    "accessed",
    "claims",
}
CLAIM_KEYS = {
    "id",
    "document_id",
    "document_number",
    "document_title",
    "start",
    "end",
    "location",
    "quote",
    "prefix",
    "suffix",
    "label",
    "label_id",
    "note",
    "tags",
    "evidence",
    "author",
    "created",
    "modified",
    "revision",
    "links",
}
LINK_KEYS = {"id", "source_id", "target_id", "relation", "note", "author", "created"}


def docs_json(cli: Run, project: Path) -> list[dict]:
    result = cli("docs", project, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def claims_json(cli: Run, project: Path, *args: str) -> list[dict]:
    result = cli("annotations", project, "--json", *args)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def annotate(cli: Run, project: Path, *args: str) -> str:
    result = cli("annotate", project, *args)
    assert result.returncode == 0, result.stderr
    claim_id = result.stdout.strip()
    assert UUID.match(claim_id), result.stdout
    return claim_id


def text_of(project: Path, number: int) -> str:
    with Project.open(project) as p:
        return p.document_text(p.find_document(str(number)).id)


# -- version, new ------------------------------------------------------------------------------


def test_version(cli: Run) -> None:
    result = cli("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"annotator {__version__}"


def test_new_creates_a_project_and_refuses_an_existing_path(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "study.annot"
    result = cli("new", path)
    assert result.returncode == 0, result.stderr
    assert path.is_file()
    assert docs_json(cli, path) == []
    assert "No documents" in cli("docs", path).stdout
    before = path.read_bytes()
    assert "exists" in one_line_error(cli("new", path))
    assert path.read_bytes() == before


def test_new_refuses_a_missing_folder(cli: Run, tmp_path: Path) -> None:
    assert "no such folder" in one_line_error(cli("new", tmp_path / "nowhere" / "x.annot"))


# -- import and docs ---------------------------------------------------------------------------


def test_import_of_both_samples_gets_titles_authors_and_dates(
    cli: Run, samples: Path, tmp_path: Path
) -> None:
    path = tmp_path / "s.annot"
    cli("new", path)
    result = cli("import", path, samples / WIKI, samples / ARTICLE)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    assert all(line.startswith("imported ") for line in lines)
    assert WIKI in lines[0] and ARTICLE in lines[1]
    # Progress on stderr for more than one file.
    assert f"[1/2] {WIKI}" in result.stderr
    assert f"[2/2] {ARTICLE}" in result.stderr

    docs = docs_json(cli, path)
    assert [d["number"] for d in docs] == [1, 2]
    wiki, article = docs
    for doc in docs:
        assert set(doc) == DOCUMENT_KEYS
        assert UUID.match(doc["id"])
        assert doc["id"] in result.stdout
        assert ISO_DATETIME.match(doc["imported_at"])
        assert doc["claims"] == 0
        assert doc["length"] > 1000
    assert article["title"] == "The Tidewater Workers League and the harbour-closure campaign"
    assert article["authors"] == ["R.J. Okafor"]
    assert article["published"] == "2017-02-21"
    assert article["format"] == "md"
    assert article["file_name"] == ARTICLE
    assert wiki["title"] == "Tidewater Workers League"
    assert wiki["publisher"] == "WikiWatch"
    assert wiki["authors"] == []
    assert wiki["published"] is None
    assert wiki["format"] == "txt"

    table = cli("docs", path)
    assert table.returncode == 0
    assert "R.J. Okafor" in table.stdout and "2017-02-21" in table.stdout


def test_import_of_the_same_file_again_is_a_duplicate(cli: Run, sample_copy: Path) -> None:
    before = docs_json(cli, sample_copy)
    result = cli("import", sample_copy, SAMPLES / ARTICLE)
    assert result.returncode == 0
    assert result.stdout.startswith("duplicate ")
    assert before[1]["id"] in result.stdout
    assert docs_json(cli, sample_copy) == before


def test_import_with_metadata_options(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    cli("new", path)
    source = tmp_path / "note.txt"
    source.write_text("A short note about the harbour.\n\nIt has two paragraphs.\n", "utf-8")
    result = cli(
        "import",
        path,
        source,
        "--title",
        "Harbour note",
        "--author",
        "Ann Lee; Bo Chen",
        "--author",
        "Zoë Ørsted",
        "--date",
        "1931-03",
        "--url",
        "https://example.org/note",
    )
    assert result.returncode == 0, result.stderr
    (doc,) = docs_json(cli, path)
    assert doc["title"] == "Harbour note"
    assert doc["authors"] == ["Ann Lee", "Bo Chen", "Zoë Ørsted"]
    assert doc["published"] == "1931-03"
    assert doc["url"] == "https://example.org/note"


def test_import_option_errors(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    cli("new", path)
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("alpha text", "utf-8")
    b.write_text("beta text", "utf-8")
    assert "date" in one_line_error(cli("import", path, a, "--date", "21/02/2017")).lower()
    assert cli("import", path, a, b, "--title", "Both").returncode == 2
    assert docs_json(cli, path) == []


def test_import_of_many_files_shows_progress(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    cli("new", path)
    files = []
    for n in range(1, 4):
        f = tmp_path / f"part{n}.txt"
        f.write_text(f"Part {n}\n\nSome text of part {n}.", "utf-8")
        files.append(f)
    result = cli("import", path, *files)
    assert result.returncode == 0
    assert [f"[{n}/3] part{n}.txt" in result.stderr for n in (1, 2, 3)] == [True] * 3
    assert len(result.stdout.strip().splitlines()) == 3
    assert [d["file_name"] for d in docs_json(cli, path)] == ["part1.txt", "part2.txt", "part3.txt"]


# -- annotate ----------------------------------------------------------------------------------


def test_annotate_by_quote_in_each_sample(cli: Run, sample_copy: Path) -> None:
    wiki_claim = annotate(
        cli,
        sample_copy,
        "Tidewater",  # title prefix (the other title starts with "The")
        "--quote",
        "press gang of the Brackwater Printing Cooperative",
        "--label",
        "polemical",
        "--note",
        "Mockery, no source.",
        "--tag",
        "tone",
        "--tag",
        "Brackwater",
        "--evidence",
        "Brackwater Printing Cooperative minutes | https://press.example.org/minutes",
        "--evidence",
        "https://example.org/twl-history",
        "--evidence",
        "Interview with a former member, 2019",
    )
    article_claim = annotate(
        cli,
        sample_copy,
        "2",
        "--quote",
        "unproven reports of harbour “sabotage” by the unions",
        "--label",
        "2",  # by key
    )
    claims = {c["id"]: c for c in claims_json(cli, sample_copy)}
    wiki, article = claims[wiki_claim], claims[article_claim]
    assert wiki["label"] == "polemical" and wiki["document_number"] == 1
    assert wiki["note"] == "Mockery, no source."
    assert wiki["tags"] == ["tone", "Brackwater"]
    assert wiki["evidence"] == [
        {
            "citation": "Brackwater Printing Cooperative minutes",
            "url": "https://press.example.org/minutes",
        },
        {"citation": "", "url": "https://example.org/twl-history"},
        {"citation": "Interview with a former member, 2019", "url": None},
    ]
    assert article["label"] == "disputed" and article["document_number"] == 2
    for claim, number in ((wiki, 1), (article, 2)):
        text = text_of(sample_copy, number)
        assert text[claim["start"] : claim["end"]] == claim["quote"]
    assert cli("check", sample_copy).returncode == 0


def test_annotate_quote_typed_with_straight_quotes_finds_typographic_text(
    cli: Run, sample_copy: Path
) -> None:
    claim_id = annotate(
        cli, sample_copy, "2", "--quote", 'harbour "sabotage"   by the', "--label", "disputed"
    )
    (claim,) = [c for c in claims_json(cli, sample_copy) if c["id"] == claim_id]
    assert claim["quote"] == "harbour “sabotage” by the"


def test_ambiguous_quote_fails_and_lists_occurrences(cli: Run, sample_copy: Path) -> None:
    result = cli("annotate", sample_copy, "2", "--quote", "the TWL", "--label", "disputed")
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert "--occurrence" in lines[0] and "times" in lines[0]
    listed = [line for line in lines[1:] if "[the TWL]" in line]
    assert len(listed) >= 2
    assert listed[0].split()[0] == "1" and listed[1].split()[0] == "2"
    assert claims_json(cli, sample_copy) == []

    claim_id = annotate(
        cli, sample_copy, "2", "--quote", "the TWL", "--label", "disputed", "--occurrence", "2"
    )
    (claim,) = claims_json(cli, sample_copy)
    assert claim["id"] == claim_id
    assert claim["start"] == occurrences(text_of(sample_copy, 2), "the TWL")[1]


def test_annotate_errors(cli: Run, sample_copy: Path, demo_project: Path) -> None:
    quote = ["--quote", "the TWL"]
    assert "only" in one_line_error(
        cli("annotate", sample_copy, "2", *quote, "--label", "1", "--occurrence", "999")
    )
    assert "does not occur" in one_line_error(
        cli("annotate", sample_copy, "2", "--quote", "no such words", "--label", "1")
    )
    assert "No label" in one_line_error(
        cli("annotate", sample_copy, "2", *quote, "--label", "nonsense", "--occurrence", "1")
    )
    assert "No document" in one_line_error(
        cli("annotate", sample_copy, "9", *quote, "--label", "1", "--occurrence", "1")
    )
    assert "matches 2 documents" in one_line_error(
        cli("annotate", demo_project, "Velmora", "--quote", "strike", "--label", "1")
    )
    assert "empty" in one_line_error(
        cli("annotate", sample_copy, "2", "--quote", "  ", "--label", "1")
    )
    assert cli("annotate", sample_copy, "2", *quote, "--occurrence", "0").returncode == 2
    assert cli("annotate", sample_copy, "2", "--label", "1").returncode == 2
    assert claims_json(cli, sample_copy) == []


def test_annotate_json_prints_the_new_claim(cli: Run, sample_copy: Path) -> None:
    result = cli(
        "annotate", sample_copy, "1", "--quote", "syndicalist", "--label", "1", "--occurrence", "1"
    )
    assert result.returncode == 0
    result = cli(
        "annotate", sample_copy, "1", "--quote", "a rowing club with a catechism", "--label", "3",
        "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    claim = json.loads(result.stdout)
    assert set(claim) == CLAIM_KEYS
    assert claim["label"] == "polemical" and claim["links"] == []


# -- link, annotations -------------------------------------------------------------------------


def test_link_across_documents_and_annotations_json(cli: Run, sample_copy: Path) -> None:
    a = annotate(
        cli, sample_copy, "1", "--quote", "thrown out of their parent federation",
        "--label", "disputed",
    )  # fmt: skip
    b = annotate(
        cli, sample_copy, "2", "--quote", "acts as a wing of the Harbour Party",
        "--label", "polemical",
    )  # fmt: skip
    result = cli("link", sample_copy, a, b[:8], "--relation", "repeats", "--note", "same charge")
    assert result.returncode == 0, result.stderr
    link_id = result.stdout.strip()
    assert UUID.match(link_id)

    claims = claims_json(cli, sample_copy)
    assert [c["document_number"] for c in claims] == [1, 2]
    with Project.open(sample_copy) as p:
        labels = {lab.name: lab.id for lab in p.labels()}
    for claim in claims:
        assert set(claim) == CLAIM_KEYS
        assert UUID.match(claim["id"]) and UUID.match(claim["document_id"])
        assert claim["label_id"] == labels[claim["label"]]
        assert ISO_DATETIME.match(claim["created"]) and ISO_DATETIME.match(claim["modified"])
        assert isinstance(claim["start"], int) and claim["revision"] == 1
        assert set(claim["location"]) == {"paragraph", "page"}
        (link,) = claim["links"]
        assert set(link) == LINK_KEYS
        assert link == {
            **link,
            "id": link_id,
            "source_id": a,
            "target_id": b,
            "relation": "repeats",
            "note": "same charge",
        }
    assert claims_json(cli, sample_copy, "--doc", "2") == [claims[1]]
    assert claims_json(cli, sample_copy, "--label", "disputed") == [claims[0]]
    assert claims_json(cli, sample_copy, "--doc", "1", "--label", "polemical") == []

    text = cli("annotations", sample_copy)
    assert text.returncode == 0
    assert f"repeats → {b[:8]}" in text.stdout and f"repeats ← {a[:8]}" in text.stdout

    # Errors: the same link again, a claim with itself, unknown claims, bad relation.
    assert "already" in one_line_error(cli("link", sample_copy, a, b, "--relation", "repeats"))
    assert "itself" in one_line_error(cli("link", sample_copy, a, a, "--relation", "cites"))
    assert "No claim" in one_line_error(cli("link", sample_copy, a, "f" * 8, "--relation", "cites"))
    assert cli("link", sample_copy, a, b, "--relation", "refutes").returncode == 2
    assert cli("link", sample_copy, a, b).returncode == 2
    assert "No document" in one_line_error(cli("annotations", sample_copy, "--doc", "7"))
    assert "No label" in one_line_error(cli("annotations", sample_copy, "--label", "nope"))


# -- labels ------------------------------------------------------------------------------------


def test_labels_list_and_add(cli: Run, demo_copy: Path) -> None:
    result = cli("labels", demo_copy)
    assert result.returncode == 0
    rows = [line.split() for line in result.stdout.strip().splitlines()]
    assert rows[0] == ["Key", "Label", "Colour", "Claims"]
    assert rows[1] == ["1", "sourced", "#2e7d32", "3"]
    assert rows[2] == ["2", "disputed", "#ef6c00", "2"]
    assert rows[3] == ["3", "polemical", "#c62828", "1"]

    added = cli("labels", demo_copy, "--add", "satire", "--color", "#5E35B1", "--key", "s")
    assert added.returncode == 0, added.stderr
    new_id = added.stdout.strip()
    assert UUID.match(new_id)
    listed = json.loads(cli("labels", demo_copy, "--json").stdout)
    assert [lab["name"] for lab in listed] == ["sourced", "disputed", "polemical", "satire"]
    assert listed[3] == {**listed[3], "id": new_id, "color": "#5e35b1", "key": "s", "claims": 0}
    assert listed[0]["claims"] == 3 and listed[0]["builtin"] is True

    before = cli("labels", demo_copy, "--json").stdout
    assert "colour" in one_line_error(cli("labels", demo_copy, "--add", "x", "--color", "red"))
    assert "key" in one_line_error(
        cli("labels", demo_copy, "--add", "y", "--color", "#123456", "--key", "1")
    )
    assert "exists" in one_line_error(
        cli("labels", demo_copy, "--add", "Sourced", "--color", "#123456")
    )
    assert cli("labels", demo_copy, "--add", "z").returncode == 2
    assert cli("labels", demo_copy, "--color", "#123456").returncode == 2
    assert cli("labels", demo_copy, "--json").stdout == before


# -- check -------------------------------------------------------------------------------------


def test_check_passes_then_finds_a_tampered_claim(cli: Run, demo_copy: Path) -> None:
    good = cli("check", demo_copy)
    assert good.returncode == 0, good.stdout
    assert "No problems found." in good.stdout
    assert "6 claim(s)" in good.stdout and "Foreign keys: ok." in good.stdout
    assert good.stderr == ""

    claim = claims_json(cli, demo_copy)[0]
    sql(demo_copy, f"UPDATE annotations SET exact = 'zzz' WHERE id = '{claim['id']}'")
    bad = cli("check", demo_copy)
    assert bad.returncode == 1
    assert "1 problem(s):" in bad.stdout
    assert claim["id"] in bad.stdout and "“zzz”" in bad.stdout
    assert len(bad.stderr.strip().splitlines()) == 1


def test_check_finds_broken_links_and_change_number(cli: Run, demo_copy: Path) -> None:
    sql(
        demo_copy,
        "UPDATE links SET target_id = 'gone' WHERE rowid = (SELECT min(rowid) FROM links)",
        "UPDATE project_meta SET value = '1' WHERE key = 'change_number'",
    )
    bad = cli("check", demo_copy)
    assert bad.returncode == 1
    assert "claim gone does not exist" in bad.stdout
    assert "refers to a missing row of annotations" in bad.stdout
    assert "behind the change log" in bad.stdout


def test_check_reports_what_sqlite_finds_in_a_damaged_file(cli: Run, demo_copy: Path) -> None:
    conn = sqlite3.connect(demo_copy)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'ix_annotations_document_id'"
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    data = bytearray(demo_copy.read_bytes())
    offset = (root - 1) * page_size
    data[offset + 8 : offset + 20] = b"\x7f" * 12  # cell pointers now point off the page
    demo_copy.write_bytes(bytes(data))

    result = cli("check", demo_copy)
    assert "damaged" in one_line_error(result)
    assert "SQLite integrity check:" in result.stdout
    assert f"page {root}" in result.stdout
    assert "damaged" in one_line_error(cli("docs", demo_copy))


# -- refused files, bad projects, usage --------------------------------------------------------

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c4944415478da63f8cfc000000301010018dd8db00000000049454e44ae426082"
)


def _state(cli: Run, project: Path) -> tuple[str, int]:
    with Project.open(project) as p:
        number = p.change_number()
    return cli("docs", project, "--json").stdout, number


def test_png_renamed_to_txt_and_empty_file_are_refused(
    cli: Run, demo_copy: Path, tmp_path: Path
) -> None:
    picture = tmp_path / "scan.txt"
    picture.write_bytes(PNG_1X1)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    before = _state(cli, demo_copy)
    for bad_file in (picture, empty):
        result = cli("import", demo_copy, bad_file)
        line = one_line_error(result)
        assert bad_file.name in line
        assert result.stdout == ""
        assert _state(cli, demo_copy) == before
    assert "empty" in one_line_error(cli("import", demo_copy, empty))

    # Mixed with a good file: the good one is imported, the bad ones are named, status 1.
    good = tmp_path / "good.txt"
    good.write_text("Good text\n\nA fine paragraph.", "utf-8")
    result = cli("import", demo_copy, picture, good, empty)
    assert result.returncode == 1
    assert result.stdout.startswith("imported ") and "good.txt" in result.stdout
    refusals = [line for line in result.stderr.splitlines() if "refused" in line]
    assert len(refusals) == 2
    assert len(docs_json(cli, demo_copy)) == 3


def test_non_project_files_are_refused_in_one_line(cli: Run, tmp_path: Path) -> None:
    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a project", "utf-8")
    other_db = tmp_path / "other.sqlite"
    sql(other_db, "CREATE TABLE t (x)")
    for command in ("docs", "annotations", "labels", "check"):
        assert "not an Annotator project" in one_line_error(cli(command, text_file))
    assert "not an Annotator project" in one_line_error(cli("docs", other_db))
    assert "no such project" in one_line_error(cli("docs", tmp_path / "missing.annot"))
    assert "folder" in one_line_error(cli("docs", tmp_path))
    assert text_file.read_text("utf-8") == "not a project"


def test_usage_errors_exit_2(cli: Run, tmp_path: Path) -> None:
    for args in (
        ["frobnicate"],
        ["docs"],
        ["new"],
        ["import", tmp_path / "p.annot"],
        ["annotate", tmp_path / "p.annot", "1"],
        ["docs", tmp_path / "p.annot", "--bogus"],
    ):
        result = cli(*args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr


# -- demo --------------------------------------------------------------------------------------


def test_demo_command(cli: Run, demo_project: Path, tmp_path: Path) -> None:
    docs = docs_json(cli, demo_project)
    assert [d["format"] for d in docs] == ["md", "txt"]
    assert docs[0]["authors"] == ["Tomás Ó Ceallaigh"]
    assert docs[0]["published"] == "1931-03-14"
    assert [d["claims"] for d in docs] == [3, 3]
    claims = claims_json(cli, demo_project)
    assert {c["label"] for c in claims} == {"sourced", "disputed", "polemical"}
    assert cli("check", demo_project).returncode == 0
    # The pamphlet's claims come after an emoji: offsets are code points, not UTF-16 units.
    text = text_of(demo_project, 1)
    for claim in claims[:3]:
        assert text[claim["start"] : claim["end"]] == claim["quote"]
        assert text.index("🔥") < claim["start"]
    # The path must not exist.
    assert "exists" in one_line_error(cli("demo", demo_project))
    assert "no such folder" in one_line_error(cli("demo", tmp_path / "no" / "demo.annot"))
    assert not (tmp_path / "no").exists()
