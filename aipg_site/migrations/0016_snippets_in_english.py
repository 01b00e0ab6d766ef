"""The offices, topics and regions written before the site had languages are English: each gets the English
locale and a translation key of its own, so editors can translate it (wagtail-localize) from there.
Undoing this leaves the values: the previous migration's undoing drops the columns."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [
        ("aipg_site", "0015_snippets_bootstrap_translations"),
    ]

    operations = [
        BootstrapTranslatableModel("aipg_site.Office"),
        BootstrapTranslatableModel("aipg_site.Topic"),
        BootstrapTranslatableModel("aipg_site.Region"),
    ]
