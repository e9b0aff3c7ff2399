"""Five new 4000×3000 photos: once the worker made their sizes, the first reader waits for none."""

import pytest
import wagtail_factories

from tests.core.test_renditions_made_once import renditions_made  # noqa: F401  (a fixture)
from tests.factories import NewsArticlePageFactory


@pytest.mark.parametrize("page", ["story", "section", "front page"])
def test_the_first_view_after_the_worker_drained_makes_no_rendition(
    settings,
    run_worker,
    health,
    renditions_made,  # noqa: F811
    django_capture_on_commit_callbacks,
    client,
    page,
):
    settings.NEWSROOM_PREPARE_RENDITIONS = True
    with django_capture_on_commit_callbacks(execute=True):
        photos = [
            wagtail_factories.ImageFactory(title=f"Photo {n}", width=4000, height=3000) for n in range(5)
        ]
    body = [("image", {"image": photo, "alt_text": "A", "caption": "", "credit": ""}) for photo in photos]
    story = NewsArticlePageFactory(parent=health, title="Five photos", lead_image=photos[0], body=body)
    story.unpublish()
    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    run_worker()
    renditions_made.clear()

    response = client.get({"story": story.url, "section": health.url, "front page": "/"}[page])

    assert response.status_code == 200
    assert "Five photos" in response.text
    assert renditions_made == []
