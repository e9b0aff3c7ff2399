"""A story's pictures are made by a task on upload and publish, not in its first reader's request."""

import pytest
import wagtail_factories

from django.core.cache import cache

from wagtail.images.models import Rendition

from core.renditions import make_story_pictures, story_picture_specs
from tests.factories import NewsArticlePageFactory
from tests.worker import queued


@pytest.fixture
def prepared(settings):
    settings.NEWSROOM_PREPARE_RENDITIONS = True


def test_an_uploaded_image_gets_its_story_sizes_from_the_worker(
    prepared, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        image = wagtail_factories.ImageFactory()
    [task] = queued("core.renditions.make_story_pictures")
    assert task.args_kwargs["args"] == [[image.pk]]
    assert not Rendition.objects.exists()  # Nothing made in the upload's request.

    run_worker()
    made = set(Rendition.objects.filter(image=image).values_list("filter_spec", flat=True))
    assert made == set(story_picture_specs(image))
    assert {"fill-480x270", "fill-480x270|format-webp", "width-1200", "fill-1200x630"} <= made


def test_publishing_a_story_queues_the_sizes_of_its_pictures(
    prepared, run_worker, health, django_capture_on_commit_callbacks
):
    image = wagtail_factories.ImageFactory()
    story = NewsArticlePageFactory(parent=health, lead_image=image, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    [task] = queued("core.renditions.make_story_pictures")
    assert task.args_kwargs["args"] == [[image.pk]]
    run_worker()
    assert Rendition.objects.filter(image=image).count() == len(story_picture_specs(image))


def test_making_them_again_makes_nothing_new(prepared, db):
    image = wagtail_factories.ImageFactory()
    make_story_pictures.call([image.pk])
    count = Rendition.objects.count()
    assert make_story_pictures.call([image.pk, 999_999]) == 1
    assert Rendition.objects.count() == count


def test_an_image_another_worker_is_making_is_left_to_it(prepared, db):
    image = wagtail_factories.ImageFactory()
    cache.add(f"newsroom:making-pictures:{image.pk}", True)
    assert make_story_pictures.call([image.pk]) == 0
    assert not Rendition.objects.exists()
    cache.delete(f"newsroom:making-pictures:{image.pk}")
    assert make_story_pictures.call([image.pk]) == 1
