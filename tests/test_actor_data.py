"""Checks on the actor reference data in src/diurna/data.

The expected holders and dates below are written from our own knowledge of
public events, independently of the data files, so a wrong line in the data
shows up here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest
import yaml

DATA = Path(__file__).resolve().parents[1] / "src" / "diurna" / "data"

PLOVER_SECTORS = {
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "UNK",
    "AGR", "BUS", "CRM", "CVL", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP",
    "PRE", "REL", "SOC",
}
NON_STATE_CODES = {"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
# Codes the ontology adds to ISO 3166 (Palestine and Hong Kong are in ISO).
EXTRA_COUNTRY_CODES = {"ATA", "HKG", "PSE"}
G20_COUNTRIES = {
    "ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA", "JPN",
    "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA",
}
SOUTH_ASIA = {"PAK", "IND", "AFG", "BGD", "LKA", "NPL", "BTN", "MDV"}
OVERLAP_NOTES = ("acting", "disputed", "caretaker", "interim")


def load(name):
    with open(DATA / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def terms():
    return load("actor_terms.yaml")


@pytest.fixture(scope="module")
def orgs():
    return load("organisations.yaml")


@pytest.fixture(scope="module")
def leaders():
    return load("leaders.yaml")


def is_country_code(code):
    return code in EXTRA_COUNTRY_CODES or pycountry.countries.get(alpha_3=code) is not None


def as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def holders(leaders, country, office, on):
    day = dt.date.fromisoformat(on)
    return sorted(
        e["name"]
        for e in leaders
        if e["country"] == country
        and e["office"] == office
        and as_date(e["start"]) <= day
        and (e["end"] is None or day < as_date(e["end"]))
    )


# ------------------------------------------------------------------ actor_terms


def test_actor_terms_map_lowercase_lemmas_to_plover_sectors(terms):
    assert terms["terms"]
    for key, sector in terms["terms"].items():
        assert key == key.lower().strip(), key
        assert "  " not in key, key
        assert sector in PLOVER_SECTORS, (key, sector)


def test_actor_terms_cover_the_core_titles(terms):
    t = terms["terms"]
    expected = {
        "president": "GOV", "prime minister": "GOV", "foreign minister": "GOV",
        "ambassador": "GOV", "king": "GOV", "general": "MIL", "troop": "MIL",
        "army": "MIL", "police": "COP", "judge": "JUD", "court": "JUD",
        "parliament": "LEG", "lawmaker": "LEG", "party": "PTY", "rebel": "REB",
        "militant": "REB", "civilian": "CVL", "journalist": "JRN", "union": "LAB",
        "company": "BUS", "refugee": "REF", "doctor": "MED", "cleric": "REL",
        "spy": "SPY", "smuggler": "CRM",
    }
    for key, sector in expected.items():
        assert t.get(key) == sector, key
    assert t["protester"] in {"OPP", "CVL"}


def test_actor_terms_lists(terms):
    assert {"former", "ex-", "ex"} <= set(terms["former_prefixes"])
    assert {"both sides", "the two sides", "the two countries", "the rivals"} <= set(
        terms["plural_references"]
    )
    assert {"Mr", "Dr", "President", "Prime Minister", "General"} <= set(terms["person_titles"])
    assert {"government", "administration", "authorities", "ministry", "regime"} <= set(
        terms["government_words"]
    )


# ---------------------------------------------------------------- organisations


def test_organisations_have_valid_codes_and_sectors(orgs):
    entries = orgs["organisations"]
    assert len(entries) >= 150
    for o in entries:
        assert set(o) == {"name", "aliases", "code", "sector"}, o
        assert isinstance(o["aliases"], list), o["name"]
        assert o["code"] in NON_STATE_CODES or is_country_code(o["code"]), o
        assert o["sector"] == "" or o["sector"] in PLOVER_SECTORS | NON_STATE_CODES, o


def test_organisation_aliases_are_unique_unless_declared_ambiguous(orgs):
    ambiguous = {a.lower() for a in orgs["ambiguous"]}
    owners = defaultdict(set)
    for o in orgs["organisations"]:
        for alias in [o["name"], *o["aliases"]]:
            owners[alias.lower()].add(o["name"])
    clashes = {a: n for a, n in owners.items() if len(n) > 1 and a not in ambiguous}
    assert not clashes
    # every declared ambiguity is real
    for alias in ambiguous:
        assert len(owners[alias]) > 1, alias


def test_generic_institutions_carry_a_sector_and_no_country(orgs):
    assert orgs["generic"]
    names = set()
    for g in orgs["generic"]:
        assert set(g) == {"name", "aliases", "sector"}, g
        assert g["sector"] in PLOVER_SECTORS
        names.update([g["name"], *g["aliases"]])
    assert {"foreign office", "foreign ministry", "supreme court"} <= names


def org(orgs, alias):
    found = [o for o in orgs["organisations"] if alias in [o["name"], *o["aliases"]]]
    assert len(found) == 1, (alias, found)
    return found[0]["code"], found[0]["sector"]


@pytest.mark.parametrize(
    "alias, code, sector",
    [
        ("UN", "UNO", ""),
        ("Security Council", "UNO", ""),
        ("UNHCR", "UNO", "REF"),
        ("WHO", "UNO", "MED"),
        ("IAEA", "UNO", ""),
        ("ICJ", "UNO", "JUD"),
        ("UNRWA", "UNO", "REF"),
        ("UN peacekeepers", "UNO", "MIL"),
        ("International Criminal Court", "IGO", "JUD"),
        ("EU", "EUR", ""),
        ("European Commission", "EUR", "GOV"),
        ("European Parliament", "EUR", "LEG"),
        ("NATO", "IGO", "MIL"),
        ("IMF", "IGO", ""),
        ("Amnesty International", "NGO", ""),
        ("MSF", "NGO", "MED"),
        ("Taliban", "AFG", "REB"),
        ("TTP", "PAK", "REB"),
        ("Hamas", "PSE", "REB"),
        ("Hezbollah", "LBN", "REB"),
        ("Ansar Allah", "YEM", "REB"),
        ("Daesh", "IMG", "REB"),
        ("al-Qaeda", "IMG", "REB"),
        ("LeT", "PAK", "REB"),
        ("Boko Haram", "NGA", "REB"),
        ("CCP", "CHN", "PTY"),
        ("BJP", "IND", "PTY"),
        ("ISI", "PAK", "SPY"),
        ("RAW", "IND", "SPY"),
        ("CIA", "USA", "SPY"),
        ("FBI", "USA", "COP"),
        ("Pentagon", "USA", "MIL"),
        ("ISPR", "PAK", "MIL"),
        ("IDF", "ISR", "MIL"),
        ("PLA", "CHN", "MIL"),
        ("Gazprom", "RUS", "BUS"),
        ("Aramco", "SAU", "BUS"),
    ],
)
def test_known_organisations(orgs, alias, code, sector):
    assert org(orgs, alias) == (code, sector)


def test_country_specific_foreign_office_is_not_a_named_organisation(orgs):
    names = {a.lower() for o in orgs["organisations"] for a in [o["name"], *o["aliases"]]}
    assert "foreign office" not in names
    assert "foreign ministry" not in names


# ---------------------------------------------------------------------- leaders


def test_leader_entries_are_well_formed(leaders):
    required = {"name", "aliases", "country", "sector", "office", "start", "end"}
    for e in leaders:
        assert required <= set(e) <= required | {"note"}, e
        assert isinstance(e["aliases"], list), e["name"]
        assert e["name"] not in e["aliases"], e["name"]
        assert e["country"] in {"IGO", "UNO", "EUR"} or is_country_code(e["country"]), e
        assert e["sector"] in {"GOV", "MIL", "REB"}, e
        start, end = as_date(e["start"]), as_date(e["end"])
        assert end is None or start <= end, e
        assert end is None or end >= dt.date(2015, 1, 1), e


def test_no_overlapping_holders_of_one_office(leaders):
    by_office = defaultdict(list)
    for e in leaders:
        by_office[(e["country"], e["office"])].append(e)
    far = dt.date(9999, 1, 1)
    for key, entries in by_office.items():
        entries.sort(key=lambda e: as_date(e["start"]))
        for i, a in enumerate(entries):
            for b in entries[i + 1 :]:
                a_end = as_date(a["end"]) or far
                if as_date(b["start"]) >= a_end:
                    continue
                note = (a.get("note", "") + " " + b.get("note", "")).lower()
                assert any(w in note for w in OVERLAP_NOTES), (key, a["name"], b["name"])


def test_leader_coverage(leaders):
    countries = {e["country"] for e in leaders} - {"IGO", "UNO", "EUR"}
    assert len(countries) >= 60
    assert G20_COUNTRIES <= countries
    assert SOUTH_ASIA <= countries
    others = {
        "IRN", "ISR", "PSE", "ARE", "QAT", "EGY", "SYR", "IRQ", "UKR", "POL", "NGA",
        "KEN", "ETH", "PRK", "PHL", "VNM", "THA", "MMR", "VEN", "COL", "NZL", "ESP",
    }
    assert others <= countries
    # the EU (a G20 member) through its leaders, and the UN Secretary-General
    assert any(e["country"] == "EUR" for e in leaders)
    assert holders(leaders, "UNO", "Secretary-General", "2020-01-01") == ["António Guterres"]


@pytest.mark.parametrize(
    "country, office, on, expected",
    [
        ("PAK", "Foreign Minister", "2025-05-21", "Ishaq Dar"),
        ("PAK", "Foreign Minister", "2020-01-01", "Shah Mahmood Qureshi"),
        ("PAK", "Prime Minister", "2020-01-01", "Imran Khan"),
        ("PAK", "Prime Minister", "2025-05-21", "Shehbaz Sharif"),
        ("PAK", "Chief of Army Staff", "2018-01-01", "Qamar Javed Bajwa"),
        ("USA", "President", "2019-06-01", "Donald Trump"),
        ("USA", "President", "2022-06-01", "Joe Biden"),
        ("USA", "President", "2016-06-01", "Barack Obama"),
        ("USA", "Foreign Minister", "2019-06-01", "Mike Pompeo"),
        ("GBR", "Prime Minister", "2016-08-01", "Theresa May"),
        ("GBR", "Prime Minister", "2020-01-01", "Boris Johnson"),
        ("GBR", "Prime Minister", "2015-06-01", "David Cameron"),
        ("IND", "Prime Minister", "2016-06-01", "Narendra Modi"),
        ("IND", "Foreign Minister", "2017-06-01", "Sushma Swaraj"),
        ("IND", "Foreign Minister", "2023-06-01", "Subrahmanyam Jaishankar"),
        ("DEU", "Chancellor", "2023-06-01", "Olaf Scholz"),
        ("DEU", "Chancellor", "2018-06-01", "Angela Merkel"),
        ("FRA", "President", "2016-06-01", "François Hollande"),
        ("FRA", "President", "2018-06-01", "Emmanuel Macron"),
        ("RUS", "Foreign Minister", "2022-03-01", "Sergey Lavrov"),
        ("CHN", "President", "2020-01-01", "Xi Jinping"),
        ("JPN", "Prime Minister", "2018-01-01", "Shinzo Abe"),
        ("IRN", "President", "2022-01-01", "Ebrahim Raisi"),
        ("ISR", "Prime Minister", "2022-01-01", "Naftali Bennett"),
        ("UKR", "President", "2018-01-01", "Petro Poroshenko"),
        ("UKR", "President", "2022-03-01", "Volodymyr Zelenskyy"),
        ("BGD", "Prime Minister", "2020-01-01", "Sheikh Hasina"),
        ("SAU", "Monarch", "2016-01-01", "Salman bin Abdulaziz Al Saud"),
        ("BRA", "President", "2020-01-01", "Jair Bolsonaro"),
        ("UNO", "Secretary-General", "2016-01-01", "Ban Ki-moon"),
    ],
)
def test_who_held_the_office(leaders, country, office, on, expected):
    assert holders(leaders, country, office, on) == [expected]


def test_role_changes_fall_on_the_handover_day(leaders):
    # Imran Khan lost a confidence vote on 10 April 2022; Shehbaz Sharif took
    # office the next day.
    assert holders(leaders, "PAK", "Prime Minister", "2022-04-09") == ["Imran Khan"]
    assert holders(leaders, "PAK", "Prime Minister", "2022-04-12") == ["Shehbaz Sharif"]
    # Biden's term ended at noon on 20 January 2025; the day counts for Trump.
    assert holders(leaders, "USA", "President", "2025-01-19") == ["Joe Biden"]
    assert holders(leaders, "USA", "President", "2025-01-20") == ["Donald Trump"]
    # Liz Truss's 49 days.
    assert holders(leaders, "GBR", "Prime Minister", "2022-10-01") == ["Liz Truss"]


def test_people_with_two_roles_or_two_terms_have_two_entries(leaders):
    def periods(name, country):
        return [(e["office"], e["start"]) for e in leaders if e["name"] == name and e["country"] == country]

    assert len(periods("Donald Trump", "USA")) == 2
    assert {o for o, _ in periods("Boris Johnson", "GBR")} == {"Prime Minister", "Foreign Minister"}
    assert len(periods("Shehbaz Sharif", "PAK")) == 2
