"""Article text cut into segments, each with the marks that cover it (actors, triggers, sentences),
for templates to wrap in elements. The text is never turned into markup here: templates escape it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Span:
    start: int
    end: int
    kind: str  # actor | recipient | trigger | focus | place
    label: str = ""
    ref: str = ""  # the event id the span belongs to


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)


def segments(text: str, spans: list[Span]) -> list[Segment]:
    """`text` split at every span edge; each piece lists the spans that cover it."""
    good = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in good), *(s.end for s in good)})
    pieces = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [s for s in good if s.start <= a and b <= s.end]
        kinds = sorted({s.kind for s in covering})
        labels = sorted({s.label for s in covering if s.label})
        refs = sorted({s.ref for s in covering if s.ref})
        pieces.append(Segment(text[a:b], a, kinds, labels, refs))
    return pieces


def event_spans(records: list[dict], focus: str | None = None) -> list[Span]:
    """Spans for events given as API records: triggers, actor and recipient entities, the place,
    and the focused event's sentence."""
    spans: list[Span] = []
    for r in records:
        info = r["text_info"]
        spans.append(Span(info["trigger_start"], info["trigger_end"], "trigger", r["event"][0], r["id"]))
        for role in ("actor", "recipient"):
            spans += [Span(s["start"], s["end"], role, s["code"], r["id"]) for s in r["spans"][role]]
        if focus and r["id"] == focus:
            spans.append(Span(info["start"], info["end"], "focus", "", r["id"]))
    return spans
