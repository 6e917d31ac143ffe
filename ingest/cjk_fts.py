"""Chinese-capable full-text search on SQLite FTS5 with overlapping bigrams.

FTS5's ``unicode61`` tokenizer keeps a run of CJK characters as one token, so a search for
a word inside a sentence finds nothing. Here every CJK run is indexed as its overlapping
bigrams (in order, so a longer query is a phrase of bigrams) followed by its single
characters (so one-character queries work); other words are kept as they are.
The index is a standalone FTS5 table ``<table>_fts`` whose rowid is the main table's rowid.

Published text is Taiwan Traditional Chinese; a reader may type Simplified characters or
mainland words (计程车, 自行车). A query therefore also matches in its Taiwan forms (OpenCC
``s2tw``, characters only, and ``s2twp``, with Taiwan phrases: 自行车 → 腳踏車), the words
as typed included, so 自行車 still finds rows that say 自行車.
"""

from __future__ import annotations

import re
from functools import lru_cache

import opencc
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


_TAIWAN_FORMS = (opencc.OpenCC("s2tw"), opencc.OpenCC("s2twp"))


def query_variants(user_query: str) -> list[str]:
    """The query as typed, then its distinct Taiwan Traditional forms."""
    variants = [user_query]
    for converter in _TAIWAN_FORMS:
        converted = converter.convert(user_query)
        if converted not in variants:
            variants.append(converted)
    return variants


def _terms_expression(text: str) -> str:
    terms: list[str] = []
    for run in _RUNS.findall(text):
        if _is_cjk(run):
            pieces = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
            terms.append('"' + " ".join(pieces) + '"')
        else:
            terms.extend(f'"{word}"' for word in _WORD_CHARS.findall(run))
    return " ".join(terms)


def fts_query(user_query: str) -> str:
    """An FTS5 MATCH expression finding rows that contain every term of ``user_query``, as
    typed or in one of its Taiwan forms (``query_variants``).

    A CJK run of two or more characters becomes the phrase of its bigrams; a single CJK
    character or another word becomes a quoted term. Returns ``""`` for a query with no
    searchable characters (the caller should then not search).
    """
    expressions = [e for e in map(_terms_expression, query_variants(user_query)) if e]
    if len(expressions) <= 1:
        return "".join(expressions)
    return " OR ".join(f"({expression})" for expression in expressions)


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
