"""Pictures with credits: filled from the file on upload, edited in Wagtail's image form,
shown under every picture of a story and in its JSON-LD, at no query per picture."""

import io
import json
import re
from unittest import mock

import pytest
import wagtail_factories
from bs4 import BeautifulSoup
from PIL import Image as PILImage

from django.conf import settings
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtail.test.utils.form_data import rich_text, streamfield

from core.image_credits import ImageCredit, credit_line, credit_of, fill_from_file
from core.images import RENDITIONS, RenditionFamily
from core.renditions import make_story_pictures
from news.models import LiveBlogEntry, NewsArticlePage
from tests.admin_forms import story_form
from tests.factories import LiveBlogPageFactory, NewsArticlePageFactory, root_collection
from tests.news.test_serving_cost import ARTICLE_QUERY_BUDGET, full_article

from .picture_files import BYLINE, CREDIT, iptc_dataset, jpeg_with_byline_and_credit, jpeg_with_iptc

Image = get_image_model()
ADD_ARTICLE = "/admin/pages/add/news/newsarticlepage/{}/"


def image_from(data: bytes, name: str = "harbour.jpg", **fields):
    return wagtail_factories.ImageFactory(file=ImageFile(io.BytesIO(data), name=name), **fields)


def credited_image(**credit) -> "Image":
    image = wagtail_factories.ImageFactory()
    ImageCredit.objects.create(image=image, **credit)
    return image


def upload_form(data: bytes, **fields) -> dict:
    return {
        "title": "Harbour",
        "file": SimpleUploadedFile("harbour.jpg", data, content_type="image/jpeg"),
        "collection": root_collection().pk,
        "tags": "",
        **fields,
    }


def json_ld_of(html: str, kind: str) -> dict:
    for script in BeautifulSoup(html, "html.parser").select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if isinstance(data, dict) and data.get("@type") == kind:
            return data
    raise AssertionError(f"no {kind} JSON-LD")


# Filled on upload


@pytest.mark.django_db
def test_an_upload_takes_its_credit_from_the_files_iptc(admin_client):
    data = jpeg_with_byline_and_credit("Jane Doe", "Reuters", copyright="© 2025 Reuters", caption="Boats")

    response = admin_client.post("/admin/images/add/", upload_form(data))

    assert response.status_code == 302
    image = Image.objects.get()
    assert ImageCredit.objects.get(image=image).values() == {
        "caption": "Boats",
        "credit": "Jane Doe / Reuters",
        "copyright_notice": "© 2025 Reuters",
        "source_url": "",
        "licence_url": "",
    }
    # The edit form shows what the file said, to be corrected.
    edit = admin_client.get(f"/admin/images/{image.pk}/")
    form = BeautifulSoup(edit.text, "html.parser")
    assert form.select_one('input[name="credit"]')["value"] == "Jane Doe / Reuters"
    assert form.select_one('textarea[name="caption"]').get_text(strip=True) == "Boats"


@pytest.mark.django_db
def test_what_the_editor_types_on_upload_wins_and_empty_fields_keep_the_files(admin_client):
    data = jpeg_with_byline_and_credit("Jane Doe", "Reuters", caption="Boats")

    admin_client.post(
        "/admin/images/add/",
        upload_form(
            data,
            credit="Jane Doe for The Gazette",
            licence_url="https://creativecommons.org/licenses/by/4.0/",
        ),
    )

    row = ImageCredit.objects.get()
    assert row.credit == "Jane Doe for The Gazette"
    assert row.caption == "Boats"
    assert row.licence_url == "https://creativecommons.org/licenses/by/4.0/"


