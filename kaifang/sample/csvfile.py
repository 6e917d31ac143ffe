"""Writing a CSV export row by row, with the dirt real exports carry, deterministically.

Dirt rows are extra rows: damaged copies of a record that is also written intact (see
docs/exports.md, *Dirt*). They follow their source row, except the truncated line, which
ends the file.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from kaifang.sample.context import WrittenFile


@dataclass(frozen=True)
class Dirt:
    """The damaged rows to add to one CSV export."""

    duplicates: int = 0
    bad_dates: tuple[str, ...] = ()  # month/day parts, written after the ROC year: "13/45"
    blank_dates: int = 0
    blank_keys: int = 0
    extra_fields: int = 0
    truncated_tail: bool = False

    @property
    def extra_rows(self) -> int:
        return (
            self.duplicates
            + len(self.bad_dates)
            + self.blank_dates
            + self.blank_keys
            + self.extra_fields
        )


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[list[str]],
    *,
    records: int,
    encoding: str,
    dirt: Dirt,
    rng: random.Random,
    roc_year: int,
) -> WrittenFile:
    """Stream `records` rows to `path`, inserting `dirt` at positions drawn from `rng`."""
    key, date = 0, 1  # every export puts its key first and its date second
    damages: list[tuple[str, str]] = (
        [("duplicate", "")] * dirt.duplicates
        + [("date", f"{roc_year}/{md}") for md in dirt.bad_dates]
        + [("date", "")] * dirt.blank_dates
        + [("key", "")] * dirt.blank_keys
        + [("extra", "")] * dirt.extra_fields
    )
    after: dict[int, list[tuple[str, str]]] = {}
    tail_source = rng.randrange(records) if records and dirt.truncated_tail else -1
    if records:
        for damage in damages:
            after.setdefault(rng.randrange(records), []).append(damage)
    tail_row: list[str] | None = None
    written = 0
    dirty = 0
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for index, row in enumerate(rows):
            writer.writerow(row)
            written += 1
            for kind, value in after.get(index, ()):
                writer.writerow(_damaged(row, kind, value, key, date))
                dirty += 1
            if index == tail_source:
                tail_row = row
        if written != records:
            raise RuntimeError(f"{path.name}: expected {records} rows, generated {written}")
        if tail_row is not None:
            handle.write(_truncated(tail_row))
            dirty += 1
    return WrittenFile(path, written, dirty)


def _damaged(row: list[str], kind: str, value: str, key: int, date: int) -> list[str]:
    copy = list(row)
    if kind == "date":
        copy[date] = value
    elif kind == "key":
        copy[key] = ""
    elif kind == "extra":
        copy[-1] = "已補件"
        copy.append("待複查")  # 備註 "已補件,待複查" written without quotes
    return copy


def _truncated(row: list[str]) -> str:
    """The row as CSV text, cut off before its middle field ends, without a line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(row)
    fields_text = buffer.getvalue()
    cut = len(",".join(row[: len(row) // 2])) + 1 + max(1, len(row[len(row) // 2]) // 2)
    return fields_text[: min(cut, len(fields_text) - 3)]
