"""fetch: safe HTTP against real servers on 127.0.0.1 (limits, addresses, schemes, robots, 304)."""
from __future__ import annotations

import datetime as dt
import gzip
import socket
import ssl
import sys
import zlib
from pathlib import Path

import pytest

from diurna import fetch as fetch_module
from diurna.errors import DiurnaError
from diurna.fetch import (BadResponseError, ContentDecoder, Fetcher, FetchConnectionError, FetchError,
                          FetchTimeoutError, HTTPStatusError, PrivateAddressError, RobotsDisallowedError,
                          InvalidURLError, TooLargeError, TooManyRedirectsError, UnsupportedSchemeError,
                          address_problem, fetch)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "web"))
from localweb import LocalWeb  # noqa: E402

PAGE = "<!doctype html><html><head><title>Envoys meet</title></head><body><p>Envoys met.</p></body></html>"
FIXED = dt.datetime(2025, 5, 21, 10, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def web():
    with LocalWeb() as server:
        yield server


@pytest.fixture
def fetcher():
    with Fetcher(allow_private=True, clock=lambda: FIXED) as f:
        yield f


def test_public_api_is_what_it_should_be():
    assert set(fetch_module.__all__) == {
        "fetch", "Fetcher", "FetchResult", "Fetches", "ContentDecoder", "address_problem", "USER_AGENT",
        "ROBOTS_TOKEN", "FetchError", "BlockedError", "InvalidURLError", "UnsupportedSchemeError",
        "PrivateAddressError", "RobotsDisallowedError", "TooLargeError", "TooManyRedirectsError",
        "FetchTimeoutError", "FetchConnectionError", "HTTPStatusError", "BadResponseError"}
    for name in fetch_module.__all__:
        error = getattr(fetch_module, name)
        if isinstance(error, type) and issubclass(error, Exception):
            assert issubclass(error, FetchError) and issubclass(error, DiurnaError)


def test_a_page_is_fetched_with_a_browser_like_user_agent_naming_diurna(web, fetcher):
    web.page("/story", PAGE)
    result = fetcher.fetch(web.url("/story"))
    assert result.status == 200 and result.content == PAGE.encode()
    assert result.final_url == result.url == web.url("/story")
    assert result.content_type == "text/html" and result.charset == "utf-8"
    assert result.fetched_at == "2025-05-21T10:00:00+00:00"
    agent = web.requests[-1].headers["user-agent"]
    assert agent.startswith("Mozilla/5.0") and "diurna/" in agent


def test_the_module_function_fetches_one_url(web):
    web.page("/story", PAGE)
    assert fetch(web.url("/story"), allow_private=True).content == PAGE.encode()


def test_a_gzipped_body_is_decoded(web, fetcher):
    web.route("/gz", gzip.compress(PAGE.encode()), headers={"Content-Encoding": "gzip"})
    assert fetcher.fetch(web.url("/gz")).content == PAGE.encode()


# -- addresses


def test_a_loopback_address_is_refused_without_allow_private_and_nothing_is_sent(web):
    web.page("/story", PAGE)
    with Fetcher() as fetcher, pytest.raises(PrivateAddressError, match="loopback"):
        fetcher.fetch(web.url("/story"))
    assert web.requests == []


def test_a_name_that_resolves_to_loopback_is_refused_after_resolution(web):
    with Fetcher() as fetcher, pytest.raises(PrivateAddressError, match=r"localhost \(127\.0\.0\.1\)"):
        fetcher.fetch(web.url("/story", host="localhost"))
    assert web.requests == []


def test_the_same_page_is_fetched_with_allow_private(web, fetcher):
    web.page("/story", PAGE)
    assert fetcher.fetch(web.url("/story")).status == 200


@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("192.168.0.7", "private"),
    ("172.16.5.4", "private"), ("169.254.169.254", "link-local"), ("0.0.0.0", "unspecified"),
    ("224.0.0.1", "multicast"), ("240.0.0.1", "reserved"), ("100.64.0.1", "non-public"),
    ("::1", "loopback"), ("fe80::1", "link-local"), ("fc00::1", "private"), ("::", "unspecified"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("2002:7f00:1::", "loopback"),
    ("93.184.216.34", None), ("2606:4700::1111", None), ("8.8.8.8", None),
])
def test_address_problem_names_every_non_public_kind(address, problem):
    assert address_problem(address) == problem


