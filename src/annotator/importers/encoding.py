"""Bytes to text for the text formats (txt, md, html): binary sniffing and encoding detection.

Order of evidence: a byte-order mark; the magic number of a known binary format (refused); the
pattern of NUL bytes that UTF-16 without a BOM leaves; strict UTF-8; an encoding the file declares
(HTML only); charset-normalizer's guess. NUL bytes anywhere else mean binary data, unless there
are only a few stray ones in otherwise good text: those are removed and flagged.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from annotator.importers.base import ImportRefused

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x7fELF", "an ELF program"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon image"),
    (b"OggS\x00", "Ogg audio or video"),
    (b"fLaC\x00", "FLAC audio"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"\x00\x01\x00\x00\x00", "a TrueType font"),
    (b"\xca\xfe\xba\xbe", "a Java class or Mach-O program"),
    (b"\xcf\xfa\xed\xfe", "a Mach-O program"),
    (b"\xfe\xed\xfa\xcf", "a Mach-O program"),
    (b"\x00asm", "a WebAssembly module"),
)

_TEXT_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_SAMPLE = 1 << 16

STRAY_NUL_RATIO = 0.01
"""Up to this share of NUL bytes in otherwise good text is removed; more is binary data."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    flags: tuple[str, ...] = ()


def sniff_binary(data: bytes) -> str | None:
    """What binary format `data` is, in words ("a PNG image"), or None if no magic number fits."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    if data.startswith(b"MZ") and b"\x00" in data[2:64]:
        return "a Windows program"
    if data.startswith(b"BZh") and data[4:10] == b"1AY&SY":
        return "bzip2-compressed data"
    if data.startswith(b"ID3") and data[3:4] in (b"\x02", b"\x03", b"\x04"):
        return "MP3 audio"
    if data.startswith(b"RIFF") and data[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "WAV audio"}.get(data[8:12], "an AVI video")
    if data[4:8] == b"ftyp":
        return "an MP4 or HEIC media file"
    return None


def _refuse_binary(file_name: str, what: str | None = None) -> ImportRefused:
    kind = f" ({what})" if what else ""
    return ImportRefused(f"{file_name}: this is binary data{kind}, not text.")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when NULs fill every other byte, as in mostly-Latin UTF-16."""
    sample = data[: _SAMPLE & ~1]
    half = len(sample) // 2
    if half < 2 or len(data) % 2:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd >= 0.3 * half and even <= 0.05 * half:
        return "utf-16-le"
    if even >= 0.3 * half and odd <= 0.05 * half:
        return "utf-16-be"
    return None


def _control_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if (ch < " " and ch not in _TEXT_CONTROLS) or ch == "\ufffd")
    return bad / len(sample)


def _guess(data: bytes) -> tuple[str, float] | None:
    """charset-normalizer's best guess and its 'chaos' (0 = clean), preferring cp1252 among
    equally good guesses, and never UTF-16/32 without a BOM for short or odd-length data."""
    from charset_normalizer import from_bytes

    try:
        matches = list(from_bytes(data))
    except Exception:  # the library must not decide our error types
        return None
    allowed = [
        m
        for m in matches
        if not (m.encoding.startswith(("utf_16", "utf_32")) and (len(data) < 32 or len(data) % 2))
    ]
    if not allowed:
        return None
    best = min(allowed, key=lambda m: (m.chaos, -m.coherence))
    for m in allowed:
        close = m.chaos <= best.chaos + 0.01 and m.coherence >= best.coherence - 0.01
        if close and "cp1252" in m.could_be_from_charset:
            return "cp1252", m.chaos
    return best.encoding, best.chaos


