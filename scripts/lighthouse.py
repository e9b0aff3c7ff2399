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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from serve_demo import ROOT, demo_site

PAGES = {
    "home": "/",
    "section": "/health/",
    "article": "/health/respiratory-viruses-may-awaken-dormant-breast-cancer/",
    "search": "/search/?q=cancer",
}
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
    with demo_site() as base, tempfile.TemporaryDirectory() as tmp:
        for name, path in PAGES.items():
            for preset, flags in PRESETS.items():
                report = Path(tmp) / f"{name}-{preset}.json"
                subprocess.run(
                    [
                        str(binary),
                        base + path,
                        *flags,
                        "--quiet",
                        "--output=json",
                        f"--output-path={report}",
                        f"--only-categories={','.join(CATEGORIES)}",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                    ],
                    env=env,
                    check=True,
                    timeout=300,
                )
                data = json.loads(report.read_text())
                scores = [round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES]
                rows.append((name, preset, *scores))
    print(f"{'page':10} {'preset':8} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES))
    for name, preset, *scores in rows:
        print(f"{name:10} {preset:8} " + " ".join(f"{s:>13}" for s in scores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
