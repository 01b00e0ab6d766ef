"""The editors' side of the library: its collections, as a snippet they can reorder by dragging."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ResourceCollection


class ResourceCollectionViewSet(SnippetViewSet):
    model = ResourceCollection
    icon = "folder-open-inverse"
    menu_label = "Library collections"
    list_display = ["name", "slug"]
    search_fields = ["name", "introduction"]
    # Orderable's sort_order lets editors drag collections into the order the library shows.


register_snippet(ResourceCollectionViewSet)
