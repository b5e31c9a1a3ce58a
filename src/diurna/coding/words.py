"""The word lists the coding stage reads: what sends, what negates, what is no agent."""
from __future__ import annotations

import re


VERSION = "lexicon.v3"


# Sending and taking away: what is sent (troops, money) is the object; the party the event is
# done to is where it goes ("sent peacekeepers to Angola") or what it leaves ("withdrew troops from").
SENDING = {"send", "deploy", "dispatch", "give", "offer", "provide", "contribute", "transfer", "deliver", "supply",
           "donate", "ship", "grant", "lend", "sell", "export", "deployment", "delivery", "shipment", "donation"}


CREATING = {"establish", "build", "create", "found", "construct", "open"}  # and "set up"


TAKING_AWAY = {"withdraw", "pull", "remove", "evacuate", "recall", "withdrawal", "evacuation", "pullout"}


# Prepositions whose named object is the party a verb acts on when its object is a thing.
PARTY_PREPS = ("to", "against", "on", "upon", "into", "for", "toward", "towards", "over", "in", "at")


# Prepositions whose named object is the party a thing comes from or is aimed at ("a request from Russia").
THING_PREPS = ("from", "against", "on", "to", "by")


RECIPIENT_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "at", "into", "from", "over",
                   "for", "of", "between", "among", "in"}


# What someone asks for, threatens, promises, refuses or alleges is not itself an event that happened.
# Promised events and the CAMEO "express intent" code they become (PLOVER codes them AGREE).
PROMISABLE = {"CONSULT": "036", "SUPPORT": "032", "COOPERATE": "031", "AID": "033", "RETREAT": "035",
              "CONCEDE": "035"}


TOPIC_VERBS = {"discuss", "debate", "consider", "review", "examine", "study", "address", "weigh", "mull", "explore",
               # an event only heard of, recalled or cited is not told as news ("had heard the
               # farmers' demands", "recalled the 1994 massacre")
               "hear", "heed", "listen", "recall", "remember", "mention", "cite", "recount", "describe"}


EMBEDDING_TYPES = {"REQUEST", "THREATEN", "AGREE", "REJECT", "ACCUSE", "CONCEDE"}


SETTLING_TYPES = {"RETREAT", "CONCEDE", "AGREE", "CONSULT"}


TIME_PREPOSITIONS = {"after", "before", "following", "since", "until"}


CLAIM_NOUNS = {"claim", "allegation", "accusation", "rumour", "rumor", "assertion", "suggestion"}


# What someone believes, suspects or concludes happened is their claim, not an act the story tells
# as done ("investigators believe the colonel ordered the raid"): the claim is the accuser's ACCUSE.
BELIEF_VERBS = {"believe", "think", "suspect", "claim", "assert", "contend", "suppose", "conclude", "speculate",
                "theorise", "theorize", "presume", "assume", "maintain", "insinuate", "imply", "find"}


# What a law or charter lays down ("the charter stipulates that members are expelled after ..."),
# and what a body is set up to do ("a unit tasked with hunting smugglers"): rules, not events.
RULE_VERBS = {"specify", "stipulate", "provide", "prescribe", "mandate", "require", "dictate", "decree", "task",
              "entrust", "empower", "authorise", "authorize", "charge"}


MANDATE_VERBS = {"task", "entrust", "empower", "authorise", "authorize", "mandate", "charge"}


RULE_SUBJECTS = {"constitution", "law", "charter", "treaty", "statute", "rule", "regulation", "code", "article",
                 "clause", "act", "bill", "agreement", "accord", "convention", "protocol", "provision", "decree",
                 "guideline", "guidance", "standard", "policy", "doctrine"}


# "at the minister's request", "on the invitation of the king": why the main act was done, told as
# its circumstance; the request or invitation itself is earlier news.
CIRCUMSTANCE_PREPS = {"at", "on", "upon"}


NEGATORS = {"not", "n't", "never", "no", "neither", "nor", "without"}


NEGATING_VERBS = {"fail", "refuse", "decline", "deny", "avoid", "stop", "cease", "halt", "postpone", "cancel",
                  "suspend", "abandon", "boycott", "skip", "miss", "prevent", "block", "delay",
                  "reject", "dismiss", "rule"}


OBLIGING_AUX = {"must", "should", "ought"}  # "X said Y must ...": a demand on Y


HYPOTHETICAL_AUX = {"could", "would", "might", "may", "should", "can", "must", "ought"}


HYPOTHETICAL_VERBS = {"likely", "able", "consider", "threaten", "propose", "seek", "want", "hope", "try", "attempt", "urge", "ask",
                      "encourage", "call", "demand", "warn", "suggest", "offer", "mull", "weigh", "wish", "risk", "fear"}


HYPOTHETICAL_VERBS |= {"plot", "conspire", "scheme"}  # "plotting to storm parliament": it was not stormed


FUTURE_AUX = {"will", "shall", "'ll", "wo"}


FUTURE_VERBS = {"expect", "plan", "intend", "schedule", "set", "due", "aim", "prepare", "go", "willing", "ready",
                "prepared", "poised", "scheduled", "slated"}


# Verbs that hand their subject to an event noun they govern: "X arrived for a visit", "X joined the talks".
GOVERNING_VERBS = {"include", "begin", "start", "continue", "resume", "attend", "hold", "join", "conclude", "end",
                   "complete", "arrive", "travel", "fly", "come", "go", "head", "pay", "make", "undertake", "wrap"}


