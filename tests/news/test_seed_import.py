"""`import_seeds`: the demo article and the plain-text article format."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from django.conf import settings
from django.core.management import CommandError, call_command

from wagtail.images import get_image_model

from news.models import CategoryIndexPage, NewsArticlePage
from news.seed_import import SeedFormatError, parse_seed

SOURCE = Path(settings.BASE_DIR) / "seeds" / "respiratory-viruses-may-awaken-dormant-breast-cancer.txt"
ARTICLE_URL = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"
CHROME = ("You may also like", "Leave a Comment", "This site uses Akismet")


def source_paragraphs() -> list[str]:
    return [p.strip() for p in SOURCE.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def expected_body_paragraphs() -> list[str]:
    """The source's body paragraphs: after headline, subheadline and standfirst, before the
    reference line and the page chrome, headings excluded."""
    lines = source_paragraphs()[4:]
    headings = {
        "Study Uncovers Viral Trigger for Metastasis",
        "Human Data Supports Viral Link to Cancer Relapse",
    }
    # `*Nature*` is the format's italics: readers see the word, not the stars.
    return [
        line.replace("*Nature*", "Nature")
        for line in lines
        if line not in headings
        and not line.startswith("The study’s reference is:")
        and not line.startswith(CHROME)
    ]


@pytest.fixture
def imported(db, home_page):
    call_command("import_seeds", str(SOURCE), stdout=None)
    return NewsArticlePage.objects.get(slug="respiratory-viruses-may-awaken-dormant-breast-cancer")


def test_source_article_is_filed_under_health(imported, home_page):
    health = imported.get_parent().specific
    assert isinstance(health, CategoryIndexPage)
    assert health.title == "Health"
    assert health.get_parent().pk == home_page.pk
    assert imported.live and health.live
    assert imported.url == ARTICLE_URL


def test_source_article_keeps_headline_subheadline_and_standfirst(imported):
    assert imported.title == "Respiratory Viruses May Awaken Dormant Breast Cancer"
    assert imported.subheadline == "Viruses Reawaken Dormant Breast Cancer Cells"
    assert imported.standfirst == (
        "New research reveals common infections can trigger metastasis in mice "
        "and suggests similar risks for humans."
    )


def test_source_article_body_keeps_every_paragraph_text_in_order(imported):
    paragraphs = [
        BeautifulSoup(block.value.source, "html.parser").get_text()
        for block in imported.body
        if block.block_type == "paragraph"
    ]
    assert paragraphs == expected_body_paragraphs()
    assert len(paragraphs) == 10


def test_source_article_has_two_section_headings(imported):
    headings = [block.value["text"] for block in imported.body if block.block_type == "heading"]
    assert headings == [
        "Study Uncovers Viral Trigger for Metastasis",
        "Human Data Supports Viral Link to Cancer Relapse",
    ]


def test_reference_line_becomes_a_citation_with_its_doi(imported):
    citations = [block.value for block in imported.body if block.block_type == "citation"]
    assert len(citations) == 1
    citation = citations[0]
    assert citation["doi"] == "10.1038/s41586-025-09332-0"
    assert citation["authors"] == "Chia SB, Johnson BJ, Hu J, et al."
    assert citation["title"] == "Respiratory viral infections awaken metastatic breast cancer cells in lungs"
    assert citation["journal"] == "Nature"
    assert citation["year"] == 2025
    assert citation.doi_url == "https://doi.org/10.1038/s41586-025-09332-0"


def test_page_chrome_is_dropped(imported):
    stored = " ".join(str(block.value) for block in imported.body)
    for chrome in CHROME:
        assert chrome not in stored


def test_imported_article_renders_for_readers(imported, client):
    response = client.get(ARTICLE_URL)
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    trail = [li.get_text(strip=True) for li in soup.select("nav[aria-label=Breadcrumb] li")]
    assert trail == ["Home", "Health", "Respiratory Viruses May Awaken Dormant Breast Cancer"]
    body_text = soup.select_one(".article__body").get_text()
    paragraphs = expected_body_paragraphs()
    assert len(paragraphs) == 10
    for paragraph in paragraphs:
        assert paragraph in body_text
    assert [h.get_text() for h in soup.select(".article__body h2")] == [
        "Study Uncovers Viral Trigger for Metastasis",
        "Human Data Supports Viral Link to Cancer Relapse",
    ]
    doi_link = soup.select_one('a[href="https://doi.org/10.1038/s41586-025-09332-0"]')
    assert doi_link is not None
    for chrome in CHROME:
        assert chrome not in body_text


def test_imported_article_is_published_with_a_revision(imported):
    assert imported.revisions.count() == 1
    assert imported.live_revision is not None
    assert imported.first_published_at is not None
    assert imported.display_date == imported.first_published_at


def test_importing_twice_changes_nothing(imported, capsys):
    revisions = imported.revisions.count()
    call_command("import_seeds", str(SOURCE))
    assert NewsArticlePage.objects.count() == 1
    assert CategoryIndexPage.objects.filter(slug="health").count() == 1
    assert imported.revisions.count() == revisions
    assert "0 imported, 1 already present, 0 failed" in capsys.readouterr().out


def test_existing_category_is_reused(db, health):
    call_command("import_seeds", str(SOURCE))
    assert CategoryIndexPage.objects.filter(slug="health").count() == 1
    assert NewsArticlePage.objects.child_of(health).count() == 1


def test_nested_sections_become_nested_categories(db, home_page, tmp_path):
    seed = tmp_path / "nested.txt"
    seed.write_text(
        "Home » Health » Oncology » Trial Results Are In\n\nTrial Results Are In\n\n"
        "The trial met its main goal, researchers said on Monday.\n",
        encoding="utf-8",
    )
    call_command("import_seeds", str(seed))
    article = NewsArticlePage.objects.get(slug="trial-results-are-in")
    assert article.url == "/health/oncology/trial-results-are-in/"
    assert article.get_parent().specific.get_parent().specific.title == "Health"


def test_malformed_file_is_reported_and_the_others_still_import(db, home_page, tmp_path, capsys):
    (tmp_path / "a-broken.txt").write_text("Just a headline with no trail\n\nSome text.\n", encoding="utf-8")
    (tmp_path / "b-no-body.txt").write_text(
        "Home » World » Empty Story\n\nEmpty Story\n\nYou may also like\n\nLeave a Comment\n",
        encoding="utf-8",
    )
    (tmp_path / "c-good.txt").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")

    with pytest.raises(CommandError, match="2 seed file"):
        call_command("import_seeds", str(tmp_path))

    err = capsys.readouterr().err
    assert "a-broken.txt: the first line must be a breadcrumb trail" in err
    assert "b-no-body.txt: the article has no body text" in err
    assert NewsArticlePage.objects.filter(
        slug="respiratory-viruses-may-awaken-dormant-breast-cancer"
    ).exists()
    assert not NewsArticlePage.objects.filter(slug="empty-story").exists()
    assert not CategoryIndexPage.objects.filter(slug="world").exists()


def test_missing_and_non_utf8_files_get_a_clear_error(db, home_page, tmp_path, capsys):
    binary = tmp_path / "latin1.txt"
    binary.write_bytes("Home » Health » Café\n\nCafé\n\nText.".encode("latin-1"))
    with pytest.raises(CommandError):
        call_command("import_seeds", str(binary), str(tmp_path / "absent.txt"))
    err = capsys.readouterr().err
    assert "latin1.txt: not UTF-8 text" in err
    assert "absent.txt: no such file" in err


@pytest.mark.parametrize(
    "chrome_order",
    [
        ["Leave a Comment", "You may also like"],
        ["This site uses Akismet to reduce spam.", "Leave a Comment", "You may also like"],
    ],
)
def test_chrome_is_dropped_in_any_order(chrome_order):
    text = "\n\n".join(["Home » Health » Story", "Story", "A body paragraph, long enough.", *chrome_order])
    article = parse_seed(text)
    assert article.body == [("paragraph", "<p>A body paragraph, long enough.</p>")]


def test_straight_apostrophe_reference_and_short_reference_prefix_are_citations():
    for line in (
        "The study's reference is: Doe J. A title. Science. 2024:5. doi: 10.1126/science.abc123",
        "Reference: Doe J. A title. Science. 2024:5. doi: 10.1126/science.abc123.",
    ):
        article = parse_seed(f"Home » Science » Story\n\nStory\n\nA paragraph of text.\n\n{line}")
        block_type, value = article.body[-1]
        assert block_type == "citation"
        assert value["doi"] == "10.1126/science.abc123"
        assert value["journal"] == "Science"


def test_body_text_is_escaped_not_interpreted_as_html():
    article = parse_seed("Home » Tech » Story\n\nStory\n\nUse <script>alert(1)</script> & friends.")
    assert article.body == [("paragraph", "<p>Use &lt;script&gt;alert(1)&lt;/script&gt; &amp; friends.</p>")]


def test_source_article_shows_the_journal_in_italics_without_stars(imported, client):
    body = BeautifulSoup(client.get(ARTICLE_URL).text, "html.parser").select_one(".article__body")
    assert "published in <i>Nature</i>, was also" in str(body)
    assert "*" not in body.get_text()


@pytest.mark.parametrize(
    ("line", "html"),
    [
        ("Published in *Nature* today.", "<p>Published in <i>Nature</i> today.</p>"),
        ("*Cell* and *The Lancet* agree.", "<p><i>Cell</i> and <i>The Lancet</i> agree.</p>"),
        ("In *<b>Nature</b>* & more.", "<p>In <i>&lt;b&gt;Nature&lt;/b&gt;</i> &amp; more.</p>"),
        ("It is **not** italics.", "<p>It is **not** italics.</p>"),
        ("We found that 5 * 3 equals fifteen.", "<p>We found that 5 * 3 equals fifteen.</p>"),
        ("Between 2*3 and 4*5 there is room.", "<p>Between 2*3 and 4*5 there is room.</p>"),
        ("A star * alone, and * another one.", "<p>A star * alone, and * another one.</p>"),
        ("An open *star never closes.", "<p>An open *star never closes.</p>"),
    ],
)
def test_stars_around_words_become_italics_and_other_stars_stay(line, html):
    article = parse_seed(f"Home » Science » Story\n\nStory\n\n{line}")
    assert article.body == [("paragraph", html)]


def test_empty_file_is_an_error():
    with pytest.raises(SeedFormatError, match="empty"):
        parse_seed("   \n\n  ")


def test_source_article_leads_with_its_credited_demo_photograph(imported, client):
    picture = imported.lead_image
    assert picture is not None and picture.title == "A cell under the microscope"
    assert imported.lead_image_alt_text == picture.description != ""
    assert picture.credit_info.credit == "Paul Müller et al."
    assert picture.credit_info.licence_url == "https://creativecommons.org/publicdomain/zero/1.0/"
    # The story writes no caption or credit of its own: readers see the photograph's.
    soup = BeautifulSoup(client.get(ARTICLE_URL).text, "html.parser")
    caption = soup.select_one(".article figcaption").get_text(" ", strip=True)
    assert "A single cell floating in saline" in caption
    assert "Photo: Paul Müller et al." in caption


def test_importing_twice_makes_no_second_picture(imported):
    images = get_image_model().objects.count()
    call_command("import_seeds", str(SOURCE), stdout=None)
    assert get_image_model().objects.count() == images == 1
