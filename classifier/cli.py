"""The classifier's commands: ``kaifang classifier train|evaluate|retrain|versions|promote|rollback``
and ``kaifang classify`` (JSON lines in, routings out, streaming).

scikit-learn, jieba and the feedback store are imported inside the commands that use them, so
``kaifang --help`` and every other kaifang command start without loading them.
"""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path

import click

from kaifang.settings import load_settings


def _fail(exc: Exception):
    raise click.ClickException(str(exc)) from exc


def _examples(data: Path | None):
    from classifier import corpus

    try:
        return corpus.read_labelled_file(data) if data else corpus.shipped_corpus()
    except corpus.CorpusError as exc:
        _fail(exc)


def _say_promotion(promotion) -> None:
    click.echo(("promoted: " if promotion.promoted else "not promoted: ") + promotion.reason)


@click.group("classifier")
def classifier_group() -> None:
    """Train, evaluate and version the model that routes messages to units."""


@classifier_group.command()
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSONL with text,label (default: the shipped corpus, train split).",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the model into this folder instead of the registry.",
)
def train(data: Path | None, out: Path | None) -> None:
    """Train a model, score it on the held-out split, and store it (promoted if not worse)."""
    from classifier import corpus, registry
    from classifier.persist import save_model
    from classifier.training import train_and_evaluate

    examples = _examples(data)
    source = str(data) if data else "shipped corpus"
    try:
        trained = train_and_evaluate(examples, source=source)
    except corpus.CorpusError as exc:
        _fail(exc)
    click.echo(f"trained on {trained.metadata['training_messages']} messages from {source}")
    click.echo(f"held-out macro-F1 {trained.heldout_macro_f1:.4f}")
    if out:
        save_model(out, trained.pipeline, {"version": out.name, **trained.metadata})
        click.echo(f"model written to {out}")
        return
    models_dir = load_settings().ensure_dirs().models
    version = registry.add_version(models_dir, trained)
    click.echo(f"stored version {version.id} in {models_dir}")
    _say_promotion(registry.promote(models_dir, version.id))


@classifier_group.command("evaluate")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or JSONL with text,label (default: the shipped held-out split).",
)
@click.option(
    "--cv",
    "folds",
    type=click.IntRange(min=2),
    help="Stratified K-fold cross-validation of fresh models on the data.",
)
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder to evaluate (default: the registry's current model).",
)
def evaluate_command(data: Path | None, folds: int | None, model_dir: Path | None) -> None:
    """Print macro-F1, accuracy, per-unit precision/recall/F1 and the confusion matrix."""
    from classifier import corpus, registry
    from classifier.evaluation import cross_validate, evaluate, format_report
    from classifier.persist import ModelFileError, load_model

    examples = _examples(data)
    if folds:
        click.echo(f"{folds}-fold stratified cross-validation on {len(examples)} messages")
        try:
            metrics = cross_validate([e.text for e in examples], [e.label for e in examples], folds)
        except ValueError as exc:
            _fail(exc)
        click.echo(format_report(metrics))
        return
    if data is None:
        examples = corpus.split(examples, "heldout")
    try:
        if model_dir:
            pipeline, name = load_model(model_dir), str(model_dir)
        else:
            current = registry.current_version(load_settings().models)
            if current is None:
                raise click.ClickException("no current model: run `kaifang classifier train`")
            pipeline, name = load_model(current.path), current.id
    except ModelFileError as exc:
        _fail(exc)
    click.echo(f"model {name} on {len(examples)} messages")
    metrics = evaluate(pipeline, [e.text for e in examples], [e.label for e in examples])
    click.echo(format_report(metrics))


@classifier_group.command()
def retrain() -> None:
    """Add staff routing corrections to the corpus, retrain, promote when not worse."""
    from classifier.retrain import retrain_from_store

    click.echo(retrain_from_store(load_settings().ensure_dirs()).summary())


@classifier_group.command()
def versions() -> None:
    """List stored model versions; the current one is marked with *."""
    from classifier import registry

    models_dir = load_settings().models
    stored = registry.list_versions(models_dir)
    if not stored:
        click.echo(f"no model versions in {models_dir}")
        return
    current = registry.current_version(models_dir)
    click.echo(f"  {'version':<20} {'created':<26} {'held-out F1':>11} {'messages':>9}  source")
    for v in stored:
        mark = "*" if current and v.id == current.id else " "
        m = v.metadata
        click.echo(
            f"{mark} {v.id:<20} {m['created']:<26} {v.heldout_macro_f1:>11.4f} "
            f"{m['training_messages']:>9}  {m['source']}"
        )


@classifier_group.command()
@click.argument("version")
@click.option("--force", is_flag=True, help="Promote even if the held-out macro-F1 is worse.")
def promote(version: str, force: bool) -> None:
    """Make VERSION current if its held-out macro-F1 is not worse than the current model's."""
    from classifier import registry

    try:
        promotion = registry.promote(load_settings().models, version, force=force)
    except registry.RegistryError as exc:
        _fail(exc)
    _say_promotion(promotion)
    if promotion.refused:
        sys.exit(1)


@classifier_group.command()
def rollback() -> None:
    """Make the previously current model version current again."""
    from classifier import registry

    try:
        version = registry.rollback(load_settings().models)
    except registry.RegistryError as exc:
        _fail(exc)
    click.echo(f"current model is now {version}")


def _router(model_dir: Path | None):
    from classifier.persist import ModelFileError
    from classifier.router import load_router, load_router_from_dir

    threshold = load_settings().triage_threshold
    try:
        if model_dir:
            return load_router_from_dir(model_dir, triage_threshold=threshold)
        router = load_router(load_settings().models, triage_threshold=threshold)
    except ModelFileError as exc:
        _fail(exc)
    if router is None:
        raise click.ClickException("no current model: run `kaifang classifier train` first")
    return router


# A JSON escape such as "\\ud800" (half of an emoji cut off) parses, but is no character.
_LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")


def _parse_line(line: str) -> str:
    record = json.loads(line)
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise ValueError('expected a JSON object with a "text" string')
    if found := _LONE_SURROGATE.search(record["text"]):
        raise ValueError(
            f"the text holds an escaped lone surrogate (\\u{ord(found.group()):04x}), "
            "which is not text: send the whole character"
        )
    return record["text"]


@click.command()
@click.option(
    "--model",
    "model_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Model folder (default: the registry's current model).",
)
def classify(model_dir: Path | None) -> None:
    """Route messages: JSON lines {"text": ...} on stdin, one answer line each on stdout.

    Each answer is {"unit", "confidence", "needs_triage", "top": [[unit, p], ...]}, written
    and flushed as soon as its line is read. A bad line is reported on stderr with its line
    number and answered with {"error": ...} so output stays aligned with input; the other
    lines continue and the exit status is 1 at the end. Input is UTF-8; undecodable bytes
    become U+FFFD.
    """
    router = _router(model_dir)
    # undecodable bytes become U+FFFD: the line is still routed and the stream goes on
    source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    bad = 0
    for number, line in enumerate(iter(source.readline, ""), start=1):
        try:
            text = _parse_line(line)
        except ValueError as exc:
            bad += 1
            message = f"line {number}: {exc}"
            click.echo(message, err=True)
            answer = {"error": message}
        else:
            routing = router.route(text)
            answer = {
                "unit": routing.unit,
                "confidence": routing.confidence,
                "needs_triage": routing.needs_triage,
                "top": [list(pair) for pair in routing.top],
            }
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if bad:
        click.echo(f"{bad} bad line(s) of {number}", err=True)
        sys.exit(1)
