"""Training sentences from templates (`templates.yaml` x `pools.yaml`, with varied frames), and the reader of
the handwritten sentences whose actor and recipient are marked inline (`handwritten2.tsv`)."""
from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from ..resources import data_text, load_yaml

TRAINING = Path(__file__).resolve().parent.parent / "data" / "training"
PER_TYPE = 420
PREFIXES = ["", "", "", "", "On Monday, ", "Earlier on Thursday, ", "Late last week, ", "In a statement on Sunday, ",
            "According to officials, ", "For the second time this month, ", "On Tuesday, ", "Last year, ",
            "In a rare move, ", "Hours after the vote, ", "Despite international pressure, "]
WRAPPERS = ["{S} said that ", "Officials said ", "State media reported that ", "Local sources said ",
            "The ministry confirmed that ", "Witnesses said ", "A spokesman said "]
SUFFIXES = [".", ".", ".", " on Tuesday.", ", officials said.", ", according to state media.", " last week.",
            ", the ministry said in a statement.", " amid rising tensions.", " after weeks of tension.",
            " earlier this month.", " near the border.", " in the capital.", ", local media reported.",
            " on Friday, a spokesman said.", ", a move that drew wide attention.", " for the first time in years.",
            ", according to a statement posted online.", " despite warnings from the international community."]
SLOT = re.compile(r"\{([ARX])\}")


def _fill(template: str, actor: str, recipient: str, third: str) -> tuple[str, tuple[int, int], tuple[int, int]]:
    out, spans, at = [], {}, 0
    for piece in SLOT.split(template):
        if piece in ("A", "R", "X") and len(piece) == 1:
            text = {"A": actor, "R": recipient, "X": third}[piece]
            spans[piece] = (at, at + len(text))
            out.append(text)
            at += len(text)
        else:
            out.append(piece)
            at += len(piece)
    return "".join(out), spans["A"], spans["R"]


def generate(seed: int = 4, per_type: int = PER_TYPE) -> list[dict]:
    rng = random.Random(seed)
    pools = load_yaml(data_text("training/pools.yaml"))
    templates = load_yaml(data_text("training/templates.yaml"))
    rows = []
    for kind, spec in templates.items():
        for n in range(per_type):
            number = n % len(spec["t"]) if n < 2 * len(spec["t"]) else rng.randrange(len(spec["t"]))
            template = spec["t"][number]
            mode = ""
            if " #" in template:
                template, mode = template.split(" #")
            actor = rng.choice(pools[rng.choice(spec["a"])])
            recipient = actor
            while recipient == actor:
                recipient = rng.choice(pools[rng.choice(spec["r"])])
            third = rng.choice(pools["state"])
            clause, a_span, r_span = _fill(template, actor, recipient, third)
            head = ""
            if rng.random() < 0.15:
                head = rng.choice(WRAPPERS).replace("{S}", rng.choice(pools["gov"] + pools["igo"]))
            elif not clause.startswith("{"):
                head = rng.choice(PREFIXES)
            text = head + clause + rng.choice(SUFFIXES)
            shift = len(head)
            text = text[0].upper() + text[1:]
            a_span = (a_span[0] + shift, a_span[1] + shift)
            r_span = (r_span[0] + shift, r_span[1] + shift)
            rows.append({"id": f"g-{kind}-{n:03d}", "sentence": text, "source": text[a_span[0]:a_span[1]],
                         "target": text[r_span[0]:r_span[1]], "type": kind, "mode": mode,
                         "group": f"{kind}:{number}", "a_start": a_span[0], "r_start": r_span[0]})
    return rows


def write(rows: list[dict], path: Path = TRAINING / "generated.tsv") -> None:
    fields = ["id", "sentence", "source", "target", "type", "mode", "group", "a_start", "r_start"]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fields, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


MARK = re.compile(r"<([ar])>(.*?)</\1>")


def unmark(marked: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """The plain sentence and the (start, end) of `<a>actor</a>` and `<r>recipient</r>` in it.

        >>> unmark("<a>Chile</a> thanked <r>Peru</r>.")
        ('Chile thanked Peru.', {'a': (0, 5), 'r': (14, 18)})
    """
    spans: dict[str, tuple[int, int]] = {}
    text, pos = [], 0
    for m in MARK.finditer(marked):
        text.append(marked[pos:m.start()])
        at = sum(map(len, text))
        if m.group(1) in spans:
            raise ValueError(f"two <{m.group(1)}> marks in: {marked}")
        spans[m.group(1)] = (at, at + len(m.group(2)))
        text.append(m.group(2))
        pos = m.end()
    text.append(marked[pos:])
    plain = "".join(text)
    if set(spans) != {"a", "r"} or "<" in plain:
        raise ValueError(f"needs one <a>..</a> and one <r>..</r>: {marked}")
    return plain, spans


def read_marked(path: Path, prefix: str) -> list[dict]:
    """Rows of a `type<TAB>mode<TAB>marked sentence` file, in the shape `read` gives."""
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        if not line.strip() or line.startswith("#"):
            continue
        kind, mode, marked = line.split("\t")
        text, spans = unmark(marked)
        (a0, a1), (r0, r1) = spans["a"], spans["r"]
        rows.append({"id": f"{prefix}{n:04d}", "sentence": text, "source": text[a0:a1], "target": text[r0:r1],
                     "type": kind, "mode": mode, "group": f"{prefix}{n:04d}", "a_start": a0, "r_start": r0})
    return rows
