"""The resource editor's form."""

from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminPageForm

COLLECTION_REQUIRED = gettext_lazy("Choose the library collection this resource is listed in.")


class ResourcePageForm(WagtailAdminPageForm):
    """Marks the collection as required, as the model's `clean` already holds it.

    The model field stays `blank=True` because annual reports, which are resources too, file
    themselves in their index page's collection and never show the field. Where the field is shown,
    Wagtail marks it with its asterisk only if the form field says it is required.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if field := self.fields.get("collection"):
            field.required = True
            field.error_messages["required"] = COLLECTION_REQUIRED
