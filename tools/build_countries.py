"""Generate src/diurna/data/countries.json from pycountry + countryinfo + the curated table below.

    .venv/bin/python tools/build_countries.py           # writes the file
    .venv/bin/python tools/build_countries.py --check   # exits 1 if the committed file is stale

The libraries give ISO codes, official names, one demonym, a capital and a centroid. News text
needs more: the short names reporters use ("Iran", not "Iran, Islamic Republic of"), aliases
("U.S.", "Burma", "DRC"), plural demonyms ("Pakistanis"), and the buildings that stand for
governments ("the Kremlin"). CURATED holds that, and wins over the libraries wherever both speak.

Every alias and adjective belongs to exactly one country: when two claim one ("Congolese",
"Chinese", "French"), the curated claim wins, else the country with more people (so the French
territories lose "French" to France). The output is sorted and byte-stable, so a rebuild that
changes nothing shows no diff.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
import unicodedata

import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "diurna", "data", "countries.json")

# Per country (ISO alpha-3): what news text says that the libraries miss or get wrong.
# name: the common English short name; names/adjectives/capitals: added; drop: aliases to remove;
# metonyms: (text, PLOVER sector) for seats of power that stand for the government.
CURATED: dict[str, dict] = {
    "USA": {"name": "United States", "names": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
            "adjectives": ["American", "Americans", "U.S.", "US"], "capitals": ["Washington", "Washington, D.C.", "Washington DC", "Washington D.C."],
            "metonyms": [("White House", "GOV"), ("Pentagon", "MIL"), ("Capitol Hill", "LEG"), ("State Department", "GOV"),
                         ("Foggy Bottom", "GOV"), ("Langley", "SPY"), ("Oval Office", "GOV")]},
    "GBR": {"name": "United Kingdom", "names": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom"],
            "adjectives": ["British", "Briton", "Britons", "Brit", "Brits", "UK", "U.K.", "English", "Scottish", "Welsh"],
            "metonyms": [("Downing Street", "GOV"), ("Number 10", "GOV"), ("No 10", "GOV"), ("No. 10", "GOV"),
                         ("Whitehall", "GOV"), ("Westminster", "LEG"), ("Foreign Office", "GOV")]},
    "CHN": {"names": ["PRC", "People's Republic of China", "Mainland China"], "adjectives": ["Chinese", "Sino"],
            "metonyms": [("Zhongnanhai", "GOV"), ("Great Hall of the People", "GOV")]},
    "RUS": {"name": "Russia", "names": ["Russian Federation"], "adjectives": ["Russian", "Russians"],
            "metonyms": [("Kremlin", "GOV")]},
    "FRA": {"adjectives": ["French", "Frenchman", "Frenchmen"],
            "metonyms": [("Elysee", "GOV"), ("Élysée", "GOV"), ("Elysee Palace", "GOV"), ("Élysée Palace", "GOV"), ("Quai d'Orsay", "GOV")]},
    "DEU": {"adjectives": ["German", "Germans"], "metonyms": [("Bundestag", "LEG"), ("Chancellery", "GOV")]},
    "ISR": {"capitals": ["Jerusalem"], "adjectives": ["Israeli", "Israelis"], "metonyms": [("Knesset", "LEG")]},
    "PSE": {"name": "Palestine", "names": ["State of Palestine", "Palestinian Territories", "Palestinian territories",
                                           "Occupied Palestinian Territories", "Palestinian Authority"], "lat": 31.9, "lon": 35.2,
            "adjectives": ["Palestinian", "Palestinians"], "capitals": ["Ramallah"], "drop": ["Gaza", "Gaza Strip", "West Bank"]},
    "IND": {"adjectives": ["Indian", "Indians"], "capitals": ["New Delhi", "Delhi"], "metonyms": [("South Block", "GOV"), ("Raisina Hill", "GOV")]},
    "PAK": {"adjectives": ["Pakistani", "Pakistanis"], "metonyms": [("GHQ", "MIL")]},
    "AFG": {"adjectives": ["Afghan", "Afghans", "Afghani"]},
    "IRN": {"name": "Iran", "names": ["Islamic Republic of Iran", "Persia"], "adjectives": ["Iranian", "Iranians", "Persian"]},
    "KOR": {"name": "South Korea", "names": ["Republic of Korea", "ROK", "S. Korea", "S.Korea"],
            "adjectives": ["South Korean", "South Koreans"], "metonyms": [("Blue House", "GOV")]},
    "PRK": {"name": "North Korea", "names": ["DPRK", "N. Korea", "Democratic People's Republic of Korea"],
            "adjectives": ["North Korean", "North Koreans"]},
    "SYR": {"name": "Syria", "adjectives": ["Syrian", "Syrians"]},
    "VNM": {"name": "Vietnam", "names": ["Viet Nam"], "adjectives": ["Vietnamese"]},
    "LAO": {"name": "Laos", "adjectives": ["Laotian", "Laotians", "Lao"]},
    "BOL": {"name": "Bolivia", "capitals": ["Sucre", "La Paz"]},
    "TZA": {"name": "Tanzania", "capitals": ["Dodoma", "Dar es Salaam"]},
    "TWN": {"name": "Taiwan", "names": ["Republic of China", "Chinese Taipei"], "adjectives": ["Taiwanese"]},
    "CZE": {"name": "Czech Republic", "names": ["Czechia"], "adjectives": ["Czech", "Czechs"]},
    "CIV": {"name": "Ivory Coast", "names": ["Côte d'Ivoire", "Cote d'Ivoire"], "adjectives": ["Ivorian", "Ivorians"],
            "capitals": ["Yamoussoukro", "Abidjan"]},
    "COD": {"name": "Democratic Republic of the Congo", "names": ["DRC", "DR Congo", "D.R. Congo", "Congo", "Congo-Kinshasa",
                                                                   "Democratic Republic of Congo"],
            "adjectives": ["Congolese"]},
    "COG": {"name": "Republic of the Congo", "names": ["Congo-Brazzaville", "Republic of Congo", "Congo Republic"], "drop": ["Congo"]},
    "MMR": {"name": "Myanmar", "names": ["Burma"], "adjectives": ["Burmese", "Myanmar"], "capitals": ["Naypyidaw", "Naypyitaw", "Nay Pyi Taw"]},
    "NLD": {"name": "Netherlands", "names": ["Holland", "the Netherlands"], "adjectives": ["Dutch", "Dutchman"], "capitals": ["Amsterdam", "The Hague"]},
    "ARE": {"names": ["UAE", "U.A.E.", "Emirates"], "adjectives": ["Emirati", "Emiratis"]},
    "TUR": {"name": "Turkey", "names": ["Türkiye", "Turkiye", "Turkey"], "adjectives": ["Turkish", "Turk", "Turks"]},
    "SAU": {"names": ["KSA", "Kingdom of Saudi Arabia"], "adjectives": ["Saudi", "Saudis", "Saudi Arabian"]},
    "LKA": {"adjectives": ["Sri Lankan", "Sri Lankans"], "capitals": ["Colombo", "Sri Jayawardenepura Kotte"]},
    "NPL": {"adjectives": ["Nepalese", "Nepali", "Nepalis"]},
    "PHL": {"names": ["the Philippines"], "adjectives": ["Filipino", "Filipinos", "Filipina", "Philippine"]},
    "CHE": {"adjectives": ["Swiss"]},
    "NZL": {"adjectives": ["New Zealand", "New Zealander", "New Zealanders"]},
    "UKR": {"adjectives": ["Ukrainian", "Ukrainians"], "capitals": ["Kyiv", "Kiev"], "metonyms": [("Bankova", "GOV")]},
    "MKD": {"name": "North Macedonia", "names": ["Macedonia", "Republic of North Macedonia"]},
    "SWZ": {"name": "Eswatini", "names": ["Swaziland"], "capitals": ["Mbabane", "Lobamba"]},
    "TLS": {"name": "East Timor", "names": ["Timor-Leste", "Timor Leste"]},
    "CPV": {"name": "Cape Verde", "names": ["Cabo Verde"], "adjectives": ["Cape Verdean", "Cape Verdeans"]},
    "BIH": {"names": ["Bosnia"], "adjectives": ["Bosnian", "Bosnians"]},
    "VAT": {"name": "Vatican", "names": ["Vatican City", "Holy See", "the Holy See"], "adjectives": ["Vatican"], "capitals": ["Vatican City"],
            "metonyms": [("Holy See", "GOV")]},
    "HKG": {"name": "Hong Kong", "adjectives": ["Hong Konger", "Hong Kongers"], "capitals": ["Hong Kong"]},
    "MAC": {"name": "Macau", "names": ["Macao"], "adjectives": ["Macanese"], "capitals": ["Macau"]},
    "XKX": {"name": "Kosovo", "names": ["Republic of Kosovo"], "adjectives": ["Kosovar", "Kosovars", "Kosovan"], "capitals": ["Pristina", "Prishtina"],
            "region": "Europe", "subregion": "Southern Europe", "lat": 42.6, "lon": 20.9, "alpha2": "XK"},
    "VGB": {"name": "British Virgin Islands"},
    "VIR": {"name": "US Virgin Islands", "names": ["U.S. Virgin Islands"]},
    "BES": {"name": "Caribbean Netherlands", "names": ["Bonaire"]},
    "ATA": {"lat": -75.0, "lon": 0.0, "region": "Antarctica"},
    "HMD": {"region": "Oceania", "subregion": "Australia and New Zealand"},
    "MDA": {"capitals": ["Chisinau", "Chișinău"]},
    "FSM": {"name": "Micronesia"},
    "BHS": {"name": "Bahamas", "names": ["The Bahamas"]},
    "GMB": {"name": "Gambia", "names": ["The Gambia"]},
    "BRN": {"names": ["Brunei Darussalam"]},
    "VEN": {"name": "Venezuela"},
    "MNG": {"adjectives": ["Mongolian", "Mongolians"]},
    "KAZ": {"adjectives": ["Kazakh", "Kazakhs", "Kazakhstani"]},
    "UZB": {"adjectives": ["Uzbek", "Uzbeks"]},
    "TKM": {"adjectives": ["Turkmen"]},
    "KGZ": {"adjectives": ["Kyrgyz"]},
    "TJK": {"adjectives": ["Tajik", "Tajiks"]},
    "AZE": {"adjectives": ["Azerbaijani", "Azeri", "Azeris"]},
    "BGD": {"adjectives": ["Bangladeshi", "Bangladeshis"]},
    "THA": {"adjectives": ["Thai", "Thais"]},
    "QAT": {"adjectives": ["Qatari", "Qataris"]},
    "KWT": {"adjectives": ["Kuwaiti", "Kuwaitis"]},
    "YEM": {"adjectives": ["Yemeni", "Yemenis"]},
    "IRQ": {"adjectives": ["Iraqi", "Iraqis"]},
    "ETH": {"adjectives": ["Ethiopian", "Ethiopians"], "capitals": ["Addis Ababa"]},
    "SDN": {"adjectives": ["Sudanese"]},
    "SSD": {"adjectives": ["South Sudanese"]},
    "NER": {"adjectives": ["Nigerien", "Nigeriens"]},
    "NGA": {"adjectives": ["Nigerian", "Nigerians"], "capitals": ["Abuja"]},
    "GIN": {"adjectives": ["Guinean", "Guineans"]},
    "DOM": {"adjectives": ["Dominican", "Dominicans"]},
    "WSM": {"adjectives": ["Samoan", "Samoans"]},
    "ZAF": {"adjectives": ["South African", "South Africans"], "capitals": ["Pretoria", "Cape Town", "Bloemfontein"]},
    "MYS": {"capitals": ["Kuala Lumpur", "Putrajaya"]},
}

# Generated aliases that are words or ambiguous in news; the country keeps its other names.
DROP_EVERYWHERE = {"Korea", "Lao", "Guinea", "Samoa", "Sudan"}

# Demonyms that are no plural of their own ("the French", "the Swiss"): no "s" is added.
NO_PLURAL_ENDINGS = ("ese", "ish", "ss", "Swiss", "French", "Dutch", "Malagasy", "Thai", "Kyrgyz", "Turkmen")


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip()


def _latin(text: str) -> bool:
    return all(ord(c) < 0x250 or c in "\u2019\u02bc" for c in text)


def _countryinfo() -> dict[str, dict]:
    import countryinfo

    folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    out = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path, encoding="utf-8") as fh:
            record = json.load(fh)
        code = (record.get("ISO") or {}).get("alpha3")
        if code:
            out[code] = record
    return out


def _demonyms(raw: str) -> list[str]:
    parts = re.split(r",|\s+and\s+|/", raw or "")
    return [p.strip() for p in parts if p.strip()]


def _plural(word: str) -> str | None:
    if word.endswith(NO_PLURAL_ENDINGS) or word.endswith("s") or not word[:1].isupper() or word.isupper():
        return None
    return word + "s"


def _aliases(code: str, info: dict, country) -> list[str]:
    """Library aliases, minus ISO codes ("IN", "CHN") and non-Latin scripts."""
    found = [getattr(country, "name", ""), getattr(country, "common_name", ""), getattr(country, "official_name", ""), info.get("name", "")]
    for alt in info.get("altSpellings", []):
        if _latin(alt) and not (alt.isupper() and len(alt) <= 3) and "," not in alt:
            found.append(alt)
    return [a for a in found if a and "," not in a and "(" not in a]


def build() -> list[dict]:
    ci = _countryinfo()
    records: dict[str, dict] = {}
    codes = [c.alpha_3 for c in pycountry.countries] + ["XKX"]
    for code in codes:
        country = pycountry.countries.get(alpha_3=code)
        info = ci.get(code, {})
        cur = CURATED.get(code, {})
        name = cur.get("name") or (info.get("name") if info.get("name") and "," not in info["name"] and "(" not in info["name"] else None) \
            or getattr(country, "common_name", None) or country.name
        lat, lon = (info.get("latlng") or info.get("capital_latlng") or [None, None])[:2]
        adjectives = list(cur.get("adjectives", []))
        for dem in _demonyms(info.get("demonym", "")):  # curated entries list their plurals themselves
            adjectives += [dem] + ([_plural(dem)] if _plural(dem) else [])
        capitals = list(cur.get("capitals") or ([info["capital"]] if info.get("capital") else []))
        records[code] = {
            "code": code,
            "alpha2": cur.get("alpha2") or (country.alpha_2 if country else ""),
            "name": name,
            "names": [name] + list(cur.get("names", [])) + _aliases(code, info, country),
            "adjectives": adjectives,
            "capitals": capitals,
            "metonyms": [{"text": t, "sector": s} for t, s in cur.get("metonyms", [])],
            "region": cur.get("region") or info.get("region") or "",
            "subregion": cur.get("subregion") or info.get("subregion") or "",
            "lat": cur.get("lat", lat),
            "lon": cur.get("lon", lon),
            "capital_lat": (info.get("capital_latlng") or [None, None])[0],
            "capital_lon": (info.get("capital_latlng") or [None, None])[1],
            "_population": info.get("population") or 0,
        }
    _assign_owners(records, "names")
    _assign_owners(records, "adjectives")
    out = []
    for code in sorted(records):
        rec = records.pop(code)
        rec.pop("_population")
        rec["names"] = sorted(set(rec["names"]), key=lambda s: (_norm(s), s))
        rec["adjectives"] = sorted(set(rec["adjectives"]), key=lambda s: (_norm(s), s))
        out.append(rec)
    return out


def _assign_owners(records: dict[str, dict], field: str) -> None:
    """Give each alias to one country: curated claims first, then the most populous claimant."""
    claims: dict[str, list[tuple[int, int, str]]] = {}
    for code, rec in records.items():
        curated = set(CURATED.get(code, {}).get(field, [])) | ({rec["name"]} if field == "names" else set())
        dropped = set(CURATED.get(code, {}).get("drop", []))
        kept = []
        for text in rec[field]:
            if text in dropped or (text in DROP_EVERYWHERE and text not in curated):
                continue
            kept.append(text)
            claims.setdefault(_norm(text), []).append((int(text in curated), rec["_population"], code))
        rec[field] = kept
    for key, claimants in claims.items():
        owner = max(claimants)[2]
        for _, _, code in claimants:
            if code != owner:
                records[code][field] = [t for t in records[code][field] if _norm(t) != key]


def render(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        with open(OUT, encoding="utf-8") as fh:
            return 0 if fh.read() == text else 1
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
