"""Every `docs/...` path named in the code or the docs exists, every relative link of the docs
leads to a file and a heading that exist, and nothing cites a file outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from annotator.ui.help_viewer import slug

ROOT = Path(__file__).resolve().parents[1]

CODE = ("src", "tests", "benchmarks", "packaging")
"""Folders whose text files may name docs paths (plus the top-level files below)."""
TOP_FILES = ("Makefile", "pyproject.toml", "README.md")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".spec", ".sh", ".inc", ".xml", ".desktop", ".txt", ""}

DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w./-]*\w")
"""`docs/user-guide.md`, `docs/screenshot.png`; not `annotator/_docs` nor a URL's `/docs/`."""
JOINED_DOCS_PATH = re.compile(r'"docs"((?:\s*/\s*"[\w.-]+")+)')
"""The same path built with pathlib: `ROOT / "docs" / "reference.md"`."""
MD_LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")

# Built from pieces so that this file does not name them itself.
OUTSIDE = ("ARCHITECTURE" + ".md", "UI-" + "CONTRACT", "docs/" + "readme/")
"""Files that are not in the repository (a design guide kept elsewhere, a seam document of the
past, deleted pages): code and docs must not cite them."""


def _text_files() -> list[Path]:
    files = [ROOT / name for name in TOP_FILES if (ROOT / name).is_file()]
    for folder in CODE:
        for path in sorted((ROOT / folder).rglob("*")):
            if (
                path.is_file()
                and path.suffix in TEXT_SUFFIXES
                and "__pycache__" not in path.parts
                and "results" not in path.parts
            ):
                files.append(path)
    files += sorted((ROOT / "docs").glob("*.md"))
    return files


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""


def _docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _anchors(path: Path) -> set[str]:
    anchors: set[str] = set()
    in_code = False
    for line in _read(path).splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            anchors.add(slug(line.lstrip("#")))
    return anchors


def test_the_docs_exist() -> None:
    for name in ("user-guide.md", "reference.md", "developer-guide.md", "benchmarks.md"):
        assert (ROOT / "docs" / name).is_file(), name
    assert len(_read(ROOT / "README.md").splitlines()) < 300


def test_every_docs_path_named_in_code_or_docs_exists() -> None:
    named: dict[str, list[str]] = {}
    for path in _text_files():
        text = _read(path)
        found = [m.group(0).rstrip(".") for m in DOCS_PATH.finditer(text)]
        found += [
            "docs/" + "/".join(re.findall(r'"([\w.-]+)"', m.group(1)))
            for m in JOINED_DOCS_PATH.finditer(text)
        ]
        for name in found:
            named.setdefault(name, []).append(str(path.relative_to(ROOT)))
    assert "docs/user-guide.md" in named  # the scan sees what it should
    assert "docs/reference.md" in named
    missing = {p: where for p, where in named.items() if not (ROOT / p).exists()}
    assert not missing, f"named but missing: {missing}"


@pytest.mark.parametrize("doc", _docs(), ids=lambda p: p.name)
def test_every_relative_link_of_the_docs_leads_somewhere(doc: Path) -> None:
    broken = []
    for match in MD_LINK.finditer(_read(doc)):
        target = match.group(1) or match.group(2)
        if re.match(r"^[a-z]+:", target):
            continue  # https:, mailto:
        file_part, _, anchor = target.partition("#")
        file = (doc.parent / file_part).resolve() if file_part else doc
        missing_anchor = anchor and file.suffix == ".md" and anchor not in _anchors(file)
        if not file.exists() or missing_anchor:
            broken.append(target)
    assert not broken, f"{doc.name}: broken links {broken}"


def test_nothing_cites_a_file_outside_the_repository() -> None:
    cited = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in _text_files()
        for name in OUTSIDE
        if name in _read(path)
    ]
    assert not cited


def test_the_slug_is_the_one_renderers_use() -> None:
    assert slug(" The `annotator` command") == "the-annotator-command"
    assert slug("Change flow: from a key press to every panel") == (
        "change-flow-from-a-key-press-to-every-panel"
    )
    assert slug("JSON-LD mapping") == "json-ld-mapping"
