"""The reader comment form reads like the site's other forms."""

import re
from pathlib import Path

from bs4 import BeautifulSoup

from django.conf import settings

SITE_STYLESHEET = Path(settings.BASE_DIR) / "core" / "static" / "css" / "newsroom.css"


def test_comment_form_labels_have_no_trailing_colon(client, article):
    soup = BeautifulSoup(client.get(article.url).text, "html.parser")
    labels = {label.get_text(strip=True) for label in soup.select(".comment-form label")}
    assert {"Name", "Email", "Website (optional)", "Comment", "Email me when someone replies"} <= labels
    assert not [label for label in labels if label.endswith(":")]


def test_comment_form_is_set_in_the_sites_interface_type():
    rules = dict(re.findall(r"^([^{}\n]+?)\s*\{([^}]*)\}", SITE_STYLESHEET.read_text(), re.M))
    assert "font-family: var(--sans)" in rules[".comment-form"]
