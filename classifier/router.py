"""Routing one message at a time for the feedback API: ``load_router`` and ``Router``.

A Router wraps the current registry model, loaded once. ``route`` never raises on odd input
(empty, non-text, very long): a message with nothing to go on is routed with
``needs_triage=True`` — one with no letters once links and e-mail addresses are set aside (a
phone number, emoji, punctuation, a bare link), or none of whose terms the model knows.
Routers only read the fitted model, so one instance serves many threads.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from classifier import registry
from classifier.persist import load_model, read_metadata
from classifier.text import load_dictionary, normalize

DEFAULT_TRIAGE_THRESHOLD = 0.5
MAX_CHARS = 20_000  # longer messages are cut; the opening says enough to route them
# Links and e-mail addresses name no topic; what is left must hold a letter (Han, Latin...).
_LINKS = re.compile(r"(?:https?://|www\.)\S*|\S+@\S+")


def _has_letter(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.normalize("NFKC", char).isascii()


@dataclass(frozen=True)
class Routing:
    unit: str
    confidence: float
    needs_triage: bool
    top: list[tuple[str, float]]
    model_version: str


class Router:
    """Routes messages with one fitted pipeline; read-only after construction."""

    def __init__(
        self,
        pipeline: Pipeline,
        model_version: str,
        triage_threshold: float = DEFAULT_TRIAGE_THRESHOLD,
    ):
        self.pipeline = pipeline
        self.model_version = model_version
        self.triage_threshold = triage_threshold
        load_dictionary()
        self._features = pipeline.named_steps["features"]
        self._classifier = pipeline.named_steps["classify"]
        self._classes = list(self._classifier.classes_)
        # Feature names without the block prefix ("chars__", "words__", ...).
        self._ngrams = np.array(
            [name.split("__", 1)[1] for name in self._features.get_feature_names_out()],
            dtype=object,
        )

    @staticmethod
    def _raw(text) -> str:
        if not isinstance(text, str):
            text = "" if text is None else str(text)
        return text[:MAX_CHARS]

    @classmethod
    def _clean(cls, text) -> str:
        return normalize(cls._raw(text))

    def _routing(self, probabilities: np.ndarray, has_content: bool) -> Routing:
        order = np.argsort(probabilities)[::-1]
        top = [(self._classes[i], round(float(probabilities[i]), 4)) for i in order]
        unit, confidence = top[0]
        return Routing(
            unit=unit,
            confidence=confidence,
            needs_triage=(not has_content) or confidence < self.triage_threshold,
            top=top,
            model_version=self.model_version,
        )

    @staticmethod
    def _has_words(cleaned: str) -> bool:
        return _has_letter(_LINKS.sub(" ", cleaned))

    def route(self, text) -> Routing:
        """The unit that must act on ``text``, its probability and the ranked alternatives."""
        cleaned = self._clean(text)
        indices, values = self._features.terms(cleaned)
        scores = self._classifier.scores_of_terms(indices, values)
        has_content = indices.size > 0 and self._has_words(cleaned)
        return self._routing(self._classifier.proba_from_scores(scores), has_content)

    def route_many(self, texts) -> list[Routing]:
        """Route a batch of messages, in the same order."""
        return [self.route(text) for text in texts]

    def explain(self, text, n: int = 8) -> list[tuple[str, float]]:
        """The n-grams and words that weighed most for the chosen unit, heaviest first.

        Weight = the linear model's coefficient for the chosen unit × the term's tf-idf value
        in this message; the same string found as a character n-gram and as a jieba word is
        counted once with both contributions added. Terms are shown as the citizen wrote them
        (Simplified, full-width, capitals); a term found only in the normalised text (OpenCC's
        phrase conversion: 软件 → 軟體), a term without a letter (the digits of a phone
        number, punctuation) and a piece of a Latin word (``w`` of PowerCore) are left out.
        """
        raw = self._raw(text)
        indices, values = self._features.terms(normalize(raw))
        chosen = int(np.argmax(self._classifier.scores_of_terms(indices, values)))
        contributions: dict[str, float] = {}
        weights = self._classifier.coef_[chosen, indices] * values
        as_written = _AsWritten(raw)
        for term, weight in zip(self._ngrams[indices], weights, strict=True):
            shown = as_written.find(term)
            if shown and _has_letter(shown):
                contributions[shown] = contributions.get(shown, 0.0) + float(weight)
        ranked = sorted(contributions.items(), key=lambda item: item[1], reverse=True)
        return [(term, round(weight, 4)) for term, weight in ranked[:n] if weight > 0]


class _AsWritten:
    """Finds a normalised term in a message as the citizen wrote it: each character is
    normalised on its own, remembering which written character every normalised one came from.
    """

    def __init__(self, raw: str):
        self.raw = raw
        pieces, self.origin = [], []
        for position, char in enumerate(raw):
            piece = normalize(char)
            pieces.append(piece)
            self.origin.extend([position] * len(piece))
        self.normalised = "".join(pieces)

    def find(self, term: str) -> str | None:
        """The written text of ``term`` where it is not a piece of a Latin word, or None."""
        found = self.normalised.find(term)
        while found >= 0:
            start, end = self.origin[found], self.origin[found + len(term) - 1] + 1
            if not (self._inside_word(start) or self._inside_word(end)):
                return self.raw[start:end].strip() or None
            found = self.normalised.find(term, found + 1)
        return None

    def _inside_word(self, boundary: int) -> bool:
        return (
            0 < boundary < len(self.raw)
            and _latin_letter(self.raw[boundary - 1])
            and _latin_letter(self.raw[boundary])
        )


def load_router(
    models_dir: Path, *, triage_threshold: float = DEFAULT_TRIAGE_THRESHOLD
) -> Router | None:
    """The router for the current registry model, or None when no model is installed."""
    version = registry.current_version(models_dir)
    if version is None:
        return None
    return Router(load_model(version.path), version.id, triage_threshold)


def load_router_from_dir(
    model_dir: Path, *, triage_threshold: float = DEFAULT_TRIAGE_THRESHOLD
) -> Router:
    """A router for one model folder (``kaifang classifier train --out DIR``)."""
    metadata = read_metadata(model_dir)
    return Router(load_model(model_dir), metadata.get("version", model_dir.name), triage_threshold)
