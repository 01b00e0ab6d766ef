"""What staff do with donor records: merge two that are one person.

Everything that belongs to the merged-away donor moves to the kept one (their donations, and any
other record that points at a donor, such as a statement sent), the Stripe Customer is kept, the
merged-away record is deleted and the merge is written to the kept donor's history in Wagtail.
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import Donor, StatementSent

MERGE_ACTION = "donations.merge_donor"


class MergeRefused(ValueError):
    pass


def merge(kept: Donor, other: Donor, user=None) -> Donor:
    """Move everything of `other` to `kept` and delete `other`. Returns the kept donor, saved."""
    if kept.pk == other.pk:
        raise MergeRefused("A donor cannot be merged into itself.")
    with transaction.atomic():
        # Locked in one order, so two merges of the same pair cannot deadlock.
        locked = {donor.pk: donor for donor in Donor.objects.select_for_update().filter(pk__in=[kept.pk, other.pk])}
        if len(locked) != 2:
            raise MergeRefused("One of the two donors no longer exists: it may have been merged already.")
        kept, other = locked[kept.pk], locked[other.pk]
        # A statement for a year both were sent stays recorded once, on the kept donor.
        StatementSent.objects.filter(donor=other, year__in=kept.statements_sent.values("year")).delete()
        moved = _move_related(other, kept)
        note = _combine_customers(kept, other)
        if note:
            kept.notes = f"{kept.notes}\n{note}".strip()
        kept.save()
        data = {
            "merged_donor": {"id": other.pk, "email": other.email, "name": other.name},
            "moved": moved,
            "stripe_customer_id": kept.stripe_customer_id,
            "other_stripe_customer_id": other.stripe_customer_id,
        }
        other.delete()
        log(instance=kept, action=MERGE_ACTION, user=user, data=data)
    return kept


def _move_related(other: Donor, kept: Donor) -> dict[str, int]:
    """Point every record that names `other` (any model's foreign key to Donor) at `kept`."""
    moved = {}
    for relation in Donor._meta.related_objects:
        if not relation.one_to_many:
            continue
        model = relation.related_model
        field = relation.field.name
        count = model._base_manager.filter(**{field: other}).update(**{field: kept})
        moved[model._meta.label] = count
    return moved


def _combine_customers(kept: Donor, other: Donor) -> str:
    """Keep the one Stripe Customer; when both have one, keep the kept donor's and note the other."""
    if not other.stripe_customer_id or other.stripe_customer_id == kept.stripe_customer_id:
        return ""
    if not kept.stripe_customer_id:
        kept.stripe_customer_id = other.stripe_customer_id
        return ""
    return (
        f"{timezone.localdate():%Y-%m-%d}: merged {other.email}, whose Stripe Customer "
        f"{other.stripe_customer_id} was not kept (its gifts are on this record)."
    )
