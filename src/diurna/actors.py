"""The actors stage: who is named in the article, and what each name stands for.

It reads noun phrases off the parse and learns from the text itself: "Chinese Foreign Minister
Wang Yi" makes Wang Yi CHN/GOV, and a later "Wang" is the same person; "Foreign Minister Ishaq Dar"
takes Pakistan from "the Pakistani Foreign Minister" elsewhere in the article; "both sides" stands
for the two actors last in play. Dictionaries (built-in leaders and organisations, and the user's)
name who someone is on the article's date.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from spacy.tokens import Doc, Span, Token

from . import geo
from .dictionary import Dictionary, KnownActor, builtin
from .models import Actor, Article, Mention
from .resources import data_text, load_yaml

NP_PARTS = {"compound", "amod", "nmod", "flat", "nummod", "det", "quantmod"}
NON_STATE = {"IGO", "NGO", "IMG", "MNC", "UNO", "EUR"}
NOT_ACTORS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
QUANTITIES = {"thousands", "hundreds", "dozens", "scores", "millions", "tens", "hundred", "thousand", "dozen"}
PERSON_PRONOUNS = {"he", "she", "him", "his", "her", "hers"}
THING_PRONOUNS = {"it", "its"}
GROUP_PRONOUNS = {"they", "them", "their"}
OFFICES_OF_STATE = {"GOV", "JUD", "COP", "MIL", "LEG", "SPY", "ELI"}
# Words a crime story uses for the one person it is about, once named.
ROLE_NOUNS = {"accused", "suspect", "defendant", "gunman", "attacker", "assailant", "shooter", "perpetrator",
              "bomber", "detainee", "killer"}
# A wire dateline opening the text: "NAIROBI --", "LIMA, Peru -", "KHARTOUM, May 3 (Xinhua) --",
# "OSLO (AP) -", "ISLAMABAD:", and "OSLO (AP) \"" (a wire dash some feeds turn into a quote mark:
# only after the agency, where no quotation can open). The parser often makes its city the subject
# of the first sentence.
DATELINE = re.compile(r"^\s*[A-Z][A-Z.'’ ]{2,40}[A-Z.](?:,\s*[A-Z][A-Za-z0-9 .'-]{0,30}?)*\s*"
                      r"(?:\([^()]{1,40}\)\s*[\"”]\s|(?:\([^()]{1,40}\))?\s*(?:--|[-–—:])\s)")


@dataclass(slots=True)
class Terms:
    sectors: dict[str, str]
    plural: list[str]
    titles: set[str]
    government: set[str]
    former: set[str]
    max_words: int = field(default=1)


@cache
def terms() -> Terms:
    raw = load_yaml(data_text("actor_terms.yaml"))
    sectors = {str(k).lower(): str(v) for k, v in (raw.get("terms") or {}).items()}
    return Terms(
        sectors=sectors,
        plural=sorted((str(p).lower() for p in raw.get("plural_references") or []), key=len, reverse=True),
        titles={str(t).lower() for t in raw.get("person_titles") or []},
        government={str(g).lower() for g in raw.get("government_words") or []},
        former={str(f).lower() for f in raw.get("former_prefixes") or []},
        max_words=max((len(k.split()) for k in sectors), default=1),
    )


class MentionIndex:
    """Find the mention that covers a token, by character offset."""

    def __init__(self, mentions: list[Mention]):
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self._starts = [m.start for m in self.mentions]

    def at(self, token: Token) -> Mention | None:
        i = bisect.bisect_right(self._starts, token.idx) - 1
        if i >= 0 and self.mentions[i].start <= token.idx < self.mentions[i].end:
            return self.mentions[i]
        return None

    def named(self, mention: Mention) -> Mention:
        """The words that name what a pronoun stands for: the latest earlier mention of the same
        actor that is not itself a pronoun ("The Taliban said it would ..." -> "The Taliban")."""
        if mention.text.lower() not in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
            return mention
        i = bisect.bisect_left(self._starts, mention.start) - 1
        while i >= 0:
            earlier = self.mentions[i]
            if earlier.actor is mention.actor and earlier.text.lower() not in \
                    PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
                return earlier
            i -= 1
        return mention


def np_tokens(head: Token) -> list[Token]:
    """The head and its left-hand name-building modifiers (not a possessor: that is its own phrase)."""
    out = [head]
    stack = [head]
    while stack:
        token = stack.pop()
        for child in token.lefts:
            if child.dep_ in NP_PARTS or (child.dep_ == "punct" and child.text == "-") or (
                child.dep_ == "npadvmod" and child.pos_ == "PROPN"
            ):
                out.append(child)
                stack.append(child)
    # "Jammu and Kashmir", "Bosnia and Herzegovina": a flat proper-name coordination.
    return sorted(out, key=lambda t: t.i)


def _name_run(tokens: list[Token]) -> bool:
    """Two to four capitalised proper nouns and nothing else: a person's name, as far as words show."""
    return 2 <= len(tokens) <= 4 and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in tokens) and \
        not geo.country_by_name(" ".join(t.text for t in tokens))


