"""What an import did: counts by kind and status, and every item it left out or changed, with why."""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ReportMark:
    """What a batch can change in a report, taken before it: the counters (a few kinds and
    statuses, block names) copied, the lists by their lengths; cheap however long the run."""

    counts: dict[str, Counter]
    unmapped: Counter
    skipped: int
    notes: int
    missing_media: int
    refused_media: int
    failed: int


@dataclass
class Report:
    source: str = ""
    dry_run: bool = False
    # kind → status → count, e.g. counts["post"]["published"]
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    skipped: list[dict[str, str]] = field(default_factory=list)
    notes: list[dict[str, str]] = field(default_factory=list)
    missing_media: list[dict[str, str]] = field(default_factory=list)
    # Files that are there but that the admin's image upload would refuse, with its reason.
    refused_media: list[dict[str, str]] = field(default_factory=list)
    _missing_files: set[str] = field(default_factory=set, repr=False)
    unmapped: Counter = field(default_factory=Counter)
    failed: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    # Seconds spent in each phase of the run (reading, sections, items, indexes...), in order.
    phases: dict[str, float] = field(default_factory=dict)

    def count(self, kind: str, status: str, n: int = 1) -> None:
        self.counts[kind][status] += n

    def skip(self, kind: str, item: str, reason: str) -> None:
        self.count(kind, "skipped")
        self.skipped.append({"kind": kind, "item": item, "reason": reason})

    def note(self, item: str, message: str) -> None:
        self.notes.append({"item": item, "note": message})

    def fail(self, item: str, reason: str) -> None:
        self.failed.append({"item": item, "reason": reason})

    def missing(self, item: str, file: str) -> None:
        """Once per file, under the first item that names it: an archive can name the same
        lost upload in thousands of posts."""
        if file not in self._missing_files:
            self._missing_files.add(file)
            self.missing_media.append({"item": item, "file": file})

    def refuse(self, item: str, file: str, reason: str) -> None:
        self.refused_media.append({"item": item, "file": file, "reason": reason})

    def mark(self) -> ReportMark:
        return ReportMark(
            counts={kind: Counter(statuses) for kind, statuses in self.counts.items()},
            unmapped=Counter(self.unmapped),
            skipped=len(self.skipped),
            notes=len(self.notes),
            missing_media=len(self.missing_media),
            refused_media=len(self.refused_media),
            failed=len(self.failed),
        )

    def rewind(self, mark: ReportMark) -> None:
        """Forget what was reported since `mark` (a batch rolled back, to be imported again)."""
        self.counts = defaultdict(
            Counter, {kind: Counter(statuses) for kind, statuses in mark.counts.items()}
        )
        self.unmapped = Counter(mark.unmapped)
        del self.skipped[mark.skipped :]
        del self.notes[mark.notes :]
        # A file first named in the rolled-back batch is reported again when it is named again.
        for row in self.missing_media[mark.missing_media :]:
            self._missing_files.discard(row["file"])
        del self.missing_media[mark.missing_media :]
        del self.refused_media[mark.refused_media :]
        del self.failed[mark.failed :]

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.monotonic()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.monotonic() - started

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "dry_run": self.dry_run,
            "seconds": round(self.seconds, 2),
            "phases": {name: round(seconds, 2) for name, seconds in self.phases.items()},
            "counts": {
                kind: dict(sorted(statuses.items())) for kind, statuses in sorted(self.counts.items())
            },
            "skipped": self.skipped,
            "notes": self.notes,
            "missing_media": self.missing_media,
            "refused_media": self.refused_media,
            "unmapped_blocks": dict(self.unmapped.most_common()),
            "failed": self.failed,
        }

    def write_json(self, path: str | Path) -> None:
        Path(path).write_text(
            json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )

    def summary_lines(self, detail_limit: int = 50) -> list[str]:
        """Human-readable summary; long lists are cut at `detail_limit` (the JSON report has them all)."""
        dry_run = " (dry run: nothing written)" if self.dry_run else ""
        lines = [f"WordPress import of {self.source or 'the export'}{dry_run}"]
        for kind, statuses in sorted(self.counts.items()):
            parts = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            lines.append(f"  {kind + ':':<12} {parts}")
        for title, rows, render in (
            ("Failed (nothing of these was imported)", self.failed, lambda r: f"{r['item']}: {r['reason']}"),
            ("Skipped", self.skipped, lambda r: f"{r['item']}: {r['reason']}"),
            ("Notes", self.notes, lambda r: f"{r['item']}: {r['note']}"),
            ("Missing media", self.missing_media, lambda r: f"{r['file']} (in {r['item']})"),
            (
                "Refused media",
                self.refused_media,
                lambda r: f"{r['file']} (in {r['item']}): {r['reason']}",
            ),
        ):
            if rows:
                lines.append(f"{title} ({len(rows)}):")
                lines.extend(f"  - {render(row)}" for row in rows[:detail_limit])
                if len(rows) > detail_limit:
                    lines.append(f"  … and {len(rows) - detail_limit} more (see the JSON report)")
        if self.unmapped:
            lines.append("Content kept as plain paragraphs or dropped, by kind (count):")
            lines.extend(f"  - {name}: {n}" for name, n in self.unmapped.most_common(detail_limit))
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.phases.items())
        lines.append(f"Done in {self.seconds:.1f} s" + (f" ({phases})." if phases else "."))
        return lines
