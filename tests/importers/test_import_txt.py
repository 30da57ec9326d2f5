"""Plain-text import: encodings, line endings, stray NULs, binary refused, metadata guessed."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from annotator.domain.model import PartialDate
from annotator.importers import ImportRefused, convert, read_file

ARTICLE = (
    "Café Society and the “New Left”\n"
    "\n"
    "By Jane Doe\n"
    "21 February 2017\n"
    "\n"
    "The naïve résumé of the Straße was — as ever[1] — wrong.[note 1]\n"
)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "encoded",
    [
        ARTICLE.encode("utf-8"),
        codecs.BOM_UTF8 + ARTICLE.encode("utf-8"),
        codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"),
        ARTICLE.encode("utf-16-le"),
        ARTICLE.encode("utf-16-be"),
        ARTICLE.encode("utf-32"),
    ],
    ids=[
        "utf-8",
        "utf-8-sig",
        "utf-16-le-bom",
        "utf-16-be-bom",
        "utf-16-le",
        "utf-16-be",
        "utf-32",
    ],
)
def test_unicode_encodings_decode_to_the_same_text(tmp_path: Path, encoded: bytes) -> None:
    result, data = read_file(_write(tmp_path, "article.txt", encoded))
    assert data == encoded
    assert result.text == ARTICLE  # no BOM left at the start: offsets start at the title
    assert result.format == "txt"
    assert result.title == "Café Society and the “New Left”"
    assert result.authors == ("Jane Doe",)
    assert result.published == PartialDate(2017, 2, 21)
    assert not result.flags


def test_cp1252_is_decoded_with_a_guess_not_refused(tmp_path: Path) -> None:
    encoded = ARTICLE.encode("cp1252")
    result, _ = read_file(_write(tmp_path, "legacy.txt", encoded))
    assert result.text == ARTICLE
    assert any("cp1252" in flag for flag in result.flags)


def test_invalid_utf8_in_mostly_ascii_text_is_decoded(tmp_path: Path) -> None:
    encoded = b"Plain English text about the party line. " * 30 + b"\x81\xfe odd bytes\n"
    result, _ = read_file(_write(tmp_path, "mostly.txt", encoded))
    assert result.text.startswith("Plain English text")
    assert "odd bytes" in result.text


def test_line_endings_are_normalised() -> None:
    result = convert("Title\r\n\r\nOne line\rTwo line\r\nend\x85last".encode(), "crlf.txt")
    assert "\r" not in result.text
    assert result.text == "Title\n\nOne line\nTwo line\nend\nlast"


def test_footnote_markers_are_kept() -> None:
    result = convert(ARTICLE.encode(), "notes.txt")
    assert "ever[1]" in result.text
    assert "wrong.[note 1]" in result.text


def test_a_few_stray_nul_bytes_are_removed_and_flagged() -> None:
    data = ("A long enough sentence of ordinary text. " * 20).encode() + b"\x00\x00"
    result = convert(data, "nul.txt")
    assert "\x00" not in result.text
    assert any("2 stray NUL bytes were removed" in flag for flag in result.flags)


def test_mostly_nul_bytes_are_binary() -> None:
    with pytest.raises(ImportRefused, match=r"^blob\.txt: this is binary data, not text\.$"):
        convert(b"ab\x00\x00\x00cd\x00\x00\x01\x02" * 100, "blob.txt")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(64), "a JPEG image"),
        (b"GIF89a" + bytes(64), "a GIF image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "a PDF document"),
        (b"PK\x03\x04\x14\x00\x00\x00" + bytes(64), "a ZIP archive or an Office document"),
        (b"\x7fELF\x02\x01\x01" + bytes(64), "an ELF program"),
        (b"\x1f\x8b\x08\x00" + bytes(64), "gzip-compressed data"),
    ],
)
def test_binary_files_with_a_text_extension_are_refused(data: bytes, what: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        convert(data, "photo.txt")
    assert str(caught.value) == f"photo.txt: this is binary data ({what}), not text."


def test_random_bytes_are_refused_as_binary() -> None:
    data = bytes((i * 73 + 41) % 256 for i in range(4096))
    with pytest.raises(ImportRefused, match=r"^noise\.txt: "):
        convert(data, "noise.txt")


def test_title_is_the_first_short_line() -> None:
    long_banner = "Banner " * 40
    result = convert(f"{long_banner}\n\nReal Title\n\nBody text here.".encode(), "t.txt")
    assert result.title == "Real Title"


def test_wiki_tagline_gives_title_and_publisher() -> None:
    text = "Site notice\n\nSome Article\n\nFrom Wikipedia, the free encyclopedia\nBody."
    result = convert(text.encode(), "wiki.txt")
    assert result.title == "Some Article"
    assert result.publisher == "Wikipedia"


def test_a_single_five_megabyte_line_imports() -> None:
    line = ("word " * 1_000_000).encode() + "\u202e".encode()
    result = convert(line, "huge.txt")
    assert len(result.text) == 5_000_001
    assert result.flags == (
        "contains 1 bidirectional control character that can reorder how text is displayed",
    )


def test_cp1252_byte_for_an_ellipsis_is_not_mistaken() -> None:
    result = convert(b"Title\r\n\r\nWait\x85 there is more.", "ellipsis.txt")
    assert result.text == "Title\n\nWait… there is more."


def test_cyrillic_cp1251_is_detected() -> None:
    text = "Международная социалистическая организация и кампания против России.\n" * 3
    result = convert(text.encode("cp1251"), "ru.txt")
    assert result.text == text


def test_utf8_with_one_damaged_byte_stays_utf8() -> None:
    good = "“Quoted” naïve café — déjà vu. ".encode() * 10
    result = convert(good + b"\xff" + good, "damaged.txt")
    assert result.text.startswith("“Quoted” naïve café")
    assert "\ufffd" in result.text
    assert result.flags == ("1 invalid UTF-8 byte sequence was replaced with \ufffd",)