def _mostly_utf8(data: bytes) -> tuple[str, str] | None:
    """UTF-8 with a few damaged bytes: valid multi-byte sequences (which legacy encodings
    rarely form by chance) outnumber the invalid ones at least four to one. Counted in C."""
    text = data.decode("utf-8", errors="replace")
    replaced = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = len(text) - len(text.encode("ascii", "ignore")) - text.count("\ufffd")
    if replaced <= 0 or valid < 4 * replaced:
        return None
    plural = "sequence was" if replaced == 1 else "sequences were"
    return text, f"{replaced:,} invalid UTF-8 byte {plural} replaced with \ufffd"


def _western(data: bytes) -> tuple[str, float] | None:
    """cp1252 for mostly-ASCII text with a few bytes above 127 (accents, curly quotes, dashes):
    Western text, where statistical detectors are unreliable because the evidence is thin."""
    sample = data[:_SAMPLE]
    high = sum(1 for b in sample if b > 127)
    if high > 0.15 * len(sample):
        return None
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "cp1252", 0.0


def _mostly_ascii_text(data: bytes) -> bool:
    sample = data[:_SAMPLE]
    printable = sum(1 for b in sample if 32 <= b < 127 or b in (9, 10, 12, 13))
    return printable >= 0.9 * len(sample)


def _strip_stray_nuls(data: bytes, file_name: str) -> tuple[bytes, list[str]]:
    count = data.count(0)
    if not count:
        return data, []
    if count > STRAY_NUL_RATIO * len(data):
        raise _refuse_binary(file_name)
    plural = "byte was" if count == 1 else "bytes were"
    return data.replace(b"\x00", b""), [f"{count} stray NUL {plural} removed"]


def _checked(text: str, encoding: str, flags: list[str], file_name: str) -> Decoded:
    if _control_ratio(text) > 0.05:
        raise _refuse_binary(file_name)
    return Decoded(text, encoding, tuple(flags))


def _decode_utf16(data: bytes, encoding: str, file_name: str, flags: list[str]) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        text = data.decode(encoding, errors="replace")
        flags.append("some bytes were not valid " + encoding.upper() + " and were replaced")
    return _checked(text, encoding, flags, file_name)


def _codec(name: str | None) -> str | None:
    """Python's name for a declared charset, mapping Latin-1 and ASCII to cp1252 as browsers do."""
    if not name:
        return None
    try:
        found = codecs.lookup(name.strip().strip("'\"")).name
    except (LookupError, ValueError):
        return None
    return "cp1252" if found in ("latin-1", "iso8859-1", "ascii") else found


def decode_text(data: bytes, file_name: str, declared: str | None = None) -> Decoded:
    """Decode the bytes of a text format or raise ImportRefused for binary data."""
    flags: list[str] = []
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            if encoding != "utf-8":
                return _decode_utf16(body, encoding, file_name, flags)
            body, flags = _strip_stray_nuls(body, file_name)
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                text = body.decode("utf-8", errors="replace")
                flags.append("some bytes were not valid UTF-8 and were replaced")
            return _checked(text, "utf-8-sig", flags, file_name)
    what = sniff_binary(data)
    if what:
        raise _refuse_binary(file_name, what)
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _decode_utf16(data, utf16, file_name, flags)
    data, flags = _strip_stray_nuls(data, file_name)
    try:
        return _checked(data.decode("utf-8"), "utf-8", flags, file_name)
    except UnicodeDecodeError:
        pass
    if mostly := _mostly_utf8(data):
        flags.append(mostly[1])
        return _checked(mostly[0], "utf-8", flags, file_name)
    codec = _codec(declared)
    if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        try:
            return _checked(data.decode(codec), codec, flags, file_name)
        except UnicodeDecodeError:
            pass
    guess = _western(data) or _guess(data)
    if guess is None or guess[1] > 0.3:
        if not _mostly_ascii_text(data):
            raise _refuse_binary(file_name)
        guess = ("cp1252", 0.0)
    encoding = guess[0]
    text = data.decode(encoding, errors="replace")
    flags.append(f"not UTF-8: the encoding was guessed as {encoding}; check accented letters")
    return _checked(text, encoding, flags, file_name)
