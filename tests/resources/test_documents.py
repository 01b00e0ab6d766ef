"""Documents: checked on upload (a PDF within a time and page limit), walked by the worker, counted,
served as attachments, and reachable after replacement."""

import time
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter

from resources.demo_pdf import build_pdf
from resources.documents import FILE_TYPES, PdfCheck
from resources.models import LibraryDocument
from resources.tasks import check_pdf_pages

from ..factories import LibraryDocumentFactory

pytestmark = pytest.mark.django_db


def upload(admin_client, name, content, title="A paper"):
    return admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def altered(content, old, new):
    """`content` with one run of bytes replaced by another of the same length, so that the offsets
    in the PDF's cross-reference table stay right and only what the bytes say changes."""
    assert len(old) == len(new)
    assert content.count(old) == 1
    return content.replace(old, new)


def test_every_allowed_extension_has_a_type_the_library_knows(settings):
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == set(FILE_TYPES)


def test_an_uploaded_pdf_gets_its_size_and_page_count_from_the_file(admin_client):
    content = build_pdf("A paper", "Test", ["Some text."], 7)
    response = upload(admin_client, "paper.pdf", content)
    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="A paper")
    assert (document.page_count, document.file_size) == (7, len(content))
    assert document.type_label == "PDF"
    assert document.pdf_check == PdfCheck.PASSED


def test_the_worker_counts_the_pages_the_file_really_has_not_the_number_it_declares(admin_client):
    # The catalogue says 2, which the upload check believes; the worker walks all 7.
    content = altered(build_pdf("A paper", "Test", ["Some text."], 7), b"/Count 7", b"/Count 2")
    assert upload(admin_client, "paper.pdf", content).status_code == 302
    document = LibraryDocument.objects.get(title="A paper")
    assert (document.page_count, document.pdf_check) == (7, PdfCheck.PASSED)


def test_a_pdf_declaring_more_pages_than_the_limit_is_refused_keeping_what_the_editor_typed(admin_client, settings):
    settings.LIBRARY_PDF_MAX_PAGES = 5
    response = upload(admin_client, "paper.pdf", build_pdf("A paper", "Test", ["Text."], 7), title="Long report")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This PDF has 7 pages; the library takes PDFs of at most 5 pages." in page
    assert 'value="Long report"' in page
    assert not LibraryDocument.objects.exists()


def test_a_password_protected_pdf_is_refused_with_a_message(admin_client):
    writer = PdfWriter(clone_from=BytesIO(build_pdf("Secret", "Test", ["Text."], 2)))
    writer.encrypt(user_password="open sesame", owner_password="owner")
    protected = BytesIO()
    writer.write(protected)
    response = upload(admin_client, "paper.pdf", protected.getvalue())
    assert "This PDF is protected with a password." in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_a_pdf_that_takes_too_long_to_read_is_refused_in_bounded_time(admin_client, settings):
    # Reading this file's catalogue takes pypdf about half a second; it is given a twentieth.
    settings.LIBRARY_PDF_MAX_PAGES = 100_000
    settings.LIBRARY_PDF_UPLOAD_CHECK_SECONDS = 0.05
    content = build_pdf("Huge", "Test", [], 40_000)
    started = time.monotonic()
    response = upload(admin_client, "huge.pdf", content, title="Huge report")
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    page = response.content.decode()
    assert "This PDF could not be read within 0.05 seconds" in page
    assert 'value="Huge report"' in page
    assert not LibraryDocument.objects.exists()


def test_a_file_that_is_not_really_a_pdf_is_refused_with_a_message(admin_client):
    response = upload(admin_client, "paper.pdf", b"MZ\x90\x00 this is a program, not a document")
    assert response.status_code == 200
    assert "is not a PDF" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_a_damaged_pdf_is_refused_with_a_message(admin_client):
    response = upload(admin_client, "paper.pdf", b"%PDF-1.4\n1 0 obj garbage", title="Broken")
    assert response.status_code == 200
    assert "could not be read" in response.content.decode()
    assert 'value="Broken"' in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_pages_the_worker_cannot_reach_are_recorded_and_shown_to_the_editor(admin_client):
    # The catalogue is intact (7 pages), but the page tree's first kid points back at the tree itself.
    content = altered(build_pdf("A paper", "Test", ["Text."], 7), b"/Kids [5 0 R", b"/Kids [2 0 R")
    assert upload(admin_client, "paper.pdf", content).status_code == 302
    document = LibraryDocument.objects.get(title="A paper")
    assert (document.pdf_check, document.page_count) == (PdfCheck.UNREADABLE, None)
    edit_page = admin_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    assert "Some of this PDF&#x27;s pages could not be read" in edit_page


