"""PLOVER types, modes and quad classes, with CAMEO codes and their Goldstein values.

The tables in `data/` are published facts: `cameo_codes.tsv` (CAMEO codebook 0.7b5 names with the
CAMEO.SCALE Goldstein values) and `cameo_to_plover.txt` (the PLOVER manual's CAMEO2PLOVER table).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

VERSION = "plover.v1"

# DESIGN.md: quad_code follows the PLOVER type. SANCTION is material conflict, as its own manual
# section says (the manual's summary table disagrees; we follow the definition).
QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}
EVENT_TYPES = tuple(QUAD)
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
AUXILIARY_MODES = ("negation", "hypothetical", "future", "historical")

# Default CAMEO code for a type when a trigger names none (the type's generic root code).
DEFAULT_CAMEO = {
    "AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "CONCEDE": "080", "COOPERATE": "060",
    "AID": "070", "RETREAT": "080", "REQUEST": "100", "ACCUSE": "112", "REJECT": "120",
    "THREATEN": "130", "PROTEST": "140", "SANCTION": "160", "MOBILIZE": "150", "COERCE": "170",
    "ASSAULT": "190",
}


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float | None  # some 4-digit codes have none: their parent's value applies


@dataclass(frozen=True, slots=True)
class PloverMapping:
    code: str
    event: str
    mode: str
    context: tuple[str, ...]


def _data(name: str):
    return resources.files("diurna").joinpath("data", name).open(encoding="utf-8")


@cache
def cameo_codes() -> dict[str, CameoCode]:
    with _data("cameo_codes.tsv") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {r["code"]: CameoCode(r["code"], r["name"], float(r["goldstein"]) if r["goldstein"] else None) for r in rows}


@cache
def cameo_to_plover() -> dict[str, list[PloverMapping]]:
    """Every CAMEO code's PLOVER readings (08 has two: CONCEDE and RETREAT)."""
    table: dict[str, list[PloverMapping]] = {}
    with _data("cameo_to_plover.txt") as handle:
        for line in handle:
            line = line.split("#", 1)[0].strip()
            if ":" not in line:
                continue
            code, rest = (part.strip() for part in line.split(":", 1))
            fields = [f.strip() for f in rest.split(",")] + ["", ""]
            context = tuple(c.strip() for c in fields[2].split(";") if c.strip())
            table.setdefault(code, []).append(PloverMapping(code, fields[0], fields[1], context))
    return table


def goldstein(cameo: str) -> float:
    """The Goldstein value of a CAMEO code, falling back to its parent codes."""
    codes = cameo_codes()
    for length in range(len(cameo), 1, -1):
        entry = codes.get(cameo[:length])
        if entry is not None and entry.goldstein is not None:
            return entry.goldstein
    return 0.0


def contexts(cameo: str) -> tuple[str, ...]:
    """PLOVER contexts the CAMEO2PLOVER table gives a code (the most specific entry that has one)."""
    table = cameo_to_plover()
    for length in range(len(cameo), 1, -1):
        for mapping in table.get(cameo[:length], ()):
            if mapping.context:
                return mapping.context
    return ()


def quad(event_type: str) -> int:
    return QUAD[event_type]
