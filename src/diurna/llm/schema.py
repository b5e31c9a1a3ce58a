"""The answer the model must give, as pydantic models; their JSON schema goes to the server as
`response_format` where it supports structured output.

An answer is a list of events, each quoting its evidence from the numbered sentence it comes from:

    {"events": [{"sentence": 1, "event_type": "CONSULT", "mode": "visit", "modality": [],
                 "actor": "Kenya's president", "actor_code": "KEN", "actor_sector": "GOV",
                 "recipient": "Uganda", "recipient_code": "UGA", "recipient_sector": "GOV",
                 "trigger": "visited", "evidence": "Kenya's president visited Uganda",
                 "confidence": 0.9}]}

Every field is required (the model writes "" or [] for none), so the schema is also valid for
servers that enforce a strict subset of JSON Schema.
"""
from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from ..ontology import EVENT_TYPES
from .errors import LLMAnswerError

# Each PLOVER type's modes (ontologies.md, section 3; PLOVER manual). "" is always allowed.
MODES: dict[str, tuple[str, ...]] = {
    "AGREE": (), "SUPPORT": (), "CONCEDE": (), "COOPERATE": (), "AID": (),
    "CONSULT": ("visit", "third-party", "multilateral", "phone"),
    "RETREAT": ("withdraw", "release", "disarm", "ceasefire", "access", "resign"),
    "REQUEST": ("assist", "change", "yield", "meet"),
    "ACCUSE": ("disapprove", "investigate", "allege"),
    "REJECT": ("assist", "change", "yield", "meet"),
    "THREATEN": ("restrict", "arrest", "relations", "expel", "territory", "violence"),
    "PROTEST": ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"),
    "SANCTION": ("convict", "expel", "withdraw", "discontinue"),
    "MOBILIZE": ("troops", "weapons", "police", "militia"),
    "COERCE": ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold",
               "misinformation", "cyber"),
    "ASSAULT": ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
                "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
                "unconventional"),
}
ALL_MODES = tuple(sorted({m for modes in MODES.values() for m in modes}))
MODALITIES = ("negation", "hypothetical", "future")

EventType = Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]
Mode = Literal[("",) + ALL_MODES]  # type: ignore[valid-type]
Modality = Literal[MODALITIES]  # type: ignore[valid-type]


class CodedEvent(BaseModel):
    """One event the model found, with the words of the text that carry it."""

    model_config = ConfigDict(extra="forbid")

    sentence: int
    event_type: EventType
    mode: Mode
    modality: list[Modality]
    actor: str
    actor_code: str
    actor_sector: str
    recipient: str
    recipient_code: str
    recipient_sector: str
    trigger: str
    evidence: str
    confidence: float

    @field_validator("confidence")
    @classmethod
    def _probability(cls, value: float) -> float:
        if not 0.0 <= value <= 1.0:
            raise ValueError("confidence must be between 0 and 1")
        return value

    @field_validator("evidence", "trigger")
    @classmethod
    def _quoted(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must quote the text")
        return value

    @field_validator("actor_code", "recipient_code", "actor_sector", "recipient_sector")
    @classmethod
    def _code(cls, value: str) -> str:
        value = value.strip().upper()
        if value and not (len(value) == 3 and value.isalpha()):
            raise ValueError("codes are three letters (ISO 3166 alpha-3, IGO, NGO, ...; GOV, MIL, ...) or empty")
        return value

    @model_validator(mode="after")
    def _mode_fits_type(self) -> CodedEvent:
        if self.mode and self.mode not in MODES[self.event_type]:
            raise ValueError(f"mode {self.mode!r} is not a mode of {self.event_type} "
                             f"(its modes: {', '.join(MODES[self.event_type]) or 'none'})")
        return self


class Answer(BaseModel):
    """The model's whole answer for one passage: every event in it, or none."""

    model_config = ConfigDict(extra="forbid")

    events: list[CodedEvent]


def json_schema() -> dict:
    """The answer's JSON schema, for `response_format: {"type": "json_schema", ...}`."""
    return Answer.model_json_schema()


def parse(text: str) -> Answer:
    """Validate a model's answer; LLMAnswerError says what is wrong with it (for the retry prompt)."""
    body = text.strip()
    if body.startswith("```"):  # some servers wrap JSON in a fence even when asked not to
        body = body.strip("`").removeprefix("json").strip()
    try:
        return Answer.model_validate(json.loads(body))
    except json.JSONDecodeError as exc:
        raise LLMAnswerError(f"not JSON: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()[:5])
        raise LLMAnswerError(f"does not match the schema: {problems}") from exc
