"""What the library knows about an uploaded file: its type, whether its contents match its name,
and, for a PDF, how many pages it has.

The allowed extensions are `WAGTAILDOCS_EXTENSIONS` in the settings; every one of them must have an
entry in FILE_TYPES (a test holds the two together). A file is checked by its first bytes as well as
its name, so a renamed executable or a damaged export is refused with a message an editor can act on.

A PDF is read in two steps, because counting its pages means walking every page object and a crafted
file can make that take minutes (a 200,000-page file once held a web worker 22 s):

- on upload, in the editor's request, only what is cheap and bounded: the `%PDF-` header, then the
  page count the document catalogue declares (one number at the root of the page tree). A file
  declaring more than `LIBRARY_PDF_MAX_PAGES` pages, or that cannot be read within
  `LIBRARY_PDF_UPLOAD_CHECK_SECONDS`, is refused with a message;
- on the task worker (`resources.tasks.check_pdf_pages`), the walk of every page, within
  `LIBRARY_PDF_WORKER_CHECK_SECONDS` and the same page limit. Its count is the one readers see; what
  it finds wrong is recorded on the document for the editor.

Both run pypdf in a child process (`resources/pdf_reader.py`) that is killed when it overruns.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from . import pdf_reader

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    label: str  # how readers see it: "PDF", "Word document"
    family: str  # "pdf", "zip" (Office Open XML, OpenDocument, EPUB) or "text"


FILE_TYPES = {
    "pdf": FileType("PDF", "pdf"),
    "docx": FileType(gettext_lazy("Word document"), "zip"),
    "xlsx": FileType(gettext_lazy("Excel spreadsheet"), "zip"),
    "pptx": FileType(gettext_lazy("PowerPoint slides"), "zip"),
    "odt": FileType(gettext_lazy("OpenDocument text"), "zip"),
    "epub": FileType(gettext_lazy("EPUB e-book"), "zip"),
    "csv": FileType(gettext_lazy("CSV table"), "text"),
    "txt": FileType(gettext_lazy("Plain text"), "text"),
}


def file_type(extension):
    return FILE_TYPES.get(extension.lower())


class PdfCheck(models.TextChoices):
    """Where a PDF document's check stands: pending from upload until the worker has walked its pages."""

    PENDING = "pending", "Waiting for the page check"
    PASSED = "passed", "Every page read"
    UNREADABLE = pdf_reader.UNREADABLE, "Damaged"
    NEEDS_PASSWORD = pdf_reader.NEEDS_PASSWORD, "Needs a password"
    TOO_MANY_PAGES = pdf_reader.TOO_MANY_PAGES, "Too many pages"
    TIMED_OUT = pdf_reader.TIMED_OUT, "Too slow to read"


@dataclass(frozen=True)
class PdfReading:
    """What a child process found in a PDF: its page count, or what is wrong with it, or both (a
    count over the limit)."""

    pages: int | None = None
    problem: PdfCheck | None = None
    detail: str = ""


@dataclass(frozen=True)
class UploadCheck:
    error: str | None = None  # why the file is refused, for the editor; None when it is accepted
    declared_pages: int | None = None  # a PDF's page count as its catalogue declares it


def check_upload(file, extension):
    """The checks an upload gets in the editor's request: cheap, and bounded in time."""
    kind = file_type(extension)
    if kind is None:
        return UploadCheck()  # the extension check has already refused it
    head = _read_head(file)
    if kind.family == "pdf":
        # The PDF standard lets a header start anywhere in the first kilobyte.
        if b"%PDF-" not in head[:1024]:
            return UploadCheck(
                f"This file is named .{extension} but is not a PDF. Export or save it again as a PDF and upload that."
            )
        reading = declared_page_count(file)
        return UploadCheck(upload_error(reading), reading.pages)
    if kind.family == "zip" and not head.startswith(b"PK\x03\x04"):
        return UploadCheck(
            f"This file is named .{extension} but is not a {kind.label}. Save it again from the program that made it."
        )
    if kind.family == "text" and b"\x00" in head:
        return UploadCheck(f"This file is named .{extension} but is not text. Upload the {kind.label.lower()} itself.")
    return UploadCheck()