# Verbs whose subject does what their object names ("announced a halt to arms sales", "approved the
# release of the detainees"): the subject is the act's actor, as with a light verb. ("order" is not
# one: "said to have ordered the raid" is mostly told as a charge, not as the act.)
ENACTING_VERBS = {"announce", "authorize", "authorise", "approve", "declare", "impose", "renew", "extend",
                  "issue", "launch", "conduct", "stage", "carry", "mount", "sign", "grant", "intensify", "escalate"}


# Nouns for a batch or a series of acts, whose "of" phrase names the acts: "a package of sanctions",
# "a wave of strikes"; what is done to the batch is done to them.
BATCH_NOUNS = {"package", "round", "set", "series", "wave", "raft", "batch", "slate", "tranche", "list", "spate",
               "string", "flurry", "volley", "salvo", "succession", "spree"}


# Subjects that do harm without being actors: "a typhoon killed 90 people" is no assault.
NON_AGENTS = {"typhoon", "storm", "hurricane", "cyclone", "earthquake", "quake", "flood", "flooding", "fire",
              "wildfire", "blaze", "flame", "landslide", "mudslide", "avalanche", "tsunami", "drought", "heatwave",
              "disease", "virus", "outbreak", "epidemic", "pandemic", "accident", "crash", "lightning", "rain",
              "wind", "tornado", "eruption", "volcano", "surge", "wave", "collapse", "market", "share", "stock",
              "price", "index", "team", "side", "striker", "batsman", "bowler", "club", "player", "inflation",
              "video", "footage", "camera", "cctv", "photograph", "image", "recording",  # "CCTV captured them"
              "bus", "car", "truck", "lorry", "vehicle", "train", "minibus", "tanker"}  # "a speeding bus killed two"


SPORTS_CUES = re.compile(r"\b(half-time|halftime|innings|wickets?|striker|midfielder|goalkeeper|batsman|bowler|"
                         r"touchdown|quarterback|semi-?final|referee|kick-off|scoreline|premier league|world cup|"
                         r"grand slam|tournament|championship|goals? (in|before|after)|scored|"
                         r"runs|overs|test match|t20|one-day international|odi|batting|bowling|unbeaten|"
                         r"football|cricket|rugby|tennis|match report|fixture|squad|coach|kick-off)\b")


NAME_LABELS = {"GPE", "LOC", "FAC", "ORG", "PERSON", "NORP", "WORK_OF_ART", "LAW", "PRODUCT", "DATE", "TIME",
               "CARDINAL", "ORDINAL", "MONEY", "QUANTITY", "PERCENT"}


VIOLENT_OR_STREET = {"ASSAULT", "PROTEST", "COERCE", "MOBILIZE"}


RECIPROCAL_TYPES = {"CONSULT", "AGREE", "COOPERATE"}


# Harm done to animals is no event between actors ("killed stray dogs", "culled cattle").
ANIMALS = {"animal", "dog", "cat", "cow", "cattle", "chicken", "poultry", "bird", "pig", "goat", "sheep", "horse",
           "livestock", "wildlife", "fish", "elephant", "jackal", "monkey", "deer", "camel", "donkey", "rat", "whale"}


STANCE_VERBS = {"support", "back", "champion", "advocate", "favour", "favor", "promote", "defend", "embrace"}


# Armed groups whose backing by a state is an allegation when told as someone's word.
ARMED_GROUPS = {"rebel", "militant", "insurgent", "militia", "guerrilla", "guerilla", "terrorist", "jihadist",
                "separatist", "gang", "paramilitary", "fighter", "extremist"}


# Heads of phrases that name a party though no actor is coded for them ("the minister must resign").
PARTY_NOUNS = {"government", "minister", "president", "leader", "official", "authority", "police", "army",
               "military", "court", "parliament", "congress", "party", "union", "company", "country", "side",
               "people", "protester", "group", "rebel", "militant", "prime", "chancellor", "cabinet", "council"}


# Who can be put on alert as a show of force: armed forces, police, their government.
ALERT_KEEPERS = {"MIL", "COP", "REB", "SPY", "UAF", "GOV"}


HOSTILE_TYPES = {"ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}


# Acts done to someone, whose doing verb may have the act noun as its subject ("the raid killed ...").
DOING_TO = {"ASSAULT", "COERCE"}


# Verbs whose subject owns the course of action they take up: "launched a policy of seizing farms".
ADOPTING = {"launch", "begin", "start", "pursue", "adopt", "institute", "introduce", "implement", "continue",
            "order", "wage", "embark", "intensify", "resume", "escalate", "step"}


# Prepositions that set a talk noun as the scene of a clause: "in a phone call, X urged Y to ..."
SCENE_PREPS = {"in", "during"}


# A verb joining two coded actors with no trigger is coded only when the type classifier gives one
# type at least this probability (its probabilities are calibrated on held-out training sentences).
PAIR_MIN_PROBABILITY = 0.5


# Who does what a passive leaves unsaid: "an individual has been arrested" (by the police), "was
# sentenced to ten years" (by a court) in the country the story happens in. Keyed by lexicon mode,
# and by trigger lemma for charges.
IMPLIED_AUTHORITY = {"arrest": ("COP", "police"), "convict": ("JUD", "court"), "deport": ("GOV", "authorities"),
                     "charge": ("JUD", "prosecutors"), "indict": ("JUD", "prosecutors")}
