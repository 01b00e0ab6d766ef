from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve


@require_GET
def serve_document(request, document_id, document_filename):
    """Wagtail's document download, except that an earlier file name redirects to the current one.

    A document's address ends in its file name, and replacing the file changes the name; links
    already shared (in emails, on other sites) keep working through the redirect. Only names the
    document really had redirect, and only for a visitor the document's privacy settings let in:
    counting ids must reveal neither file names nor documents in a private collection.
    """
    document = get_object_or_404(get_document_model(), pk=document_id)
    if document.filename == document_filename:
        return serve(request, document_id, document_filename)
    for hook in hooks.get_hooks("before_serve_document"):  # the privacy check, as Wagtail's view runs it
        refused = hook(document, request)
        if isinstance(refused, HttpResponse):
            return refused
    if not document.earlier_filenames.filter(filename=document_filename).exists():
        raise Http404("No such document.")
    return redirect(document.url)
