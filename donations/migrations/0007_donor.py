"""A Donor behind every donation: one per distinct address (stripped, lower-cased) among the
donations already recorded, with the name of their latest gift and a Stripe Customer if any gift has
one. The link is added nullable here and made required in 0008, after the data is in (PostgreSQL
refuses to alter a table with the link's pending constraint checks in the same transaction)."""

import django.utils.timezone
from django.db import migrations, models

BATCH = 1000


def link_donations_to_donors(apps, schema_editor):
    Donation = apps.get_model("donations", "Donation")
    Donor = apps.get_model("donations", "Donor")
    people: dict[str, dict] = {}
    rows = (
        Donation.objects.filter(donor__isnull=True)
        .order_by("created_at", "pk")
        .values_list("pk", "donor_email", "donor_name", "stripe_customer_id", "created_at")
    )
    for pk, email, name, customer, created_at in rows.iterator(chunk_size=BATCH):
        key = (email or "").strip().lower()
        person = people.setdefault(key, {"name": "", "customer": "", "since": created_at, "donations": []})
        person["name"] = " ".join((name or "").split()) or person["name"]  # the latest gift's
        person["customer"] = customer or person["customer"]  # the latest gift's that has one
        person["donations"].append(pk)
    known = dict(Donor.objects.filter(email__in=list(people)).values_list("email", "pk"))
    new = [
        Donor(email=email, name=person["name"], stripe_customer_id=person["customer"], created_at=person["since"])
        for email, person in people.items()
        if email not in known
    ]
    Donor.objects.bulk_create(new, batch_size=BATCH)
    known = dict(Donor.objects.filter(email__in=list(people)).values_list("email", "pk"))
    for email, person in people.items():
        donations = person["donations"]
        for start in range(0, len(donations), BATCH):
            Donation.objects.filter(pk__in=donations[start : start + BATCH]).update(donor_id=known[email])


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0006_submission_fingerprint"),
    ]

    operations = [
        migrations.CreateModel(
            name="Donor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "email",
                    models.EmailField(
                        help_text="Stored stripped and lower-cased: one donor per address.", max_length=254, unique=True
                    ),
                ),
                (
                    "name",
                    models.CharField(blank=True, help_text="The name given with the latest gift.", max_length=120),
                ),
                ("stripe_customer_id", models.CharField(blank=True, db_index=True, max_length=255)),
                ("created_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                (
                    "notes",
                    models.TextField(
                        blank=True,
                        help_text="What staff should know, and what merges left behind (another Stripe Customer).",
                    ),
                ),
            ],
            options={"ordering": ["name", "email"]},
        ),
        migrations.AddField(
            model_name="donation",
            name="donor",
            field=models.ForeignKey(
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="donations",
                to="donations.donor",
            ),
        ),
        migrations.RunPython(link_donations_to_donors, migrations.RunPython.noop),
    ]
