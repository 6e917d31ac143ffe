"""Learning from staff: reassignments in the feedback store become training messages.

``retrain`` adds (text, unit) corrections to the shipped training split, trains a candidate,
scores it on the held-out split and promotes it only when it is not worse than the current model.
Corrections naming a unit the classifier does not know (a field office, a typo) are skipped and
counted; a correction identical to a held-out message is dropped so the yardstick stays unseen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from classifier import corpus, registry
from feedback_api.store import iter_routing_corrections
from kaifang.settings import Settings


@dataclass(frozen=True)
class RetrainResult:
    corrections_used: int
    corrections_skipped: int
    promotion: registry.Promotion

    def summary(self) -> str:
        candidate = self.promotion.candidate
        lines = [
            f"corrections used: {self.corrections_used}, skipped: {self.corrections_skipped}",
            f"candidate {candidate.id}: held-out macro-F1 {candidate.heldout_macro_f1:.4f}, "
            f"{candidate.metadata['training_messages']} training messages",
            ("promoted: " if self.promotion.promoted else "kept the current model: ")
            + self.promotion.reason,
        ]
        return "\n".join(lines)


def retrain(
    models_dir: Path, corrections: Iterable[tuple[str, str]], *, only_when_new: bool = False
) -> RetrainResult | None:
    """Train on the shipped corpus plus ``corrections``; promote when not worse.

    With ``only_when_new`` (the nightly step) nothing is trained, and None returned, when there
    are no usable corrections or the current model was trained on exactly these messages.
    """
    examples = corpus.split(corpus.shipped_corpus(), "train")
    seen = {(e.text, e.label) for e in examples}
    used = skipped = 0
    for text, unit in corrections:
        if unit not in corpus.UNITS or not isinstance(text, str) or not text.strip():
            skipped += 1
            continue
        if (text, unit) not in seen:
            seen.add((text, unit))
            examples.append(corpus.Example(text, unit, "train"))
        used += 1
    if only_when_new and (used == 0 or _current_model_learned(models_dir, examples)):
        return None
    promotion = registry.train_and_promote(
        models_dir, examples, source="shipped corpus + staff corrections", corrections=used
    )
    return RetrainResult(used, skipped, promotion)


def _current_model_learned(models_dir: Path, examples: list[corpus.Example]) -> bool:
    current = registry.current_version(models_dir)
    digest = corpus.data_sha256(corpus.training_messages(examples))
    return current is not None and current.metadata.get("training_data_sha256") == digest


def retrain_from_store(settings: Settings, *, only_when_new: bool = False) -> RetrainResult | None:
    """Retrain with every routing correction in the feedback store (also the nightly step)."""
    return retrain(settings.models, iter_routing_corrections(settings), only_when_new=only_when_new)
