"""Benchmark the de-identification scrubber against the labelled corpus, beside Microsoft Presidio.

    .venv/bin/python -m bench.deid [--corpus FILE ...] [--no-presidio] [--seconds 3]

The default corpora are the 600 generated records (``tests/data/deid_corpus.jsonl``), 50
records written by hand in free form (``deid_corpus_handwritten.jsonl``, studied once for
misses) and 25 held-out records never used for tuning (``deid_corpus_heldout.jsonl``);
throughput is measured on the first.

Prints, for kaifang and for Presidio (presidio-analyzer with its predefined pattern
recognizers for a language it has no model for: a blank spaCy pipeline, phone numbers for
region TW):

- recall per type: a labelled personal value counts as caught when every character of it is
  inside a detected span (the value is gone from the output);
- precision: detected spans that overlap a labelled personal value;
- over-redaction: must-keep items (model numbers, BSMI numbers, CCC codes, case numbers,
  companies, UBNs, prices, quantities, event dates, districts, unit names) touched by a span;
- throughput on one core (the process is pinned to one CPU where the OS allows it).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPORA = [
    REPO / "tests" / "data" / "deid_corpus.jsonl",
    REPO / "tests" / "data" / "deid_corpus_handwritten.jsonl",
    REPO / "tests" / "data" / "deid_corpus_heldout.jsonl",
]
TARGETS = {
    "national_id": 0.99, "resident_id": 0.99, "phone": 0.99, "email": 0.99, "plate": 0.99,
    "name": 0.97, "address": 0.97,
}  # fmt: skip
Spans = list[tuple[int, int]]
SLICE = 50  # records per turn when systems take turns on the timing corpus


def load_corpus(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


Detector = Callable[[str], Spans]


def kaifang_detector() -> Detector:
    from ingest.deid.detectors import detect

    return lambda text: [(e.start, e.end) for e in detect(text)]


def presidio_detector() -> Detector:
    import logging

    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    # Presidio's e-mail check asks tldextract, which would fetch the public suffix list from
    # the network; use the snapshot bundled with tldextract instead (nothing may download).
    tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())
    model_dir = tempfile.mkdtemp(prefix="blank-zh-")
    spacy.blank("zh").to_disk(model_dir)
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "zh", "model_name": model_dir}],
        }
    ).create_engine()
    registry = RecognizerRegistry(supported_languages=["zh"])
    registry.load_predefined_recognizers(languages=["zh"], nlp_engine=nlp_engine)
    registry.remove_recognizer("PhoneRecognizer")
    registry.add_recognizer(PhoneRecognizer(supported_language="zh", supported_regions=("TW",)))
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine, registry=registry, supported_languages=["zh"])
    return lambda text: [(r.start, r.end) for r in analyzer.analyze(text, language="zh")]


def _covered(span: dict, detected: Spans) -> bool:
    inside = set()
    for start, end in detected:
        inside.update(range(max(start, span["start"]), min(end, span["end"])))
    return len(inside) == span["end"] - span["start"]


def _touched(span: dict, detected: Spans) -> bool:
    return any(start < span["end"] and end > span["start"] for start, end in detected)


def evaluate(records: list[dict], detector: Callable[[str], Spans]) -> dict:
    found, total, kept_touched, kept = Counter(), Counter(), Counter(), Counter()
    true_detections = all_detections = 0
    for record in records:
        detected = detector(record["text"])
        for span in record["spans"]:
            total[span["type"]] += 1
            found[span["type"]] += _covered(span, detected)
        for span in record["keep"]:
            kept[span["type"]] += 1
            kept_touched[span["type"]] += _touched(span, detected)
        for start, end in detected:
            all_detections += 1
            true_detections += any(s["start"] < end and s["end"] > start for s in record["spans"])
    return {
        "recall": {t: found[t] / total[t] for t in sorted(total)},
        "support": dict(total),
        "recall_all": sum(found.values()) / sum(total.values()),
        "precision": true_detections / all_detections if all_detections else 0.0,
        "over_redaction": sum(kept_touched.values()) / sum(kept.values()),
        "over_redaction_by_type": {t: kept_touched[t] / kept[t] for t in sorted(kept)},
    }


def throughput(
    records: list[dict], detectors: dict[str, Detector], seconds: float
) -> dict[str, tuple[float, float]]:
    """Records per second of CPU time and of wall-clock time for each system.

    The systems take turns on slices of the corpus until each has used ``seconds`` of CPU
    time, so a busy machine slows them alike and their ratio stays fair. CPU time is the
    figure to read on a shared machine: wall-clock time also counts the time other processes
    hold the core.
    """
    totals = {name: [0, 0.0, 0.0] for name in detectors}  # records, cpu, wall
    positions = dict.fromkeys(detectors, 0)
    for detect in detectors.values():
        detect("陳情人王小明電話0912345678")  # load dictionaries and compile patterns
    while any(total[1] < seconds for total in totals.values()):
        for name, detect in detectors.items():
            if totals[name][1] >= seconds:
                continue
            batch = records[positions[name] : positions[name] + SLICE]
            positions[name] = (positions[name] + SLICE) % len(records)
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            for record in batch:
                detect(record["text"])
            totals[name][0] += len(batch)
            totals[name][1] += time.process_time() - cpu_started
            totals[name][2] += time.perf_counter() - wall_started
    return {name: (done / cpu, done / wall) for name, (done, cpu, wall) in totals.items()}


def _pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to CPU {core}"
    return "not pinned (no sched_setaffinity)"


def _row(label: str, ours: str, theirs: str, target: str = "") -> str:
    return f"{label:<28}{ours:>12}{theirs:>12}{target:>10}"


def print_quality(name: str, records: list[dict], results: dict[str, dict]) -> None:
    mean_length = sum(len(r["text"]) for r in records) / len(records)
    print(f"\n== {name}: {len(records)} records, mean {mean_length:.0f} characters")
    empty = {"recall": {}, "recall_all": 0.0, "precision": 0.0, "over_redaction": 0.0}
    ours, other = results["kaifang"], results.get("presidio", empty)
    print(_row("", "kaifang", "presidio" if "presidio" in results else "-", "target"))
    for entity_type, recall in ours["recall"].items():
        theirs = other["recall"].get(entity_type)
        print(
            _row(
                f"recall {entity_type} (n={ours['support'][entity_type]})",
                f"{recall:.3f}",
                "-" if theirs is None else f"{theirs:.3f}",
                f"≥{TARGETS[entity_type]}" if entity_type in TARGETS else "",
            )
        )
    for key, label, target in (
        ("recall_all", "recall, all values", ""),
        ("precision", "precision (spans)", ""),
        ("over_redaction", "over-redaction of keep", "≤0.02"),
    ):
        print(_row(label, f"{ours[key]:.3f}", f"{other[key]:.3f}", target))
    touched = {t: f"{v:.3f}" for t, v in ours["over_redaction_by_type"].items() if v}
    if touched:
        print(f"kaifang over-redaction by keep type: {touched}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus", type=Path, action="append", help="labelled JSON lines (repeatable)"
    )
    parser.add_argument("--no-presidio", action="store_true", help="measure kaifang only")
    parser.add_argument("--seconds", type=float, default=3.0, help="CPU seconds per system")
    args = parser.parse_args()
    corpora = args.corpus or DEFAULT_CORPORA

    pinned = _pin_to_one_core()
    started = time.perf_counter()
    detectors = {"kaifang": kaifang_detector()}
    detectors["kaifang"]("王小明")
    cold_start = time.perf_counter() - started
    if not args.no_presidio:
        detectors["presidio"] = presidio_detector()
    print(f"kaifang cold start (imports, jieba dictionary): {cold_start:.2f}s; {pinned}")

    for path in corpora:
        records = load_corpus(path)
        results = {name: evaluate(records, detect) for name, detect in detectors.items()}
        print_quality(path.name, records, results)

    timed = load_corpus(corpora[0])
    speeds = throughput(timed, detectors, args.seconds)
    print(f"\n== throughput on {corpora[0].name}, one core")
    for index, label in ((0, "records/s (CPU time)"), (1, "records/s (wall clock)")):
        print(
            _row(
                label,
                f"{speeds['kaifang'][index]:.0f}",
                f"{speeds['presidio'][index]:.0f}" if "presidio" in speeds else "-",
                "≥2000" if index == 0 else "",
            )
        )
    if "presidio" in speeds:
        ratio = speeds["kaifang"][0] / speeds["presidio"][0]
        print(_row("speed ratio (CPU time)", f"{ratio:.1f}×", "", "≥10×"))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
