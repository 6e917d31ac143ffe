"""``kaifang deid`` as staff run it: a real subprocess, streaming, bad lines reported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

KAIFANG = [str(Path(sys.executable).with_name("kaifang"))]


def _run(args: list[str], stdin: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*KAIFANG, "deid", *args], input=stdin.encode("utf-8"), capture_output=True, timeout=60
    )


def test_json_lines_round_trip_keeps_order_and_other_fields():
    lines = [
        {"id": 1, "text": "陳情人王小明電話0912-345-678"},
        {"id": 2, "text": "型號KX-1250的延長線，售價1,299元"},
        {"id": 3, "text": "住址基隆市仁愛區愛一路12號"},
    ]
    result = _run([], "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines))
    assert result.returncode == 0, result.stderr
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [a["id"] for a in answers] == [1, 2, 3]
    assert answers[0]["text"] == "陳情人〔姓名〕電話〔電話〕"
    assert answers[0]["entities"] == [
        {"type": "name", "start": 3, "end": 6},
        {"type": "phone", "start": 8, "end": 20},
    ]
    assert answers[1] == {**lines[1], "entities": []}
    assert answers[2]["text"] == "住址基隆市仁愛區〔地址〕"


def test_one_line_in_one_line_out_before_stdin_closes():
    process = subprocess.Popen(
        [*KAIFANG, "deid"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        for phone in ("0912345678", "02-2311-1234"):
            process.stdin.write(json.dumps({"text": f"電話{phone}"}).encode() + b"\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())  # would hang if output waited for EOF
            assert answer["text"] == "電話〔電話〕"
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0


def test_malformed_line_is_reported_and_the_others_are_kept():
    stdin = '{"text": "王先生來電"}\n{"text": broken\n["not", "an object"]\n{"text": "手機0912345678"}\n'
    result = _run([], stdin)
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert answers[0]["text"] == "〔姓名〕來電"
    assert answers[1] == {"error": "line 2: not valid JSON (Expecting value at column 10)"}
    assert "line 3" in answers[2]["error"]
    assert answers[3]["text"] == "手機〔電話〕"
    stderr = result.stderr.decode("utf-8")
    assert "line 2: not valid JSON" in stderr and "2 line(s) could not be read" in stderr


def test_plain_text_format_survives_blank_lines_and_invalid_utf8():
    process = subprocess.run(
        [*KAIFANG, "deid", "--format", "text"],
        input="聯絡人林美玲\n\n".encode() + b"\xff\xfe bad\n" + "型號KX-1250\n".encode(),
        capture_output=True,
        timeout=60,
    )
    assert process.returncode == 0
    assert process.stdout.decode("utf-8").splitlines() == [
        "聯絡人〔姓名〕",
        "",
        "\ufffd\ufffd bad",
        "型號KX-1250",
    ]


def test_an_escaped_lone_surrogate_is_a_bad_line_not_the_end_of_the_stream():
    # valid JSON ("\ud800", half an emoji cut off by the sender) but not text that UTF-8 can hold
    stdin = '{"text": "王先生\\ud800"}\n{"id": 2, "text": "陳情人王小明"}\n'
    result = _run([], stdin)
    assert result.returncode == 1
    answers = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert answers[0]["error"].startswith(
        "line 1: the line holds an escaped lone surrogate (\\ud800)"
    )
    assert answers[1]["text"] == "陳情人〔姓名〕"
    assert b"Traceback" not in result.stderr
