"""Stories: near-duplicate articles, articles grouped into stories, and one unique event for many reports.

GDELT turned one kidnapping told by many outlets into hundreds of "kidnappings"; diurna counts
happenings. `link_article` runs inside the store's write transaction for every article `Store.add`
keeps, in a fixed handful of indexed statements (never a scan, never a re-clustering). The stage,
one module per concern:

    signatures  MinHash signatures (word 3-shingles, content words) and their LSH band keys
    events      event merging: each event joins the closest compatible unique event, or starts one
    grouping    `link_article`: near-duplicates, the article's story, the writes; re-codes; `link_missing`
    reads       the story list, one story with a timeline, every mention, GDELT counts for queries
    sql         the driver-level statements of the hot path (what Core would cost there)

A unique event keeps every mention (`event_mentions`), the counts GDELT users know (mentions,
distinct sources, distinct articles), confidence combined from its mentions (noisy-or, capped at
0.99), and every date and place its mentions give; queries show the best-supported mention.

    >>> from diurna import stories
    >>> with Store.open("diurna.db") as store:
    ...     store.add(article, events)          # links the article and its events
    ...     stories.story(store, stories.story_of(store, article_id))["events"]

Constants were set on `tests/fixtures/stories/` (see `benchmarks/stories.py`); the signatures'
hash functions are fixed (`SIGNATURE = "minhash.v1"`): changing them means re-linking a database.
"""
from __future__ import annotations

from .events import LOOSE_DAYS, NONFACTUAL, PRECISE_DAYS, SYMMETRIC, kind_of
from .grouping import (CANDIDATES, DUPLICATE_DAYS, DUPLICATE_JACCARD, LEAD_SENTENCES, STORY_DAYS, TOPIC_JACCARD,
                       Linked, link_article, link_missing, relink_article, source_of, unlink_article)
from .reads import add_mentions, count_stories, mentions, pairwise, stories, story, story_of
from .signatures import NUM_PERM, SIGNATURE, band_keys, jaccard, minhash, shingles, topic_terms

__all__ = ["Linked", "link_article", "relink_article", "unlink_article", "story", "stories", "count_stories",
           "story_of", "mentions", "add_mentions", "link_missing", "pairwise", "minhash", "jaccard", "SIGNATURE"]
