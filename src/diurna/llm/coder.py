"""The language-model coders: the coding stage done by a model, alone or after the offline coder.

Both are callables `(article, coder) -> article`, the shape `Pipeline(coder=...)` takes, and run after
the nlp and actors stages (they use the article's sentences, parse and actor mentions).

- `LLMCoder` sends the article in passages of numbered sentences and codes what the model returns.
- `HybridCoder` runs the offline coder first and asks the model only about the sentences where the
  offline coder found no event (and that name someone), or found only events it doubts (confidence
  below `doubt_below`); for those the model checks the offline events and answers with the corrected
  list.

Every event the model returns must quote its evidence from the article: the quote is found in the
sentence it names (exactly, or up to white space, quotes and case), or the event is dropped. Its
trigger, date, place and actors are then read from the article at that span, as the offline coder
reads them. An answer that is not valid for the schema is asked again once, with the error, and then
recorded as a failure, never guessed: `LLMCoder` fails the document; `HybridCoder` keeps the offline
events of that sentence and counts the failure. The coder string on each event names the model and
the prompt version.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

from .. import coding, confidence, ontology, settings, when, where
from ..actors import in_play
from ..models import Article, Entity, Event, Sentence
from . import prompts, schema
from .cache import Cache
from .client import ChatClient
from .errors import LLMAnswerError, LLMConfigError, LLMError

log = logging.getLogger(__name__)

# Offline events under this confidence are checked by the model: the offline confidence is a
# calibrated probability (diurna.confidence), so these are the events more likely wrong than right.
# Offline events under the offline coder's own threshold are not kept at all: their sentences are
# asked about as sentences with no event.
DOUBT_BELOW = 0.5
MAX_SENTENCES = 8  # sentences per passage for the llm coder
MAX_CHARS = 3000  # characters per passage
CONTEXT_CHARS = 400  # earlier text sent along, to tell who "he" or "the two sides" are
ASK_LABELS = {"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"}  # a sentence with no such name and no
# actor mention has nobody to code: the hybrid coder does not ask about it


@dataclass(slots=True)
class Question:
    """One request: consecutive sentences of one article, and what the model is asked about them."""

    article: Article
    sentences: list[Sentence]
    candidates: list[Event] = field(default_factory=list)
    dyad: tuple[str, str] | None = None

    @property
    def task(self) -> str:
        return "dyad" if self.dyad else "check" if self.candidates else "find"


class _ModelCoder:
    kind = "llm"

    def __init__(self, client: ChatClient, cache: Cache | None = None, *, context_chars: int = CONTEXT_CHARS):
        self.client = client
        self.cache = cache
        self.context_chars = context_chars
        self.version = f"{self.kind}:{client.model} {prompts.PROMPT_VERSION}"
        self.failures: list[str] = []
        self.dropped = 0  # events whose evidence was not found in the text
        self.asked: list[tuple[str, int, str]] = []  # (doc id, first sentence index, task), in order

    @property
    def usage(self):
        return self.client.usage

    def summary(self) -> str:
        """One line for the end of a run: the client's accounting, dropped events, failures."""
        return f"{self.usage.summary()}; {self.dropped} events dropped (evidence not in the text)"

    # ------------------------------------------------------------------ asking

    def ask(self, question: Question) -> schema.Answer:
        """The model's valid answer to one question: from the cache, or asked (and asked again once)."""
        article = question.article
        first = question.sentences[0]
        context = (article.title + "\n" if article.title else "") + \
            article.text[max(0, first.start - self.context_chars):first.start]
        messages = prompts.messages([s.text for s in question.sentences], context,
                                    [_candidate(e) for e in question.candidates] or None, question.dyad)
        self.asked.append((article.id, first.index, question.task))
        key = Cache.key(self.client.model, prompts.PROMPT_VERSION, messages)
        if self.cache is not None and (hit := self.cache.get(key)) is not None:
            try:
                answer = self._valid(hit.text, question)
            except LLMAnswerError:
                pass
            else:
                self.usage.add(cache_hits=1)
                return answer
        completion = self.client.chat(messages, schema.json_schema(), "plover_events")
        try:
            answer = self._valid(completion.text, question)
        except LLMAnswerError as problem:
            log.info("invalid answer for %s sentence %d (%s); asking again", article.id, first.index, problem)
            again = messages + [{"role": "assistant", "content": completion.text},
                                {"role": "user", "content": f"That answer is invalid: {problem}. Answer again "
                                                            "with only the corrected JSON object."}]
            completion = self.client.chat(again, schema.json_schema(), "plover_events")
            try:
                answer = self._valid(completion.text, question)
            except LLMAnswerError as second:
                self.usage.add(failures=1)
                raise LLMAnswerError(f"invalid answer twice for sentence {first.index}: {second}") from None
        if self.cache is not None:
            self.cache.put(key, self.client.model, prompts.PROMPT_VERSION, completion.text,
                           completion.prompt_tokens, completion.completion_tokens)
        return answer

    @staticmethod
    def _valid(text: str, question: Question) -> schema.Answer:
        answer = schema.parse(text)
        for event in answer.events:
            if not 1 <= event.sentence <= len(question.sentences):
                raise LLMAnswerError(f"sentence {event.sentence} is not one of 1..{len(question.sentences)}")
        if question.dyad and not answer.events:
            raise LLMAnswerError("exactly one event was asked for, none given")
        return answer

    def ask_all(self, questions: Sequence[Question]) -> list[schema.Answer | LLMError]:
        """Ask several questions at once (up to the client's concurrency); errors are returned."""
        def one(question: Question) -> schema.Answer | LLMError:
            try:
                return self.ask(question)
            except LLMError as exc:
                return exc
        if len(questions) <= 1 or self.client.concurrency <= 1:
            return [one(q) for q in questions]
        with ThreadPoolExecutor(max_workers=min(self.client.concurrency, len(questions))) as pool:
            return list(pool.map(one, questions))

    # ------------------------------------------------------------------ answers into events

    def events(self, question: Question, answer: schema.Answer, coder: str) -> list[Event]:
        """The answer's events, each tied to its evidence in the article text, or dropped."""
        out: list[Event] = []
        for coded in answer.events:
            event = self.event(question, coded, coder)
            if event is None:
                self.dropped += 1
                log.info("dropped a %s event in %s: evidence %r not in the text", coded.event_type,
                         question.article.id, coded.evidence)
            else:
                out.append(event)
        seen: set[tuple] = set()
        unique = []
        for event in sorted(out, key=lambda e: -e.confidence):
            key = (event.sentence, event.event_type, event.factual,
                   tuple(sorted(e.code or e.text for e in event.actor)),
                   tuple(sorted(e.code or e.text for e in event.recipient)))
            if key not in seen:
                seen.add(key)
                unique.append(event)
        return sorted(unique, key=lambda e: e.trigger_start)

    def event(self, question: Question, coded: schema.CodedEvent, coder: str) -> Event | None:
        article = question.article
        order = [question.sentences[coded.sentence - 1]] + \
            [s for s in question.sentences if s is not question.sentences[coded.sentence - 1]]
        found = next(((s, span) for s in order if (span := find(article.text, coded.evidence, s.start, s.end))), None)
        if found is None:
            return None
        sentence, (ev_start, ev_end) = found
        trigger = find(article.text, coded.trigger, ev_start, ev_end) or \
            find(article.text, coded.trigger, sentence.start, sentence.end) or (ev_start, ev_end)
        doc = article.doc
        span = doc.char_span(*trigger, alignment_mode="expand") if doc is not None else None
        modes = list(dict.fromkeys(([coded.mode] if coded.mode else []) + list(coded.modality)))
        actor = _entities(article, sentence, coded.actor, coded.actor_code, coded.actor_sector)
        recipient = _entities(article, sentence, coded.recipient, coded.recipient_code, coded.recipient_sector)
        date = place = None
        if span is not None and len(span):
            token = span.root
            if article.published is not None:
                date = when.event_date(token, token.sent, article.published, future="future" in modes)
            parties = frozenset(t.i for e in actor + recipient if e.start >= 0
                                for t in doc.char_span(e.start, e.end, alignment_mode="expand") or ())
            place = where.event_place(token, in_play(article), parties)
        cameo = cameo_for(coded.event_type, coded.mode)
        return Event(
            doc_id=article.id, event_type=coded.event_type, sentence=sentence.index,
            start=sentence.start, end=sentence.end, event_text=sentence.text,
            trigger=article.text[trigger[0]:trigger[1]], trigger_start=trigger[0], trigger_end=trigger[1],
            actor=actor, recipient=recipient, mode=modes, context=list(ontology.contexts(cameo)), cameo=cameo,
            goldstein=ontology.goldstein(cameo), quad_code=ontology.quad(coded.event_type),
            confidence=max(0.05, min(0.95, coded.confidence)), coder=coder,
            date=date.date if date else article.published, enddate=date.enddate if date else None,
            date_source=date.source if date else "published", date_precision=date.precision if date else "day",
            place=place,
        )

    def dyad_event(self, question: Question, answer: schema.Answer, offline: Event, coder: str) -> Event | None:
        """The one event of a dyad question, with the parties the input gave."""
        events = self.events(question, answer, coder)
        if not events:
            return None
        best = max(events, key=lambda e: e.confidence)
        best.actor, best.recipient = offline.actor, offline.recipient
        return best


