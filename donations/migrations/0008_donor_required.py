from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0007_donor"),
    ]

    operations = [
        migrations.AlterField(
            model_name="donation",
            name="donor",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT, related_name="donations", to="donations.donor"
            ),
        ),
    ]
