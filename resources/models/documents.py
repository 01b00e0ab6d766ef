"""The library's documents: Wagtail's document, checked on upload and knowing its page count, and
the file names a document had before, which keep redirecting."""

from django.core.exceptions import ValidationError
from django.db import models
from django.template.defaultfilters import filesizeformat
from wagtail.documents.models import AbstractDocument, Document

from ..documents import PdfCheck, check_message, check_upload, declared_page_count, file_type
from ..tasks import check_pdf_pages


class LibraryDocument(AbstractDocument):
    """Wagtail's document, checked on upload and knowing its page count.

    Extensions are limited by WAGTAILDOCS_EXTENSIONS and size by WAGTAILDOCS_MAX_UPLOAD_SIZE; the
    contents must also match the extension. A new PDF gets the page count its catalogue declares at
    once, then the count of the pages the worker finds when it walks them (`resources.tasks`), so
    editors never type it; `pdf_check` says how that walk went.
    """

    page_count = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Read from the file when it is a PDF."
    )
    pdf_check = models.CharField(
        max_length=20,
        choices=PdfCheck.choices,
        blank=True,
        editable=False,
        help_text="For a PDF: whether every page has been read. Empty for other files.",
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"

    def clean(self):
        super().clean()
        # Only a file just chosen is checked (Django's own test for an uncommitted file): a stored one
        # was checked when it came, and must not stop an editor from changing a title.
        if self.file and not self.file._committed:
            check = check_upload(self.file, self.file_extension)
            if check.error:
                raise ValidationError({"file": check.error})
            self._declared_pages = (self.file.file, check.declared_pages)

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        document._stored_filename = document.filename if document.file else ""
        return document

    def save(self, *args, **kwargs):
        # Documents made outside the admin's upload forms (the demo content, scripts) get the same
        # size, hash and page count as uploaded ones.
        if self.file and self.file_size is None:
            self._set_document_file_metadata()
        super().save(*args, **kwargs)
        earlier = getattr(self, "_stored_filename", "")
        if earlier and earlier != self.filename:
            # Links already shared end in the old name: it keeps redirecting to the new one.
            LibraryDocumentFileName.objects.get_or_create(document=self, filename=earlier)
        self._stored_filename = self.filename
        if self.pdf_check == PdfCheck.PENDING:
            # The check the worker owes a new file. Saving again while it is pending queues it again:
            # a second run finds the work done, and a check that was lost is queued anew.
            check_pdf_pages.enqueue(self.pk, self.file_hash)

    def _set_document_file_metadata(self):
        super()._set_document_file_metadata()
        if not self.is_pdf:
            self.page_count, self.pdf_check = None, ""
            return
        # `clean` has read the declared count of an uploaded file; a file set in code is read here.
        checked_file, declared = getattr(self, "_declared_pages", (None, None))
        if checked_file is not self.file.file:
            declared = declared_page_count(self.file).pages
        self.page_count, self.pdf_check = declared, PdfCheck.PENDING

    @property
    def is_pdf(self):
        kind = file_type(self.file_extension)
        return kind is not None and kind.family == "pdf"

    @property
    def pdf_check_message(self):
        """What the editor is told about the worker's check of a PDF, on the document's edit page."""
        return check_message(self.pdf_check, self.page_count)

    @property
    def type_label(self):
        kind = file_type(self.file_extension)
        return kind.label if kind else self.file_extension.upper()

    @property
    def size_label(self):
        return filesizeformat(self.file_size) if self.file_size is not None else ""


class LibraryDocumentFileName(models.Model):
    """A file name a document had before its file was replaced. Its old address redirects to the
    current one (`resources.views.serve_document`); any other name is not found."""

    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="earlier_filenames")
    filename = models.CharField(max_length=255)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "filename"], name="document_filename_once")]

    def __str__(self):
        return self.filename
