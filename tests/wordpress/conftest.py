from io import StringIO
from pathlib import Path

import pytest

from django.core.management import call_command

# Beside the checkout (../shared/wxr/), found from any checkout of the project however deep.
SHARED_WXR = next(
    (
        folder / "shared" / "wxr"
        for folder in Path(__file__).resolve().parents[2:]
        if (folder / "shared" / "wxr").is_dir()
    ),
    Path(__file__).resolve().parents[3] / "shared" / "wxr",
)


def shared_export(name: str) -> Path:
    """A real WordPress export from ../shared/wxr/, or a skip when it is not there."""
    path = SHARED_WXR / name
    if not path.is_file():
        pytest.skip(f"{path} is not available (WordPress importer test data, kept outside the project)")
    return path


@pytest.fixture
def run_import(db, home_page):
    """Run the command; returns its printed output."""

    def run(path, *args: str) -> str:
        out = StringIO()
        call_command("import_wordpress", str(path), *args, stdout=out)
        return out.getvalue()

    return run