def test_more_pages_than_the_catalogue_declares_and_the_limit_allows_are_recorded(admin_client, settings):
    settings.LIBRARY_PDF_MAX_PAGES = 5
    content = altered(build_pdf("A paper", "Test", ["Text."], 7), b"/Count 7", b"/Count 2")
    assert upload(admin_client, "paper.pdf", content).status_code == 302
    document = LibraryDocument.objects.get(title="A paper")
    assert (document.pdf_check, document.page_count) == (PdfCheck.TOO_MANY_PAGES, 7)
    edit_page = admin_client.get(reverse("wagtaildocs:edit", args=[document.pk])).content.decode()
    assert "This PDF has 7 pages; the library takes at most 5." in edit_page


def test_a_walk_over_the_worker_time_limit_is_recorded_as_too_slow(admin_client, settings):
    # The catalogue is read at once; walking its 20,000 pages takes pypdf about two seconds.
    settings.LIBRARY_PDF_MAX_PAGES = 100_000
    settings.LIBRARY_PDF_WORKER_CHECK_SECONDS = 0.05
    started = time.monotonic()
    assert upload(admin_client, "long.pdf", build_pdf("Long", "Test", [], 20_000)).status_code == 302
    assert time.monotonic() - started < 5
    document = LibraryDocument.objects.get()
    assert (document.pdf_check, document.page_count) == (PdfCheck.TIMED_OUT, None)


def test_the_worker_check_is_safe_to_run_twice():
    document = LibraryDocumentFactory(pages=4)  # saved with a new file: the check has run once
    document.refresh_from_db()
    assert (document.pdf_check, document.page_count) == (PdfCheck.PASSED, 4)
    # Run again, as after a worker was lost mid-task: it finds the work done.
    check_pdf_pages.call(document.pk, document.file_hash)
    document.refresh_from_db()
    assert (document.pdf_check, document.page_count) == (PdfCheck.PASSED, 4)
    # Two runs for one pending check record the same outcome once; a run for a file since replaced
    # records nothing.
    LibraryDocument.objects.filter(pk=document.pk).update(pdf_check=PdfCheck.PENDING, page_count=99)
    check_pdf_pages.call(document.pk, "the hash of a file since replaced")
    assert LibraryDocument.objects.get(pk=document.pk).page_count == 99
    check_pdf_pages.call(document.pk, document.file_hash)
    check_pdf_pages.call(document.pk, document.file_hash)
    document.refresh_from_db()
    assert (document.pdf_check, document.page_count) == (PdfCheck.PASSED, 4)


def test_a_stored_document_over_todays_limit_can_still_be_renamed(admin_client, settings):
    document = LibraryDocumentFactory(pages=3)
    settings.LIBRARY_PDF_MAX_PAGES = 2
    response = admin_client.post(
        reverse("wagtaildocs:edit", args=[document.pk]), {"title": "Renamed", "collection": document.collection_id}
    )
    assert response.status_code == 302
    assert LibraryDocument.objects.get(pk=document.pk).title == "Renamed"


def test_a_file_type_not_on_the_list_is_refused(admin_client):
    response = upload(admin_client, "tool.exe", b"MZ\x90\x00")
    assert response.status_code == 200
    assert "File extension “exe” is not allowed" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_an_oversized_file_is_refused_with_the_limit(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1024
    response = upload(admin_client, "paper.pdf", build_pdf("Big", "Test", ["Text " * 400], 5))
    assert "This file is too big" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_an_office_file_must_be_a_zip_package(admin_client):
    response = upload(admin_client, "notes.docx", b"plain text pretending to be Word")
    assert "is not a Word document" in response.content.decode()


def test_documents_download_as_attachments_with_their_type(client):
    document = LibraryDocumentFactory()
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_replaced_document_keeps_its_old_address_working(client):
    document = LibraryDocumentFactory()
    old_url = document.url
    document.file.save("second-edition.pdf", ContentFile(build_pdf("Second", "Test", ["Text."], 2)), save=False)
    document._set_document_file_metadata()
    document.save()
    response = client.get(old_url)
    assert response.status_code == 302
    assert response["Location"] == document.url
    assert client.get(response["Location"]).status_code == 200
    assert document.page_count == 2


def test_an_unknown_document_is_a_404(client):
    assert client.get("/documents/999/nothing.pdf").status_code == 404


def test_a_name_the_document_never_had_is_not_found(client):
    document = LibraryDocumentFactory()
    assert client.get(f"/documents/{document.pk}/guessed-name.pdf").status_code == 404
    assert client.get(f"/documents/{document.pk}/x").status_code == 404  # counting ids reveals no name


def test_a_private_collections_document_is_guarded_before_any_redirect(client):
    from wagtail.models import Collection, CollectionViewRestriction

    private = Collection.get_first_root_node().add_child(name="Board papers")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    document = LibraryDocumentFactory(collection=private)
    old_name = document.filename
    document.file.save("minutes-final.pdf", ContentFile(build_pdf("Minutes", "Test", ["Text."], 1)), save=False)
    document._set_document_file_metadata()
    document.save()

    for name in (old_name, "guessed-name.pdf"):
        response = client.get(f"/documents/{document.pk}/{name}")
        assert response.status_code == 302
        assert "/login/" in response["Location"]  # the privacy check answers; the file name is not shown
        assert "minutes-final" not in response["Location"]
