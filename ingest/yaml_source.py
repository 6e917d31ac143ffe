"""YAML files that remember where each field is, so load-time errors can name file and line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml


class YamlSourceError(ValueError):
    """A file is not valid YAML; the message names the file and the line."""


@dataclass(frozen=True)
class YamlDocument:
    """The parsed data of one YAML file plus the node tree it came from."""

    path: Path
    data: object
    root: yaml.Node | None

    def where(self, field_path: Sequence[str | int]) -> str:
        """``file:line: field`` for a field path such as ``("columns", 3, "deid")``.

        The line is the deepest node of the path that exists in the file, so a missing
        field is reported at the line of its parent.
        """
        node, line = self.root, 1
        for step in field_path:
            child = _child(node, step)
            if child is None:
                break
            node, line = child, child.start_mark.line + 1
        if node is not None and node is self.root:
            line = node.start_mark.line + 1
        label = _field_label(field_path)
        return f"{self.path}:{line}: {label}" if label else f"{self.path}:{line}"


def _child(node: yaml.Node | None, step: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if key.value == step:
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        return node.value[step]
    return None


def _field_label(field_path: Sequence[str | int]) -> str:
    label = ""
    for step in field_path:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else step)
    return label


def load_yaml(path: Path) -> YamlDocument:
    """Parse ``path`` with the safe loader, keeping line numbers for error messages."""
    text = path.read_text(encoding="utf-8")
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise YamlSourceError(f"{path}{line}: not valid YAML: {exc}") from exc
    return YamlDocument(path=path, data=data, root=root)
