"""Streaming readers for the inbox's export files: CSV (UTF-8, UTF-8 with BOM, Big5/cp950),
XLSX (openpyxl read-only) and JSON arrays. Every reader yields one row at a time, so a file of
any size is read in constant memory.

A reader reports what it sees and judges nothing: a row with the wrong number of fields
carries a ``problem``; types, required fields and de-identification are the validator's job.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from ingest.definitions import SourceSpec

_JSON_CHUNK = 1 << 16
_UNDECODED = re.compile("[\udc80-\udcff]")  # bytes kept by errors="surrogateescape"


class SourceError(ValueError):
    """A whole file cannot be read (wrong encoding, not JSON, missing sheet ...)."""


@dataclass(frozen=True)
class SourceRow:
    """One record as read: ``line`` is the CSV line, XLSX sheet row or JSON record number."""

    line: int
    cells: dict[str, object]
    raw: object
    problem: str | None = None


@dataclass
class SourceFile:
    """An open export: its header (``None`` for JSON, whose records carry their own keys)."""

    path: Path
    headers: list[str] | None
    rows: Iterator[SourceRow]


@contextmanager
def open_source(path: Path, spec: SourceSpec) -> Iterator[SourceFile]:
    """Open one export file for streaming according to its source spec."""
    if spec.format == "csv":
        with _open_csv(path, spec.encoding) as source:
            yield source
    elif spec.format == "xlsx":
        with _open_xlsx(path, spec.sheet) as source:
            yield source
    elif spec.format == "json":
        with path.open("r", encoding="utf-8-sig") as handle:
            yield SourceFile(path=path, headers=None, rows=_json_rows(path, handle))
    else:
        raise SourceError(f"{path}: format {spec.format!r} is not read from files")


@contextmanager
def _open_csv(path: Path, encoding: str) -> Iterator[SourceFile]:
    # surrogateescape keeps undecodable bytes visible to the validator, which quarantines
    # the row instead of the whole file failing on one bad byte.
    with path.open("r", encoding=encoding, errors="surrogateescape", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise SourceError(f"{path}: the file is empty (no header row)") from None
        if _UNDECODED.search("".join(header)):
            # one bad cell is the row's problem, but a header that does not decode means the
            # whole file was written in another encoding (Big5 for UTF-8 or the other way)
            raise SourceError(
                f"{path}: the header row is not valid {encoding}: the file was exported in "
                "another encoding; re-export it as docs/exports.md says, or correct the "
                "definition's source.encoding"
            )
        headers = [cell.strip() for cell in header]
        yield SourceFile(path=path, headers=headers, rows=_csv_rows(reader, headers, encoding))


def _csv_rows(reader, headers: list[str], encoding: str) -> Iterator[SourceRow]:
    width = len(headers)
    for fields in reader:
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        problem = None
        if len(fields) != width:
            problem = f"expected {width} fields, found {len(fields)} (truncated or unquoted comma?)"
        elif _UNDECODED.search("".join(fields)):
            bad = [h for h, field in zip(headers, fields, strict=True) if _UNDECODED.search(field)]
            problem = f"undecodable bytes in {', '.join(bad)}: not valid {encoding}"
        yield SourceRow(
            line=reader.line_num,
            cells=dict(zip(headers, fields, strict=False)),
            raw=fields,
            problem=problem,
        )


@contextmanager
def _open_xlsx(path: Path, sheet: str | None) -> Iterator[SourceFile]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SourceError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise SourceError(
                f"{path}: no sheet {sheet!r}; sheets: {', '.join(workbook.sheetnames)}"
            )
        worksheet = workbook[sheet] if sheet else workbook.active
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise SourceError(f"{path}: sheet {worksheet.title!r} is empty (no header row)")
        headers = [str(cell).strip() for cell in _trim(header)]
        yield SourceFile(path=path, headers=headers, rows=_xlsx_rows(rows, headers))
    finally:
        workbook.close()


def _trim(cells: tuple) -> list:
    cells = list(cells)
    while cells and (cells[-1] is None or cells[-1] == ""):
        cells.pop()
    return cells


def _xlsx_rows(rows, headers: list[str]) -> Iterator[SourceRow]:
    width = len(headers)
    for number, row in enumerate(rows, start=2):
        cells = _trim(row)
        if not cells:
            continue
        problem = f"expected {width} cells, found {len(cells)}" if len(cells) > width else None
        cells += [None] * (width - len(cells))
        yield SourceRow(
            line=number,
            cells=dict(zip(headers, cells, strict=False)),
            raw=[_jsonable(cell) for cell in cells],
            problem=problem,
        )


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _json_rows(path: Path, handle) -> Iterator[SourceRow]:
    for number, record in enumerate(_json_array(path, handle), start=1):
        if isinstance(record, dict):
            yield SourceRow(line=number, cells=record, raw=record)
        else:
            yield SourceRow(line=number, cells={}, raw=record, problem="record is not an object")


def _json_array(path: Path, handle) -> Iterator[object]:
    """The elements of a top-level JSON array, decoded one by one from 64 KiB chunks."""
    decoder = json.JSONDecoder()
    buffer, position, at_end = "", 0, False

    def skip_space() -> bool:
        """Advance past whitespace, reading more as needed; False at end of file."""
        nonlocal buffer, position, at_end
        while True:
            while position < len(buffer) and buffer[position].isspace():
                position += 1
            if position < len(buffer):
                return True
            if at_end:
                return False
            chunk = handle.read(_JSON_CHUNK)
            at_end = not chunk
            buffer, position = buffer[position:] + chunk, 0

    if not skip_space() or buffer[position] != "[":
        raise SourceError(f"{path}: expected a JSON array of objects")
    position += 1
    expect_value = True
    while skip_space():
        char = buffer[position]
        if char == "]":
            return
        if not expect_value:
            if char != ",":
                raise SourceError(f"{path}: expected ',' or ']' in the JSON array")
            position += 1
            expect_value = True
            continue
        while True:
            try:
                value, end = decoder.raw_decode(buffer, position)
                break
            except json.JSONDecodeError as exc:
                chunk = "" if at_end else handle.read(_JSON_CHUNK)
                if not chunk:
                    raise SourceError(f"{path}: invalid JSON: {exc.msg}") from exc
                buffer, position = buffer[position:] + chunk, 0
        # a number cut at a chunk boundary decodes early; make sure it really ended
        if end == len(buffer) and not at_end:
            chunk = handle.read(_JSON_CHUNK)
            at_end = not chunk
            if chunk:
                buffer, position = buffer[position:] + chunk, 0
                continue
        position = end
        expect_value = False
        yield value
    raise SourceError(f"{path}: the JSON array is not closed (truncated file?)")


def raw_text(raw: object) -> str:
    """The raw row as JSON for the quarantine, undecodable bytes escaped."""
    text = json.dumps(raw, ensure_ascii=False, default=str)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(raw, default=str)
    return text
