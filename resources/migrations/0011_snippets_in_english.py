"""The library collections written before the site had languages are English: each gets the English
locale and a translation key of its own, so editors can translate it (wagtail-localize) from there.
Undoing this leaves the values: the previous migration's undoing drops the columns."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0010_snippets_bootstrap_translations"),
        ("aipg_site", "0013_spanish_locale"),
    ]

    operations = [
        BootstrapTranslatableModel("resources.ResourceCollection"),
    ]
