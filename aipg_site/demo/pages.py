import uuid

from wagtail.blocks import StreamValue
from wagtail.models import Page, Site


def block(block_type, value):
    """One StreamField block in Wagtail's raw JSON form (images, pages and snippets by id)."""
    return {"type": block_type, "value": value}


def list_items(*values):
    """A ListBlock's items in Wagtail's block form, each with its own id: wagtail-localize offers a
    list's items for translation only in this form."""
    return [{"type": "item", "value": value, "id": str(uuid.uuid4())} for value in values]


def paragraph(*paragraphs):
    return block("paragraph", "".join(f"<p>{text}</p>" for text in paragraphs))


def upsert_page(parent, page_class, slug, **fields):
    """The live `page_class` child of `parent` at `slug`, created or updated to `fields`, published.

    A page is republished only when a field changed, so a second run adds no revisions.
    """
    existing = parent.get_children().filter(slug=slug).first()
    if existing is None:
        page = page_class(slug=slug, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        return page

    page = existing.specific
    if not isinstance(page, page_class):
        raise TypeError(f"{page.url_path} is a {type(page).__name__}, expected a {page_class.__name__}")
    changed = False
    for name, value in fields.items():
        if _comparable(getattr(page, name)) != _comparable(value):
            setattr(page, name, value)
            changed = True
    if changed or not page.live:
        page.save_revision().publish()
    return page


def _comparable(value):
    """A field's value in the form the demo code writes it: StreamFields as raw JSON without ids."""
    if isinstance(value, StreamValue):
        return _without_ids(value.get_prep_value())
    if isinstance(value, list):
        return _without_ids(value)
    return value


def _without_ids(raw):
    if isinstance(raw, list):
        return [_without_ids(item) for item in raw]
    if isinstance(raw, dict):
        if raw.get("type") == "item" and set(raw) <= {"type", "value", "id"}:
            return _without_ids(raw["value"])  # a ListBlock child
        return {key: _without_ids(value) for key, value in raw.items() if key != "id"}
    return raw


def default_site():
    return Site.objects.get(is_default_site=True)


def root_page():
    return Page.get_first_root_node()
