"""Actor dictionaries: who someone is, with the dates of each role.

The built-in dictionary (`data/leaders.yaml`, `data/organisations.yaml`) and user dictionaries
(`--actors FILE`, YAML or CSV) share one format, one entry per person (or organisation) per role:

    - name: Ishaq Dar
      aliases: [Dar, Mohammad Ishaq Dar]
      country: PAK          # ISO 3166-1 alpha-3, or UNO/EUR/IGO/NGO/IMG...
      sector: GOV
      office: Foreign Minister
      start: 2024-03-11     # optional: the role's first day
      end: null             # optional: its last day (null: still held)

CSV files have the columns name, aliases (separated by ";"), country, sector, office, start, end.
User entries win over built-in ones for the same name.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from .errors import DictionaryError
from .resources import data_text, load_yaml

VERSION = "actors.v1"


@dataclass(frozen=True, slots=True)
class KnownActor:
    name: str
    code: str
    sector: str
    office: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    kind: str = "person"  # person | organisation
    user: bool = False

    def holds_on(self, day: dt.date | None) -> bool:
        if day is None:
            return self.end is None
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def _date(value, where: str) -> dt.date | None:
    if value in (None, "", "null", "None"):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise DictionaryError(f"{where}: {value!r} is not a YYYY-MM-DD date") from exc


def _entry(raw: dict, where: str, kind: str, user: bool) -> tuple[KnownActor, list[str]]:
    if not isinstance(raw, dict) or not str(raw.get("name") or "").strip():
        raise DictionaryError(f"{where}: every entry needs a name")
    code = str(raw.get("country") or raw.get("code") or "").strip().upper()
    if code and not (code.isalpha() and len(code) == 3):
        raise DictionaryError(f"{where}: country {code!r} is not a three-letter code")
    aliases = raw.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split(";")]
    if not isinstance(aliases, list):
        raise DictionaryError(f"{where}: aliases must be a list")
    actor = KnownActor(
        name=str(raw["name"]).strip(),
        code=code,
        sector=str(raw.get("sector") or "").strip().upper(),
        office=str(raw.get("office") or "").strip(),
        start=_date(raw.get("start"), where),
        end=_date(raw.get("end"), where),
        kind=kind,
        user=user,
    )
    if actor.start and actor.end and actor.end < actor.start:
        raise DictionaryError(f"{where}: role of {actor.name} ends before it starts")
    return actor, [actor.name] + [str(a).strip() for a in aliases if str(a).strip()]


class Dictionary:
    """Names and aliases to known actors; a name can hold several dated roles."""

    def __init__(self) -> None:
        self._by_name: dict[str, list[KnownActor]] = {}
        self._by_lower: dict[str, list[KnownActor]] = {}

    def add(self, actor: KnownActor, names: list[str]) -> None:
        for name in names:
            self._by_name.setdefault(name, []).append(actor)
            # "the foreign ministry" matches "Foreign Ministry"; acronyms ("IS", "PM") match only as written.
            if actor.kind == "organisation" and len(name) > 3 and not name.isupper():
                self._by_lower.setdefault(name.lower(), []).append(actor)

    def names(self) -> list[str]:
        return list(self._by_name)

    def lookup(self, name: str, day: dt.date | None = None) -> KnownActor | None:
        """The actor a name stands for on `day`: user entries first, then the role held that day,
        then the latest role (a person keeps their country after leaving office)."""
        entries = self._by_name.get(name) or self._by_lower.get(name.lower())
        if not entries:
            return None
        ranked = sorted(entries, key=lambda a: (a.user, a.holds_on(day), a.start or dt.date.min), reverse=True)
        best = ranked[0]
        if best.holds_on(day) or best.kind != "person":
            return best
        if day is not None:
            # Out of office that day: the last role left before it makes a former official; a role
            # not yet begun says only whose they are (Ishaq Dar in 2019 was no deputy prime minister).
            left = [a for a in entries if a.end is not None and a.end < day and a.user == best.user]
            if not left:
                return KnownActor(best.name, best.code, "", "", best.start, best.end, best.kind, best.user)
            best = max(left, key=lambda a: a.end)
        if best.sector == "GOV":
            return KnownActor(best.name, best.code, "ELI", "former " + best.office if best.office else "",
                              best.start, best.end, best.kind, best.user)
        return best

    def merge(self, other: "Dictionary") -> "Dictionary":
        merged = Dictionary()
        for source in (self, other):
            for name, entries in source._by_name.items():
                merged._by_name.setdefault(name, []).extend(entries)
            for name, entries in source._by_lower.items():
                merged._by_lower.setdefault(name, []).extend(entries)
        return merged

    def load(self, text: str, where: str, kind: str = "person", user: bool = False, csv_format: bool = False) -> "Dictionary":
        if csv_format:
            rows = list(csv.DictReader(io.StringIO(text)))
        else:
            try:
                rows = load_yaml(text) or []
            except yaml.YAMLError as exc:
                raise DictionaryError(f"{where}: not valid YAML: {exc}") from exc
            if isinstance(rows, dict):
                # organisations.yaml: named organisations, generic ones whose country comes from the
                # text ("Pakistan's Foreign Office"), and aliases too ambiguous to use at all.
                ambiguous = {str(a) for a in rows.get("ambiguous") or []}
                rows = [dict(r, aliases=[a for a in r.get("aliases") or [] if str(a) not in ambiguous])
                        for r in (rows.get("actors") or rows.get("organisations") or rows.get("entries") or [])
                        + (rows.get("generic") or []) if isinstance(r, dict) and str(r.get("name")) not in ambiguous]
        if not isinstance(rows, list):
            raise DictionaryError(f"{where}: expected a list of entries")
        for number, raw in enumerate(rows, 1):
            actor, names = _entry(raw, f"{where} entry {number}", kind, user)
            self.add(actor, names)
        return self


def load_user_dictionary(path: str | Path) -> Dictionary:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DictionaryError(f"cannot read actor dictionary {path}: {exc}") from exc
    return Dictionary().load(text, str(path), user=True, csv_format=path.suffix.lower() == ".csv")


@cache
def builtin() -> Dictionary:
    """The shipped dictionary: leaders with dated roles and named organisations."""
    dictionary = Dictionary()
    dictionary.load(data_text("leaders.yaml"), "leaders.yaml")
    dictionary.load(data_text("organisations.yaml"), "organisations.yaml", kind="organisation")
    return dictionary