def test_a_redirect_from_an_allowed_host_to_a_private_address_is_refused(web):
    web.page("/secret", "<html><body>internal</body></html>")
    web.redirect("/to-loopback", web.url("/secret", host="127.0.0.2"))
    web.redirect("/to-metadata", "http://169.254.169.254/latest/meta-data/")
    web.redirect("/to-ipv6", f"http://[::1]:{web.port}/secret")
    with Fetcher(allow_private=["127.0.0.1"]) as fetcher:
        with pytest.raises(PrivateAddressError, match=r"127\.0\.0\.2.*loopback.*after redirect"):
            fetcher.fetch(web.url("/to-loopback"))
        with pytest.raises(PrivateAddressError, match="link-local"):
            fetcher.fetch(web.url("/to-metadata"))
        with pytest.raises(PrivateAddressError, match="loopback"):
            fetcher.fetch(web.url("/to-ipv6"))
    assert "/secret" not in web.paths()


def test_the_connection_goes_to_the_checked_address_and_the_host_header_keeps_the_name(web):
    """Resolved once per connection: a later answer (DNS rebinding) is never used."""
    web.page("/story", PAGE)
    answers = [["127.0.0.1"]]
    calls = []

    def resolver(host, port):
        calls.append(host)
        return answers.pop(0) if answers else ["10.0.0.1"]  # what a rebinding server says next

    with Fetcher(allow_private=["127.0.0.1"], resolver=resolver, respect_robots=False) as fetcher:
        result = fetcher.fetch(f"http://news.test:{web.port}/story")
    assert result.content == PAGE.encode()
    assert calls == ["news.test"]
    assert web.requests[-1].headers["host"] == f"news.test:{web.port}"


def test_https_to_a_checked_address_keeps_the_name_for_sni_and_the_certificate():
    pem = str(Path(__file__).parent / "fixtures" / "web" / "news_test.pem")
    trust = ssl.create_default_context(cafile=pem)
    with LocalWeb(tls_pem=pem) as tls:
        tls.page("/story", PAGE)
        with Fetcher(allow_private=["127.0.0.1"], resolver=lambda host, port: ["127.0.0.1"], verify=trust,
                     respect_robots=False) as fetcher:
            assert fetcher.fetch(f"https://news.test:{tls.port}/story").content == PAGE.encode()
            with pytest.raises(FetchConnectionError):  # the certificate names news.test, not other.test
                fetcher.fetch(f"https://other.test:{tls.port}/story")
        assert tls.sni[0] == "news.test"
        assert tls.requests[0].headers["host"] == f"news.test:{tls.port}"


def test_a_name_resolving_to_any_private_address_is_refused():
    with Fetcher(resolver=lambda host, port: ["93.184.216.34", "10.0.0.5"]) as fetcher:
        with pytest.raises(PrivateAddressError, match=r"news\.test \(10\.0\.0\.5\).*private"):
            fetcher.fetch("http://news.test/story")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://news.example/a.html", "javascript:alert(1)",
                                 "data:text/html,<p>x</p>", "gopher://news.example/"])
def test_a_non_http_scheme_is_refused(url):
    with Fetcher(allow_private=True) as fetcher, pytest.raises(UnsupportedSchemeError, match="only http and https"):
        fetcher.fetch(url)


def test_a_redirect_to_a_non_http_scheme_is_refused(web, fetcher):
    web.redirect("/to-file", "file:///etc/passwd")
    with pytest.raises(UnsupportedSchemeError, match="file:///etc/passwd"):
        fetcher.fetch(web.url("/to-file"))


# -- limits


def test_a_body_over_the_cap_announced_by_content_length_is_refused_unread(web):
    web.route("/big", b"x" * 200_000)
    with Fetcher(allow_private=True, max_bytes=100_000) as fetcher, pytest.raises(TooLargeError, match="100000"):
        fetcher.fetch(web.url("/big"))


def test_a_streamed_body_is_cut_at_the_cap_without_reading_it_whole(web):
    sent = []

    def endless():
        for _ in range(10_000):  # 640 MB if anyone read it all
            sent.append(1)
            yield b"y" * 65_536

    web.route("/stream", handler=lambda request: (200, {"Content-Type": "text/html"}, endless()))
    with Fetcher(allow_private=True, max_bytes=300_000) as fetcher, pytest.raises(TooLargeError):
        fetcher.fetch(web.url("/stream"))
    assert len(sent) < 200


