"""A commemoration is unique per observance, year and language, so a post can be translated."""

import django.db.models.deletion
from django.db import migrations, models


def copy_page_locales(apps, schema_editor):
    CommemorationPage = apps.get_model("stories", "CommemorationPage")
    for post in CommemorationPage.objects.only("pk", "locale_id"):
        CommemorationPage.objects.filter(pk=post.pk).update(post_locale_id=post.locale_id)


class Migration(migrations.Migration):
    dependencies = [
        ("stories", "0006_alt_text_and_decorative_images"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="commemorationpage", name="one_commemoration_per_observance_and_year"),
        migrations.AddField(
            model_name="commemorationpage",
            name="post_locale",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="wagtailcore.locale",
            ),
        ),
        migrations.RunPython(copy_page_locales, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="commemorationpage",
            name="post_locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale"
            ),
        ),
        migrations.AddConstraint(
            model_name="commemorationpage",
            constraint=models.UniqueConstraint(
                fields=("observance", "year", "post_locale"),
                name="one_commemoration_per_observance_year_and_language",
                violation_error_message="This observance already has a commemoration post for that year.",
            ),
        ),
    ]
