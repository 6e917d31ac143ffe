"""The three government classification schemes (topic 主題, policy 施政, service 服務) as data.

``datasets/taxonomies/<scheme>.yml`` lists the codes; the agency maintains the files and this
module validates them when they are loaded (unique codes, known parents, an explicit
``official`` flag so a local placeholder is never mistaken for an official code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.yaml_source import YamlSourceError, load_yaml

SCHEMES = ("topic", "policy", "service")
_CODE = re.compile(r"^[0-9A-Z]{3}$")


class TaxonomyError(ValueError):
    """A taxonomy file is malformed; the message names file, line and field."""


@dataclass(frozen=True)
class Category:
    scheme: str
    code: str
    name: str
    name_en: str
    parent: str | None
    official: bool


def load_taxonomies(datasets_dir: Path) -> dict[str, dict[str, Category]]:
    """Load and validate ``<datasets_dir>/taxonomies/{topic,policy,service}.yml``."""
    return {scheme: _load_scheme(Path(datasets_dir), scheme) for scheme in SCHEMES}


def _load_scheme(datasets_dir: Path, scheme: str) -> dict[str, Category]:
    path = datasets_dir / "taxonomies" / f"{scheme}.yml"
    if not path.exists():
        raise TaxonomyError(f"{path}: missing; every scheme ({', '.join(SCHEMES)}) needs a file")
    try:
        doc = load_yaml(path)
    except YamlSourceError as exc:
        raise TaxonomyError(str(exc)) from exc
    if not isinstance(doc.data, list):
        raise TaxonomyError(f"{doc.where(())}: expected a list of categories")
    errors: list[str] = []
    categories: dict[str, Category] = {}
    for index, entry in enumerate(doc.data):
        if not isinstance(entry, dict):
            errors.append(f"{doc.where((index,))}: expected a mapping with code, name, ...")
            continue
        problems = _entry_problems(entry, categories)
        errors.extend(f"{doc.where((index, field))}: {message}" for field, message in problems)
        if not problems:
            categories[str(entry["code"])] = Category(
                scheme=scheme,
                code=str(entry["code"]),
                name=entry["name"],
                name_en=entry["name_en"],
                parent=entry["parent"],
                official=entry["official"],
            )
    for index, entry in enumerate(doc.data):
        parent = entry.get("parent") if isinstance(entry, dict) else None
        if parent is not None and parent not in categories:
            errors.append(f"{doc.where((index, 'parent'))}: unknown parent code {parent!r}")
    if errors:
        raise TaxonomyError("\n".join(errors))
    return categories


def _entry_problems(entry: dict, seen: dict[str, Category]) -> list[tuple[str, str]]:
    problems = []
    code = entry.get("code")
    if not isinstance(code, str) or not _CODE.match(code):
        problems.append(("code", f"{code!r} is not a 3-character code (digits or A-Z)"))
    elif code in seen:
        problems.append(("code", f"duplicate code {code!r}"))
    for field in ("name", "name_en"):
        if not isinstance(entry.get(field), str) or not entry[field].strip():
            problems.append((field, "must be a non-empty text"))
    if "parent" not in entry:
        problems.append(("parent", "missing (use null for a top-level class)"))
    if not isinstance(entry.get("official"), bool):
        problems.append(("official", "must be true or false"))
    unknown = set(entry) - {"code", "name", "name_en", "parent", "official"}
    if unknown:
        problems.append((sorted(unknown)[0], f"unknown field(s) {', '.join(sorted(unknown))}"))
    return problems
