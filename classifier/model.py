"""The routing model: features, the linear classifier and its calibrated probabilities.

Features are three TF-IDF blocks over normalised text (``classifier.text.normalize``): single
characters, character 2–3-grams and jieba words. The classifier is a class-balanced linear SVM;
its scores become probabilities by temperature scaling (a softmax whose one temperature is fitted
on out-of-fold scores), which calibrates confidence without changing which unit wins.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC

from classifier.text import normalize, words

# Tuned on the Taipei FAQ routing benchmark (bench/classifier.py): C from 3 to 20 scores the same
# within noise there, and a smaller C trains several times faster.
SVM_C = 3.0
FEATURE_WEIGHTS = {"chars": 1.3, "char_ngrams": 1.0, "words": 0.7}
CALIBRATION_FOLDS = 2


class TemperatureScaledSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM whose decision scores are turned into probabilities by temperature scaling."""

    def __init__(self, C: float = SVM_C, folds: int = CALIBRATION_FOLDS):
        self.C = C
        self.folds = folds

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", tol=1e-3, max_iter=5000)

    def fit(self, X, y):
        y = np.asarray(y)
        self.svm_ = self._svm().fit(X, y)
        self.classes_ = self.svm_.classes_
        self.temperature_ = self._fit_temperature(X, y)
        return self

    def _fit_temperature(self, X, y) -> float:
        smallest_class = int(np.unique(y, return_counts=True)[1].min())
        folds = min(self.folds, smallest_class)
        if folds < 2:
            return 1.0
        splitter = StratifiedKFold(folds, shuffle=True, random_state=0)
        scores = cross_val_predict(
            clone(self._svm()), X, y, cv=splitter, method="decision_function"
        )
        truth = np.searchsorted(self.classes_, y)

        def negative_log_likelihood(log_temperature: float) -> float:
            log_p = log_softmax(scores / np.exp(log_temperature), axis=1)
            return -float(log_p[np.arange(len(truth)), truth].mean())

        best = minimize_scalar(negative_log_likelihood, bounds=(-5.0, 3.0), method="bounded")
        return float(np.exp(best.x))

    def decision_function(self, X):
        return self.svm_.decision_function(X)

    def predict_proba(self, X):
        return softmax(self.decision_function(X) / self.temperature_, axis=1)

    def scores_of_terms(self, indices: np.ndarray, values: np.ndarray) -> np.ndarray:
        """Decision scores of one feature row given as (column indices, values)."""
        return self.svm_.coef_[:, indices] @ values + self.svm_.intercept_

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        return softmax(scores / self.temperature_)

    def predict(self, X):
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]

    @property
    def coef_(self):
        return self.svm_.coef_


def _tfidf(**options) -> TfidfVectorizer:
    return TfidfVectorizer(sublinear_tf=True, lowercase=False, **options)


class TextFeatures(TransformerMixin, BaseEstimator):
    """Three TF-IDF blocks side by side, each scaled by its weight: single characters,
    character 2–3-grams and jieba words.

    Like a FeatureUnion, but it runs the blocks in turn without joblib, whose start-up costs
    more than transforming one message.
    """

    def __init__(self, weights: dict[str, float] | None = None):
        self.weights = weights

    def _vectorizers(self) -> dict[str, TfidfVectorizer]:
        return {
            "chars": _tfidf(analyzer="char", ngram_range=(1, 1)),
            "char_ngrams": _tfidf(analyzer="char", ngram_range=(2, 3)),
            "words": _tfidf(tokenizer=words, token_pattern=None),
        }

    def _weight(self, name: str) -> float:
        return (self.weights or FEATURE_WEIGHTS)[name]

    def fit_transform(self, X, y=None):
        self.vectorizers_ = self._vectorizers()
        blocks = [v.fit_transform(X) * self._weight(n) for n, v in self.vectorizers_.items()]
        return sparse.hstack(blocks, format="csr")

    def fit(self, X, y=None):
        self.fit_transform(X)
        return self

    def transform(self, X):
        blocks = [v.transform(X) * self._weight(n) for n, v in self.vectorizers_.items()]
        return sparse.hstack(blocks, format="csr")

    def terms(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """The feature row of one normalised text as (column indices, values).

        Equal to ``transform([text])`` — sublinear tf × idf, l2-normalised per block, times the
        block's weight — without scikit-learn's per-call input validation, which costs ten times
        more than the arithmetic for a single message.
        """
        indices, values, offset = [], [], 0
        for name, vectorizer in self.vectorizers_.items():
            vocabulary = vectorizer.vocabulary_
            counts = Counter(t for t in vectorizer.build_analyzer()(text) if t in vocabulary)
            if counts:
                columns = np.fromiter((vocabulary[t] for t in counts), dtype=np.intp)
                weights = 1.0 + np.log(np.fromiter(counts.values(), dtype=float))
                weights *= vectorizer.idf_[columns]
                weights *= self._weight(name) / np.linalg.norm(weights)
                indices.append(columns + offset)
                values.append(weights)
            offset += len(vocabulary)
        if not indices:
            return np.empty(0, dtype=np.intp), np.empty(0)
        return np.concatenate(indices), np.concatenate(values)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        return np.concatenate(
            [
                np.array([f"{name}__{term}" for term in v.get_feature_names_out()], dtype=object)
                for name, v in self.vectorizers_.items()
            ]
        )


def build_pipeline() -> Pipeline:
    """An unfitted pipeline: normalised text in, unit probabilities out."""
    return Pipeline([("features", TextFeatures()), ("classify", TemperatureScaledSVC())])


def train(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """Fit a new pipeline on raw messages and their units."""
    return build_pipeline().fit([normalize(t) for t in texts], list(labels))


def predict_proba(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """Unit probabilities (columns in ``pipeline.classes_`` order) for raw messages."""
    return pipeline.predict_proba([normalize(t) for t in texts])


def predict(pipeline: Pipeline, texts: Sequence[str]) -> list[str]:
    """The most likely unit of each raw message."""
    return list(pipeline.predict([normalize(t) for t in texts]))
