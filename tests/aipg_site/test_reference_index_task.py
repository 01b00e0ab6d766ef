"""Wagtail's reference index is kept by a task queued after every save. A page's child rows (a story's
related links) can be replaced before the worker runs it; that task must not fail for a row that is
gone, or staff see a failed background task after an ordinary edit."""

import pytest
from django_tasks_db.models import DBTaskResult
from wagtail.models import ReferenceIndex

from stories.models import StoryPage, StoryRelatedLink
from tests.aipg_site.test_background_tasks import claim_and_run
from tests.factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queued_for(model_name):
    return DBTaskResult.objects.filter(
        task_path="aipg_site.tasks.update_reference_index", args_kwargs__args__1=model_name
    ).order_by("enqueued_at")


def test_a_replaced_related_link_leaves_no_failed_task(home, database_queue):
    index = StoryIndexPageFactory(parent=home)
    first, second, story = (StoryPageFactory(parent=index) for _ in range(3))
    story = StoryPage.objects.get(pk=story.pk)
    story.related_links = [StoryRelatedLink(story=first)]
    story.save()
    replaced_row = story.related_links.get().pk
    # As a revision's publish or a translation's sync does: new rows in place of the old ones.
    story.related_links = [StoryRelatedLink(story=second)]
    story.save()
    assert not StoryRelatedLink.objects.filter(pk=replaced_row).exists()

    results = [claim_and_run(row.pk) for row in queued_for("storyrelatedlink")]
    assert {row.args_kwargs["args"][2] for row in results} >= {str(replaced_row)}
    assert all(row.status == "SUCCESSFUL" for row in results)
    assert {row.return_value for row in results} == {"gone", "indexed"}

    # The story's index names the link it has now.
    for row in queued_for("storypage"):
        claim_and_run(row.pk)
    referenced = set(ReferenceIndex.get_references_for_object(story).values_list("to_object_id", flat=True))
    assert str(second.pk) in referenced
    assert str(first.pk) not in referenced
