"""What the library knows about an uploaded file: its type, whether its contents match its name,
and, for a PDF, how many pages it has.

The allowed extensions are `WAGTAILDOCS_EXTENSIONS` in the settings; every one of them must have an
entry in FILE_TYPES (a test holds the two together). A file is checked by its first bytes as well as
its name, so a renamed executable or a damaged export is refused with a message an editor can act on.
"""

import logging
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class FileType:
    label: str  # how readers see it: "PDF", "Word document"
    family: str  # "pdf", "zip" (Office Open XML, OpenDocument, EPUB) or "text"


FILE_TYPES = {
    "pdf": FileType("PDF", "pdf"),
    "docx": FileType("Word document", "zip"),
    "xlsx": FileType("Excel spreadsheet", "zip"),
    "pptx": FileType("PowerPoint slides", "zip"),
    "odt": FileType("OpenDocument text", "zip"),
    "epub": FileType("EPUB e-book", "zip"),
    "csv": FileType("CSV table", "text"),
    "txt": FileType("Plain text", "text"),
}


def file_type(extension):
    return FILE_TYPES.get(extension.lower())


def contents_error(file, extension):
    """Why the file's contents do not match its extension, or None when they do."""
    kind = file_type(extension)
    if kind is None:
        return None  # the extension check has already refused it
    head = _read_head(file)
    if kind.family == "pdf":
        # The PDF standard lets a header start anywhere in the first kilobyte.
        if b"%PDF-" not in head[:1024]:
            return (
                f"This file is named .{extension} but is not a PDF. Export or save it again as a PDF and upload that."
            )
        if count_pages(file) is None:
            return (
                "This PDF could not be read: it may be damaged or protected with a password. "
                "Save it again without a password and upload that."
            )
    elif kind.family == "zip" and not head.startswith(b"PK\x03\x04"):
        return (
            f"This file is named .{extension} but is not a {kind.label}. Save it again from the program that made it."
        )
    elif kind.family == "text" and b"\x00" in head:
        return f"This file is named .{extension} but is not text. Upload the {kind.label.lower()} itself."
    return None


def count_pages(file):
    """The number of pages of a PDF, read from the file itself; None when it cannot be read."""
    try:
        file.seek(0)
        return len(PdfReader(file).pages)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, OSError) as error:
        # pypdf raises a range of errors on damaged files; none of them should stop an upload page.
        logger.info("Could not count the pages of %s: %s", getattr(file, "name", "a file"), error)
        return None
    finally:
        file.seek(0)


def _read_head(file):
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head
