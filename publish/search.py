"""Catalog search: which datasets match a reader's words, in their metadata or in their rows.

Metadata (titles, descriptions, keywords and field labels, in both languages) is matched by
substring, which suits Chinese without segmentation, in the words as typed or in their Taiwan
Traditional forms (``ingest.cjk_fts.query_variants``), like the rows. Rows are matched through each
dataset's bigram FTS5 index with ``ingest.cjk_fts.fts_query``, counting at most
``ROW_COUNT_CAP`` hits so that a common word stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

from ingest.cjk_fts import fts_query, query_variants
from publish.catalog import Catalog, PublishedDataset

ROW_COUNT_CAP = 1000


@dataclass(frozen=True)
class SearchHit:
    dataset: PublishedDataset
    in_metadata: bool
    matching_rows: int  # capped at ROW_COUNT_CAP + 1; 0 when only the metadata matched

    @property
    def rows_capped(self) -> bool:
        return self.matching_rows > ROW_COUNT_CAP


def metadata_text(dataset: PublishedDataset) -> str:
    definition = dataset.definition
    parts = [definition.name, definition.title, definition.title_en, definition.description]
    parts += [definition.description_en, *definition.keywords, *definition.keywords_en]
    parts += [
        f"{c.label} {c.description} {c.label_en or ''} {c.description_en or ''}"
        for c in definition.published_columns
    ]
    return " ".join(p for p in parts if p).casefold()


def matches_metadata(dataset: PublishedDataset, query: str) -> bool:
    """Every word of the query, as typed or in one of its Taiwan forms, is in the metadata."""
    text = metadata_text(dataset)
    return any(
        all(word.casefold() in text for word in variant.split())
        for variant in query_variants(query)
    )


def is_searchable(dataset: PublishedDataset) -> bool:
    return any(c.search for c in dataset.definition.published_columns)


async def count_matching_rows(datasette, dataset: PublishedDataset, text: str) -> int:
    expression = fts_query(text)
    if not expression:
        return 0
    fts = f"{dataset.name}_fts"
    result = await datasette.get_database(dataset.name).execute(
        f'select count(*) from (select rowid from "{fts}" where "{fts}" match :q limit {ROW_COUNT_CAP + 1})',
        {"q": expression},
    )
    return result.first()[0]


async def example_search_word(datasette, dataset: PublishedDataset) -> str:
    """A word for the landing page's search example: the first keyword (or the title) that the
    dataset's rows contain, so the example finds something; else the first keyword."""
    definition = dataset.definition
    candidates = [*(definition.keywords or []), definition.title]
    for word in candidates:
        if await count_matching_rows(datasette, dataset, word):
            return word
    return candidates[0]


async def search_catalog(datasette, catalog: Catalog, text: str) -> list[SearchHit]:
    """Datasets matching every word of ``text``, metadata matches first, then by row hits."""
    if not text.split():
        return []
    hits = []
    for dataset in catalog.datasets:
        rows = await count_matching_rows(datasette, dataset, text) if is_searchable(dataset) else 0
        in_metadata = matches_metadata(dataset, text)
        if in_metadata or rows:
            hits.append(SearchHit(dataset=dataset, in_metadata=in_metadata, matching_rows=rows))
    return sorted(hits, key=lambda h: (not h.in_metadata, -h.matching_rows))
