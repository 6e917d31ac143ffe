"""Dataset definitions: one YAML file per published dataset in ``datasets/``, validated on load.

A definition names its source (file pattern, format, encoding), every column of the source
(published name, type, zh-TW label, description, unit, de-identification rule), the row key
used for the changelog, the quasi-identifiers and k, categories, update frequency and licence.
Texts a reader sees have an optional English counterpart (``title_en`` is required,
``description_en``, ``keywords_en``, a column's ``label_en``, ``description_en`` and
``unit_en`` are not): English pages fall back to the zh-TW text where one is missing.
Anything wrong is a ``DefinitionError`` naming file, line and field; nothing is published by
default, so a column without a rule is an error, not a column that slips through.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.deid.rules import ColumnRule, RuleError, parse_rule
from ingest.taxonomy import SCHEMES, Category, TaxonomyError, load_taxonomies
from ingest.yaml_source import YamlDocument, YamlSourceError, load_yaml

COLUMN_TYPES = ("text", "integer", "real", "date", "datetime", "boolean")
SOURCE_FORMATS = ("csv", "xlsx", "json", "feed", "feedback_store")
ENCODINGS = {"utf-8": "utf-8-sig", "utf-8-sig": "utf-8-sig", "cp950": "cp950", "big5": "cp950"}
DATE_STYLES = ("roc", "iso")
UPDATE_FREQUENCIES = ("daily", "weekly", "monthly", "yearly", "irregular")
LICENCES = ("ogdl-tw-1",)  # the keys of metadata.yml portal.licences, which the portal shows
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
_TOP_LEVEL = {
    "name", "title", "title_en", "description", "description_en", "keywords", "keywords_en",
    "update_frequency", "license", "categories", "source", "key", "quasi_identifiers", "columns",
}  # fmt: skip
_COLUMN_FIELDS = {
    "name", "source", "type", "label", "label_en", "description", "description_en", "unit",
    "unit_en", "required", "deid", "index", "search",
}  # fmt: skip


class DefinitionError(ValueError):
    """One or more definitions are invalid; each line of the message names file, line and field."""


# YAML's folded text (description: >-) joins its lines with a space, which Chinese does not
# put between characters (「…， 並提供…」).
_SPACE_BETWEEN_CJK = re.compile(
    r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]) (?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])"
)


def unfold_cjk(text: str) -> str:
    """``text`` without the spaces YAML folding left between two Chinese characters."""
    return _SPACE_BETWEEN_CJK.sub("", text)


@dataclass(frozen=True)
class SourceSpec:
    pattern: str
    format: str
    encoding: str = "utf-8-sig"
    dates: str = "roc"
    sheet: str | None = None


@dataclass(frozen=True)
class ColumnDef:
    name: str
    source: str
    type: str
    label: str
    description: str
    unit: str | None
    deid: str
    rule: ColumnRule = field(compare=False, repr=False)
    required: bool = False
    index: bool = False
    search: bool = False
    label_en: str | None = None
    description_en: str | None = None
    unit_en: str | None = None

    @property
    def published(self) -> bool:
        return self.rule.publishes

    @property
    def sqlite_type(self) -> type:
        """The Python type of the published value, which sqlite-utils maps to a column type."""
        if self.rule.kind != "keep":
            return str
        return {"integer": int, "real": float, "boolean": int}.get(self.type, str)


@dataclass(frozen=True)
class QuasiIdentifiers:
    columns: tuple[str, ...]
    k: int
    max_suppression: float
    hierarchies: dict[str, list[str]]


@dataclass(frozen=True)
class DatasetDefinition:
    path: Path
    name: str
    title: str
    title_en: str
    description: str
    keywords: tuple[str, ...]
    update_frequency: str
    license: str
    categories: dict[str, tuple[str, ...]]
    source: SourceSpec
    columns: tuple[ColumnDef, ...]
    key: tuple[str, ...] = ()
    quasi_identifiers: QuasiIdentifiers | None = None
    description_en: str | None = None
    keywords_en: tuple[str, ...] = ()

    @property
    def published_columns(self) -> tuple[ColumnDef, ...]:
        return tuple(column for column in self.columns if column.published)

    @property
    def columns_by_source(self) -> dict[str, ColumnDef]:
        return {column.source: column for column in self.columns}


def load_definitions(datasets_dir: Path) -> list[DatasetDefinition]:
    """Load every ``<datasets_dir>/*.yml`` (sorted by name); raise ``DefinitionError`` on any problem."""
    datasets_dir = Path(datasets_dir)
    try:
        taxonomies = load_taxonomies(datasets_dir)
    except TaxonomyError as exc:
        raise DefinitionError(str(exc)) from exc
    definitions, errors = [], []
    for path in sorted(datasets_dir.glob("*.yml")):
        try:
            definitions.append(load_definition(path, taxonomies))
        except DefinitionError as exc:
            errors.append(str(exc))
    if errors:
        raise DefinitionError("\n".join(errors))
    return definitions


def load_definition(path: Path, taxonomies: dict[str, dict[str, Category]]) -> DatasetDefinition:
    """Load and validate one definition file against the taxonomies."""
    try:
        doc = load_yaml(path)
    except YamlSourceError as exc:
        raise DefinitionError(str(exc)) from exc
    checker = _Checker(doc)
    definition = checker.definition(taxonomies)
    if checker.errors:
        raise DefinitionError("\n".join(checker.errors))
    assert definition is not None
    return definition


class _Checker:
    """Collects every problem of one file instead of stopping at the first."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.errors: list[str] = []

    def fail(self, where: tuple, message: str) -> None:
        self.errors.append(f"{self.doc.where(where)}: {message}")

    def text(self, data: dict, key: str, where: tuple, *, optional: bool = False) -> str | None:
        value = data.get(key)
        if value is None and optional:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail((*where, key), "must be a non-empty text" if key in data else "missing")
            return None
        return value

    def texts(self, data: dict, key: str, *, optional: bool = False) -> tuple[str, ...]:
        value = data.get(key)
        if value is None and optional:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail((key,), "must be a list of texts")
            return ()
        return tuple(value)

    def choice(self, data: dict, key: str, where: tuple, choices, default=None) -> str | None:
        value = data.get(key, default)
        if value not in choices:
            self.fail((*where, key), f"{value!r} is not one of {', '.join(choices)}")
            return None
        return value

    def definition(self, taxonomies: dict[str, dict[str, Category]]) -> DatasetDefinition | None:
        data = self.doc.data
        if not isinstance(data, dict):
            self.fail((), "expected a mapping (name, title, source, columns, ...)")
            return None
        for key in sorted(set(data) - _TOP_LEVEL):
            self.fail((key,), f"unknown field; known fields: {', '.join(sorted(_TOP_LEVEL))}")
        name = self.text(data, "name", ())
        if name and (not _NAME.match(name) or name != self.doc.path.stem):
            self.fail(("name",), f"{name!r} must be lowercase a-z0-9_ and equal the file name")
        columns = self.columns(data.get("columns"))
        published = {c.name for c in columns if c.published}
        key = self.key(data.get("key", []), published)
        definition = DatasetDefinition(
            path=self.doc.path,
            name=name or "",
            title=self.text(data, "title", ()) or "",
            title_en=self.text(data, "title_en", ()) or "",
            description=unfold_cjk(self.text(data, "description", ()) or ""),
            description_en=self.text(data, "description_en", (), optional=True),
            keywords=self.texts(data, "keywords"),
            keywords_en=self.texts(data, "keywords_en", optional=True),
            update_frequency=self.choice(data, "update_frequency", (), UPDATE_FREQUENCIES) or "",
            license=self.choice(data, "license", (), LICENCES) or "",
            categories=self.categories(data.get("categories"), taxonomies),
            source=self.source(data.get("source")),
            columns=tuple(columns),
            key=key,
            quasi_identifiers=self.quasi_identifiers(data.get("quasi_identifiers"), published),
        )
        return definition

    def categories(self, value, taxonomies) -> dict[str, tuple[str, ...]]:
        if not isinstance(value, dict) or not value:
            self.fail(("categories",), f"must map one or more of {', '.join(SCHEMES)} to codes")
            return {}
        result = {}
        for scheme, codes in value.items():
            if scheme not in SCHEMES:
                self.fail(("categories", scheme), f"unknown scheme; use {', '.join(SCHEMES)}")
                continue
            if not isinstance(codes, list) or not codes:
                self.fail(("categories", scheme), "must be a non-empty list of codes")
                continue
            for index, code in enumerate(codes):
                if str(code) not in taxonomies[scheme]:
                    self.fail(
                        ("categories", scheme, index),
                        f"unknown {scheme} code {code!r}; see datasets/taxonomies/{scheme}.yml",
                    )
            result[scheme] = tuple(str(code) for code in codes)
        return result

    def source(self, value) -> SourceSpec:
        where = ("source",)
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping with pattern and format")
            return SourceSpec(pattern="", format="")
        for key in sorted(set(value) - {"pattern", "format", "encoding", "dates", "sheet"}):
            self.fail(
                (*where, key), "unknown field; known: pattern, format, encoding, dates, sheet"
            )
        fmt = self.choice(value, "format", where, SOURCE_FORMATS) or ""
        encoding = self.choice(value, "encoding", where, tuple(ENCODINGS), default="utf-8-sig")
        sheet = self.text(value, "sheet", where, optional=True)
        return SourceSpec(
            pattern=self.text(value, "pattern", where) or "",
            format=fmt,
            encoding=ENCODINGS.get(encoding or "", "utf-8-sig"),
            dates=self.choice(value, "dates", where, DATE_STYLES, default="roc") or "roc",
            sheet=sheet,
        )

    def columns(self, value) -> list[ColumnDef]:
        if not isinstance(value, list) or not value:
            self.fail(("columns",), "must be a non-empty list of columns")
            return []
        columns: list[ColumnDef] = []
        names, sources = set(), set()
        for index, entry in enumerate(value):
            where = ("columns", index)
            if not isinstance(entry, dict):
                self.fail(where, "expected a mapping (name, source, type, label, ..., deid)")
                continue
            for key in sorted(set(entry) - _COLUMN_FIELDS):
                self.fail(
                    (*where, key), f"unknown field; known: {', '.join(sorted(_COLUMN_FIELDS))}"
                )
            column = self.column(entry, where)
            if column is None:
                continue
            if column.name in names:
                self.fail((*where, "name"), f"duplicate column name {column.name!r}")
            if column.source in sources:
                self.fail((*where, "source"), f"duplicate source header {column.source!r}")
            names.add(column.name)
            sources.add(column.source)
            columns.append(column)
        return columns

    def column(self, entry: dict, where: tuple) -> ColumnDef | None:
        name = self.text(entry, "name", where)
        if name and not _NAME.match(name):
            self.fail((*where, "name"), f"{name!r} must be lowercase a-z0-9_")
        source = self.text(entry, "source", where)
        column_type = self.choice(entry, "type", where, COLUMN_TYPES)
        label = self.text(entry, "label", where)
        label_en = self.text(entry, "label_en", where, optional=True)
        description = self.text(entry, "description", where)
        description_en = self.text(entry, "description_en", where, optional=True)
        if "unit" not in entry:
            self.fail((*where, "unit"), "missing (use null when the column has no unit)")
        unit = entry.get("unit")
        if unit is not None and not isinstance(unit, str):
            self.fail((*where, "unit"), "must be a text or null")
        unit_en = self.text(entry, "unit_en", where, optional=True)
        if unit_en is not None and unit is None:
            self.fail((*where, "unit_en"), "an English unit needs a unit")
        rule = self.rule(entry, where)
        flags = {}
        for flag in ("required", "index", "search"):
            flags[flag] = entry.get(flag, False)
            if not isinstance(flags[flag], bool):
                self.fail((*where, flag), "must be true or false")
        if flags["search"] is True and column_type not in (None, "text"):
            self.fail((*where, "search"), "only text columns can be full-text searched")
        if rule is None or None in (name, source, column_type, label, description):
            return None
        deid = entry["deid"].strip()
        if not rule.publishes and (flags["index"] is True or flags["search"] is True):
            self.fail((*where, "deid"), "a dropped column cannot be indexed or searched")
        return ColumnDef(
            name=name, source=str(source), type=column_type, label=label, description=description,
            unit=unit, deid=deid, rule=rule, required=flags["required"] is True,
            index=flags["index"] is True, search=flags["search"] is True,
            label_en=label_en, description_en=description_en, unit_en=unit_en,
        )  # fmt: skip

    def rule(self, entry: dict, where: tuple) -> ColumnRule | None:
        spec = entry.get("deid")
        if not isinstance(spec, str) or not spec.strip():
            self.fail((*where, "deid"), "missing: every column needs a de-identification rule")
            return None
        try:
            return parse_rule(spec.strip())
        except RuleError as exc:
            self.fail((*where, "deid"), f"bad rule {spec!r}: {exc}")
            return None

    def key(self, value, published: set[str]) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(("key",), "must be a list of column names")
            return ()
        for index, name in enumerate(value):
            if name not in published:
                self.fail(("key", index), f"{name!r} is not a published column")
        return tuple(value)

    def quasi_identifiers(self, value, published: set[str]) -> QuasiIdentifiers | None:
        if value is None:
            return None
        where = ("quasi_identifiers",)
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping with columns, k, max_suppression, hierarchies")
            return None
        columns = value.get("columns")
        if not isinstance(columns, list) or not columns:
            self.fail((*where, "columns"), "must be a non-empty list of column names")
            columns = []
        for index, name in enumerate(columns):
            if name not in published:
                self.fail((*where, "columns", index), f"{name!r} is not a published column")
        k = value.get("k")
        if not isinstance(k, int) or isinstance(k, bool) or k < 2:
            self.fail((*where, "k"), "must be an integer of at least 2")
        budget = value.get("max_suppression", 0.0)
        if not isinstance(budget, int | float) or not 0 <= budget < 1:
            self.fail((*where, "max_suppression"), "must be a share between 0 and 1")
        hierarchies = value.get("hierarchies", {})
        if not isinstance(hierarchies, dict):
            self.fail((*where, "hierarchies"), "must map a quasi-identifier to its levels")
            hierarchies = {}
        for name, levels in hierarchies.items():
            if name not in columns:
                self.fail((*where, "hierarchies", name), "is not one of the quasi-identifiers")
            if not isinstance(levels, list) or not all(isinstance(v, str) for v in levels):
                self.fail((*where, "hierarchies", name), "must be a list of level names")
        return QuasiIdentifiers(
            columns=tuple(columns),
            k=k if isinstance(k, int) else 0,
            max_suppression=float(budget) if isinstance(budget, int | float) else 0.0,
            hierarchies={name: list(levels) for name, levels in hierarchies.items()},
        )
