"""The stories stage: near-duplicates, stories and unique events, on SQLite and PostgreSQL.

The corpus (tests/fixtures/stories/articles.yaml) is ours: one India-Pakistan ceasefire told by five
articles (two of them wire copies with small edits), a look-alike ceasefire four years earlier, a
Kyrgyz-Tajik ceasefire, the same two ministers meeting on two dates, and EU sanctions.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import diurna
from diurna import export, query, stories
from diurna.models import Article, Entity, Event
from diurna.store import Store, codec, testing
from diurna.store.stories import event_mentions

CORPUS = Path(__file__).resolve().parent / "fixtures" / "stories" / "articles.yaml"


@pytest.fixture(scope="module")
def coded() -> dict[str, tuple[dict, Article, list[Event]]]:
    out = {}
    for item in yaml.safe_load(CORPUS.read_text(encoding="utf-8")):
        article = Article(id=item["id"], text=item["text"].strip(), title=item["title"], url=item["url"],
                          site=item["site"], published=dt.date.fromisoformat(str(item["published"])))
        out[item["id"]] = (item, article, diurna.code_text(article.text, published=str(item["published"]),
                                                             min_confidence=0))  # the merging is tested, not the coder's threshold
    return out


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    with testing.database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(db_url, coded):
    with Store.open(db_url) as opened:
        for _, article, events in coded.values():
            assert opened.add(article, events)
        yield opened


def sid(article: Article) -> str:
    return codec.article_id(article.url, codec.content_hash(article.text))


def unique_of(store: Store, coded, name: str, sentence: int, trigger: str) -> str:
    _, article, events = coded[name]
    event = next(e for e in events if e.sentence == sentence and e.trigger == trigger)
    with store.read() as conn:
        return conn.execute(event_mentions.select().with_only_columns(event_mentions.c.unique_id)
                            .where(event_mentions.c.event_id == codec.keyed(event, sid(article)).id)).scalar()


def test_one_ceasefire_told_by_five_articles_is_one_event_with_gdelt_counts(store, coded):
    ids = {unique_of(store, coded, name, 0, trigger) for name, trigger in [
        ("ip25-wire", "agreed"), ("ip25-wire-copy1", "agreed"), ("ip25-wire-copy2", "agreed"),
        ("ip25-dawn", "reached"), ("ip25-delhi", "agreed")]}
    assert len(ids) == 1
    (hit,) = [s for s in query.events(store, event_type="AGREE", country="IND", since="2025-05-01",
                                      until="2025-05-31")]
    assert (hit.num_mentions, hit.num_articles, hit.num_sources) == (5, 5, 5)
    assert hit.event.date == dt.date(2025, 5, 10)  # four say May 10, one (dated by publication) May 11
    assert hit.event.confidence > max(e.confidence for _, _, evs in coded.values() for e in evs if e.event_type == "AGREE")


def test_look_alike_ceasefires_and_a_meeting_on_two_dates_stay_apart(store, coded):
    assert unique_of(store, coded, "ip25-wire", 0, "agreed") != unique_of(store, coded, "ip21-wire", 0, "agreed")
    assert unique_of(store, coded, "ip25-wire", 0, "agreed") != unique_of(store, coded, "kt-wire", 0, "agreed")
    may, june = unique_of(store, coded, "meet-may-1", 0, "met"), unique_of(store, coded, "meet-jun-1", 0, "met")
    assert may != june
    assert unique_of(store, coded, "meet-may-2", 0, "talks") == may
    assert unique_of(store, coded, "meet-jun-2", 0, "talks") == june


def test_an_event_told_twice_in_one_article_is_one_event(store, coded):
    assert unique_of(store, coded, "meet-may-1", 0, "met") == unique_of(store, coded, "meet-may-1", 1, "discussed")
    assert unique_of(store, coded, "kt-bishkek", 0, "fighting") == unique_of(store, coded, "kt-bishkek", 2, "attacked")


def test_a_denial_never_merges_with_the_act(tmp_path):
    def event(doc, mode=()):
        return Event(doc_id=doc, event_type="ASSAULT", sentence=0, start=0, end=10, event_text="x", trigger="attacked",
                     trigger_start=0, trigger_end=8, actor=[Entity("IND", "MIL", "India")],
                     recipient=[Entity("PAK", "GOV", "Pakistan")], mode=list(mode), date=dt.date(2025, 5, 7),
                     date_source="stated")
    with Store.open(tmp_path / "d.db") as store:
        store.add(Article(id="a", text="India attacked Pakistan.", url="https://a.example/1"), [event("a")])
        store.add(Article(id="b", text="India did not attack Pakistan.", url="https://b.example/1"),
                  [event("b", ["negation"])])
        store.add(Article(id="c", text="Indian forces attacked Pakistan.", url="https://c.example/1"), [event("c")])
        assert sorted(s.num_mentions for s in query.events(store, include_nonfactual=True)) == [1, 2]


@pytest.mark.parametrize("reverse", [False, True])
def test_articles_group_into_their_stories_whatever_the_order(tmp_path, coded, reverse):
    gold = {item["id"]: item["story"] for item, _, _ in coded.values()}
    with Store.open(tmp_path / "order.db") as store:
        for name in (list(coded)[::-1] if reverse else list(coded)):
            store.add(coded[name][1], coded[name][2])
        predicted = {name: stories.story_of(store, sid(coded[name][1])) for name in coded}
    assert stories.pairwise(predicted, gold) == (1.0, 1.0)


def test_merging_and_grouping_meet_their_floors(store, coded):
    gold_events, predicted_events = {}, {}
    for name, (item, article, events) in coded.items():
        for event in events:
            label = item["events"].get(f"{event.sentence}:{event.trigger}", ("own", name, event.id))
            if label is None:
                continue
            gold_events[(name, event.id)] = label
            predicted_events[(name, event.id)] = unique_of(store, coded, name, event.sentence, event.trigger)
    precision, recall = stories.pairwise(predicted_events, gold_events)
    assert precision >= 0.95 and recall >= 0.85, (precision, recall)
    story_p, story_r = stories.pairwise({n: stories.story_of(store, sid(a)) for n, (_, a, _) in coded.items()},
                                        {n: i["story"] for n, (i, _, _) in coded.items()})
    assert story_p >= 0.95 and story_r >= 0.85, (story_p, story_r)


def test_wire_copies_link_to_their_canonical_article(store, coded):
    page = stories.story(store, stories.story_of(store, sid(coded["ip25-wire"][1])))
    by_id = {a["id"]: a for a in page["articles"]}
    original = sid(coded["ip25-wire"][1])
    for copy in ("ip25-wire-copy1", "ip25-wire-copy2"):
        row = by_id[sid(coded[copy][1])]
        assert row["duplicate"] and row["canonical_id"] == original and row["similarity"] >= stories.DUPLICATE_JACCARD
    assert not by_id[sid(coded["ip25-dawn"][1])]["duplicate"]


def test_a_story_page_lists_its_articles_and_a_timeline_of_unique_events(store, coded):
    page = stories.story(store, stories.story_of(store, sid(coded["ip25-dawn"][1])))
    assert page["story"]["articles"] == 5 and len(page["articles"]) == 5
    dates = [e["date"] for e in page["events"]]
    assert dates == sorted(dates)
    # the strikes before the ceasefire (the markets' "rose on Monday as investors welcomed the calm"
    # is dated by its Monday, the one before the paper of Sunday May 11)
    strikes = next(e for e in page["events"] if e["event"] == ["ASSAULT"])
    ceasefire = next(e for e in page["events"] if e["event"] == ["AGREE"])
    assert strikes["date"] == "2025-05-07" and strikes["date"] < ceasefire["date"]
    # every telling dates the ceasefire to May 10 ("Misri said on Saturday that they had agreed": the
    # agreement is dated by the report, not by the paper of May 11)
    assert ceasefire["mentions"] == 5 and {d["date"] for d in ceasefire["dates"]} == {"2025-05-10"}
    listed = stories.stories(store, limit=None)
    assert len(listed) == 6 and {s["id"] for s in listed} >= {page["story"]["id"]}


def test_mentions_keep_every_article_sentence_and_offset(store, coded):
    _, article, events = coded["ip25-delhi"]
    agreed = codec.keyed(next(e for e in events if e.event_type == "AGREE"), sid(article))
    told = stories.mentions(store, agreed.id)
    assert len(told) == 5 and told[0]["shown"] and sum(m["shown"] for m in told) == 1
    mine = next(m for m in told if m["event_id"] == agreed.id)
    assert (mine["sentence"], mine["start"], mine["end"]) == (agreed.sentence, agreed.start, agreed.end)
    assert article.text[mine["start"]:mine["end"]] == mine["event_text"]
    hit = next(s for s in query.events(store, mentions=True, event_type="AGREE", country="IND",
                                       since="2025-05-01", until="2025-05-31"))
    assert len(hit.mentions) == 5


def test_queries_count_unique_events_and_can_show_every_mention(store, coded):
    coded_count = sum(1 for _, _, evs in coded.values() for e in evs if e.factual)
    assert query.count(store, unique=False) == coded_count
    assert query.count(store) == len(query.events(store)) < coded_count
    assert query.stats(store)["counts"]["events"] == sum(len(evs) for _, _, evs in coded.values())


def test_the_gdelt_export_carries_real_counts(store, tmp_path):
    out = tmp_path / "events.tsv"
    export.write(query.events(store), "gdelt", out)
    header, *rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines()]
    mentions = [int(r[header.index("NumMentions")]) for r in rows]
    assert max(mentions) >= 5 and all(int(r[header.index("NumArticles")]) <= int(r[header.index("NumMentions")])
                                      for r in rows)


def test_a_recode_takes_the_old_mentions_out_and_links_the_new(store, coded):
    _, article, events = coded["ip25-delhi"]
    before = query.events(store, event_type="AGREE", country="IND", since="2025-05-01", until="2025-05-31")[0]
    store.replace_events(sid(article), [e for e in events if e.event_type != "AGREE"], coder="test")
    after = query.events(store, event_type="AGREE", country="IND", since="2025-05-01", until="2025-05-31")[0]
    assert (before.num_mentions, after.num_mentions) == (5, 4)
    store.replace_events(sid(article), events, coder="test")
    again = query.events(store, event_type="AGREE", country="IND", since="2025-05-01", until="2025-05-31")[0]
    assert again.num_mentions == 5 and store.integrity_check() == []


def test_articles_stored_before_stories_are_linked_on_request(tmp_path, coded):
    with Store.open(tmp_path / "old.db") as store:
        store.link_stories = False
        for _, article, events in coded.values():
            store.add(article, events)
        assert query.count(store) == query.count(store, unique=False)  # nothing linked: every event counts
        store.link_stories = True
        assert stories.link_missing(store) == len(coded)
        assert query.count(store) < query.count(store, unique=False)
        assert stories.link_missing(store) == 0


def test_minhash_estimates_jaccard():
    first, second = set(map(str, range(0, 100))), set(map(str, range(50, 150)))  # true Jaccard 1/3
    assert abs(stories.jaccard(stories.minhash(first), stories.minhash(second)) - 1 / 3) < 0.15
    assert stories.jaccard(stories.minhash(first), stories.minhash(set(first))) == 1.0


def test_two_articles_of_one_outlet_count_one_source(tmp_path):
    def told(doc):
        return Event(doc_id=doc, event_type="ASSAULT", sentence=0, start=0, end=10, event_text="x", trigger="attacked",
                     trigger_start=0, trigger_end=8, actor=[Entity("IND", "MIL", "India")],
                     recipient=[Entity("PAK", "GOV", "Pakistan")], date=dt.date(2025, 5, 7), date_source="stated")
    with Store.open(tmp_path / "s.db") as store:
        store.add(Article(id="a", text="India attacked Pakistan.", url="https://a.example/1", site="a.example"), [told("a")])
        store.add(Article(id="b", text="Indian troops attacked Pakistan.", url="https://a.example/2", site="a.example"),
                  [told("b")])
        store.add(Article(id="c", text="India struck and attacked Pakistan.", url="https://c.example/1"), [told("c")])
        (hit,) = query.events(store)
        assert (hit.num_mentions, hit.num_articles, hit.num_sources) == (3, 3, 2)


def test_an_older_sqlite_database_gets_its_key_tables_rebuilt_without_rowid_keeping_rows(tmp_path, coded):
    from diurna.store import migrations
    from diurna.store.stories import KEY_TABLES

    path = tmp_path / "old.db"
    with Store.open(path) as opened:
        for _, article, events in list(coded.values())[:4]:
            opened.add(article, events)
        with opened.read() as conn:
            before = {t.name: sorted(conn.execute(t.select()).all()) for t in KEY_TABLES}
    with Store.open(path) as opened:  # back to rowid tables, as databases before the migration had them
        def downgrade(conn):
            for table in KEY_TABLES:
                columns = ", ".join(f'"{c.name}"' for c in table.c)
                conn.exec_driver_sql(f"CREATE TABLE {table.name}_old AS SELECT {columns} FROM {table.name}")
                conn.exec_driver_sql(f"DROP TABLE {table.name}")
                key = ", ".join(c.name for c in table.primary_key)
                conn.exec_driver_sql(f"CREATE TABLE {table.name} ({columns}, PRIMARY KEY ({key}))")
                conn.exec_driver_sql(f"INSERT INTO {table.name} SELECT * FROM {table.name}_old")
                conn.exec_driver_sql(f"DROP TABLE {table.name}_old")
            conn.exec_driver_sql("DELETE FROM schema_version WHERE name = 'stories_key_tables_without_rowid'")
        opened.write(downgrade)
    names = [name for name, _ in migrations.MIGRATIONS]
    assert names.index("query_indexes") < names.index("stories_key_tables_without_rowid")
    with Store.open(path) as opened:
        with opened.read() as conn:
            ddl = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') "
                                            "AND sql IS NOT NULL").all())
            assert all(ddl[t.name].rstrip().endswith("WITHOUT ROWID") for t in KEY_TABLES)
            assert "ix_unique_event_keys_unique" in ddl
            assert {t.name: sorted(conn.execute(t.select()).all()) for t in KEY_TABLES} == before
        _, article, events = list(coded.values())[4]
        assert opened.add(article, events)  # and linking goes on


def test_hot_statements_have_few_shapes_and_a_repeated_in_value_finds_nothing_more():
    from diurna.stories import sql

    assert sql.padded(["a"]) == ["a"] * 4
    assert sql.padded(["a", "b", "c", "d", "e"]) == ["a", "b", "c", "d", "e", "e", "e", "e"]
    assert {len(sql.padded(list(range(n)))) for n in range(1, 65)} == {4, 8, 16, 32, 64}


def test_a_driver_error_in_the_hot_path_is_raised_as_sqlalchemy_raises_it(tmp_path):
    from sqlalchemy.exc import IntegrityError
    from diurna.stories import sql

    with Store.open(tmp_path / "e.db") as opened:
        with pytest.raises(IntegrityError):
            opened.write(lambda conn: sql.run(conn, "INSERT INTO stories (id) VALUES (?)", [("s",), ("s",)], many=True))


def test_topic_matches_are_looked_up_within_story_days_only(tmp_path):
    """The bucket look-up asks topic buckets for STORY_DAYS either side (the only topic matches counted)
    and text buckets for DUPLICATE_DAYS: a wire copy two weeks later is found, an article on the same
    topic five days after that copy is no topic match (two days after, it would join the story)."""
    text = ("Ministers of Freedonia and Sylvania signed a border water treaty in Lakeside after months of talks "
            "over the shared river, officials from both capitals said at the ceremony on the northern shore.")
    with Store.open(tmp_path / "t.db") as opened:
        first = Article(id="a", text=text, title="Water treaty signed", url="https://one.example/a",
                        site="one.example", published=dt.date(2025, 3, 1))
        later = Article(id="b", text=text.replace("signed", "ratified"), title="Water treaty signed",
                        url="https://two.example/b", site="two.example", published=dt.date(2025, 3, 15))
        other = Article(id="c", text="Sylvania and Freedonia water treaty river talks ministers border Lakeside shore "
                        "ceremony capitals officials months shared northern", title="Water treaty",
                        url="https://three.example/c", site="three.example", published=dt.date(2025, 3, 20))
        for article in (first, later, other):
            opened.add(article, [])
        with opened.read() as conn:
            row = dict(conn.exec_driver_sql("SELECT article_id, story_id FROM article_signatures").all())
    a, b, c = (codec.article_id(x.url, "") for x in (first, later, other))
    assert row[b] == row[a]  # a near-duplicate within DUPLICATE_DAYS joins the story
    assert row[c] != row[b]  # five days after the copy: no topic match, a story of its own