def _first_name(token: Token) -> bool:
    """A country's name the tagger reads as the first name of a person ("Jordan Ellis", "Chad
    Smith"): the next word is a name in the same person's name, not a title."""
    following = token.nbor(1) if token.i + 1 < len(token.doc) else None
    return following is not None and following.ent_type_ == "PERSON" and following.ent_iob_ == "I" and \
        following.pos_ == "PROPN" and following.lower_ not in terms().titles and \
        following.lower_ not in terms().sectors


def _head_term(words: list[str]) -> tuple[str, str]:
    """The longest actor term that ends the phrase: (term, sector)."""
    t = terms()
    for size in range(min(t.max_words, len(words)), 0, -1):
        key = " ".join(words[len(words) - size:])
        if key in t.sectors:
            return key, t.sectors[key]
    return "", ""


def _title_sector(words: list[str]) -> tuple[str, str]:
    """The longest title or actor term in a phrase's lower-case lemmas: (office, sector)."""
    t = terms()
    for size in range(min(t.max_words, len(words)), 0, -1):
        for i in range(len(words) - size, -1, -1):
            key = " ".join(words[i:i + size])
            if key in t.sectors:
                return key, t.sectors[key]
    return "", ""


class ArticleActors:
    """Resolves the mentions of one article (one instance per article: it keeps its memory)."""

    def __init__(self, article: Article, dictionary: Dictionary | None = None):
        self.article = article
        self.doc: Doc = article.doc
        self.text = article.text  # Doc.text joins every token anew on each call
        self.dictionary = dictionary or builtin()
        self.day = article.published
        self.people: dict[str, Actor] = {}  # every name token and full name -> person
        self.unnamed_offices: dict[str, set[str]] = {}  # office -> countries seen without a name
        self.mentions: list[Mention] = []
        # A dateline says where the story was filed, not who acts: no mention is made in it.
        dateline = DATELINE.match(self.text)
        self.taken: set[int] = {t.i for t in self.doc if dateline and t.idx < dateline.end()}

    # ------------------------------------------------------------------ analysis of one phrase
    def country_of_tokens(self, tokens: list[Token]) -> str:
        for token in tokens:
            code = geo.country_by_adjective(token.text) or geo.country_by_name(token.text)
            if code:
                return code
        text = " ".join(t.text for t in tokens)
        found = geo.country_by_name(text)
        if found:
            return found
        # a country of several words inside a longer name: "the United States Department of Justice"
        for size in (3, 2):
            for i in range(len(tokens) - size + 1):
                part = tokens[i:i + size]
                if part[0].text[:1].isupper():
                    found = geo.country_by_name(" ".join(t.text for t in part))
                    if found:
                        return found
        return ""

    def seat_in_name(self, tokens: list[Token]) -> str:
        """The country whose capital opens an organisation's name: "Abu Dhabi Media", "Tehran Times",
        "Moscow City Court" (a capital, not any place: many names begin with a word that is a town)."""
        names = [t for t in tokens if t.pos_ == "PROPN" and t.text[:1].isupper()]
        if len(names) < 2 or names[0] is not tokens[0] and tokens[0].dep_ != "det":
            return ""
        for size in range(len(names) - 1, 0, -1):
            code = geo.country_by_capital(" ".join(t.text for t in names[:size]))
            if code:
                return code
        return ""

    def possessor(self, head: Token) -> Token | None:
        for child in head.children:
            if child.dep_ == "poss":
                return child
        return None

    def of_country(self, head: Token) -> tuple[str, str]:
        """Country (and organisation sector) from "of" chains: "Minister of ... of China"."""
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ != "pobj":
                        continue
                    phrase = np_tokens(obj)
                    org = self.known(phrase)
                    if org and org.kind == "organisation" and org.code:
                        return org.code, org.sector
                    code = geo.country_by_name(" ".join(t.text for t in phrase)) or self.country_of_tokens(phrase) \
                        or (self.seat_in_name(phrase) if obj.pos_ == "PROPN" else "")
                    if code:
                        return code, ""
                    deeper = self.of_country(obj)
                    if deeper[0]:
                        return deeper
        return "", ""

    def from_country(self, head: Token) -> str:
        """The country a person or body comes from: "a tourist from Canada", "police from Kenya"
        (a country named outright; "a man from Lagos" may be a visitor)."""
        # "the site's operator, Jo Kim, from Korea": the phrase a name stands in apposition to
        holders = [head, head.head] if head.dep_ == "appos" else [head]
        for child in (c for holder in holders for c in holder.rights):
            if child.dep_ == "prep" and child.lower_ == "from":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "NORP", ""):
                        code = geo.country_by_name(" ".join(t.text for t in np_tokens(obj)))
                        if code:
                            return code
        return ""

    def in_place(self, head: Token) -> str:
        """The country of a group placed by "in": "police in Lagos", "protesters in Tehran"."""
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "in":
                for obj in child.children:
                    if obj.dep_ == "pobj" and obj.ent_type_ in ("GPE", "LOC"):
                        text = " ".join(t.text for t in np_tokens(obj))
                        code = geo.country_by_name(obj.text) or geo.country_by_name(text)  # "eastern Uganda"
                        if code:
                            return code
                        place = geo.resolve_place(text)
                        if place is not None and len(place.country_code) == 3:
                            return place.country_code
        return ""

    def known(self, tokens: list[Token], person: list[Token] = ()) -> KnownActor | None:
        """A dictionary entry for the phrase, or for its longest proper-name run. A person named in
        full must be named in full in the dictionary: "Osman Hamid" is not "Abdul Hamid"."""
        text = " ".join(t.text for t in tokens).replace(" - ", "-").replace(" 's", "'s")
        found = self.dictionary.lookup(text, self.day)
        if found:
            return found
        if len(person) >= 2:
            return self.dictionary.lookup(" ".join(t.text for t in person), self.day)
        for size in range(len(tokens) - 1, 0, -1):
            for i in range(0, len(tokens) - size + 1):
                part = tokens[i:i + size]
                if part[0].pos_ not in ("PROPN", "NOUN") and not part[0].is_upper:
                    continue
                found = self.dictionary.lookup(" ".join(t.text for t in part), self.day)
                if found and found.name[:1].isupper() and not any(t.text[:1].isupper() for t in part):
                    continue  # "shell manufacturer" names no Shell, "apple growers" no Apple
                if found:
                    return found
        return None

    def analyse(self, head: Token) -> Actor | None:
        """What the noun phrase headed by `head` names, or None when it names no actor."""
        if head.ent_type_ in NOT_ACTORS:
            return None  # "May" in "on May 10" is a month, not Theresa May
        tokens = np_tokens(head)
        content = [t for t in tokens if t.dep_ not in ("det",) and not t.is_punct]
        if not content:
            return None
        text = " ".join(t.text for t in content)
        lemmas = [t.lemma_.lower() for t in content]
        if len(content) == 1 and head.pos_ == "PROPN" and self.people.get(head.text) is not None:
            # "Jordan Ellis, 16, ... Jordan's family": a name the story gave a person is that person,
            # though a country has it too
            return self.people[head.text]
        # Countries, capitals and seats of government named as actors.
        if head.pos_ == "PROPN" or head.ent_type_ in ("GPE", "NORP", "ORG"):
            code = geo.country_by_name(text)
            if code:
                return Actor(geo.country_name(code), code, "", "country")
            capital = geo.country_by_capital(text)
            # the tagger often reads a capital speaking for its government as an organisation or as
            # nothing ("Bamako says ...", "Accra says ..."); a person tagged so is no capital here
            if capital and head.ent_type_ in ("GPE", "ORG", ""):
                return Actor(geo.country_name(capital), capital, "GOV", "country")
        # (a surname opening a sentence is sometimes tagged a common noun: "Szentes later said")
        if (head.pos_ == "PROPN" or head.pos_ == "NOUN" and head.text[:1].isupper()) and \
                head.ent_type_ not in ("GPE", "LOC", "FAC", "NORP"):
            remembered = self.people.get(text) or (self.people.get(head.text) if len(content) == 1 else None)
            if remembered is not None:
                return remembered
        poss = self.possessor(head)
        metonym = geo.country_by_metonym(text)
        if metonym and poss is None:
            return Actor(text, metonym[0], metonym[1], "organisation")
        if head.ent_type_ == "NORP" or (head.pos_ in ("NOUN", "PROPN") and geo.country_by_adjective(head.text)):
            code = geo.country_by_adjective(head.text)
            if code and head.tag_ in ("NNPS", "NNS"):
                return Actor(head.text, code, "CVL", "group")  # "Palestinians", "Afghans"
            if code and any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.children):
                # "an Australian, John Smith,": one of that country's people, whose name may follow
                return Actor(text, code, "CVL", "group")
        # The tagger sometimes reads "Tajik" in "Tajik police" as a person's name.
        person_tokens = [t for t in content if t.ent_type_ == "PERSON" and t.pos_ == "PROPN"
                         and not geo.country_by_adjective(t.text) and (not geo.country_by_name(t.text) or
                                                                       _first_name(t))]
        known = self.known(content, person_tokens)
        # A person's title may stand anywhere before the name; a group's term is its head ("military
        # exchanges" names no army, "Pakistani troops" does).
        office, sector = _title_sector(lemmas) if person_tokens else _head_term(lemmas)
        country = self.country_of_tokens([t for t in content if t not in person_tokens])
        org_sector = ""
        if poss is not None and not country:
            owner = self.analyse(poss)
            if owner and owner.code and owner.kind in ("country", "organisation"):
                country, org_sector = owner.code, owner.sector if owner.kind == "organisation" else ""
        if not country:
            country, org_sector = self.of_country(head)
        if not country and head.pos_ == "PROPN":
            country = self.seat_in_name(content)
        if not country and not person_tokens and sector:
            country = self.in_place(head)
        if not country and (person_tokens or sector):
            country = self.from_country(head)
        is_former = bool({t.lower_ for t in content} & terms().former)
        if known is not None and (known.kind == "organisation" or not person_tokens or
                                  known.name.split()[-1] == person_tokens[-1].text):
            code = known.code or country
            sector = known.sector or sector
            if is_former and known.kind == "person":
                sector = "ELI"
            actor = Actor(known.name, code, sector, known.kind, office or known.office.lower())
            if known.kind == "person":
                self.remember(actor, person_tokens or content)
            return actor
        if person_tokens:
            name = " ".join(t.text for t in person_tokens)
            remembered = self.people.get(name)
            for size in range(len(person_tokens) - 1, 1, -1):
                # "Kim Min Jun" after "Kim Min" (the parser split the name the first time): the same person
                remembered = remembered or self.people.get(" ".join(t.text for t in person_tokens[:size]))
            if remembered is not None and not office and not country:
                return remembered
            if remembered is not None:
                remembered.code = remembered.code or country
                remembered.office = remembered.office or office
                remembered.sector = remembered.sector or sector
                return remembered
            if office and is_former:
                sector = "ELI"
            actor = Actor(name, country, sector, "person", office)
            self.remember(actor, person_tokens)
            return actor
        if head.ent_type_ == "ORG" and not sector:
            # "the opposition Umoja Alliance": a modifier may say what kind of organisation it is
            return Actor(text, country or self.seat_in_name(content), _title_sector(lemmas)[1] or org_sector,
                         "organisation")
        if head.pos_ == "PROPN" and not sector and head.ent_type_ in ("", "PERSON") and \
                head.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj") and head.text[:1].isupper():
            # A name the tagger did not label ("Paweł Adamowicz"): someone, though we know not who.
            return Actor(text, country, "", "person" if len(content) > 1 else "group")
        if sector:
            if office in terms().government or lemmas[-1] in terms().government:
                sector = "GOV"
            if is_former:
                sector = "ELI"
            if country and office and sector in ("GOV", "ELI", "MIL"):
                self.unnamed_offices.setdefault(office, set()).add(country)
                if head.tag_ in ("NN", "NNP"):
                    # "The Pakistani Foreign Minister" after "Foreign Minister Ishaq Dar": one person.
                    holder = self.office_holder(office, country)
                    if holder is not None:
                        return holder
            return Actor(text, country, sector or org_sector, "group", office)
        if country and head.tag_ == "NNS" and any(t.dep_ in ("amod", "compound") and t.ent_type_ == "NORP" and
                                                  geo.country_by_adjective(t.text) for t in content):
            # "Bolivian pilots", "Chilean trucks": people or goods a nationality picks out, though no term names
            # their trade; that country's, of no known sector
            return Actor(text, country, "", "group")
        return None

    def office_holder(self, office: str, country: str) -> Actor | None:
        holders = {id(a): a for a in self.people.values()
                   if a.office.lower() == office and a.code in (country, "")}
        if len(holders) != 1:
            return None
        holder = next(iter(holders.values()))
        holder.code = holder.code or country
        return holder

    def remember(self, actor: Actor, name_tokens: list[Token]) -> None:
        names = [t.text for t in name_tokens if t.pos_ == "PROPN" and t.text[:1].isupper()]
        if not names:
            return
        self.people[" ".join(names)] = actor
        for token in (names[0], names[-1]):
            if token.lower() in terms().titles or token.lower() in terms().sectors:
                continue
            holder = self.people.get(token)
            if holder is None or holder is actor:
                self.people[token] = actor

    # ------------------------------------------------------------------ whole article
    def add(self, tokens: list[Token], actor: Actor, plural: tuple[Actor, ...] = ()) -> Mention | None:
        if any(t.i in self.taken for t in tokens):
            return None
        tokens = [t for t in tokens if not (t.dep_ == "det" and t.i == tokens[0].i and t.lower_ in ("the", "a", "an"))] or tokens
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
        self.taken.update(t.i for t in tokens)
        mention = Mention(start, end, self.text[start:end], actor, self.sentence_of(tokens[0]), plural)
        self.mentions.append(mention)
        return mention

    def sentence_of(self, token: Token) -> int:
        starts = self._sentence_starts
        return max(0, bisect.bisect_right(starts, token.idx) - 1)

    def plural_reference(self, sent: Span) -> list[tuple[list[Token], str]]:
        text = sent.text.lower()
        found = []
        for phrase in terms().plural:
            at = text.find(phrase)
            while at >= 0:
                before = text[at - 1] if at else " "
                after = text[at + len(phrase)] if at + len(phrase) < len(text) else " "
                if not before.isalnum() and not after.isalnum():
                    span = self.doc.char_span(sent.start_char + at, sent.start_char + at + len(phrase),
                                              alignment_mode="expand")
                    if span is not None and not any(t.i in self.taken for t in span):
                        found.append((list(span), phrase))
                at = text.find(phrase, at + 1)
        return found

    def recent(self, before: int, want: str, limit_sentences: int = 3) -> list[Actor]:
        """Distinct actors mentioned before a character offset, most recent first."""
        first_sentence = self.sentence_of_offset(before) - limit_sentences
        out: list[Actor] = []
        for mention in sorted(self.mentions, key=lambda m: m.start, reverse=True):
            if mention.start >= before or mention.sentence < first_sentence or mention.plural:
                continue
            actor = mention.actor
            if want == "person" and actor.kind != "person":
                continue
            if want == "coded" and not actor.code:
                continue
            if want == "thing" and actor.kind == "person":
                continue
            if all(a is not actor and (a.code != actor.code or not a.code or want == "person") for a in out):
                if want != "person" and any(a.code == actor.code for a in out if a.code):
                    continue
                out.append(actor)
        return out

    def sentence_of_offset(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self._sentence_starts, offset) - 1)

    def run(self) -> list[Mention]:
        sents = list(self.doc.sents)
        self._sentence_starts = [s.start_char for s in sents]
        for sent in sents:
            self.phrases(sent)
        self.nationalities()
        self.fill_countries()
        self.fill_home_country()
        return sorted(self.mentions, key=lambda m: m.start)

    def nationalities(self) -> None:
        """A person's country told in a sentence of its own: "Ana Ruiz is a Chilean citizen", "Ruiz, who
        is Peruvian,": the person is that country's wherever else the story names them."""
        for token in self.doc:
            if token.dep_ not in ("attr", "acomp") or token.head.lemma_ != "be":
                continue
            code = geo.country_by_adjective(token.text) if token.dep_ == "acomp" or token.pos_ == "PROPN" else \
                next((geo.country_by_adjective(c.text) for c in token.children
                      if c.dep_ in ("amod", "compound") and geo.country_by_adjective(c.text)), "")
            if not code:
                continue
            subject = next((c for c in token.head.children if c.dep_ == "nsubj"), None)
            if subject is not None and subject.lower_ == "who" and token.head.dep_ == "relcl":
                subject = token.head.head
            if subject is None:
                continue
            mention = self.mention_at(subject)
            # the tagger may read a lone surname as a common noun: the name still says who it is
            person = mention.actor if mention is not None else self.people.get(subject.text)
            if person is not None and person.kind == "person" and not person.code:
                person.code = code

    def fill_home_country(self) -> None:
        """Police, courts, officials and people with no country named are the story's country's."""
        home = home_country(self.mentions, self.text)
        if not home:
            return
        for mention in self.mentions:
            actor = mention.actor
            if not actor.code and not mention.plural and (actor.sector or actor.kind in ("person", "organisation")):
                actor.code = home

    def phrases(self, sent: Span) -> None:
        for tokens, phrase in self.plural_reference(sent):
            want = "person" if "leader" in phrase or "minister" in phrase else "coded"
            actors = self.recent(tokens[0].idx, want)[:2]
            if len(actors) < 2 and want == "person":
                actors = self.recent(tokens[0].idx, "coded")[:2]
            if len(actors) == 2:
                group = Actor(" and ".join(a.name for a in actors), "", "", "group")
                self.add(tokens, group, plural=tuple(reversed(actors)))
        for token in sent:
            if token.i in self.taken or token.is_space or token.is_punct:
                continue
            lower = token.lower_
            if token.pos_ == "PRON" or lower in PERSON_PRONOUNS | THING_PRONOUNS | GROUP_PRONOUNS:
                self.pronoun(token)
                continue
            role = self.role_reference(token)
            if role is not None:
                self.add([token], role)
                continue
            if token.pos_ not in ("NOUN", "PROPN"):
                continue
            if token.dep_ in ("compound", "flat") and token.head.pos_ in ("NOUN", "PROPN") and token.head.i > token.i:
                # "US-brokered", "China-Pakistan Economic Corridor": a country inside a longer name.
                continue
            if token.dep_ == "amod":
                continue
            actor = self.analyse(token)
            if actor is None:
                continue
            tokens = np_tokens(token)
            if actor.kind == "group" and self.coordinated(tokens, token, actor):
                continue
            self.add(tokens, actor)
            self.apposition(token, actor)
        # Countries named inside longer phrases ("US-brokered", "India-Pakistan") are actors too.
        for token in sent:
            if token.i in self.taken or token.pos_ not in ("PROPN", "NOUN", "ADJ"):
                continue
            code = geo.country_by_name(token.text)
            if code and token.text[:1].isupper():
                self.add([token], Actor(geo.country_name(code), code, "", "country"))

    def coordinated(self, tokens: list[Token], head: Token, actor: Actor) -> bool:
        """ "Nigerian and British armed forces": two groups, one per country, each its own mention
        (the first adjective alone, the second with the shared head)."""
        for i, first in enumerate(tokens):
            if first is head or not any(c.dep_ == "cc" for c in first.children):
                continue
            code = geo.country_by_adjective(first.text) or geo.country_by_name(first.text)
            # the second country hangs off the first ("Russian and Turkish ministers") or the head
            conj = [c for c in first.children if c.dep_ == "conj"]
            rest = sorted(conj + [t for t in tokens[i + 1:] if t.dep_ != "cc" and t not in conj],
                          key=lambda t: t.i)
            second = next((geo.country_by_adjective(t.text) or geo.country_by_name(t.text) for t in rest
                           if t is not head), "")
            if not code or not second or second == code:
                return False
            self.add([first], Actor(first.text, code, actor.sector, "group", actor.office))
            text = " ".join(t.text for t in rest)
            self.add(rest, Actor(text, second, actor.sector, "group", actor.office))
            return True
        return False

    def apposition(self, head: Token, actor: Actor) -> None:
        """ "Liu Jianchao, Minister of ... of China" and "the Foreign Minister, Amir Khan Muttaqi," """
        for child in head.children:
            if child.dep_ != "appos":
                continue
            other = self.analyse(child)
            if actor.office and actor.kind == "group" and _name_run(np_tokens(child)) and (
                    other is None or other.kind != "person" and other.code in ("", actor.code)):
                # "Hungary's foreign minister, Gábor Szentes,": the office's holder, by name (the
                # tagger often takes a foreign name for an organisation's)
                name = np_tokens(child)
                other = Actor(" ".join(t.text for t in name), actor.code, actor.sector, "person", actor.office)
                self.remember(other, name)
            if other is None:
                continue
            if actor.kind == "person" and other.kind != "person":
                actor.code = actor.code or other.code
                actor.sector = actor.sector or other.sector
                actor.office = actor.office or other.office
            elif other.kind == "person" and actor.kind != "person":
                other.code = other.code or actor.code
                other.sector = other.sector or actor.sector
                other.office = other.office or actor.office
            self.add(np_tokens(child), other if other.kind == "person" else actor)

    def reporter(self, token: Token) -> Mention | None:
        """The subject of the clause that reports or governs the pronoun's own: in "the rebels said
        they would release ..." and "the ministry says it will ...", the speaker speaks of itself."""
        verb = token.head
        for _ in range(3):
            if verb.dep_ not in ("ccomp", "xcomp", "advcl", "conj") or verb.head is verb:
                return None
            verb = verb.head
            for child in verb.children:
                if child.dep_ in ("nsubj", "nsubjpass") and child.i < token.i:
                    mention = self.mention_at(child)
                    if mention is not None and mention.actor.kind != "person" and not mention.plural:
                        return mention
                    return None
        return None

    def role_reference(self, token: Token) -> Actor | None:
        """ "the accused", "the suspect", "the gunman": the person the story has named in that role,
        the latest one named in the last three sentences who holds no office of state (a judge, a
        police spokesman or a minister speaks of the accused; none of them is the accused)."""
        # the tagger often reads "the accused" as a verb: the determiner and the role in the clause say it is not
        if token.lower_ not in ROLE_NOUNS or token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "dative") or \
                not any(c.dep_ == "det" and c.lower_ == "the" for c in token.children):
            return None
        return next((a for a in self.recent(token.idx, "person") if a.sector not in OFFICES_OF_STATE), None)

    def pronoun(self, token: Token) -> None:
        lower = token.lower_
        if lower in THING_PRONOUNS | GROUP_PRONOUNS and token.dep_ in ("nsubj", "nsubjpass", "poss"):
            mention = self.reporter(token)
            if mention is not None:
                self.add([token], mention.actor)
                return
        if lower in GROUP_PRONOUNS and token.dep_ in ("nsubj", "nsubjpass", "poss"):
            group = self.plural_subject(token)
            if group is not None:
                self.add([token], group.actor)
                return
        if lower in PERSON_PRONOUNS:
            people = self.recent(token.idx, "person", limit_sentences=3)
            if token.dep_ in ("dobj", "dative") and lower in ("him", "her"):
                # "Kiir pardoned him": an object pronoun is not its own clause's subject
                subjects = {id(m.actor) for c in token.head.children if c.dep_ == "nsubj"
                            for m in [self.mention_at(c)] if m is not None}
                people = [a for a in people if id(a) not in subjects]
            if people:
                self.add([token], people[0])
        elif lower in THING_PRONOUNS:
            # "While India blamed Pakistan ..., it has yet to ...": the clause subject, not the nearest name.
            for earlier in reversed(list(token.sent[: token.i - token.sent.start])):
                mention = self.mention_at(earlier)
                if earlier.dep_ == "nsubj" and mention is not None and mention.actor.code and \
                        mention.actor.kind != "person":
                    self.add([token], mention.actor)
                    return
            things = [a for a in self.recent(token.idx, "thing", limit_sentences=1) if a.code]
            if things:
                self.add([token], things[0])

    def plural_subject(self, token: Token) -> Mention | None:
        """"Protesters blocked roads. Their demands include ...": a plural group that was the subject of
        this sentence or the one before, the latest such (a group named as an object is seldom "they")."""
        first = self.sentence_of(token) - 1
        for mention in sorted(self.mentions, key=lambda m: m.start, reverse=True):
            if mention.start >= token.idx or mention.plural or mention.actor.kind != "group":
                continue
            if mention.sentence < first:
                return None
            span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or span.root.tag_ not in ("NNS", "NNPS"):
                continue
            root = span.root
            if root.dep_ == "pobj" and root.head.head.lower_ in QUANTITIES:
                root = root.head.head  # "thousands of students marched"
            if root.dep_ in ("nsubj", "nsubjpass"):
                return mention
        return None

    def mention_at(self, token: Token) -> Mention | None:
        for mention in self.mentions:
            if mention.start <= token.idx < mention.end:
                return mention
        return None

    def fill_countries(self) -> None:
        """People whose country the text gives elsewhere: "the Pakistani Foreign Minister"."""
        taken_by_office: dict[str, set[str]] = {}
        people = {id(a): a for a in self.people.values()}
        for person in people.values():
            if person.code and person.office:
                taken_by_office.setdefault(person.office.lower(), set()).add(person.code)
        for person in people.values():
            if person.code or not person.office:
                continue
            office = person.office.lower()
            free = self.unnamed_offices.get(office, set()) - taken_by_office.get(office, set())
            if len(free) == 1:
                person.code = free.pop()
                taken_by_office.setdefault(office, set()).add(person.code)


