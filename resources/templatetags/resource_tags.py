from django import template

from resources.feeds import feed_links

register = template.Library()


@register.inclusion_tag("components/feed_links.html")
def library_feed_links():
    """<link rel="alternate"> elements for the library's feeds."""
    return {"feeds": feed_links()}
