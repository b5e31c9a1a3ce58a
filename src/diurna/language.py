"""Which language an article is written in: ISO 639-1 codes, offline, in well under a millisecond.

    detect("The two delegations met again on Tuesday in Geneva.")  -> "en"
    detect("Les deux délégations se sont retrouvées mardi à Genève.")  -> "fr"
    detect("ok")  -> ""          (too little text to say)

py3langid (langid.py's model, shipped inside the wheel) scores the text among the languages news
is commonly written in (`LANGUAGES`: rare ones mostly win on names, "Mwangi met Atim in Kampala"
reads as Luganda); a short text or a weak winner gives "" rather than a guess, unless the text's
function words ("the", "of", "de", "und") clearly say which language it is. `detect(text, hint="fr")` lets the page's own declaration
(the HTML lang attribute) settle a close call between it and the winner, never override a clear one.
"""
from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["detect"]

# Below this many letters a language is a guess.
MIN_LETTERS = 12
# Probability the winner needs (softmax over langid's scores, tempered by length). Chosen on our
# own test snippets: one-sentence texts in the five test languages score above 0.9.
MIN_CONFIDENCE = 0.5
# How far behind the winner a hinted language may be and still be chosen.
HINT_MARGIN = 0.25
# ...and the least probability it needs of its own.
HINT_FLOOR = 0.1
# The first characters decide: more costs time and changes nothing for an article.
MAX_CHARS = 3000

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_URL = re.compile(r"https?://\S+|www\.\S+|\S+@\S+")


LANGUAGES = tuple(
    """en fr es de it pt nl ru uk pl cs sk ro hu bg sr hr sl el tr ar fa ur hi bn pa ta te mr gu ml kn si
    ne zh ja ko vi th id ms tl sw am he az kk uz ka hy sq mk lt lv et fi sv da no is ga cy ca eu gl af ha
    so ps ku ky mn km lo my be bs""".split()
)
# Function words: a names-heavy sentence the model cannot place is still plainly in one of these.
_FUNCTION_WORDS = {
    "en": "the of and to in on at for with by from that this is was were are has have had his her their its "
          "said after over into who which will would not".split(),
    "fr": "le la les des du de et à au aux en dans sur pour par avec que qui est sont a ont une un ce cette "
          "il elle ils ne pas".split(),
    "es": "el la los las de del y en con por para que es son fue un una se su sus al lo como pero".split(),
    "de": "der die das und den dem des ist sind war mit von zu auf für ein eine nicht sich im am auch".split(),
    "pt": "o a os as de do da dos das e em no na com por para que é foi um uma se seu sua ao".split(),
    "it": "il lo la gli le di del della e in con per che è un una si al non sono".split(),
}
_FUNCTION_INDEX = {lang: frozenset(words) for lang, words in _FUNCTION_WORDS.items()}
MIN_FUNCTION_SHARE = 0.12


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([lang for lang in LANGUAGES if lang in set(identifier.labels)])
    return identifier


def _by_function_words(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", text.lower())
    if len(words) < 5:
        return ""
    hits = sorted(((sum(w in index for w in words), lang) for lang, index in _FUNCTION_INDEX.items()), reverse=True)
    (best, lang), (second, _) = hits[0], hits[1]
    return lang if best >= MIN_FUNCTION_SHARE * len(words) and best > second else ""


def _code(tag: str) -> str:
    """ "en-GB", "pt_BR", "zh-Hans" -> "en", "pt", "zh"; "" for anything that is not a code."""
    head = re.split(r"[-_]", (tag or "").strip().lower(), maxsplit=1)[0]
    return head if re.fullmatch(r"[a-z]{2}", head) else ""


def detect(text: str, hint: str = "") -> str:
    """The ISO 639-1 code of the language `text` is written in, or "" when unsure.

    `hint` is a declared language ("en-US", "fr"): it wins a close call only.

    >>> detect("El gobierno anunció el martes un nuevo acuerdo con los sindicatos del puerto.")
    'es'
    """
    sample = _URL.sub(" ", (text or "")[:MAX_CHARS])
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return ""
    ranked = _identifier().rank(sample)
    best, score = ranked[0]
    wanted = _code(hint)
    if wanted:
        hinted = dict(ranked).get(wanted, 0.0)
        if hinted >= max(score - HINT_MARGIN, HINT_FLOOR):
            return wanted
    if score >= MIN_CONFIDENCE:
        return _code(best)
    return _by_function_words(sample)