class LLMCoder(_ModelCoder):
    """The model codes every sentence of the article, a passage at a time."""

    kind = "llm"

    def __init__(self, client: ChatClient, cache: Cache | None = None, *, max_sentences: int = MAX_SENTENCES,
                 max_chars: int = MAX_CHARS, context_chars: int = CONTEXT_CHARS):
        super().__init__(client, cache, context_chars=context_chars)
        self.max_sentences, self.max_chars = max_sentences, max_chars

    def __call__(self, article: Article, coder: str) -> Article:
        if article.dyad:
            offline = coding.code_dyad(article, article.dyad[0], article.dyad[1], coder)
            question = Question(article, _dyad_sentences(article, article.dyad), dyad=article.dyad)
            event = self.dyad_event(question, self.ask(question), offline, coder)
            if event is None:
                raise LLMAnswerError(f"no event with its evidence in the text for the dyad {article.dyad}")
            article.events = [event]
            return article
        questions = [Question(article, passage) for passage in passages(article.sentences, self.max_sentences,
                                                                        self.max_chars)]
        events: list[Event] = []
        for question, answer in zip(questions, self.ask_all(questions)):
            if isinstance(answer, LLMError):
                self.failures.append(f"{article.id}: {answer}")
                raise answer
            events += self.events(question, answer, coder)
        article.events = sorted(events, key=lambda e: e.trigger_start)
        return article


