"""Validation of source rows against a definition: headers, field counts, types, required fields
and duplicates. A row either becomes a typed record or a rejection with a reason; an
unknown or missing header fails the whole file, naming it, because the export has changed.

Exact duplicate rows (a record exported twice) are dropped and counted; two different rows
with the same key are a conflict and the later one is rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.definitions import ColumnDef, DatasetDefinition
from ingest.readers import SourceError, SourceFile, SourceRow
from ingest.values import ValueProblem, coerce


@dataclass(frozen=True)
class Rejection:
    reason: str


DUPLICATE = Rejection("exact duplicate of an earlier row")


@dataclass
class RowValidator:
    """Validates the rows of every source file of one dataset, remembering keys across files."""

    definition: DatasetDefinition
    _seen_keys: dict[tuple, tuple[int, str, int]] = field(default_factory=dict)
    _seen_rows: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self._by_source = self.definition.columns_by_source
        self._allow_roc = self.definition.source.dates == "roc"
        self._steps = [(c.name, c.source, c.type, c.required) for c in self.definition.columns]

    def check_headers(self, source: SourceFile) -> None:
        """Raise ``SourceError`` naming the file and header if the header row does not match."""
        if source.headers is None:
            return
        unknown = [header for header in source.headers if header not in self._by_source]
        if unknown:
            raise SourceError(
                f"{source.path}: unknown column(s) {', '.join(map(repr, unknown))} — "
                f"declare them in {self.definition.path} (with a deid rule) or remove them"
            )
        missing = [header for header in self._by_source if header not in source.headers]
        if missing:
            raise SourceError(
                f"{source.path}: missing column(s) {', '.join(map(repr, missing))} "
                f"declared in {self.definition.path}"
            )
        duplicated = {header for header in source.headers if source.headers.count(header) > 1}
        if duplicated:
            raise SourceError(f"{source.path}: repeated column(s) {', '.join(sorted(duplicated))}")

    def validate(self, source: SourceFile, row: SourceRow) -> dict[str, object] | Rejection:
        """The typed record of ``row`` (by column name), or why it cannot be published."""
        if row.problem:
            return Rejection(row.problem)
        if source.headers is None:
            unknown = [name for name in row.cells if name not in self._by_source]
            if unknown:
                raise SourceError(
                    f"{source.path}: record {row.line} has unknown field(s) "
                    f"{', '.join(map(repr, unknown))} — declare them in {self.definition.path}"
                )
        record: dict[str, object] = {}
        problems = []
        cells, allow_roc = row.cells, self._allow_roc
        for name, header, column_type, required in self._steps:
            try:
                value = coerce(cells.get(header), column_type, allow_roc=allow_roc)
            except ValueProblem as exc:
                problems.append(f"{header}: {exc}")
                continue
            if value is None and required:
                problems.append(f"{header}: required but empty")
            record[name] = value
        if problems:
            return Rejection("; ".join(problems))
        return self._check_duplicates(source, row, record)

    def _check_duplicates(
        self, source: SourceFile, row: SourceRow, record: dict
    ) -> dict | Rejection:
        fingerprint = _fingerprint(row.cells, self.definition.columns)
        if not self.definition.key:
            if fingerprint in self._seen_rows:
                return DUPLICATE
            self._seen_rows.add(fingerprint)
            return record
        key = tuple(record[name] for name in self.definition.key)
        earlier = self._seen_keys.get(key)
        if earlier is None:
            self._seen_keys[key] = (fingerprint, source.path.name, row.line)
            return record
        if earlier[0] == fingerprint:
            return DUPLICATE
        return Rejection(
            f"duplicate key {', '.join(map(str, key))}: differs from {earlier[1]} line {earlier[2]}"
        )


def _fingerprint(cells: dict[str, object], columns: tuple[ColumnDef, ...]) -> int:
    """A 64-bit fingerprint of the raw row, to tell an exact re-export from a conflicting row."""
    return hash(tuple(str(cells.get(column.source)) for column in columns))
