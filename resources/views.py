from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve


@require_GET
def serve_document(request, document_id, document_filename):
    """Wagtail's document download, except that an outdated file name redirects to the current one.

    A document's address ends in its file name, and replacing the file changes the name; links
    already shared (in emails, on other sites) keep working through the redirect.
    """
    document = get_object_or_404(get_document_model(), pk=document_id)
    if document.filename != document_filename:
        return redirect(document.url)
    return serve(request, document_id, document_filename)