class HybridCoder(_ModelCoder):
    """The offline coder first; the model for the sentences it finds nothing in or doubts."""

    kind = "hybrid"

    def __init__(self, client: ChatClient, cache: Cache | None = None, *, doubt_below: float = DOUBT_BELOW,
                 context_chars: int = CONTEXT_CHARS):
        super().__init__(client, cache, context_chars=context_chars)
        self.doubt_below = doubt_below

    def __call__(self, article: Article, coder: str) -> Article:
        if article.dyad:
            return self._dyad(article, coder)
        floor = confidence.default_threshold()
        offline = [e for e in coding.code_article(article, coder).events if e.confidence >= floor]
        by_sentence: dict[int, list[Event]] = {}
        for event in offline:
            by_sentence.setdefault(event.sentence, []).append(event)
        questions = []
        for sentence in article.sentences:
            found = by_sentence.get(sentence.index, [])
            if found and max(e.confidence for e in found) < self.doubt_below:
                questions.append(Question(article, [sentence], candidates=found))
            elif not found and self._worth_asking(article, sentence):
                questions.append(Question(article, [sentence]))
        for question, answer in zip(questions, self.ask_all(questions)):
            index = question.sentences[0].index
            if isinstance(answer, LLMError):
                self.failures.append(f"{article.id} sentence {index}: {answer}")
                log.warning("llm failed on %s sentence %d, offline events kept: %s", article.id, index, answer)
                continue
            by_sentence[index] = self.events(question, answer, coder)
        article.events = sorted((e for events in by_sentence.values() for e in events), key=lambda e: e.trigger_start)
        return article

    def _dyad(self, article: Article, coder: str) -> Article:
        offline = coding.code_dyad(article, article.dyad[0], article.dyad[1], coder)
        article.events = [offline]
        if offline.confidence >= self.doubt_below:
            return article
        question = Question(article, _dyad_sentences(article, article.dyad), [offline], article.dyad)
        try:
            event = self.dyad_event(question, self.ask(question), offline, coder)
        except LLMError as exc:
            self.failures.append(f"{article.id}: {exc}")
            log.warning("llm failed on %s, offline event kept: %s", article.id, exc)
            return article
        if event is not None:
            article.events = [event]
        return article

    @staticmethod
    def _worth_asking(article: Article, sentence: Sentence) -> bool:
        """Only a sentence that names someone can hold an event between actors."""
        if any(sentence.start <= m.start < sentence.end for m in article.mentions):
            return True
        doc = article.doc
        span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand") if doc is not None else None
        return span is not None and any(ent.label_ in ASK_LABELS for ent in span.ents)


# ---------------------------------------------------------------------------------- helpers

