"""The model registry: versions with metadata, promotion only when not worse, rollback, skops
files that refuse untrusted types, and the default model of ``kaifang up``."""

from __future__ import annotations

import json
import os

import pytest
import skops.io as sio
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from classifier import corpus, registry
from classifier.persist import MODEL_FILE, ModelFileError, load_model
from classifier.retrain import retrain
from classifier.router import load_router
from classifier.training import TrainedModel, train_and_evaluate
from kaifang.settings import load_settings


def _tiny_candidate() -> TrainedModel:
    """A weak model: four training messages per unit."""
    taken: dict[str, int] = {}
    examples = []
    for example in corpus.split(corpus.shipped_corpus(), "train"):
        if taken.get(example.label, 0) < 4:
            taken[example.label] = taken.get(example.label, 0) + 1
            examples.append(example)
    return train_and_evaluate(examples, source="four per unit")


def _same_as_current(models_dir) -> TrainedModel:
    """A candidate as good as the current model (its own pipeline and metadata)."""
    current = registry.current_version(models_dir)
    return TrainedModel(load_model(current.path), dict(current.metadata))


def test_the_default_model_is_trained_once_with_its_metadata(trained_home, trained_models):
    settings = load_settings(env={"KAIFANG_HOME": str(trained_home)})
    versions = registry.list_versions(trained_models)
    assert len(versions) == 1
    again = registry.ensure_default_model(settings)
    assert again.id == versions[0].id and len(registry.list_versions(trained_models)) == 1
    metadata = json.loads((again.path / "metadata.json").read_text(encoding="utf-8"))
    assert metadata["source"] == "shipped corpus"
    assert len(metadata["training_data_sha256"]) == 64
    assert {"scikit-learn", "skops", "jieba", "opencc", "python"} <= set(metadata["libraries"])
    heldout = metadata["metrics"]["heldout"]
    assert heldout["macro_f1"] >= 0.85 and heldout["messages"] >= 7 * 25
    assert metadata["created"].endswith("+00:00")


