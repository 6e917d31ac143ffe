"""Labelled messages: the seven units, the shipped corpus and the loader for operator files.

The shipped corpus lives in ``classifier/data/corpus/*.jsonl`` (one file per unit, every line
``{"text", "label", "split"}``); ``split`` is ``train`` or ``heldout`` and the held-out messages
were written separately from the training ones, so training never sees them. Operators may train
or evaluate on their own CSV or JSONL files with ``text`` and ``label`` columns.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifier.text import normalize

# The classifier's labels: the section names of units.md, exactly as written.
UNITS: tuple[str, ...] = (
    "電資產品課",
    "機械產品課",
    "化工產品課",
    "計量課",
    "報驗發證課",
    "市場監督課",
    "秘書室",
)

SPLITS = ("train", "heldout")
SHIPPED_CORPUS_DIR = Path(__file__).resolve().parent / "data" / "corpus"


class CorpusError(ValueError):
    """A labelled file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    split: str = "train"


def _check(text, label, where: str) -> tuple[str, str]:
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(f"{where}: 'text' is missing or empty")
    if label not in UNITS:
        raise CorpusError(f"{where}: label {label!r} is not one of the units: {', '.join(UNITS)}")
    return text, label


def _read_jsonl(path: Path) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(f"{where}: not valid JSON: {exc.msg}") from exc
            if not isinstance(record, dict):
                raise CorpusError(f"{where}: expected a JSON object with 'text' and 'label'")
            text, label = _check(record.get("text"), record.get("label"), where)
            split = record.get("split", "train")
            if split not in SPLITS:
                raise CorpusError(f"{where}: split {split!r} is not one of {', '.join(SPLITS)}")
            examples.append(Example(text, label, split))
    return examples


def _read_csv(path: Path) -> list[Example]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"text", "label"} - set(reader.fieldnames or ())
        if missing:
            raise CorpusError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
        examples = []
        for number, row in enumerate(reader, start=2):
            text, label = _check(row["text"], (row["label"] or "").strip(), f"{path}:{number}")
            split = (row.get("split") or "train").strip()
            if split not in SPLITS:
                raise CorpusError(
                    f"{path}:{number}: split {split!r} is not one of {', '.join(SPLITS)}"
                )
            examples.append(Example(text, label, split))
    return examples


def _check_utf8(path: Path) -> None:
    raw = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CorpusError(
            f"{path}:{line}: not UTF-8 text (Big5?); save it as UTF-8 (Excel: CSV UTF-8)"
        ) from None


def read_labelled_file(path: Path) -> list[Example]:
    """Read a CSV or JSONL file of ``text``,``label`` (optional ``split``); raise CorpusError."""
    if not path.is_file():
        raise CorpusError(f"{path}: no such file")
    _check_utf8(path)
    reader = _read_csv if path.suffix.lower() == ".csv" else _read_jsonl
    examples = reader(path)
    if not examples:
        raise CorpusError(f"{path}: no labelled messages")
    return examples


def shipped_corpus() -> list[Example]:
    """Every message of the shipped corpus, both splits."""
    examples: list[Example] = []
    for path in sorted(SHIPPED_CORPUS_DIR.glob("*.jsonl")):
        examples.extend(_read_jsonl(path))
    return examples


def split(examples: Iterable[Example], name: str) -> list[Example]:
    """The examples of one split (``train`` or ``heldout``)."""
    return [example for example in examples if example.split == name]


def data_sha256(examples: Iterable[Example]) -> str:
    """A fingerprint of the training data, independent of file layout and order."""
    digest = hashlib.sha256()
    for line in sorted(json.dumps([e.text, e.label], ensure_ascii=False) for e in examples):
        digest.update(line.encode("utf-8") + b"\n")
    return digest.hexdigest()


def training_messages(examples: list[Example]) -> list[Example]:
    """The messages a model learns from: the train split, minus any text of the held-out split,
    also one that differs from it only in what normalisation removes (spacing, full-width
    forms, Simplified script), which the model would see as the same message."""
    heldout_texts = {_as_the_model_reads(e.text) for e in split(shipped_corpus(), "heldout")}
    return [e for e in split(examples, "train") if _as_the_model_reads(e.text) not in heldout_texts]


def _as_the_model_reads(text: str) -> str:
    return "".join(normalize(text).split())
