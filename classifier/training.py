"""Training a candidate model and measuring it on the fixed held-out split.

Every candidate, whatever it was trained on, is scored on the shipped held-out messages; the
registry compares those scores to decide promotion. Any training message identical to a held-out
one is dropped first, so the held-out split stays unseen.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version

from sklearn.pipeline import Pipeline

from classifier import corpus, model
from classifier.evaluation import evaluate

LIBRARIES = ("scikit-learn", "skops", "numpy", "scipy", "jieba", "opencc")


@dataclass(frozen=True)
class TrainedModel:
    pipeline: Pipeline
    metadata: dict

    @property
    def heldout_macro_f1(self) -> float:
        return self.metadata["metrics"]["heldout"]["macro_f1"]


def library_versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    versions.update({name: version(name) for name in LIBRARIES})
    return versions


def train_and_evaluate(
    examples: list[corpus.Example], *, source: str, corrections: int = 0
) -> TrainedModel:
    """Train on ``examples`` (their ``train`` split) and score on the shipped held-out split."""
    heldout = corpus.split(corpus.shipped_corpus(), "heldout")
    training = corpus.training_messages(examples)
    if len({e.label for e in training}) < 3:  # the scores are one-vs-rest, one per unit
        raise corpus.CorpusError("training needs messages of at least three units")
    pipeline = model.train([e.text for e in training], [e.label for e in training])
    metrics = evaluate(pipeline, [e.text for e in heldout], [e.label for e in heldout])
    metadata = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "training_messages": len(training),
        "corrections": corrections,
        "training_data_sha256": corpus.data_sha256(training),
        "labels": sorted({e.label for e in training}),
        "libraries": library_versions(),
        "metrics": {"heldout": metrics.to_dict()},
    }
    return TrainedModel(pipeline, metadata)
