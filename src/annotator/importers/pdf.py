"""PDF (.pdf) through pypdfium2 (PDFium): text page by page, page boundaries kept.

Pages are joined with one blank line and `pages` holds the offset where each page starts in the
joined text. Title, author and date come from the document information when it has them (a title
that is only a file name is ignored), else from the head of the text. Password-protected,
damaged and scanned (text-less) PDFs are refused with a sentence that says what to do.
"""

from __future__ import annotations

import re

from annotator.domain.errors import ValidationError
from annotator.domain.model import PartialDate
from annotator.domain.text import normalize_newlines
from annotator.importers.base import ImportedText, ImportRefused, register
from annotator.importers.common import finish, nul_flags
from annotator.importers.metadata import guess_metadata, split_authors

PAGE_SEPARATOR = "\n\n"
_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
_JUNK_TITLE = re.compile(
    r"^(?:untitled|document\d*|microsoft word - .*|.*\.(?:docx?|odt|rtf|pdf|tex|dvi|indd|ps))$",
    re.IGNORECASE,
)


def pdf_date(value: str) -> PartialDate | None:
    """PartialDate of a PDF date string such as "D:20170221120000+01'00'"."""
    match = _PDF_DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    try:
        return PartialDate(
            int(year), int(month) if month else None, int(day) if month and day else None
        )
    except (ValidationError, ValueError):  # an impossible date in the file is no date
        return None


def _refuse_load(file_name: str, exc: Exception) -> ImportRefused:
    import pypdfium2.raw as raw

    code = getattr(exc, "err_code", None)
    if code in (raw.FPDF_ERR_PASSWORD, raw.FPDF_ERR_SECURITY):
        return ImportRefused(
            f"{file_name}: this PDF is password-protected; "
            "save an unprotected copy and import that."
        )
    return ImportRefused(f"{file_name}: this file is damaged or not a PDF.")


def _page_texts(file_name: str, data: bytes) -> tuple[list[str], dict[str, str]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as exc:  # PdfiumError and whatever a broken file provokes
        raise _refuse_load(file_name, exc) from exc
    try:
        texts: list[str] = []
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                textpage = page.get_textpage()
                try:
                    texts.append(textpage.get_text_range())
                finally:
                    textpage.close()
            finally:
                page.close()
        try:
            info = {str(k): str(v) for k, v in pdf.get_metadata_dict(skip_empty=True).items()}
        except Exception:  # metadata is optional; a broken Info dictionary is not fatal
            info = {}
        return texts, info
    except Exception as exc:
        raise ImportRefused(f"{file_name}: this file is damaged or not a PDF.") from exc
    finally:
        pdf.close()


@register(".pdf", format="pdf")
def import_pdf(data: bytes, file_name: str) -> ImportedText:
    texts, info = _page_texts(file_name, data)
    if not texts:
        raise ImportRefused(f"{file_name}: this file is damaged or not a PDF (it has no pages).")
    pages: list[int] = []
    parts: list[str] = []
    nuls = offset = 0
    for raw_text in texts:
        nuls += raw_text.count("\x00")
        text = normalize_newlines(raw_text.replace("\x00", ""))
        # PDFium can report a hyphen that ends a line as U+0002 or U+FFFE (see IsControlChar in
        # its cpdf_textpage.cpp); one character for one, so no offset moves.
        text = text.replace("\x02", "-").replace("\ufffe", "-").strip("\n")
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        pages.append(offset)
        parts.append(text)
        offset += len(text)
    joined = "".join(parts)
    if not joined.strip():
        raise ImportRefused(
            f"{file_name}: this PDF has no text layer (a scanned PDF?); run OCR first."
        )
    title = info.get("Title", "").strip()
    title = "" if _JUNK_TITLE.match(title) else title
    guessed = guess_metadata(joined, title=title)
    authors = split_authors(info.get("Author", ""))
    return finish(
        joined,
        "pdf",
        title=guessed.title,
        authors=authors or guessed.authors,
        publisher=guessed.publisher,
        published=pdf_date(info.get("CreationDate", "")) or guessed.published,
        pages=pages,
        flags=nul_flags(nuls),
    )