def make_coder(kind: str = "offline", *, base_url: str | None = None, model: str | None = None,
               api_key: str | None = None, cache: Cache | str | bool = True, **client_options):
    """The coder for `--coder offline|llm|hybrid`: None for offline (the pipeline's own coder).

    Endpoint, model and key default to DIURNA_LLM_BASE_URL, DIURNA_LLM_MODEL, DIURNA_LLM_API_KEY;
    `cache=False` asks the model every time, a path puts the cache there.
    """
    if kind == "offline":
        return None
    if kind not in ("llm", "hybrid"):
        raise LLMConfigError(f"unknown coder {kind!r}: choose offline, llm or hybrid")
    base_url, model = base_url or settings.llm_base_url(), model or settings.llm_model()
    if not base_url or not model:
        raise LLMConfigError(f"--coder {kind} needs an endpoint: set DIURNA_LLM_BASE_URL (e.g. "
                             "http://127.0.0.1:8000/v1) and DIURNA_LLM_MODEL")
    client_options.setdefault("prices", settings.llm_prices())
    client = ChatClient(base_url, model, api_key or settings.llm_api_key(), **client_options)
    store = None if cache is False else cache if isinstance(cache, Cache) else Cache(None if cache is True else cache)
    return (LLMCoder if kind == "llm" else HybridCoder)(client, store)


def passages(sentences: Sequence[Sentence], max_sentences: int = MAX_SENTENCES,
             max_chars: int = MAX_CHARS) -> list[list[Sentence]]:
    """Consecutive sentences in groups of at most `max_sentences` and about `max_chars`."""
    out: list[list[Sentence]] = []
    for sentence in sentences:
        if not sentence.text.strip():
            continue
        if out and len(out[-1]) < max_sentences and sum(len(s.text) for s in out[-1]) + len(sentence.text) <= max_chars:
            out[-1].append(sentence)
        else:
            out.append([sentence])
    return out


_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def find(text: str, needle: str, start: int, end: int) -> tuple[int, int] | None:
    """Where `needle` is in text[start:end]: exactly, else up to white space, quotes, dashes and case."""
    needle = needle.strip()
    if not needle:
        return None
    at = text.find(needle, start, end)
    if at >= 0:
        return at, at + len(needle)
    window = text[start:end].translate(_QUOTES)  # same length: offsets still hold
    words = needle.translate(_QUOTES).split()
    match = re.search(r"\s+".join(map(re.escape, words)), window, re.IGNORECASE)
    return (start + match.start(), start + match.end()) if match else None


def _entities(article: Article, sentence: Sentence, text: str, code: str, sector: str) -> list[Entity]:
    """The model's party, tied to the words that name it; the actors stage's reading of those words
    (dictionary, dated roles) wins over the model's codes."""
    text = text.strip()
    if not text and not code:
        return []
    span = find(article.text, text, sentence.start, sentence.end) if text else None
    if span is None:
        return [Entity(code, sector, text or code)]
    for mention in article.mentions:
        if mention.start < span[1] and span[0] < mention.end and mention.actor.code:
            actor = mention.actor
            return [Entity(actor.code, actor.sector or sector, text, span[0], span[1], actor.name, actor.office)]
    return [Entity(code, sector, text, span[0], span[1])]


def _candidate(event: Event) -> dict:
    modality = [m for m in event.mode if m in schema.MODALITIES]
    return {"event_type": event.event_type, "mode": next((m for m in event.mode if m not in modality), ""),
            "modality": modality, "actor": ", ".join(e.text for e in event.actor),
            "recipient": ", ".join(e.text for e in event.recipient), "trigger": event.trigger}


def _dyad_sentences(article: Article, dyad: tuple[str, str]) -> list[Sentence]:
    """The sentences that name either party (all of a short article when none does)."""
    lowered = [d.lower() for d in dyad]
    picked = [s for s in article.sentences if any(d and d in s.text.lower() for d in lowered)]
    return (picked or list(article.sentences))[:MAX_SENTENCES]


@cache
def _lexicon_cameo() -> dict[tuple[str, str], str]:
    counts: dict[tuple[str, str], Counter] = {}
    for entries in coding.lexicon().values():
        for entry in entries:
            if entry.event in ontology.QUAD and entry.cameo:
                counts.setdefault((entry.event, entry.mode), Counter())[entry.cameo] += 1
    return {key: counter.most_common(1)[0][0] for key, counter in counts.items()}


def cameo_for(event_type: str, mode: str) -> str:
    """The CAMEO code the lexicon uses most for a type and mode, else the type's generic code."""
    return _lexicon_cameo().get((event_type, mode)) or ontology.DEFAULT_CAMEO[event_type]


__all__ = ["LLMCoder", "HybridCoder", "Question", "make_coder", "passages", "find", "cameo_for"]
