from pathlib import Path

import pytest
import wagtail_factories

from django.conf import settings

from news.seed_import import import_article, parse_seed

SEED_FILE = Path(settings.BASE_DIR) / "seeds" / "respiratory-viruses-may-awaken-dormant-breast-cancer.txt"


@pytest.fixture
def seed_article(site):
    """The respiratory-virus story imported from its seed file, as an editor would."""
    page, _ = import_article(parse_seed(SEED_FILE.read_text(encoding="utf-8")))
    return page


@pytest.fixture
def image(db):
    return wagtail_factories.ImageFactory(title="A photo")
