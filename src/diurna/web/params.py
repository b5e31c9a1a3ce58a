"""Query parameters shared by the API and the pages: the filters of `diurna events`, validated.

Every value is checked by FastAPI before it reaches `diurna.query` (types, ranges, lengths), and
reaches the database only as a bound parameter; what fails is a 422 naming the parameter.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from ..query import ORDERS

Text = Annotated[str | None, Query(max_length=200)]
Order = Literal[tuple(ORDERS)]  # type: ignore[valid-type]
Period = Literal["day", "month", "year"]
MAX_OFFSET = 1_000_000
MAX_PAGE = 500
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}


@dataclass(slots=True)
class EventFilters:
    country: str | None = None
    actor: str | None = None
    recipient: str | None = None
    sector: str | None = None
    type: list[str] | None = None
    quad: list[int] | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    q: str | None = None
    min_confidence: float | None = None
    include_nonfactual: bool = False

    def query_filters(self) -> dict[str, Any]:
        """Keyword arguments for `diurna.query.events` (empty values left out)."""
        found = {"country": self.country, "actor": self.actor, "recipient": self.recipient,
                 "sector": self.sector, "event_type": [t for t in self.type or [] if t.strip()] or None,
                 "quad": self.quad or None, "since": self.since, "until": self.until, "query": self.q,
                 "min_confidence": self.min_confidence, "include_nonfactual": self.include_nonfactual}
        return {k: v for k, v in found.items() if v not in (None, "", False)}

    def query_string(self) -> list[tuple[str, str]]:
        """The filters as query-string pairs (for links that keep them)."""
        pairs: list[tuple[str, str]] = []
        for name in ("country", "actor", "recipient", "sector", "since", "until", "q", "min_confidence"):
            value = getattr(self, name)
            if value not in (None, ""):
                pairs.append((name, str(value)))
        pairs += [("type", t) for t in self.type or []] + [("quad", str(q)) for q in self.quad or []]
        if self.include_nonfactual:
            pairs.append(("include_nonfactual", "true"))
        return pairs


async def event_filters(
    country: Annotated[str | None, Query(max_length=16, description="Either side's country code (PAK).")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="Actor code or name.")] = None,
    recipient: Annotated[str | None, Query(max_length=200, description="Recipient code or name.")] = None,
    sector: Annotated[str | None, Query(max_length=16, description="Either side's sector (GOV, MIL...).")] = None,
    type: Annotated[list[str] | None, Query(max_length=10, description="PLOVER event type; repeat for several.")] = None,
    quad: Annotated[list[str] | None, Query(max_length=4, description="Quad class 1-4; repeat for several.")] = None,
    since: Annotated[str | None, Query(max_length=10, description="Events on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, Query(max_length=10, description="Events on or before (YYYY-MM-DD).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Full text over the events' articles.")] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    include_nonfactual: Annotated[bool, Query(description="Also negated and hypothetical events.")] = False,
) -> EventFilters:
    """The event filters from the query string; empty values (as an HTML form sends them) are absent."""
    types = [t.strip().upper() for t in type or [] if t.strip()]
    if any(len(t) > 32 for t in types):
        raise invalid("type", "each event type is at most 32 characters")
    quads = []
    for value in quad or []:
        if value.strip():
            if value.strip() not in ("1", "2", "3", "4"):
                raise invalid("quad", f"must be 1, 2, 3 or 4, got {value!r}")
            quads.append(int(value))
    return EventFilters(country=_blank(country), actor=_blank(actor), recipient=_blank(recipient),
                        sector=_blank(sector), type=types or None, quad=quads or None,
                        since=parse_date(since, "since"), until=parse_date(until, "until"), q=_blank(q),
                        min_confidence=min_confidence, include_nonfactual=include_nonfactual)


def _blank(value: str | None) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else value


def parse_date(value: str | None, name: str) -> dt.date | None:
    """YYYY-MM-DD, or None for an empty value; anything else is a 422 naming the parameter."""
    if value is None or not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise invalid(name, f"must be a date, YYYY-MM-DD, got {value!r}") from None


def invalid(name: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("query", name), "msg": message, "type": "value_error"}])
