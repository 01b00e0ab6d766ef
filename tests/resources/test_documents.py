"""Documents: checked on upload, counted, served as attachments, and reachable after replacement."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from resources.demo_pdf import build_pdf
from resources.documents import FILE_TYPES
from resources.models import LibraryDocument

from ..factories import LibraryDocumentFactory

pytestmark = pytest.mark.django_db


def upload(admin_client, name, content, title="A paper"):
    return admin_client.post(
        reverse("wagtaildocs:add"),
        {"title": title, "file": SimpleUploadedFile(name, content), "collection": 1},
    )


def test_every_allowed_extension_has_a_type_the_library_knows(settings):
    assert set(settings.WAGTAILDOCS_EXTENSIONS) == set(FILE_TYPES)


def test_an_uploaded_pdf_gets_its_size_and_page_count_from_the_file(admin_client):
    content = build_pdf("A paper", "Test", ["Some text."], 7)
    response = upload(admin_client, "paper.pdf", content)
    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="A paper")
    assert (document.page_count, document.file_size) == (7, len(content))
    assert document.type_label == "PDF"


def test_a_file_that_is_not_really_a_pdf_is_refused_with_a_message(admin_client):
    response = upload(admin_client, "paper.pdf", b"MZ\x90\x00 this is a program, not a document")
    assert response.status_code == 200
    assert "is not a PDF" in response.content.decode()
    assert not LibraryDocument.objects.exists()


def test_a_damaged_pdf_is_refused_with_a_message(admin_client):
    response = upload(admin_client, "paper.pdf", b"%PDF-1.4\n1 0 obj garbage")
    assert "could not be read" in response.content.decode()
    assert not LibraryDocument.objects.exists()


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
