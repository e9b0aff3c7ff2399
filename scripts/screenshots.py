"""Screenshots of the reader's pages for the README: `make screenshots`.

Builds a throwaway demo site the way `make run` does (its SQLite database and
uploads in a temporary folder, never the developer's), serves it on a free
loopback port, and photographs the front page, a section, the seed article and
the running live blog at desktop and phone width with the system's Chromium
through Playwright, as the browser tests do. The top of each page (its first
screen and a little more) is kept, as JPEG, in docs/screenshots/ (OUTPUT=... for elsewhere).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve_demo
from serve_demo import ROOT

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
OUTPUT = Path(os.environ.get("OUTPUT") or ROOT / "docs" / "screenshots")
ARTICLE = "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/"
SECTION = "/news/"
# name: (viewport, device pixel ratio). The phone is shot at twice its width in pixels,
# as phones show it; the desktop at one, so that both stay small files.
WIDTHS = {
    "desktop": ({"width": 1280, "height": 860}, 1),
    "phone": ({"width": 390, "height": 844}, 2),
}
# How much of each page is kept, in CSS pixels from the top: the first screen and a little
# more, enough to reach a live blog's first entries below its picture.
KEPT_HEIGHT = 1500
JPEG_QUALITY = 78
# What `make run` does before serving, less the accounts and the worker that screenshots don't need.
SETUP = [
    ["import_seeds"],
    ["generate_demo_content", "--articles", "120", "--comments", "1500", "--if-fewer-than", "10"],
    ["arrange_demo_front_page"],
    ["generate_demo_views", "--if-none"],
    ["newsletter_demo"],
]


def missing_tools() -> str:
    """Why screenshots cannot be taken here, or "" when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: .venv/bin/pip install -r requirements-dev.txt"
    if not Path(CHROMIUM).exists():
        return f"no Chromium at {CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH"
    return ""


@contextlib.contextmanager
def demo_site() -> Iterator[tuple[str, dict[str, str]]]:
    """(base URL, page addresses by name) of a running demo site; everything is removed afterwards."""
    with serve_demo.demo_site(SETUP, verbose=True) as site:
        # The running live blog's address (one site, so `url` is the path alone).
        find_live_blog = (
            "from news.models import LiveBlogPage; print(LiveBlogPage.objects.get(status='live').url)"
        )
        live_blog = site.manage("shell", "--no-imports", "-c", find_live_blog).strip()
        yield site.base, {"front": "/", "section": SECTION, "article": ARTICLE, "live-blog": live_blog}


def wait_for_pictures(page) -> None:
    """Until every picture in view has loaded (the first view of a page makes its sizes)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "Array.from(document.images).filter(i => i.loading !== 'lazy').every(i => i.complete)"
    )


def shoot(base: str, pages: dict[str, str], output: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    output.mkdir(parents=True, exist_ok=True)
    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        for width, (viewport, scale) in WIDTHS.items():
            context = browser.new_context(
                viewport=viewport,
                device_scale_factor=scale,
                is_mobile=width == "phone",
                has_touch=width == "phone",
                reduced_motion="reduce",
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            for name, path in pages.items():
                # Once to make the pictures' sizes, once to photograph the page as a reader finds it.
                page.goto(base + path)
                wait_for_pictures(page)
                page.goto(base + path)
                wait_for_pictures(page)
                target = output / f"{name}-{width}.jpg"
                height = min(KEPT_HEIGHT, page.evaluate("document.documentElement.scrollHeight"))
                page.screenshot(
                    path=target,
                    type="jpeg",
                    quality=JPEG_QUALITY,
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": viewport["width"], "height": height},
                )
                made.append(target)
            context.close()
        browser.close()
    return made


def main() -> int:
    problem = missing_tools()
    if problem:
        print(f"Screenshots not taken: {problem}.", file=sys.stderr)
        return 1
    started = time.monotonic()
    print("Building a throwaway demo site (a minute or two)...", flush=True)
    with demo_site() as (base, pages):
        made = shoot(base, pages, OUTPUT)
    total = sum(path.stat().st_size for path in made)
    for path in made:
        print(f"  {path}  {path.stat().st_size // 1024} KB")
    print(f"{len(made)} screenshots, {total / 1e6:.1f} MB, in {time.monotonic() - started:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
