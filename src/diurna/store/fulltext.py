"""Full-text search over article title and text, the one place the two engines differ.

SQLite: the FTS5 table `articles_fts` (see migrations), `snippet()` and `bm25()`. A user's query
is never handed to FTS5's query language as typed (a stray quote or `AND(` is a syntax error):
it becomes quoted terms, all of which must match; "double-quoted phrases" stay phrases and a
trailing `*` makes a prefix. PostgreSQL: the generated `articles.search` tsvector,
`websearch_to_tsquery` (which accepts anything a user types), `ts_headline` and `ts_rank`.
Every value reaches the database as a bound parameter.
"""
from __future__ import annotations

import re

from sqlalchemy import ColumnElement, Select, false, func, literal_column, select, text
from sqlalchemy.sql.expression import column, table

from .schema import articles

MARK = ("[", "]")  # around matched words in snippets
_TERM = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")

fts = table("articles_fts", column("article_id"), column("title"), column("text"))
search_column = literal_column("articles.search")


def fts5_query(query: str) -> str:
    """The user's words as an FTS5 query that cannot be malformed ('' when there are none)."""
    terms = []
    for phrase, word in _TERM.findall(query or ""):
        words = _WORD.findall(phrase if phrase else word)
        if not words:
            continue
        term = '"' + " ".join(words) + '"'
        if not phrase and word.endswith("*"):
            term += "*"
        terms.append(term)
    return " ".join(terms)


def matching_ids(dialect: str, query: str) -> Select | ColumnElement:
    """A subquery of the ids of articles that match (or a false condition when nothing can)."""
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery("english", query)
        return select(articles.c.id).where(search_column.op("@@")(tsquery))
    match = fts5_query(query)
    if not match:
        return select(articles.c.id).where(false())
    return select(fts.c.article_id).where(text("articles_fts MATCH :fts_match").bindparams(fts_match=match))


def search_select(dialect: str, query: str, *, words: int = 24) -> Select:
    """Articles matching `query`, best first, with a snippet of the text around the match."""
    columns = (articles.c.id, articles.c.url, articles.c.title, articles.c.published, articles.c.site)
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery("english", query)
        options = f"StartSel={MARK[0]}, StopSel={MARK[1]}, MaxWords={words}, MinWords={words // 2}"
        rank = func.ts_rank(search_column, tsquery)
        return (select(*columns, func.ts_headline("english", articles.c.text, tsquery, options).label("snippet"),
                       rank.label("rank"))
                .where(search_column.op("@@")(tsquery)).order_by(rank.desc(), articles.c.id))
    match = fts5_query(query)
    fts_name = literal_column("articles_fts")
    snippet = func.snippet(fts_name, 1, MARK[0], MARK[1], "…", words)
    rank = func.bm25(fts_name, 10.0, 1.0)  # a hit in the title weighs ten times one in the text
    where = text("articles_fts MATCH :fts_match").bindparams(fts_match=match) if match else false()
    return (select(*columns, snippet.label("snippet"), (-rank).label("rank"))
            .select_from(fts.join(articles, articles.c.id == fts.c.article_id))
            .where(where).order_by(rank, articles.c.id))
