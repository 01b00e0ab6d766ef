"""The library's collections, the sections resources are listed in."""

from django.db import models
from django.db.models import Max
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from aipg_site.snippet_translations import TranslatableSnippet, unique_per_language


class ResourceCollection(TranslatableSnippet, index.Indexed, Orderable):
    """A section of the library, such as "Policy Papers and Briefs in Prevention".

    Editors order the collections by dragging them in the snippets listing; the library shows them
    in that order. Translatable: its name and introduction are translated; its slug and its place in
    the order are the same in every language.
    """

    name = models.CharField(max_length=160)
    slug = models.SlugField(
        max_length=80,
        help_text="Used in the library's addresses, e.g. /resources/?collection=sncf-papers.",
    )
    introduction = models.TextField(
        max_length=600, help_text="Two or three sentences on what the collection holds and who it is for."
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("introduction")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale")]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    class Meta(TranslatableSnippet.Meta, Orderable.Meta):
        verbose_name = "library collection"
        constraints = [unique_per_language("name", "collection"), unique_per_language("slug", "collection")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A new collection goes to the end of its language's until an editor drags it elsewhere.
        if self.locale_id is None:
            self.locale = self.get_default_locale()
        if self.sort_order is None:
            last = ResourceCollection.objects.filter(locale_id=self.locale_id).aggregate(last=Max("sort_order"))["last"]
            self.sort_order = 0 if last is None else last + 1
        super().save(*args, **kwargs)