def find_actors(article: Article, dictionary: Dictionary | None = None) -> Article:
    """The actors stage: set `article.mentions`."""
    article.mentions = ArticleActors(article, dictionary).run()
    return article


def home_country(mentions: list[Mention], text: str) -> str:
    """The country a story happens in: the one it names most, with a clear lead, else its
    dateline's (a correspondent in Brussels often writes about somewhere else)."""
    named = [m for m in mentions if m.actor.code and m.actor.code not in NON_STATE
             and not m.plural and m.text.lower() not in ROLE_NOUNS]  # "the accused" again is no new party
    # A private person's country says where they come from, not where the story is: a foreigner
    # tried abroad is named again and again, the court and police that try him hardly at all.
    public = [m for m in named if not _private_person(m.actor)]
    place = geo.dateline_place(text)
    dateline = place.country_code if place is not None and len(place.country_code) == 3 else ""
    return _clear_lead(public) or dateline or _clear_lead(named)


def _private_person(actor: Actor) -> bool:
    return (actor.kind == "person" and actor.sector in ("", "CVL")) or (actor.kind == "group" and actor.sector == "CVL")


def _clear_lead(mentions: list[Mention]) -> str:
    """The country named most, with a clear lead, or the only country named."""
    counts = Counter(m.actor.code for m in mentions)
    (top, n), *rest = counts.most_common(2) + [("", 0), ("", 0)]
    return top if n > rest[0][1] and (n >= 2 or len(counts) == 1) else ""


def in_play(article: Article) -> list[str]:
    """Countries the article is about, most mentioned first."""
    counts = Counter(m.actor.code for m in article.mentions if len(m.actor.code) == 3 and m.actor.code.isalpha()
                     and m.actor.code not in NON_STATE)
    return [code for code, _ in counts.most_common()]
