"""Body pictures span the article's text column, as their renditions' sizes promise."""

import re
from pathlib import Path

import wagtail_factories
from bs4 import BeautifulSoup

from django.conf import settings

from tests.factories import NewsArticlePageFactory

SITE_STYLESHEET = Path(settings.BASE_DIR) / "core" / "static" / "css" / "newsroom.css"


def css_rules() -> dict[str, str]:
    """Each selector of the site stylesheet's top-level rules, with its declarations."""
    text = re.sub(r"/\*.*?\*/", "", SITE_STYLESHEET.read_text(), flags=re.S)
    rules: dict[str, str] = {}
    for selectors, body in re.findall(r"^([^{}@\n]+?)\s*\{([^}]*)\}", text, re.M):
        for selector in selectors.split(","):
            rules[selector.strip()] = rules.get(selector.strip(), "") + body
    return rules


def inline_margins(declarations: str) -> list[str]:
    """The left and right margins a `margin` shorthand sets, or [] without one."""
    match = re.search(r"(?:^|;)\s*margin\s*:\s*([^;]+)", declarations)
    if not match:
        return []
    values = match.group(1).split()
    # One value: all sides; two or three: the second is left and right; four: top right bottom left.
    return [values[3], values[1]] if len(values) == 4 else [values[min(1, len(values) - 1)]] * 2


def test_body_picture_figures_have_no_side_margins(client, health):
    image = wagtail_factories.ImageFactory()
    story = NewsArticlePageFactory(
        parent=health, body=[("image", {"image": image, "alt_text": "A picture in the body"})]
    )
    figure = BeautifulSoup(client.get(story.url).text, "html.parser").select_one(".article__body figure")
    rules = css_rules()

    assert inline_margins(rules["figure"]) == ["0", "0"]
    for css_class in figure["class"]:
        assert set(inline_margins(rules.get(f".{css_class}", ""))) <= {"0"}


def test_every_body_block_figure_keeps_to_the_column():
    """Tables, embeds and quotes are figures too: the browser's 40px indent is gone for all."""
    rules = css_rules()
    assert inline_margins(rules["figure"]) == ["0", "0"]
    for css_class in ("block-image", "block-table", "block-embed", "block-quote"):
        assert set(inline_margins(rules.get(f".{css_class}", ""))) <= {"0"}, css_class
