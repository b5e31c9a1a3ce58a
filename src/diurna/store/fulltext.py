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
SEARCH_WINDOW = 500  # SQLite: the most recent matches a search ranks (see search_select)
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


def search_select(dialect: str, query: str, *, limit: int, offset: int = 0, words: int = 24) -> Select:
    """A page of the articles matching `query`, best first, with a snippet of the text around the match.

    The page is ranked first and the snippets made for its rows alone: a snippet costs a pass over
    its article's text, and a common word matches most articles. On SQLite a query matching more
    than SEARCH_WINDOW articles is ranked among the most recently stored SEARCH_WINDOW of them.
    """
    columns = (articles.c.id, articles.c.url, articles.c.title, articles.c.published, articles.c.site)
    if dialect == "postgresql":
        tsquery = func.websearch_to_tsquery("english", query)
        options = f"StartSel={MARK[0]}, StopSel={MARK[1]}, MaxWords={words}, MinWords={words // 2}"
        rank = func.ts_rank(search_column, tsquery)
        ranked = (select(articles.c.id, rank.label("rank")).where(search_column.op("@@")(tsquery))
                  .order_by(rank.desc(), articles.c.id).limit(limit).offset(offset).subquery())
        return (select(*columns, func.ts_headline("english", articles.c.text, tsquery, options).label("snippet"),
                       ranked.c.rank)
                .join(ranked, ranked.c.id == articles.c.id).order_by(ranked.c.rank.desc(), articles.c.id))
    match = fts5_query(query)
    fts_name = literal_column("articles_fts")
    rank = func.bm25(fts_name, 10.0, 1.0)  # a hit in the title weighs ten times one in the text

    def matched() -> ColumnElement:
        return text("articles_fts MATCH :fts_match").bindparams(fts_match=match) if match else false()

    # Ranking reads every match's term counts (15 ms for a word in 2,000 articles, growing with the
    # database), so a common word is ranked among its SEARCH_WINDOW most recently stored matches
    # (FTS5 walks its rowids newest first and stops); rarer words are ranked among all of theirs.
    # Index rows are chosen by rowid, which FTS5 looks up directly (an article id is a column read).
    rowid = literal_column("articles_fts.rowid")
    window = max(SEARCH_WINDOW, limit + offset)
    recent = (select(rowid.label("rid"), rank.label("rank")).select_from(fts).where(matched())
              .order_by(rowid.desc()).limit(window).subquery())
    page = select(recent.c.rid).order_by(recent.c.rank, recent.c.rid.desc()).limit(limit).offset(offset)
    # snippet() and bm25() work only in the query that runs the MATCH: the page's rows are matched
    # again there, by rowid, so only they reach snippet()
    snippet = func.snippet(fts_name, 1, MARK[0], MARK[1], "…", words)
    return (select(*columns, snippet.label("snippet"), (-rank).label("rank"))
            .select_from(fts.join(articles, articles.c.id == fts.c.article_id))
            .where(matched(), rowid.in_(page)).order_by(rank, rowid.desc()))
