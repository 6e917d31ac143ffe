"""The leak gate over distinct values reports every row that holds a leaking value."""

from __future__ import annotations

import sqlite_utils

from ingest.gate import scan_built_dataset


def test_a_repeated_leak_is_reported_at_every_row(tmp_path):
    built = tmp_path / "notes.db"
    db = sqlite_utils.Database(built)
    db["notes"].insert_all(
        [
            {"shop": "羅東電器行", "note": "已查核"},
            {"shop": "羅東電器行", "note": "負責人身分證 A123456789"},
            {"shop": "宜蘭五金行", "note": "已查核"},
            {"shop": "宜蘭五金行", "note": "負責人身分證 A123456789"},
            {"shop": "頭城商號", "note": "請回電 0912-345-678"},
        ]
    )
    db.close()
    leaks = scan_built_dataset(built, "notes", tmp_path)
    assert [(leak.rowid, leak.column, leak.type) for leak in leaks] == [
        (2, "note", "national_id"),
        (4, "note", "national_id"),
        (5, "note", "phone"),
    ]
    assert all("A123456789" not in leak.excerpt_masked for leak in leaks)
    assert [path.name for path in tmp_path.iterdir()] == ["notes.db"]  # scratch removed