@pytest.mark.django_db
def test_credits_are_edited_and_cleared_in_the_image_form(admin_client):
    image = image_from(jpeg_with_byline_and_credit("Jane Doe", "Reuters"))
    assert credit_of(image).credit == "Jane Doe / Reuters"

    form = {
        "title": image.title,
        "collection": root_collection().pk,
        "tags": "",
        "caption": "",
        "credit": "",
        "copyright_notice": "© Reuters",
        "source_url": "https://pictures.example/123",
        "licence_url": "",
    }
    response = admin_client.post(f"/admin/images/{image.pk}/", form)

    assert response.status_code == 302
    row = ImageCredit.objects.get(image=image)
    assert (row.credit, row.copyright_notice, row.source_url) == (
        "",
        "© Reuters",
        "https://pictures.example/123",
    )


@pytest.mark.django_db
def test_a_bad_address_is_refused_by_the_form_not_stored(admin_client):
    image = credited_image(credit="AP")
    form = {"title": image.title, "collection": root_collection().pk, "tags": "", "credit": "AP"}
    response = admin_client.post(f"/admin/images/{image.pk}/", {**form, "licence_url": "javascript:alert(1)"})
    assert response.status_code == 200
    assert ImageCredit.objects.get(image=image).licence_url == ""
    response = admin_client.post(f"/admin/images/{image.pk}/", {**form, "credit": "A\x00P"})
    assert response.status_code == 200 and ImageCredit.objects.get(image=image).credit == "AP"


@pytest.mark.django_db
def test_the_multiple_upload_fills_the_credit_too(admin_client):
    data = jpeg_with_byline_and_credit("Ann Lee", "AFP")

    response = admin_client.post(
        "/admin/images/multiple/add/",
        {
            "files[]": SimpleUploadedFile("boats.jpg", data, content_type="image/jpeg"),
            "collection": root_collection().pk,
        },
    )

    assert response.status_code == 200 and response.json()["success"]
    image = Image.objects.get(pk=response.json()["image_id"])
    assert credit_of(image).credit == "Ann Lee / AFP"
    # The per-image form that follows the upload shows it.
    assert 'value="Ann Lee / AFP"' in response.json()["form"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "datasets",
    [
        [iptc_dataset(BYLINE, b"Jane\x00Doe" * 3000), iptc_dataset(CREDIT, b"\xff\xfe\x00\x01" * 500)],
        [iptc_dataset(BYLINE, "Zoë".encode("latin-1")), b"\x1c\x02\x6e\xff\xff"],
        [b"\x1c" * 200],
    ],
)
def test_hostile_metadata_never_fails_an_upload(admin_client, datasets):
    response = admin_client.post("/admin/images/add/", upload_form(jpeg_with_iptc(*datasets)))

    assert response.status_code == 302
    row = ImageCredit.objects.filter(image=Image.objects.get()).first()
    if row is not None:
        assert "\x00" not in row.credit and len(row.credit) <= 255


@pytest.mark.django_db
@pytest.mark.parametrize("damage", ["deleted", "garbage"])
def test_a_broken_file_gives_no_credit_and_no_error(damage):
    image = image_from(jpeg_with_byline_and_credit(), name="fine.jpg")
    ImageCredit.objects.all().delete()
    name = image.file.name
    default_storage.delete(name)
    if damage == "garbage":
        default_storage.save(name, io.BytesIO(b"\xff\xd8\xff\xed\xff\xff" + b"\x00" * 100))
    assert fill_from_file(Image.objects.get(pk=image.pk)) is None
    assert not ImageCredit.objects.exists()


@pytest.mark.django_db
def test_existing_images_are_filled_by_the_command_without_overwriting():
    read = image_from(jpeg_with_byline_and_credit("Jane Doe", "Reuters"))
    edited = image_from(jpeg_with_byline_and_credit("Ann Lee", "AFP"))
    ImageCredit.objects.all().delete()  # as images uploaded before credits existed
    ImageCredit.objects.create(image=edited, credit="Ann Lee for The Gazette")

    out = io.StringIO()
    call_command("fill_image_credits", stdout=out)

    assert credit_of(Image.objects.get(pk=read.pk)).credit == "Jane Doe / Reuters"
    assert ImageCredit.objects.get(image=edited).credit == "Ann Lee for The Gazette"
    assert "1 image" in out.getvalue()


