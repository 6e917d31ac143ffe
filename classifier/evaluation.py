"""Scoring a model: macro-F1, accuracy, per-unit precision/recall/F1, the confusion matrix,
stratified cross-validation, and the plain-text report the CLI prints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

from classifier import model


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Metrics:
    macro_f1: float
    accuracy: float
    messages: int
    labels: list[str]
    per_label: dict[str, LabelScore]
    confusion: list[list[int]]  # rows: true label, columns: predicted, both in ``labels`` order

    def to_dict(self) -> dict:
        return asdict(self)


def score(truth: Sequence[str], predicted: Sequence[str]) -> Metrics:
    """Compare predicted units with the true ones."""
    labels = sorted(set(truth) | set(predicted))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=labels, zero_division=0
    )
    present = [i for i, label in enumerate(labels) if label in set(truth)]
    return Metrics(
        macro_f1=round(float(np.mean(f1[present])), 4),
        accuracy=round(float(accuracy_score(truth, predicted)), 4),
        messages=len(truth),
        labels=labels,
        per_label={
            label: LabelScore(
                round(float(precision[i]), 4),
                round(float(recall[i]), 4),
                round(float(f1[i]), 4),
                int(support[i]),
            )
            for i, label in enumerate(labels)
        },
        confusion=confusion_matrix(truth, predicted, labels=labels).tolist(),
    )


def evaluate(pipeline: Pipeline, texts: Sequence[str], truth: Sequence[str]) -> Metrics:
    """Score a trained pipeline on labelled messages."""
    return score(list(truth), model.predict(pipeline, texts))


def cross_validate(texts: Sequence[str], truth: Sequence[str], folds: int) -> Metrics:
    """Stratified k-fold cross-validation (shuffled, seed 0) of a freshly trained pipeline."""
    texts, truth = list(texts), np.asarray(truth)
    predicted = np.empty(len(truth), dtype=object)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train_index, test_index in splitter.split(texts, truth):
        fitted = model.train([texts[i] for i in train_index], truth[train_index])
        predicted[test_index] = model.predict(fitted, [texts[i] for i in test_index])
    return score(list(truth), list(predicted))


def _width(text: str) -> int:
    """Display width in a terminal: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def format_report(metrics: Metrics) -> str:
    """A readable report: overall figures, per-unit table and confusion matrix."""
    name_width = max(_width(label) for label in metrics.labels) + 2
    lines = [
        f"messages  {metrics.messages}",
        f"macro-F1  {metrics.macro_f1:.3f}",
        f"accuracy  {metrics.accuracy:.3f}",
        "",
        _pad("unit", name_width) + "precision  recall     F1  support",
    ]
    for label in metrics.labels:
        s = metrics.per_label[label]
        lines.append(
            _pad(label, name_width)
            + f"{s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.support:8d}"
        )
    lines += ["", "confusion matrix (rows: true unit, columns: predicted, same order as rows)"]
    codes = [f"[{i + 1}]" for i in range(len(metrics.labels))]
    lines.append(_pad("", name_width + 5) + "".join(f"{c:>6}" for c in codes))
    for code, label, row in zip(codes, metrics.labels, metrics.confusion, strict=True):
        lines.append(_pad(f"{code:>4} {label}", name_width + 5) + "".join(f"{n:6d}" for n in row))
    return "\n".join(lines)
