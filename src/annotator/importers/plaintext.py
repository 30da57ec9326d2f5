"""Plain text (.txt): encoding detected, binary refused, line endings normalised, metadata
guessed from the head of the text (title line, "From <Site>", byline, date line)."""

from __future__ import annotations

from annotator.importers.base import ImportedText, register
from annotator.importers.common import clean_text, finish
from annotator.importers.encoding import decode_text
from annotator.importers.metadata import guess_metadata


@register(".txt", ".text", format="txt")
def import_plaintext(data: bytes, file_name: str) -> ImportedText:
    decoded = decode_text(data, file_name)
    text, flags = clean_text(decoded.text)
    meta = guess_metadata(text)
    return finish(
        text,
        "txt",
        title=meta.title,
        authors=meta.authors,
        publisher=meta.publisher,
        published=meta.published,
        flags=[*decoded.flags, *flags],
    )