def test_a_candidate_whose_model_file_does_not_load_never_becomes_current(models_copy):
    # promoted, it would send every message to triage until someone rolled back
    before = registry.current_version(models_copy)
    damaged = registry.add_version(models_copy, _same_as_current(models_copy))
    model_file = damaged.path / "model.skops"
    with model_file.open("r+b") as handle:
        handle.truncate(model_file.stat().st_size // 2)
    refused = registry.promote(models_copy, damaged.id, force=True)
    assert not refused.promoted and refused.refused and "model" in refused.reason
    assert registry.current_version(models_copy).id == before.id


def test_a_worse_candidate_is_refused_unless_forced(models_copy):
    before = registry.current_version(models_copy)
    weak = registry.add_version(models_copy, _tiny_candidate())
    assert weak.heldout_macro_f1 < before.heldout_macro_f1
    refused = registry.promote(models_copy, weak.id)
    assert refused.refused and not refused.promoted and "worse" in refused.reason
    assert registry.current_version(models_copy).id == before.id
    forced = registry.promote(models_copy, weak.id, force=True)
    assert forced.promoted and registry.current_version(models_copy).id == weak.id


def test_an_equal_candidate_is_promoted_and_rollback_restores_the_previous(models_copy):
    first = registry.current_version(models_copy)
    second = registry.add_version(models_copy, _same_as_current(models_copy))
    assert registry.promote(models_copy, second.id).promoted
    assert registry.current_version(models_copy).id == second.id
    assert registry.rollback(models_copy).id == first.id
    assert load_router(models_copy).model_version == first.id
    with pytest.raises(registry.RegistryError, match="nothing to roll back"):
        registry.rollback(models_copy)


def test_promoting_an_unknown_version_says_so(models_copy):
    with pytest.raises(registry.RegistryError, match="no model version 'nope'"):
        registry.promote(models_copy, "nope")


def test_no_model_means_no_router(tmp_path):
    assert load_router(tmp_path / "models") is None


def test_models_are_skops_zip_files_not_pickles(trained_models):
    path = registry.current_version(trained_models).path / MODEL_FILE
    assert path.read_bytes()[:2] == b"PK"


def _plant(models_dir, obj) -> None:
    """Replace the current model file with one holding ``obj``."""
    current = registry.current_version(models_dir)
    os.remove(current.path / MODEL_FILE)
    sio.dump(obj, current.path / MODEL_FILE)


class Payload:
    """A type no model of ours contains."""

    def __init__(self):
        self.command = "echo owned"


@pytest.mark.parametrize(
    "planted",
    [
        Pipeline([("features", TfidfVectorizer(tokenizer=os.system, token_pattern=None))]),
        Payload(),
    ],
    ids=["function os.system", "unknown class"],
)
def test_a_tampered_model_file_is_refused_before_it_runs(models_copy, planted):
    _plant(models_copy, planted)
    with pytest.raises(ModelFileError, match="untrusted"):
        load_model(registry.current_version(models_copy).path)
    with pytest.raises(ModelFileError):
        load_router(models_copy)


def test_retraining_skips_unknown_units_and_never_trains_on_held_out_messages(models_copy):
    before = registry.current_version(models_copy)
    heldout = corpus.split(corpus.shipped_corpus(), "heldout")[0]
    result = retrain(
        models_copy,
        [
            ("夜市有攤販在賣沒有標章的電蚊拍，一支一百元", "市場監督課"),
            ("宜蘭的計程車要在哪裡檢定計費表", "蘇澳辦事處"),  # a field office: never a label
            (heldout.text, heldout.label),
            # the same held-out message as a citizen might paste it: spaced, full-width
            (" ".join(heldout.text).replace("，", ","), heldout.label),
        ],
    )
    assert (result.corrections_used, result.corrections_skipped) == (3, 1)
    candidate = result.promotion.candidate
    assert candidate.metadata["training_messages"] == before.metadata["training_messages"] + 1
    assert candidate.metadata["corrections"] == 3
    assert "corrections used: 3, skipped: 1" in result.summary()


def test_two_retrainings_finishing_at_once_store_two_versions(models_copy, monkeypatch):
    """The nightly step and `kaifang classifier retrain` may finish in the same second: each
    candidate must get a version of its own, not write over the other's folder."""
    real_save = registry.save_model
    nested: list[registry.ModelVersion] = []
    other = _tiny_candidate()

    def save_while_the_other_saves(directory, pipeline, metadata):
        if pipeline is not other.pipeline and not nested:
            # the other process picks its version id before this one has written
            nested.append(registry.add_version(models_copy, other))
        real_save(directory, pipeline, metadata)

    monkeypatch.setattr(registry, "save_model", save_while_the_other_saves)
    first = registry.add_version(models_copy, _same_as_current(models_copy))
    assert first.id != nested[0].id
    assert registry.get_version(models_copy, first.id).metadata == first.metadata
    assert registry.get_version(models_copy, nested[0].id).metadata["source"] == "four per unit"


def test_concurrent_promotions_compare_with_each_other_not_both_with_the_old_one(
    models_copy, monkeypatch
):
    """Two promotions at once must not both be judged against the same old current model: the
    worse of the two would become current, bypassing the not-worse rule."""
    import contextlib
    import threading

    def version_with_f1(f1: float) -> registry.ModelVersion:
        candidate = _same_as_current(models_copy)
        metadata = json.loads(json.dumps(candidate.metadata))
        metadata["metrics"]["heldout"]["macro_f1"] = f1
        return registry.add_version(models_copy, TrainedModel(candidate.pipeline, metadata))

    old = registry.current_version(models_copy)
    better = version_with_f1(old.heldout_macro_f1 + 0.005)
    slightly = version_with_f1(old.heldout_macro_f1 + 0.001)
    both_read = threading.Barrier(2, timeout=3)
    real_current_version = registry.current_version

    def current_version_then_wait(models_dir):
        current = real_current_version(models_dir)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()  # without a lock both promotions read the old model here
        return current

    results = {}

    def promote(version):
        results[version.id] = registry.promote(models_copy, version.id)

    monkeypatch.setattr(registry, "current_version", current_version_then_wait)
    threads = [threading.Thread(target=promote, args=(v,)) for v in (better, slightly)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    monkeypatch.undo()
    assert registry.current_version(models_copy).id == better.id
    # whichever ran first, the second was judged against the first's outcome, not the old model
    judged_against = [result.previous.id for result in results.values()]
    assert sorted(judged_against).count(old.id) == 1, judged_against
