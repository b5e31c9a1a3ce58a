"""feeds: RSS, Atom and sitemaps give article links; hostile XML is refused, never expanded."""
from __future__ import annotations

import gzip
import sys
from pathlib import Path

import pytest

from diurna import feeds
from diurna.feeds import FeedError, Link, UnsafeXMLError, parse_feed, parse_listing, parse_sitemap

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from localweb import LocalWeb  # noqa: E402

WEB = Path(__file__).parent / "fixtures" / "web"
BASE = "https://valley-courier.example"


def fixture(name: str, base: str = BASE) -> bytes:
    return (WEB / name).read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")


def test_public_api_is_what_it_should_be():
    assert set(feeds.__all__) == {"Link", "Listing", "parse_listing", "parse_feed", "parse_sitemap", "safe_xml",
                                  "FeedError", "UnsafeXMLError", "FEED_TYPES", "SITEMAP_KINDS"}


def test_an_rss_feed_gives_its_items_links_titles_and_dates():
    listing = parse_feed(fixture("rss.xml"), f"{BASE}/rss")
    assert listing.kind == "rss" and listing.title == "Valley Courier: World"
    assert listing.links == [
        Link(f"{BASE}/world/karasu-crossing", "Envoys agree to reopen the Karasu crossing",
             "2025-05-21T23:30:00+05:00", source=f"{BASE}/rss"),
        Link(f"{BASE}/world/port-strike", "Port workers walk out over pay", "2025-05-20T08:00:00+00:00",
             source=f"{BASE}/rss"),
    ]
    assert listing.skipped == 1  # the mailto: link


def test_an_atom_feed_resolves_relative_links_and_prefers_published_to_updated():
    listing = parse_feed(fixture("atom.xml"), f"{BASE}/atom")
    assert listing.kind == "atom"
    first, second = listing.links
    assert first.url == f"{BASE}/politics/river-accord"
    assert first.published == "2025-05-21T09:15:00+02:00"
    assert "river" in first.title
    assert second.url == f"{BASE}/aid/convoy" and second.published == "2025-05-19T18:00:00+00:00"


def test_a_sitemap_index_lists_its_sitemaps():
    listing = parse_sitemap(fixture("sitemap_index.xml"), f"{BASE}/sitemap.xml")
    assert listing.kind == "sitemapindex" and listing.links == []
    assert [s.url for s in listing.sitemaps] == [f"{BASE}/sitemaps/2025-05.xml", f"{BASE}/sitemaps/2025-04.xml.gz"]
    assert listing.sitemaps[0].modified == "2025-05-21T10:00:00+00:00"


def test_a_sitemap_lists_its_pages_with_lastmod_kept_apart_from_the_publication_date():
    listing = parse_sitemap(fixture("sitemap_may.xml"))
    assert [link.url for link in listing.links] == [f"{BASE}/2025/05/dam-talks", f"{BASE}/2025/05/border-patrols"]
    assert listing.links[0].modified == "2025-05-21" and listing.links[0].published is None
    assert listing.skipped == 1


def test_a_news_sitemap_gives_titles_and_publication_dates():
    listing = parse_listing(fixture("news_sitemap.xml"), f"{BASE}/news-sitemap.xml", "application/xml")
    assert listing.kind == "urlset"
    assert [(link.url, link.title, link.published) for link in listing.links] == [
        (f"{BASE}/news/ceasefire-holds", "Ceasefire holds for a third day", "2025-05-20T17:45:00+06:00"),
        (f"{BASE}/news/aid-pledge", "Donors pledge aid for flood-hit valley", "2025-05-19"),
    ]


def test_a_gzipped_sitemap_is_unpacked_and_a_gzip_bomb_is_refused():
    packed = gzip.compress(fixture("sitemap_april.xml"))
    assert [link.url for link in parse_listing(packed).links] == [f"{BASE}/2025/04/grain-deal"]
    bomb = gzip.compress(b"<urlset>" + b" " * 20_000_000 + b"</urlset>")
    with pytest.raises(FeedError, match="larger than the limit"):
        parse_listing(bomb, max_bytes=1_000_000)


def test_billion_laughs_is_refused_without_expanding():
    with pytest.raises(UnsafeXMLError, match="entity expansion"):
        parse_listing(fixture("billion_laughs.xml"), f"{BASE}/rss", "application/rss+xml")


def test_an_external_entity_is_refused_and_never_fetched():
    with LocalWeb() as web:
        web.route("/secret.txt", "top secret", content_type="text/plain")
        with pytest.raises(UnsafeXMLError, match="declares the entity 'secret'"):
            parse_listing(fixture("external_entity.xml", web.url("")), web.url("/sitemap.xml"))
        assert web.requests == []


def test_an_external_parameter_entity_and_a_malformed_feed_with_a_dtd_are_refused():
    parameter = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/x.dtd"> %ext;]>'
                 b'<rss version="2.0"><channel><title>t</title></channel></rss>')
    with pytest.raises(UnsafeXMLError):
        parse_listing(parameter)
    malformed = (b'<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel><item><title>A & B</title>'
                 b'<link>https://x.example/a</link></item></channel></rss>')
    with pytest.raises(UnsafeXMLError):
        parse_listing(malformed)


def test_a_malformed_but_harmless_feed_is_read_leniently():
    sloppy = (b'<rss version="2.0"><channel><title>Fish & Ships</title><item><title>Tides & tolls</title>'
              b'<link>https://x.example/tides</link></item></channel></rss>')
    listing = parse_listing(sloppy)
    assert [link.url for link in listing.links] == ["https://x.example/tides"]


def test_pages_and_other_xml_are_not_listings():
    assert parse_listing(b"<!doctype html><html><body><p>A page</p></body></html>", content_type="text/html") is None
    assert parse_listing(b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
                         content_type="application/xhtml+xml") is None
    assert parse_listing(b"plain words", content_type="text/plain") is None
    assert parse_listing(b'<?xml version="1.0"?><catalog><book/></catalog>', content_type="application/xml") is None


def test_a_broken_sitemap_is_a_feed_error():
    with pytest.raises(FeedError, match="not well-formed"):
        parse_listing(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>x</url>')
