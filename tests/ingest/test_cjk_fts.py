"""Chinese full-text search: words inside sentences are found, of any length, mixed with Latin."""

from __future__ import annotations

import pytest
import sqlite_utils

from ingest.cjk_fts import build_search_index, fts_query


@pytest.fixture
def db():
    database = sqlite_utils.Database(memory=True)
    database["news"].insert_all(
        [
            {"title": "進口吹風機標示不符，已退運", "body": "ABC-123 型"},
            {"title": "電熱水瓶回收", "body": "請停止使用"},
            {"title": "兒童玩具小零件", "body": "USB 充電"},
            {"title": "自行車車燈", "body": ""},
            {"title": "腳踏車鈴", "body": ""},
        ]
    )
    build_search_index(database, "news", ["title", "body"])
    return database


def search(db, query: str) -> list[int]:
    sql = "SELECT rowid FROM news_fts WHERE news_fts MATCH ? ORDER BY rowid"
    return [row[0] for row in db.execute(sql, [fts_query(query)])]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("吹風機", [1]), ("吹風", [1]), ("風", [1]), ("退運", [1]), ("熱水瓶", [2]),
     ("回收 熱水", [2]), ("usb", [3]), ("abc", [1]), ("吹風機 回收", []), ("機吹", [])],
)  # fmt: skip
def test_queries_find_words_inside_sentences(db, query, expected):
    assert search(db, query) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [("吹风机", [1]), ("热水瓶 回收", [2]), ("usb 充电", [3]), ("自行车", [4, 5]),
     ("自行車", [4, 5]), ("腳踏車", [5]), ("吹风机 回收", [])],
)  # fmt: skip
def test_simplified_and_mainland_words_find_taiwan_traditional_rows(db, query, expected):
    assert search(db, query) == expected


def test_queries_without_searchable_characters_are_empty():
    assert fts_query(" ，。") == ""
    assert fts_query('"; DROP') == '"DROP"'
