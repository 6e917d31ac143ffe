"""k-anonymity over a dataset's quasi-identifiers, and small-cell suppression for count tables.

``enforce_k_anonymity`` works in SQL on a sqlite-utils table, in place:

1. count the rows in equivalence classes (rows sharing every quasi-identifier value; NULL
   counts as a value) smaller than k;
2. while those rows exceed the suppression budget, generalise one column one level up its
   declared hierarchy (``month → quarter → year``, ``district → county``, a band → a wider
   band), choosing the column with the most distinct values first (the Datafly heuristic);
3. delete the rows still in classes smaller than k.

A dataset that cannot reach k within the budget raises ``KAnonymityError`` and must not be
published. Hierarchy levels are column-rule specs: ``quarter`` means ``generalize:quarter``,
``band:0,100,1000`` is taken as is. The first level of each hierarchy names the column's
current form and is not applied.

Count tables: ``suppress_small_cells`` empties counts below the threshold (primary
suppression); ``complementary_suppression`` chooses what else to empty in a breakdown whose
total is published, so that the emptied counts cannot be recovered by subtraction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sqlite_utils

from ingest.deid.rules import ColumnRule, RuleError, parse_rule


class KAnonymityError(ValueError):
    """k cannot be reached within the suppression budget, or the request is malformed."""


@dataclass
class KAnonymityReport:
    table: str
    k: int
    quasi_identifiers: list[str]
    rows_before: int
    rows_after: int = 0
    rows_suppressed: int = 0
    suppression_budget: int = 0
    generalised: dict[str, list[str]] = field(default_factory=dict)
    smallest_class: int = 0

    def summary(self) -> str:
        steps = ", ".join(f"{c} → {' → '.join(levels)}" for c, levels in self.generalised.items())
        return (
            f"{self.table}: k={self.k} over {', '.join(self.quasi_identifiers)}; "
            f"generalised {steps or 'nothing'}; suppressed {self.rows_suppressed} of "
            f"{self.rows_before} rows (budget {self.suppression_budget}); "
            f"smallest class {self.smallest_class}"
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _level_rule(column: str, level: str) -> ColumnRule:
    spec = level if ":" in level else f"generalize:{level}"
    try:
        return parse_rule(spec)
    except RuleError as exc:
        raise KAnonymityError(f"hierarchy of {column!r}: {exc}") from None


def _rows_in_small_classes(
    db: sqlite_utils.Database, table: str, columns: list[str], k: int
) -> int:
    partition = ", ".join(_quote(c) for c in columns)
    sql = (
        f"select count(*) from (select count(*) over (partition by {partition}) as size "
        f"from {_quote(table)}) where size < ?"
    )
    return db.execute(sql, [k]).fetchone()[0]


def _smallest_class(db: sqlite_utils.Database, table: str, columns: list[str]) -> int:
    group = ", ".join(_quote(c) for c in columns)
    sql = f"select min(size) from (select count(*) as size from {_quote(table)} group by {group})"
    return db.execute(sql).fetchone()[0] or 0


def _distinct_values(db: sqlite_utils.Database, table: str, column: str) -> int:
    sql = f"select count(distinct {_quote(column)}) from {_quote(table)}"
    return db.execute(sql).fetchone()[0]


def _generalise_column(
    db: sqlite_utils.Database, table: str, column: str, rule: ColumnRule
) -> None:
    function_name = "kaifang_generalise"
    db.conn.create_function(function_name, 1, lambda value: rule.apply(value), deterministic=True)
    with db.conn:
        db.execute(
            f"update {_quote(table)} set {_quote(column)} = {function_name}({_quote(column)})"
        )


def _suppress_small_classes(
    db: sqlite_utils.Database, table: str, columns: list[str], k: int
) -> int:
    partition = ", ".join(_quote(c) for c in columns)
    sql = (
        f"delete from {_quote(table)} where rowid in (select rid from (select rowid as rid, "
        f"count(*) over (partition by {partition}) as size from {_quote(table)}) where size < ?)"
    )
    with db.conn:
        return db.execute(sql, [k]).rowcount


def enforce_k_anonymity(
    db: sqlite_utils.Database,
    table: str,
    quasi_identifiers: list[str],
    k: int,
    hierarchies: dict[str, list[str]],
    max_suppression: float,
) -> KAnonymityReport:
    """Make ``table`` k-anonymous over ``quasi_identifiers`` in place; see the module docstring."""
    if k < 1 or not 0 <= max_suppression <= 1:
        raise KAnonymityError(f"need k ≥ 1 and 0 ≤ max_suppression ≤ 1, got {k}, {max_suppression}")
    existing = set(db[table].columns_dict)
    unknown = [c for c in [*quasi_identifiers, *hierarchies] if c not in existing]
    if unknown:
        raise KAnonymityError(f"table {table!r} has no column(s) {', '.join(unknown)}")
    pending = {
        column: [(level, _level_rule(column, level)) for level in levels[1:]]
        for column, levels in hierarchies.items()
        if column in quasi_identifiers
    }
    rows_before = db[table].count
    report = KAnonymityReport(
        table=table,
        k=k,
        quasi_identifiers=list(quasi_identifiers),
        rows_before=rows_before,
        suppression_budget=math.floor(max_suppression * rows_before),
    )
    at_risk = _rows_in_small_classes(db, table, quasi_identifiers, k)
    while at_risk > report.suppression_budget:
        candidates = [column for column, steps in pending.items() if steps]
        if not candidates:
            raise KAnonymityError(
                f"{table}: {at_risk} of {rows_before} rows are in classes smaller than k={k} "
                f"after generalising every hierarchy fully; the budget allows "
                f"{report.suppression_budget}. Widen the hierarchies or coarsen the columns."
            )
        column = max(candidates, key=lambda c: _distinct_values(db, table, c))
        level, rule = pending[column].pop(0)
        _generalise_column(db, table, column, rule)
        report.generalised.setdefault(column, []).append(level)
        at_risk = _rows_in_small_classes(db, table, quasi_identifiers, k)
    report.rows_suppressed = _suppress_small_classes(db, table, quasi_identifiers, k)
    report.rows_after = db[table].count
    report.smallest_class = _smallest_class(db, table, quasi_identifiers)
    return report


def suppress_small_cells(
    rows: Iterable[dict], count_columns: Iterable[str], threshold: int = 3
) -> list[dict]:
    """Copies of ``rows`` with every count in ``count_columns`` between 1 and ``threshold - 1``
    replaced by ``None`` (published as empty). Zeros and larger counts are kept."""
    columns = list(count_columns)
    suppressed = []
    for row in rows:
        copy = dict(row)
        for column in columns:
            value = copy.get(column)
            if isinstance(value, int | float) and 0 < value < threshold:
                copy[column] = None
        suppressed.append(copy)
    return suppressed


def complementary_suppression(
    counts: Mapping[str, int], threshold: int = 3
) -> tuple[set[str], set[str]]:
    """The cells of one breakdown whose total is published that must be emptied, and those that
    must be left out altogether: ``(suppressed, withheld)``.

    Emptying a small cell (1 to ``threshold - 1``) is not enough when the total is published: a
    single empty cell is the total minus the others, and empty cells that must all be 1 (their
    sum equals their number; unlisted categories are zero) are known too. So the smallest other
    cells are emptied as well until at least two are empty and their sum exceeds their number.
    When even emptying every cell leaves them all recoverable (every cell is 1), they are
    withheld instead: their categories are not listed, and what the total says about them is
    only how many cases lie outside the listed ones.
    """
    suppressed = {category for category, count in counts.items() if 0 < count < threshold}
    if not suppressed:
        return set(), set()
    others = sorted(
        (count, category) for category, count in counts.items() if category not in suppressed
    )

    def recoverable() -> bool:
        return len(suppressed) == 1 or sum(counts[c] for c in suppressed) == len(suppressed)

    while recoverable() and others:
        suppressed.add(others.pop(0)[1])
    if recoverable():
        return set(), suppressed
    return suppressed, set()
