"""The library's background work: the full check of a PDF document, every page walked.

The upload check (resources/documents.py) trusts the page count the PDF's catalogue declares, which is
cheap to read but only a claim: the pages may be fewer, more, or unreachable. Walking every page takes
time that grows with the file, so it happens here, on the worker, in a child process bounded in time
and pages. What it finds is recorded on the document: the page count readers see (cleared when the
pages cannot be read, rather than showing a number nobody could check) and the check's outcome, which
the editor sees on the document's edit page with what to do about it.
"""

import logging

from wagtail.documents import get_document_model

from aipg_site import page_cache
from aipg_site.background import background_task

from .documents import PdfCheck, count_pages

logger = logging.getLogger(__name__)


# Only reading the file from storage can fail and then succeed: retry on that. Whatever the file
# itself does wrong is an outcome to record, not an error.
@background_task(retry_on=(OSError,), max_attempts=5)
def check_pdf_pages(document_id: int, file_hash: str) -> None:
    """Walk every page of the document's PDF and record the count, or what is wrong with the file.

    Safe to run twice: it acts only while the document still holds the file it was queued for
    (`file_hash`) and its check is still pending, and it records its outcome under the same
    conditions, so a second run, or one for a file since replaced, changes nothing."""
    Document = get_document_model()
    document = Document.objects.filter(pk=document_id, file_hash=file_hash, pdf_check=PdfCheck.PENDING).first()
    if document is None:
        return
    with document.open_file() as file:
        reading = count_pages(file)
    # Recorded only if the document still waits for this file's check: the walk takes a while, and
    # meanwhile the editor may have replaced the file or another worker finished the same check.
    # A count over the limit is still the true count; any other problem leaves none to show.
    recorded = Document.objects.filter(pk=document_id, file_hash=file_hash, pdf_check=PdfCheck.PENDING).update(
        pdf_check=reading.problem or PdfCheck.PASSED,
        page_count=reading.pages if reading.problem in (None, PdfCheck.TOO_MANY_PAGES) else None,
    )
    if not recorded:
        return
    # An update sends no signal (and the search index holds nothing it changed): retire cached pages
    # that show the old count here.
    page_cache.purge()
    if reading.problem:
        logger.warning(
            "Document %s (%s) failed its PDF check: %s (%s).",
            document_id, document.title, reading.problem.label, reading.detail,
        )  # fmt: skip
