"""Dates and numbers in the reader's language (aipg_site.formats): `{{ page.date|local_date:"long" }}`,
`{{ count|local_number }}`. A `<time datetime>` attribute keeps Django's `|date:'Y-m-d'`."""

from django import template

from aipg_site import formats

register = template.Library()


@register.filter
def local_date(value, style="long"):
    return formats.local_date(value, style)


@register.filter
def local_number(value):
    return formats.local_number(value)
