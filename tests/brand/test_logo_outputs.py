"""The logo wherever the site names itself: the header, the RSS <image>, the Atom <logo> and the
JSON-LD publisher."""

import json
import re

import pytest
import wagtail_factories
from bs4 import BeautifulSoup

from django.core.files.base import ContentFile

from tests.brand.conftest import PLAIN_SVG
from tests.news.helpers import parse_xml

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def raster():
    return wagtail_factories.ImageFactory(title="Logo", file__width=600, file__height=150)


@pytest.fixture
def svg_file():
    return ContentFile(PLAIN_SVG.encode(), name="logo.svg")


def publisher(client, url: str) -> dict:
    soup = BeautifulSoup(client.get(url).text, "html.parser")
    for script in soup.select('script[type="application/ld+json"]'):
        data = json.loads(script.string)
        if isinstance(data, dict) and "publisher" in data:
            return data["publisher"]
    raise AssertionError("no publisher in the page's JSON-LD")


def test_the_header_shows_the_raster_logo_named_after_the_site(client, home_page, identity, raster):
    identity(site_name="Daily Lens", logo=raster)
    soup = BeautifulSoup(client.get("/").text, "html.parser")
    img = soup.select_one(".site-header a.site-title img.site-title__logo")
    assert img["alt"] == "Daily Lens" and img["height"] == "40"
    assert soup.select_one(".site-header a.site-title").get_text(strip=True) == ""


def test_the_svg_logo_wins_in_the_header(client, home_page, identity, raster, svg_file):
    identity(site_name="Daily Lens", logo=raster, logo_svg=svg_file)
    img = BeautifulSoup(client.get("/").text, "html.parser").select_one(".site-title img")
    assert img["src"].endswith(".svg") and img["alt"] == "Daily Lens"


def test_without_a_logo_the_header_names_the_site(client, home_page, identity):
    identity(site_name="Daily Lens")
    title = BeautifulSoup(client.get("/").text, "html.parser").select_one(".site-title")
    assert title.get_text(strip=True) == "Daily Lens" and title.img is None


@pytest.mark.parametrize("url", ["/feed/", "SECTION/feed/"])
def test_rss_carries_the_logo_as_its_channel_image(client, health, article, identity, raster, url):
    identity(site_name="Daily Lens", logo=raster)
    channel = parse_xml(client.get(url.replace("SECTION/", health.url)).content).find("channel")
    image = channel.find("image")
    assert image is not None
    assert re.fullmatch(r"http://testserver/media/images/.+\.(png|jpe?g|gif)", image.findtext("url"))
    assert image.findtext("title") == channel.findtext("title")
    assert image.findtext("link") == channel.findtext("link")
    width, height = int(image.findtext("width")), int(image.findtext("height"))
    assert (width, height) == (144, 36)  # at most 144 pixels wide (RSS 2.0)


@pytest.mark.parametrize("url", ["/feed/atom/", "SECTION/feed/atom/"])
def test_atom_carries_the_logo(client, health, article, identity, raster, url):
    identity(logo=raster)
    feed = parse_xml(client.get(url.replace("SECTION/", health.url)).content)
    assert re.fullmatch(r"http://testserver/media/images/.+", feed.findtext(f"{ATOM}logo"))


def test_with_only_an_svg_logo_atom_has_it_and_rss_has_no_image(client, health, article, identity, svg_file):
    identity(logo_svg=svg_file)
    rss = parse_xml(client.get("/feed/").content)
    assert rss.find("channel/image") is None
    atom = parse_xml(client.get("/feed/atom/").content)
    assert re.fullmatch(r"http://testserver/media/brand/logo.*\.svg", atom.findtext(f"{ATOM}logo"))


def test_without_a_logo_feeds_have_none(client, health, article):
    assert parse_xml(client.get("/feed/").content).find("channel/image") is None
    assert parse_xml(client.get("/feed/atom/").content).find(f"{ATOM}logo") is None


def test_json_ld_publisher_logo_is_the_publishers_then_the_sites_then_the_svg(
    client, article, identity, raster, svg_file
):
    publisher_logo = wagtail_factories.ImageFactory(title="Publisher", file__width=400, file__height=200)

    identity(logo_svg=svg_file)
    logo = publisher(client, article.url)["logo"]
    assert logo["@type"] == "ImageObject"
    assert re.fullmatch(r"http://[^/]+/media/brand/logo.*\.svg", logo["url"])
    assert (logo["width"], logo["height"]) == (160, 40)

    identity(logo=raster)
    logo = publisher(client, article.url)["logo"]
    assert "/media/images/" in logo["url"] and (logo["width"], logo["height"]) == (240, 60)

    identity(publisher_logo=publisher_logo)
    logo = publisher(client, article.url)["logo"]
    assert "/media/images/" in logo["url"] and (logo["width"], logo["height"]) == (120, 60)


def test_json_ld_publisher_has_no_logo_without_one(client, article):
    assert "logo" not in publisher(client, article.url)
