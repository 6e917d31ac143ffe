"""Chinese-capable full-text search on SQLite FTS5 with overlapping bigrams.

FTS5's ``unicode61`` tokenizer keeps a run of CJK characters as one token, so a search for
a word inside a sentence finds nothing. Here every CJK run is indexed as its overlapping
bigrams (in order, so a longer query is a phrase of bigrams) followed by its single
characters (so one-character queries work); other words are kept as they are.
The index is a standalone FTS5 table ``<table>_fts`` whose rowid is the main table's rowid.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlite_utils

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_RUNS = re.compile(rf"[{_CJK}]+|[^\s{_CJK}]+")
_WORD_CHARS = re.compile(r"\w+")


def _cjk_tokens(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    bigrams = [run[i : i + 2] for i in range(len(run) - 1)]
    return bigrams + list(run)


def _is_cjk(run: str) -> bool:
    return re.match(rf"[{_CJK}]", run) is not None


@lru_cache(maxsize=1 << 16)  # columns repeat their values; the tokens are a pure function
def bigram_text(text: str | None) -> str:
    """Index text: CJK runs as their bigrams then unigrams, other words unchanged."""
    if not text:
        return ""
    tokens: list[str] = []
    for run in _RUNS.findall(text):
        tokens.extend(_cjk_tokens(run) if _is_cjk(run) else [run])
    return " ".join(tokens)


def fts_query(user_query: str) -> str:
    """An FTS5 MATCH expression finding rows that contain every term of ``user_query``.

    A CJK run of two or more characters becomes the phrase of its bigrams; a single CJK
    character or another word becomes a quoted term. Returns ``""`` for a query with no
    searchable characters (the caller should then not search).
    """
    terms: list[str] = []
    for run in _RUNS.findall(user_query):
        if _is_cjk(run):
            pieces = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
            terms.append('"' + " ".join(pieces) + '"')
        else:
            terms.extend(f'"{word}"' for word in _WORD_CHARS.findall(run))
    return " ".join(terms)


def build_search_index(db: sqlite_utils.Database, table: str, columns: list[str]) -> str:
    """Create (or rebuild) ``<table>_fts`` over ``columns`` of ``table``; return its name."""
    fts_table = f"{table}_fts"
    db.register_function(bigram_text, deterministic=True, replace=True)
    quoted = ", ".join(f"[{column}]" for column in columns)
    db.execute(f"DROP TABLE IF EXISTS [{fts_table}]")
    db.execute(f"CREATE VIRTUAL TABLE [{fts_table}] USING fts5({quoted}, tokenize='unicode61')")
    selected = ", ".join(f"bigram_text([{column}])" for column in columns)
    db.execute(
        f"INSERT INTO [{fts_table}] (rowid, {quoted}) SELECT rowid, {selected} FROM [{table}]"
    )
    return fts_table
