"""Files refused before or while reading: every refusal is one sentence naming the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.importers import ImportRefused, base, convert, read_file, supported_extensions


def test_supported_extensions_cover_every_format() -> None:
    assert {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"} <= set(
        supported_extensions()
    )


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.touch()
    with pytest.raises(ImportRefused, match=r"^empty\.txt: the file is empty\.$"):
        read_file(path)


def test_whitespace_only_file_has_no_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("  \n\n\t\n")
    with pytest.raises(ImportRefused, match=r"^blank\.md: no text could be found in it\.$"):
        read_file(path)


def test_unknown_extension_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "data.xyz"
    path.write_text("text")
    with pytest.raises(ImportRefused, match=r"^data\.xyz: unknown format \.xyz; Annotator reads "):
        read_file(path)
    with pytest.raises(ImportRefused, match=r"^README: unknown format \(no extension\)"):
        convert(b"text", "README")


def test_missing_file_and_folder_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ImportRefused, match=r"^gone\.txt: cannot be read"):
        read_file(tmp_path / "gone.txt")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(ImportRefused, match=r"^folder\.txt: not a file\.$"):
        read_file(tmp_path / "folder.txt")


def test_file_over_the_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * (2 * 1024 * 1024))
    with pytest.raises(ImportRefused, match=r"^big\.txt: 2 MiB is over the limit of 1 MiB"):
        read_file(path)


def test_sparse_gigabyte_is_refused_by_stat_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sparse.txt"
    with path.open("wb") as handle:
        handle.truncate(1 << 30)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened for reading")

    monkeypatch.setattr(Path, "open", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(ImportRefused, match=r"^sparse\.txt: 1024 MiB is over the limit of 100 MiB"):
        read_file(path)


def test_an_importer_crash_becomes_a_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: bytes, file_name: str) -> base.ImportedText:
        raise KeyError("surprise")

    base._load_all()
    monkeypatch.setitem(base._REGISTRY, ".txt", ("txt", broken))
    with pytest.raises(ImportRefused, match=r"^x\.txt: an unexpected error stopped the import"):
        convert(b"hello", "x.txt")


def test_refusals_are_annotator_errors() -> None:
    from annotator.domain.errors import AnnotatorError

    assert issubclass(ImportRefused, AnnotatorError)
