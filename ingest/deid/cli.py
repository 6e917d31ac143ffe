"""``kaifang deid``: scrub text streamed on stdin, one line in, one line out.

JSON lines (default): each input line is an object with a ``text`` field; the output line is
the same object with ``text`` scrubbed and ``entities`` added (``type``, ``start``, ``end``,
offsets into the input text; the values themselves are never echoed). ``--format text``
scrubs plain lines. Output is flushed after every line, so the command can sit in a pipe.
A line that is not valid JSON (or has no string ``text``, or holds an escaped lone surrogate)
is reported on stderr with its line number and answered with an ``{"error": ...}`` line, so
output stays aligned with input; the other lines are processed, and the exit status is 1 at
the end.
"""

from __future__ import annotations

import io
import json
import re
import sys
from typing import TextIO

import click

from ingest.deid.scrub import scrub

# A JSON escape such as "\\ud800" (half of an emoji cut off) parses, but is no character.
_LONE_SURROGATE = re.compile("[\\ud800-\\udfff]")


class _BadLine(ValueError):
    pass


def _scrub_json_line(line: str) -> str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        raise _BadLine('expected a JSON object with a string field "text"')
    if found := _LONE_SURROGATE.search(json.dumps(record, ensure_ascii=False)):
        raise _BadLine(
            f"the line holds an escaped lone surrogate (\\u{ord(found.group()):04x}), "
            "which is not text: send the whole character"
        )
    result = scrub(record["text"])
    record["text"] = result.text
    record["entities"] = [{"type": e.type, "start": e.start, "end": e.end} for e in result.entities]
    return json.dumps(record, ensure_ascii=False)


def run(source: TextIO, sink: TextIO, errors: TextIO, output_format: str) -> int:
    """Scrub ``source`` line by line into ``sink``; return the number of bad lines."""
    bad_lines = 0
    for number, raw in enumerate(iter(source.readline, ""), start=1):
        line = raw.rstrip("\r\n")
        if output_format == "text":
            sink.write(scrub(line).text + "\n")
        elif line.strip():
            try:
                sink.write(_scrub_json_line(line) + "\n")
            except _BadLine as problem:
                bad_lines += 1
                message = f"line {number}: {problem}"
                errors.write(f"kaifang deid: {message}\n")
                errors.flush()
                sink.write(json.dumps({"error": message}) + "\n")
        sink.flush()
    return bad_lines


@click.command()
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["jsonl", "text"]),
    default="jsonl",
    show_default=True,
    help='jsonl: lines of {"text": ...}; text: plain lines.',
)
def deid(output_format: str) -> None:
    """Scrub personal data from text on stdin (JSON lines or plain lines) to stdout."""
    source = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    sink = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    bad_lines = run(source, sink, sys.stderr, output_format)
    if bad_lines:
        click.echo(f"kaifang deid: {bad_lines} line(s) could not be read; see above", err=True)
        sys.exit(1)
