import datetime
from unittest import mock

from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import timezone

from stories.models import StoryPage

from ..factories import StoryPageFactory


def titles(client, url):
    return [
        title.text.strip() for title in BeautifulSoup(client.get(url).content, "html.parser").select(".card__title")
    ]


def test_a_scheduled_story_appears_on_its_day(client, index):
    now = timezone.now()
    story = StoryPageFactory(parent=index, title="Scheduled story", live=False)
    story.go_live_at = now + datetime.timedelta(days=1)
    story.save_revision().publish()  # with a future go-live date, publishing schedules it
    assert not StoryPage.objects.get(pk=story.pk).live

    call_command("publish_scheduled", verbosity=0)  # run by cron every few minutes
    assert "Scheduled story" not in titles(client, index.url)

    with mock.patch("django.utils.timezone.now", return_value=now + datetime.timedelta(days=1, minutes=5)):
        call_command("publish_scheduled", verbosity=0)
    assert StoryPage.objects.get(pk=story.pk).live
    assert "Scheduled story" in titles(client, index.url)
