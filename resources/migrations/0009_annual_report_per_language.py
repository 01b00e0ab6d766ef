"""One annual report per year in each language, not one per year: the Spanish translation of a year's
report is a page of its own, which the old constraint on the year alone refused."""

import django.db.models.deletion
from django.db import migrations, models


def copy_page_locales(apps, schema_editor):
    AnnualReportPage = apps.get_model("resources", "AnnualReportPage")
    for report in AnnualReportPage.objects.only("pk", "locale_id"):
        AnnualReportPage.objects.filter(pk=report.pk).update(report_locale_id=report.locale_id)


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0008_resource_kind_and_language_help"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.AddField(
            model_name="annualreportpage",
            name="report_locale",
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
            model_name="annualreportpage",
            name="report_locale",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="wagtailcore.locale"
            ),
        ),
        migrations.AlterField(
            model_name="annualreportpage",
            name="report_year",
            field=models.PositiveSmallIntegerField(editable=False),
        ),
        migrations.AddConstraint(
            model_name="annualreportpage",
            constraint=models.UniqueConstraint(
                fields=("report_year", "report_locale"), name="one_annual_report_per_year_and_language"
            ),
        ),
    ]