# Shown under every picture


def figure_texts(html: str, selector: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup(html, "html.parser")
    found = []
    for figure in soup.select(selector):
        caption = figure.select_one(".figure__caption")
        credit = figure.select_one(".figure__credit")
        found.append(
            (
                caption.get_text(strip=True) if caption else "",
                " ".join(credit.get_text(" ", strip=True).split()) if credit else "",
            )
        )
    return found


def test_the_lead_image_shows_the_images_credit_and_caption(client, health):
    image = credited_image(credit="Jane Doe / Reuters", caption="Boats at dawn")
    article = NewsArticlePageFactory(parent=health, lead_image=image, lead_image_alt_text="Boats")

    html = client.get(article.url).text

    assert figure_texts(html, ".article__lead-image") == [("Boats at dawn", "Photo: Jane Doe / Reuters")]


def test_the_storys_own_caption_and_credit_win(client, health):
    image = credited_image(credit="Jane Doe / Reuters", caption="Boats at dawn")
    article = NewsArticlePageFactory(
        parent=health,
        lead_image=image,
        lead_image_alt_text="Boats",
        lead_image_caption="The fleet sails",
        lead_image_credit="Illustration: Ann Lee",
    )
    html = client.get(article.url).text
    assert figure_texts(html, ".article__lead-image") == [("The fleet sails", "Illustration: Ann Lee")]


def test_body_images_show_their_credits(client, health):
    credited = credited_image(credit="AP")
    bare = wagtail_factories.ImageFactory()
    article = NewsArticlePageFactory(parent=health)
    article.body = [
        ("paragraph", "<p>Text</p>"),
        ("image", {"image": credited, "alt_text": "One", "caption": "First"}),
        ("image", {"image": bare, "alt_text": "Two", "caption": "Second", "credit": "© Jane Doe"}),
        ("image", {"image": bare, "alt_text": "Three"}),
    ]
    article.save_revision().publish()

    html = client.get(article.url).text

    assert figure_texts(html, ".block-image") == [("First", "Photo: AP"), ("Second", "© Jane Doe"), ("", "")]
    # A picture with neither caption nor credit has no empty <figcaption>.
    assert BeautifulSoup(html, "html.parser").select(".block-image")[2].figcaption is None


def test_live_blog_entries_show_their_pictures_credits(client, health):
    blog = LiveBlogPageFactory(parent=health)
    LiveBlogEntry.objects.create(page=blog, body="<p>Update</p>", image=credited_image(credit="Reuters"))
    html = client.get(blog.url).text
    assert figure_texts(html, ".live-blog__image") == [("", "Photo: Reuters")]


@pytest.mark.parametrize(
    ("credit", "line"),
    [
        ("Jane Doe", "Photo: Jane Doe"),
        ("Photo: Jane Doe", "Photo: Jane Doe"),
        ("Illustration: Ann Lee", "Illustration: Ann Lee"),
        ("© Reuters", "© Reuters"),
        ("Courtesy of NASA", "Courtesy of NASA"),
        ("Photographer unknown", "Photo: Photographer unknown"),
    ],
)
def test_the_credit_line_says_photo_unless_the_credit_says_what_it_is(credit, line):
    assert credit_line(credit) == line


def test_a_broken_picture_file_still_shows_its_credit_and_the_page(client, health):
    image = credited_image(credit="AP")
    article = NewsArticlePageFactory(parent=health, lead_image=image, lead_image_alt_text="Gone")
    default_storage.delete(image.file.name)
    response = client.get(article.url)
    assert response.status_code == 200
    assert figure_texts(response.text, ".article__lead-image") == [("", "Photo: AP")]


# Structured data


def test_json_ld_carries_the_credit_copyright_and_licence(client, health):
    image = credited_image(
        credit="Jane Doe / Reuters",
        copyright_notice="© 2025 Reuters",
        licence_url="https://creativecommons.org/licenses/by/4.0/",
        source_url="https://pictures.example/buy/123",
    )
    article = NewsArticlePageFactory(parent=health, lead_image=image, lead_image_alt_text="Boats")

    data = json_ld_of(client.get(article.url).text, "NewsArticle")

    assert len(data["image"]) == 3
    for picture in data["image"]:
        assert picture["@type"] == "ImageObject"
        assert picture["contentUrl"] == picture["url"] and picture["url"].startswith("http://testserver/")
        assert picture["width"] == 1200 or picture["width"] <= image.width
        rights = ("creditText", "copyrightNotice", "license", "acquireLicensePage")
        assert {key: picture[key] for key in rights} == {
            "creditText": "Jane Doe / Reuters",
            "copyrightNotice": "© 2025 Reuters",
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "acquireLicensePage": "https://pictures.example/buy/123",
        }


def test_json_ld_takes_the_storys_own_credit_and_leaves_out_what_is_unknown(client, health):
    image = credited_image(credit="Reuters")
    article = NewsArticlePageFactory(
        parent=health, lead_image=image, lead_image_alt_text="Boats", lead_image_credit="Jane Doe / Reuters"
    )
    data = json_ld_of(client.get(article.url).text, "NewsArticle")
    assert set(data["image"][0]) == {"@type", "url", "contentUrl", "width", "height", "creditText"}
    assert data["image"][0]["creditText"] == "Jane Doe / Reuters"


def test_json_ld_of_a_picture_with_no_rights_known_stays_a_list_of_addresses(client, health):
    article = NewsArticlePageFactory(
        parent=health, lead_image=wagtail_factories.ImageFactory(), lead_image_alt_text="Boats"
    )
    data = json_ld_of(client.get(article.url).text, "NewsArticle")
    assert all(isinstance(url, str) and url.startswith("http://testserver/") for url in data["image"])


# Queries


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_credits_cost_no_query_per_picture(client, health, no_rendition_cache):
    def illustrated(title: str, credited: bool):
        make = (
            (lambda n: credited_image(credit=f"Photographer {n}"))
            if credited
            else (lambda n: wagtail_factories.ImageFactory())
        )
        lead = make("lead")
        article = full_article(health, title, lead)
        article.body = [("paragraph", "<p>Text</p>")] + [
            ("image", {"image": make(n), "alt_text": f"Picture {n}"}) for n in range(4)
        ]
        article.save_revision().publish()
        return article

    with_credits = illustrated("With credits", credited=True)
    without = illustrated("Without credits", credited=False)
    for article in (with_credits, without):
        client.get(article.url)  # renditions (theirs and the related cards') are made on the first view

    assert queries_for(client, with_credits.url) == queries_for(client, without.url) <= ARTICLE_QUERY_BUDGET
    html = client.get(with_credits.url).text
    assert [credit for _, credit in figure_texts(html, ".block-image")] == [
        f"Photo: Photographer {n}" for n in range(4)
    ]
    assert figure_texts(html, ".article__lead-image") == [("", "Photo: Photographer lead")]


def test_a_live_blogs_pictures_credits_cost_no_query_each(client, health):
    blog = LiveBlogPageFactory(parent=health)

    def post(n: int) -> None:
        LiveBlogEntry.objects.create(
            page=blog, body=f"<p>Update {n}</p>", image=credited_image(credit=f"P{n}")
        )

    for n in range(3):
        post(n)
    client.get(blog.url)
    few = queries_for(client, blog.url)
    for n in range(3, 9):
        post(n)
    client.get(blog.url)
    assert queries_for(client, blog.url) == few


# House rule: a picture without a credit warns before publishing


@pytest.fixture
def uncredited(db):
    return wagtail_factories.ImageFactory()


def publish(admin_client, health, action="action-publish", **fields):
    fields.setdefault("lead_image_alt_text", "Alt")
    return admin_client.post(ADD_ARTICLE.format(health.pk), story_form(action, **fields))


def test_publishing_a_lead_image_without_credit_warns(admin_client, health, uncredited):
    response = publish(admin_client, health, lead_image=uncredited.pk)

    assert response.status_code == 200
    assert "No credit for the lead image." in response.text
    assert 'name="publish_without_credit"' in response.text
    assert not NewsArticlePage.objects.filter(slug="written-in-the-admin").exists()


def test_the_editor_may_publish_anyway(admin_client, health, uncredited):
    response = publish(admin_client, health, lead_image=uncredited.pk, publish_without_credit="on")
    assert response.status_code == 302
    assert NewsArticlePage.objects.get(slug="written-in-the-admin").live


@pytest.mark.parametrize(
    "credited",
    [
        lambda image: {"lead_image_credit": "Jane Doe"},
        lambda image: ImageCredit.objects.create(image=image, credit="Reuters") and {},
    ],
    ids=["story's own credit", "image's credit"],
)
def test_a_credited_picture_publishes_without_a_warning(admin_client, health, uncredited, credited):
    response = publish(admin_client, health, lead_image=uncredited.pk, **credited(uncredited))
    assert response.status_code == 302
    assert NewsArticlePage.objects.get(slug="written-in-the-admin").live


def test_body_images_without_credit_are_named(admin_client, health, uncredited):
    credited = credited_image(credit="AP")
    body = streamfield(
        [
            ("paragraph", rich_text("<p>Text.</p>")),
            ("image", {"image": credited.pk, "alt_text": "A", "caption": "", "credit": ""}),
            ("image", {"image": uncredited.pk, "alt_text": "B", "caption": "", "credit": ""}),
            ("image", {"image": uncredited.pk, "alt_text": "C", "caption": "", "credit": "Ann Lee"}),
            ("image", {"image": uncredited.pk, "alt_text": "D", "caption": "", "credit": ""}),
        ]
    )
    response = publish(admin_client, health, lead_image=uncredited.pk, body=body)
    assert "No credit for the lead image, image 2 in the body and image 4 in the body." in response.text


def test_drafts_and_reviews_are_not_warned(admin_client, health, uncredited):
    response = publish(admin_client, health, action=None, lead_image=uncredited.pk)
    assert response.status_code == 302
    draft = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert not draft.live
    # The checkbox is not shown to an editor who was not warned.
    edit = admin_client.get(f"/admin/pages/{draft.pk}/edit/")
    assert 'name="publish_without_credit"' not in edit.text


def test_a_story_without_pictures_publishes_without_a_warning(admin_client, health):
    response = admin_client.post(ADD_ARTICLE.format(health.pk), story_form("action-publish"))
    assert response.status_code == 302


# The focal point: every crop uses it, and one without crops from the centre


def two_colour_image(**focal_point):
    """A wide picture, red on the left and blue on the right."""
    picture = PILImage.new("RGB", (1600, 400), "red")
    picture.paste((0, 0, 255), (800, 0, 1600, 400))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return wagtail_factories.ImageFactory(file=ImageFile(buffer, name="halves.png"), **focal_point)


CROPS = sorted(
    {
        spec
        for entry in RENDITIONS.values()
        for spec in (entry.specs if isinstance(entry, RenditionFamily) else (entry,))
        if spec.startswith("fill-")
    }
)


def blue_share(image, spec: str) -> float:
    """The share of the crop's middle row that is blue (the original's right half)."""
    rendition = image.get_rendition(spec)
    with default_storage.open(rendition.file.name) as file, PILImage.open(file) as crop:
        crop = crop.convert("RGB")
        row = [crop.getpixel((x, crop.height // 2)) for x in range(crop.width)]
    return sum(1 for red, _, blue in row if blue > red) / len(row)


@pytest.mark.django_db
@pytest.mark.parametrize("spec", CROPS)
def test_every_crop_follows_the_focal_point(spec):
    on_the_right = two_colour_image(
        focal_point_x=1500, focal_point_y=200, focal_point_width=100, focal_point_height=100
    )
    assert blue_share(on_the_right, spec) > 0.9


@pytest.mark.django_db
@pytest.mark.parametrize("spec", CROPS)
def test_without_a_focal_point_every_crop_is_from_the_centre(spec):
    assert blue_share(two_colour_image(), spec) == pytest.approx(0.5, abs=0.02)


def test_moving_the_focal_point_makes_the_new_crops_in_the_background(
    admin_client, settings, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_PREPARE_RENDITIONS = True
    image = two_colour_image()
    form = {"title": image.title, "collection": root_collection().pk, "tags": ""}
    enqueuing = mock.patch("core.renditions.enqueue_or_run")
    with enqueuing as enqueue, django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"/admin/images/{image.pk}/", {**form, "caption": "Same focal point"})
    assert enqueue.call_count == 0

    moved = {"focal_point_x": 1500, "focal_point_y": 200, "focal_point_width": 100, "focal_point_height": 100}
    with enqueuing as enqueue, django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/images/{image.pk}/", {**form, **moved})
    assert response.status_code == 302
    assert [call.args for call in enqueue.call_args_list] == [(make_story_pictures, [image.pk])]


def test_the_credit_line_is_styled_small_under_the_caption():
    css = (settings.BASE_DIR / "core" / "static" / "css" / "newsroom.css").read_text()
    assert re.search(r"\.figure__credit \{[^}]*display: block", css)


def test_a_changed_credit_shows_in_a_body_kept_in_the_fragment_cache(client, health, admin_client):
    image = credited_image(credit="Jane Doe")
    article = NewsArticlePageFactory(parent=health)
    article.body = [("paragraph", "<p>Text</p>"), ("image", {"image": image, "alt_text": "Boats"})]
    article.save_revision().publish()
    assert figure_texts(client.get(article.url).text, ".block-image") == [("", "Photo: Jane Doe")]
    # Written behind the site's back: the kept body does not change.
    ImageCredit.objects.filter(image=image).update(credit="Somebody else")
    assert figure_texts(client.get(article.url).text, ".block-image") == [("", "Photo: Jane Doe")]

    form = {"title": image.title, "collection": root_collection().pk, "tags": "", "credit": "Ann Lee / AFP"}
    assert admin_client.post(f"/admin/images/{image.pk}/", form).status_code == 302

    assert figure_texts(client.get(article.url).text, ".block-image") == [("", "Photo: Ann Lee / AFP")]


def test_approving_a_review_from_the_editor_warns_too(admin_client, health, uncredited):
    assert publish(admin_client, health, action="action-submit", lead_image=uncredited.pk).status_code == 302
    story = NewsArticlePage.objects.get(slug="written-in-the-admin")
    assert story.current_workflow_state is not None and not story.live

    def approve(**fields):
        data = story_form(None, lead_image=uncredited.pk, lead_image_alt_text="Alt", **fields)
        data.update({"action-workflow-action": "true", "workflow-action-name": "approve"})
        return admin_client.post(f"/admin/pages/{story.pk}/edit/", data)

    response = approve()
    assert response.status_code == 200 and "No credit for the lead image." in response.text
    story.refresh_from_db()
    assert not story.live

    assert approve(publish_without_credit="on").status_code == 302
    story.refresh_from_db()
    assert story.live


@pytest.mark.django_db
def test_a_replaced_file_fills_the_fields_left_empty(admin_client):
    image = credited_image(caption="Kept caption")
    form = {"title": image.title, "collection": root_collection().pk, "tags": "", "caption": "Kept caption"}
    new_file = SimpleUploadedFile("new.jpg", jpeg_with_byline_and_credit("Ann Lee", "AFP", caption="File's"))

    response = admin_client.post(f"/admin/images/{image.pk}/", {**form, "file": new_file})

    assert response.status_code == 302
    row = ImageCredit.objects.get(image=image)
    assert (row.caption, row.credit) == ("Kept caption", "Ann Lee / AFP")
