import datetime

import pytest
from django.core.exceptions import ValidationError

from stories.models import Observance

from ..factories import ObservanceFactory


def observance(month, day):
    return Observance(name="A day", slug="a-day", month=month, day=day)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2026, 12, 1), datetime.date(2026, 12, 9)),  # later this year
        (datetime.date(2026, 12, 9), datetime.date(2026, 12, 9)),  # the day itself
        (datetime.date(2026, 12, 10), datetime.date(2027, 12, 9)),  # just passed: next year
    ],
)
def test_next_date_is_this_year_or_next(today, expected):
    assert observance(12, 9).next_occurrence(today) == expected


def test_next_date_crosses_the_year_end():
    assert observance(1, 27).next_occurrence(datetime.date(2026, 12, 31)) == datetime.date(2027, 1, 27)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime.date(2027, 1, 10), datetime.date(2027, 2, 28)),  # not a leap year: the last day of February
        (datetime.date(2028, 1, 10), datetime.date(2028, 2, 29)),  # a leap year: the day itself
        (datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)),  # passed in 2027: next year's is a leap day
        (datetime.date(2028, 2, 29), datetime.date(2028, 2, 29)),
    ],
)
def test_29_february_falls_on_the_last_day_of_february(today, expected):
    assert observance(2, 29).next_occurrence(today) == expected


def test_a_day_the_month_does_not_have_is_refused(db):
    with pytest.raises(ValidationError) as error:
        ObservanceFactory.build(month=4, day=31).full_clean()
    assert error.value.message_dict["day"] == ["April has no day 31."]


def test_29_february_is_accepted(db):
    ObservanceFactory.build(month=2, day=29).full_clean()


@pytest.mark.django_db
def test_upcoming_lists_the_next_date_first_across_the_year_end():
    ObservanceFactory(slug="may", month=5, day=20)
    ObservanceFactory(slug="january", month=1, day=27)
    ObservanceFactory(slug="december", month=12, day=9)
    upcoming = Observance.upcoming(today=datetime.date(2026, 12, 1))
    assert [(item.slug, item.next_date) for item in upcoming] == [
        ("december", datetime.date(2026, 12, 9)),
        ("january", datetime.date(2027, 1, 27)),
        ("may", datetime.date(2027, 5, 20)),
    ]
    within_60_days = Observance.upcoming(today=datetime.date(2026, 12, 1), within_days=60)
    assert [item.slug for item in within_60_days] == ["december", "january"]


@pytest.mark.parametrize("typed", ["Rwan", "Tutsi", "hundred"])
def test_editors_find_an_observance_in_the_admin_by_its_names_or_description(admin_client, typed):
    """By a word's beginning, as editors type; SQLite's backend once answered this search with a 500."""
    ObservanceFactory(
        name="International Day of Reflection on the 1994 Genocide in Rwanda",
        short_name="Day of Reflection on the Genocide against the Tutsi",
        description="It lasted about a hundred days.",
    )
    ObservanceFactory(name="Holocaust Remembrance Day", description="The liberation of the camp.")
    response = admin_client.get("/admin/snippets/stories/observance/", {"q": typed})
    assert response.status_code == 200
    listed = response.content.decode()
    assert "1994 Genocide in Rwanda" in listed
    assert "Holocaust Remembrance Day" not in listed
