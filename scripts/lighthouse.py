"""Lighthouse on the home, section, article and search pages, phone and desktop presets.

Installs the `lighthouse` npm package into .venv/lighthouse on first use and
drives the system's Chromium (CHROME_PATH, default /usr/bin/chromium). Without
npm or Chromium it says why and exits 0: the HTML and feed checks still ran.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_demo import ROOT, demo_site

PAGES = {
    "home": "/",
    "section": "/health/",
    "article": "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/",
    "live blog": None,  # the demo's open live blog, found once the site is built
    "search": "/search/?q=cancer",
}
# The timings behind the performance score, in ms (CLS unitless).
METRICS = {
    "FCP": "first-contentful-paint",
    "LCP": "largest-contentful-paint",
    "TBT": "total-blocking-time",
    "CLS": "cumulative-layout-shift",
}
# Demo stories beside the seed article: pictures on the front page and a running live blog.
DEMO_SETUP = [["import_seeds"], ["generate_demo_content", "--articles", "24", "--comments", "120"]]
PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PREFIX = ROOT / ".venv" / "lighthouse"


def lighthouse_binary() -> Path | None:
    binary = PREFIX / "node_modules" / ".bin" / "lighthouse"
    if binary.exists():
        return binary
    if shutil.which("npm") is None:
        return None
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "lighthouse@12"],
        check=True,
        capture_output=True,
    )
    return binary if binary.exists() else None


def main() -> int:
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not Path(chrome).exists():
        print(f"Lighthouse skipped: no Chromium at {chrome} (apt-get install chromium, or set CHROME_PATH).")
        return 0
    binary = lighthouse_binary()
    if binary is None:
        print("Lighthouse skipped: npm is missing (apt-get install npm).")
        return 0
    env = {**os.environ, "CHROME_PATH": chrome}
    rows = []
    with demo_site(DEMO_SETUP) as site, tempfile.TemporaryDirectory() as tmp:
        base = site.base
        pages = {name: path or open_live_blog_path(base) for name, path in PAGES.items()}
        for name, path in pages.items():
            # A reader is never the first to view a published page: its pictures' renditions exist.
            urllib.request.urlopen(base + path, timeout=60).read()
            for preset, flags in PRESETS.items():
                report = Path(tmp) / f"{name}-{preset}.json"
                command = [
                    str(binary),
                    base + path,
                    *flags,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--only-categories={','.join(CATEGORIES)}",
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                ]
                # Lighthouse sometimes loses its trace of the load on a busy machine
                # (NO_NAVSTART): that run measured nothing, so it is run again, once.
                for attempt in range(2):
                    done = subprocess.run(command, env=env, timeout=300)
                    if done.returncode == 0:
                        break
                    print(f"Lighthouse failed on {name} ({preset}), attempt {attempt + 1}", flush=True)
                else:
                    raise SystemExit(f"Lighthouse failed twice on {name} ({preset})")
                data = json.loads(report.read_text())
                scores = [round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES]
                timings = [data["audits"][audit]["numericValue"] for audit in METRICS.values()]
                rows.append((name, preset, scores, timings))
    print(
        f"{'page':10} {'preset':8} "
        + " ".join(f"{c[:13]:>13}" for c in CATEGORIES)
        + " ".join(f"{m:>7}" for m in METRICS)
    )
    for name, preset, scores, timings in rows:
        print(
            f"{name:10} {preset:8} "
            + " ".join(f"{s:>13}" for s in scores)
            + " ".join(
                f"{t:>7.0f}" if m != "CLS" else f"{t:>7.3f}" for m, t in zip(METRICS, timings, strict=True)
            )
        )
    return 0


def open_live_blog_path(base: str) -> str:
    """The address of the demo's running live blog, asked of the pages API."""
    query = "/api/v2/pages/?type=news.LiveBlogPage&status=live&fields=status"
    items = json.loads(urllib.request.urlopen(base + query, timeout=60).read())["items"]
    if not items:
        raise SystemExit("No running live blog on the demo site.")
    return urlsplit(items[0]["meta"]["html_url"]).path


if __name__ == "__main__":
    sys.exit(main())