def test_a_gzip_bomb_is_capped_on_its_decoded_size(web):
    bomb = gzip.compress(b"\0" * (16 * 1024 * 1024), 9)  # 16 MB of zeros in about 16 KB
    assert len(bomb) < 40_000
    web.route("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    with Fetcher(allow_private=True, max_bytes=1_000_000) as fetcher:
        with pytest.raises(TooLargeError, match="decoded body is larger than the limit of 1000000"):
            fetcher.fetch(web.url("/bomb"))


def test_the_decoder_never_decodes_more_than_one_byte_past_the_limit():
    decoder = ContentDecoder("gzip", 1000)
    bomb = gzip.compress(b"\0" * 10_000_000)
    with pytest.raises(TooLargeError):
        decoder.feed(bomb)
    assert decoder.size == 1001


def test_the_decoder_reads_raw_deflate_and_several_gzip_members():
    raw = zlib.compressobj(wbits=-15)
    data = raw.compress(b"raw deflate") + raw.flush()
    assert fetch_module.decode_content(data, "deflate", 100) == b"raw deflate"
    assert fetch_module.decode_content(zlib.compress(b"zlib deflate"), "deflate", 100) == b"zlib deflate"
    two = gzip.compress(b"one ") + gzip.compress(b"two")
    assert fetch_module.decode_content(two, "gzip", 100) == b"one two"
    with pytest.raises(BadResponseError, match="unsupported Content-Encoding"):
        ContentDecoder("compress", 100)


def test_redirects_are_followed_by_hand_up_to_the_cap(web, fetcher):
    web.page("/end", PAGE)
    web.redirect("/a", "/b", 301)
    web.redirect("/b", web.url("/end"), 307)
    result = fetcher.fetch(web.url("/a"))
    assert result.final_url == web.url("/end") and result.url == web.url("/a")
    for n in range(10):
        web.redirect(f"/loop{n}", f"/loop{n + 1}")
    with pytest.raises(TooManyRedirectsError, match="more than 5 redirects"):
        fetcher.fetch(web.url("/loop0"))
    assert "/loop6" not in web.paths()


def test_a_redirect_without_location_is_a_bad_response(web, fetcher):
    web.route("/nowhere", b"", status=302)
    with pytest.raises(BadResponseError, match="without a Location"):
        fetcher.fetch(web.url("/nowhere"))


def test_a_server_that_trickles_bytes_is_stopped_by_the_total_deadline(web):
    def trickle():
        while not web.release.wait(0.02):
            yield b"<p>."

    web.route("/slow", handler=lambda request: (200, {"Content-Type": "text/html"}, trickle()))
    with Fetcher(allow_private=True, timeout=5.0, deadline=0.3) as fetcher:
        with pytest.raises(FetchTimeoutError, match="deadline"):
            fetcher.fetch(web.url("/slow"))


def test_a_silent_server_hits_the_read_timeout(web):
    def silent(request):
        web.release.wait(10)
        return 200, {}, b""

    web.route("/silent", handler=silent)
    with Fetcher(allow_private=True, timeout=0.2, deadline=10) as fetcher:
        with pytest.raises(FetchTimeoutError):
            fetcher.fetch(web.url("/silent"))


def test_a_dns_lookup_that_hangs_is_stopped_by_the_connect_timeout():
    release = __import__("threading").Event()

    def hanging(host, port):
        release.wait(10)
        return ["93.184.216.34"]

    try:
        with Fetcher(resolver=hanging, connect_timeout=0.2, respect_robots=False) as fetcher:
            with pytest.raises(FetchTimeoutError, match="DNS lookup of news.test timed out"):
                fetcher.fetch("http://news.test/story")
    finally:
        release.set()


def test_a_closed_port_is_a_connection_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with Fetcher(allow_private=True) as fetcher, pytest.raises(FetchConnectionError):
        fetcher.fetch(f"http://127.0.0.1:{port}/")


def test_http_errors_carry_their_status_and_retry_after(web, fetcher):
    web.route("/gone", b"gone", status=404)
    web.route("/busy", b"busy", status=503, headers={"Retry-After": "120"})
    with pytest.raises(HTTPStatusError, match="HTTP 404") as error:
        fetcher.fetch(web.url("/gone"))
    assert error.value.status == 404 and error.value.url == web.url("/gone")
    with pytest.raises(HTTPStatusError) as error:
        fetcher.fetch(web.url("/busy"))
    assert error.value.status == 503 and error.value.retry_after == 120


# -- robots.txt


def test_robots_txt_disallow_is_obeyed_and_fetched_once_per_host(web):
    web.route("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    web.page("/private/memo", PAGE)
    web.page("/public", PAGE)
    with Fetcher(allow_private=True) as fetcher:
        with pytest.raises(RobotsDisallowedError, match="robots.txt"):
            fetcher.fetch(web.url("/private/memo"))
        assert fetcher.fetch(web.url("/public")).status == 200
        assert fetcher.fetch(web.url("/public")).status == 200
        assert not fetcher.allowed_by_robots(web.url("/private/other"))
    assert web.paths().count("/robots.txt") == 1
    assert "/private/memo" not in web.paths()


def test_robots_rules_for_diurna_by_name_apply(web):
    web.route("/robots.txt", "User-agent: diurna\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
              content_type="text/plain")
    web.page("/story", PAGE)
    with Fetcher(allow_private=True) as fetcher, pytest.raises(RobotsDisallowedError):
        fetcher.fetch(web.url("/story"))


def test_robots_can_be_ignored_on_request(web):
    web.route("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    web.page("/story", PAGE)
    with Fetcher(allow_private=True, respect_robots=False) as fetcher:
        assert fetcher.fetch(web.url("/story")).status == 200
    assert "/robots.txt" not in web.paths()


def test_a_missing_robots_txt_allows_all_and_a_failing_one_refuses(web):
    web.page("/story", PAGE)
    with Fetcher(allow_private=True) as fetcher:
        assert fetcher.fetch(web.url("/story")).status == 200  # /robots.txt answers 404
    web.route("/robots.txt", b"oops", status=500)
    with Fetcher(allow_private=True) as fetcher, pytest.raises(RobotsDisallowedError, match="HTTP 500"):
        fetcher.fetch(web.url("/story"))


# -- conditional requests


def test_a_conditional_request_reports_304(web, fetcher):
    def conditional(request):
        if request.headers.get("if-none-match") == '"v1"':
            return 304, {"ETag": '"v1"'}, b""
        return 200, {"ETag": '"v1"', "Last-Modified": "Wed, 21 May 2025 10:00:00 GMT",
                     "Content-Type": "application/rss+xml"}, b"<rss/>"

    web.route("/feed", handler=conditional)
    first = fetcher.fetch(web.url("/feed"))
    assert first.status == 200 and first.etag == '"v1"'
    assert first.last_modified == "Wed, 21 May 2025 10:00:00 GMT"
    again = fetcher.fetch(web.url("/feed"), etag=first.etag, last_modified=first.last_modified)
    assert again.not_modified and again.content == b""
    assert web.requests[-1].headers["if-modified-since"] == "Wed, 21 May 2025 10:00:00 GMT"


# -- issue 10: the network-safety checklist, case by case


def test_a_name_that_rebinds_to_a_private_address_on_a_redirect_hop_is_refused(web):
    """Each hop's host is resolved and checked afresh: a public first answer buys nothing later."""
    web.page("/story", PAGE)
    web.redirect("/hop", f"http://cdn.test:{web.port}/story")
    answers = {"news.test": ["127.0.0.1"], "cdn.test": ["10.0.0.7"]}  # the second name rebinds inward
    with Fetcher(allow_private=["127.0.0.1"], resolver=lambda host, port: answers[host],
                 respect_robots=False) as fetcher:
        with pytest.raises(PrivateAddressError, match=r"cdn\.test \(10\.0\.0\.7\).*after redirect"):
            fetcher.fetch(f"http://news.test:{web.port}/hop")
    assert web.paths() == ["/hop"]


@pytest.mark.parametrize("location, error", [
    ("ftp://news.example/a.html", UnsupportedSchemeError), ("gopher://news.example/", UnsupportedSchemeError),
    ("file://localhost/etc/passwd", UnsupportedSchemeError),
    # httpx cannot even parse these as a next request: refused as invalid, never followed
    ("data:text/html,<p>x</p>", InvalidURLError), ("javascript:alert(1)", InvalidURLError),
])
def test_a_redirect_to_any_non_http_scheme_is_refused(web, fetcher, location, error):
    web.redirect("/elsewhere", location)
    with pytest.raises(error):
        fetcher.fetch(web.url("/elsewhere"))
    assert web.paths()[-1] == "/elsewhere"  # nothing fetched after the redirect


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]", "news.example@127.0.0.1"])
def test_loopback_spelt_another_way_is_refused_and_nothing_is_sent(web, host):
    web.page("/secret", PAGE)
    with Fetcher() as fetcher, pytest.raises((PrivateAddressError, FetchConnectionError)):
        fetcher.fetch(f"http://{host}:{web.port}/secret")
    assert web.requests == []