def upload_error(reading):
    """Why an uploaded PDF is refused, from what its catalogue says; None when it is accepted."""
    max_pages = settings.LIBRARY_PDF_MAX_PAGES
    if reading.problem == PdfCheck.TOO_MANY_PAGES:
        has = f"has {reading.pages:,} pages" if reading.pages is not None else "has too many pages to read"
        return (
            f"This PDF {has}; the library takes PDFs of at most {max_pages:,} pages. "
            "Split it into parts and upload each one."
        )
    if reading.problem == PdfCheck.NEEDS_PASSWORD:
        return "This PDF is protected with a password. Save it again without a password and upload that."
    if reading.problem == PdfCheck.TIMED_OUT:
        return (
            f"This PDF could not be read within {settings.LIBRARY_PDF_UPLOAD_CHECK_SECONDS:g} seconds: it may be "
            "damaged or unusually built. Export or save it again as a PDF and upload that."
        )
    if reading.problem:
        return (
            "This PDF could not be read: it may be damaged or protected with a password. "
            "Save it again without a password and upload that."
        )
    return None


def check_message(check, page_count):
    """What an editor is told on a PDF document's page about the worker's check."""
    max_pages = settings.LIBRARY_PDF_MAX_PAGES
    if check == PdfCheck.PENDING:
        return "Waiting for every page to be checked; until then the page count is the one the file declares."
    if check == PdfCheck.PASSED and page_count is not None:
        return f"Every page was read: {page_count:,} page{'s' if page_count != 1 else ''}."
    if check == PdfCheck.TOO_MANY_PAGES:
        has = f"has {page_count:,} pages" if page_count is not None else "has more pages than can be read"
        return f"This PDF {has}; the library takes at most {max_pages:,}. Split it into parts and replace the file."
    if check == PdfCheck.NEEDS_PASSWORD:
        return "This PDF needs a password to open. Save it again without a password and replace the file."
    if check == PdfCheck.TIMED_OUT:
        return (
            f"This PDF's pages could not all be read within {settings.LIBRARY_PDF_WORKER_CHECK_SECONDS:g} seconds, "
            "so readers are not told how many there are: it may be damaged or unusually built. Export or save it "
            "again as a PDF and replace the file."
        )
    if check == PdfCheck.UNREADABLE:
        return (
            "Some of this PDF's pages could not be read: the file is damaged, and readers may not be able to "
            "open it. Export or save it again as a PDF and replace the file."
        )
    return ""


def declared_page_count(file):
    """The page count a PDF's catalogue declares: the upload check, within the upload's time bound."""
    return _read_pdf(file, pdf_reader.DECLARED, settings.LIBRARY_PDF_UPLOAD_CHECK_SECONDS)


def count_pages(file):
    """Every page of a PDF, walked: the worker's check, within its own time bound."""
    return _read_pdf(file, pdf_reader.WALK, settings.LIBRARY_PDF_WORKER_CHECK_SECONDS)


def _read_pdf(file, mode, seconds):
    answer = pdf_reader.read_pdf(_read_all(file), mode, seconds=seconds, max_pages=settings.LIBRARY_PDF_MAX_PAGES)
    problem = PdfCheck(answer["problem"]) if "problem" in answer else None
    if problem:
        logger.info("PDF %s: %s (%s)", getattr(file, "name", "a file"), problem.label, answer["detail"])
    return PdfReading(answer.get("pages"), problem, answer.get("detail", ""))


def _read_all(file):
    # Uploads are at most WAGTAILDOCS_MAX_UPLOAD_SIZE, so the bytes can be handed to the child whole.
    file.seek(0)
    data = file.read()
    file.seek(0)
    return data


def _read_head(file):
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head
