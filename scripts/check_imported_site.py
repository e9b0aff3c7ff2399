#!/usr/bin/env python
"""After a WordPress import at scale: do sampled old addresses reach their story in one hop?

    DATABASE_URL=... python scripts/check_imported_site.py EXPORT [--sample 1000] [--seed 1]

Run by `make bench-import` on the database its largest import wrote; never part of
`make test`. It streams the export, draws `--sample` published public posts at
random (reproducibly, from the seed), asks the site for each one's old addresses
(the permalink and /?p=ID) in-process with production settings, and counts how
many answer a permanent redirect straight to a page that answers 200. The last
line printed is the result as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sample_posts(export: Path, size: int, seed: int) -> list:
    """A reservoir sample of the export's published, public posts: memory flat however big it is."""
    from wordpress.wxr import Item, read_wxr

    rng = random.Random(seed)  # noqa: S311 (a reproducible sample, not a secret)
    sample: list = []
    seen = 0
    for record in read_wxr(export):
        if not isinstance(record, Item) or record.post_type != "post":
            continue
        if record.status != "publish" or record.post_password:
            continue
        seen += 1
        if len(sample) < size:
            sample.append(record)
        elif (slot := rng.randrange(seen)) < size:
            sample[slot] = record
    return sample


def follow(client, path: str) -> str:
    """'one hop', or what went wrong with the address."""
    first = client.get(path)
    if first.status_code != 301:
        return f"answered {first.status_code}, not 301"
    target = urlsplit(first["Location"])
    second = client.get(target.path + (f"?{target.query}" if target.query else ""))
    if second.status_code in (301, 302):
        return "more than one hop"
    return "one hop" if second.status_code == 200 else f"target answered {second.status_code}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings.production")
    import django

    django.setup()
    from django.test import Client

    from wordpress.importer import old_paths

    client = Client(HTTP_HOST="127.0.0.1")
    outcomes: Counter[str] = Counter()
    failures = []
    posts = sample_posts(args.export, args.sample, args.seed)
    for post in posts:
        for path in old_paths(post, "p"):
            outcome = follow(client, path)
            outcomes[outcome] += 1
            if outcome != "one hop" and len(failures) < 10:
                failures.append(f"{path}: {outcome}")
    print(
        json.dumps(
            {
                "posts": len(posts),
                "addresses": sum(outcomes.values()),
                "outcomes": outcomes,
                "failures": failures,
            }
        )
    )


if __name__ == "__main__":
    main()
