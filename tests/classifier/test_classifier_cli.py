"""The classifier's commands, run as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from classifier import corpus, registry
from feedback_api import accounts, cases
from feedback_api.store import open_store
from feedback_api.validation import parse_submission
from kaifang.cli import main
from kaifang.settings import load_settings
from tests.feedback.payloads import valid_case

KAIFANG = Path(sys.executable).with_name("kaifang")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_train_to_a_folder_then_classify_streams_answers_line_by_line(tmp_path, small_csv):
    out = tmp_path / "small-model"
    result = run("classifier", "train", "--data", str(small_csv), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "trained on 84 messages" in result.output and "held-out macro-F1" in result.output

    process = subprocess.Popen(
        [str(KAIFANG), "classify", "--model", str(out)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, encoding="utf-8", env={**os.environ, "KAIFANG_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    try:
        process.stdin.write(json.dumps({"text": "計程車的計費表跳太快"}, ensure_ascii=False) + "\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # answered while stdin is still open
        assert first["unit"] in corpus.UNITS
        assert set(first) == {"unit", "confidence", "needs_triage", "top"}
        assert [unit for unit, _ in first["top"]][0] == first["unit"]
        process.stdin.write("this is not json\n")
        process.stdin.write(json.dumps({"text": "網拍賣家賣沒有標章的延長線"}) + "\n")
        process.stdin.write(json.dumps({"message": "no text field"}) + "\n")
        process.stdin.close()
        rest = [json.loads(line) for line in process.stdout]
        stderr = process.stderr.read()
        assert process.wait(timeout=60) == 1
    finally:
        process.kill()
    assert "error" in rest[0] and "unit" in rest[1] and "error" in rest[2]
    assert "line 2:" in stderr and "line 4:" in stderr


def test_evaluate_prints_figures_per_unit_and_a_confusion_matrix(home_with_model, small_csv):
    result = run("classifier", "evaluate")
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output and "accuracy" in result.output
    assert "confusion matrix" in result.output
    for unit in corpus.UNITS:
        assert unit in result.output
    cross = run("classifier", "evaluate", "--data", str(small_csv), "--cv", "3")
    assert cross.exit_code == 0, cross.output
    assert "3-fold stratified cross-validation on 84 messages" in cross.output


def test_a_bad_training_file_is_refused_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "秤不準", "label": "計量課"}\n{"text": "網站壞了", "label": "資訊室"}\n',
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["classifier", "train", "--data", str(bad)])
    assert result.exit_code != 0
    assert f"{bad}:2" in result.output and "資訊室" in result.output


def test_a_training_file_saved_in_big5_is_refused_with_what_to_do(tmp_path):
    # Excel in Taiwan saves "CSV" in Big5 (cp950) unless told to use UTF-8
    big5 = tmp_path / "corrections.csv"
    big5.write_bytes("text,label\n計程車跳錶太快,計量課\n".encode("cp950"))
    result = CliRunner().invoke(main, ["classifier", "evaluate", "--data", str(big5)])
    assert result.exit_code == 1
    assert f"{big5}:2: not UTF-8" in result.output and "save it as UTF-8" in result.output


def test_versions_promote_and_rollback_commands(home_with_model, small_csv):
    models = load_settings().models
    first = registry.current_version(models)
    trained = run("classifier", "train", "--data", str(small_csv))
    assert trained.exit_code == 0 and "not promoted: refused" in trained.output
    candidate = [v for v in registry.list_versions(models) if v.id != first.id][0]
    listing = run("classifier", "versions").output
    assert f"* {first.id}" in listing and f"  {candidate.id}" in listing

    refused = CliRunner().invoke(main, ["classifier", "promote", candidate.id])
    assert refused.exit_code == 1 and "worse" in refused.output
    forced = run("classifier", "promote", candidate.id, "--force")
    assert forced.exit_code == 0 and registry.current_version(models).id == candidate.id
    back = run("classifier", "rollback")
    assert back.exit_code == 0 and first.id in back.output
    assert registry.current_version(models).id == first.id


def test_retrain_learns_from_staff_reassignments_in_the_feedback_store(home_with_model):
    settings = load_settings().ensure_dirs()
    before = registry.current_version(settings.models)
    store = open_store(settings)
    try:
        officer = accounts.add_staff(
            store, "lin", "a long enough password", display_name="林技士",
            role="section_staff", unit="秘書室",
        ).actor()  # fmt: skip
        texts = [
            "樓下藥局賣的耳溫槍沒有中文標示也沒有標章",
            "社區活動中心的體重計好像不準，要找誰檢定",
        ]
        for text, unit in zip(texts, ["市場監督課", "計量課"], strict=True):
            submitted = cases.submit(store, parse_submission(valid_case(text=text)), channel="api")
            case = cases.get_case(store, submitted.tracking)
            other = "秘書室" if case.unit != "秘書室" else "化工產品課"
            cases.reassign(store, submitted.tracking, other, actor=officer)
            cases.reassign(store, submitted.tracking, unit, actor=officer)
    finally:
        store.close()

    result = run("classifier", "retrain")
    assert result.exit_code == 0, result.output
    assert "corrections used: 2, skipped: 0" in result.output
    candidate = registry.list_versions(settings.models)[-1]
    assert candidate.id != before.id and candidate.metadata["corrections"] == 2
    assert candidate.metadata["training_messages"] == before.metadata["training_messages"] + 2
    promoted = candidate.heldout_macro_f1 >= before.heldout_macro_f1
    assert (registry.current_version(settings.models).id == candidate.id) == promoted
    assert ("promoted:" if promoted else "kept the current model:") in result.output


def test_classify_answers_every_line_of_a_stream_with_broken_bytes(home_with_model):
    lines = [
        '{"text": "電子秤不準"}\n'.encode(),
        '{"text": "充電器 '.encode() + b"\xff\xfe" + ' 冒煙"}\n'.encode(),  # not UTF-8
        b'{"text": "\\ud800"}\n',
        '{"text": "安全帽沒有標章"}\n'.encode(),
    ]
    done = subprocess.run(
        [str(KAIFANG), "classify"], input=b"".join(lines), capture_output=True, timeout=120,
        env={**os.environ, "KAIFANG_HOME": str(home_with_model)},
    )  # fmt: skip
    answers = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert b"Traceback" not in done.stderr
    assert [set(a) == {"error"} for a in answers] == [False, False, True, False]
    assert "lone surrogate" in answers[2]["error"] and done.returncode == 1


def test_a_damaged_model_file_is_reported_not_a_traceback(home_with_model):
    """A model file cut short (disk full while copying, a bad backup) must be refused with a
    message naming the file, like a tampered one, not crash `kaifang classify`."""
    current = registry.current_version(home_with_model / "models")
    model_file = current.path / "model.skops"
    with model_file.open("r+b") as handle:
        handle.truncate(model_file.stat().st_size // 2)
    result = CliRunner().invoke(main, ["classify"], input='{"text": "秤不準"}\n')
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # an exit with a message, not a crash
    assert "model.skops" in result.output and "damaged" in result.output
