"""Near-duplicate signatures: MinHash over word 3-shingles (wire copies) and content words (stories),
cut into LSH band keys that `lsh_buckets` indexes.

The hash functions are fixed (`SIGNATURE = "minhash.v1"`): changing them, or the bands, means
re-linking a database, since stored bucket keys would no longer match.

    >>> float(jaccard(minhash({"a", "b"}), minhash({"a", "b"})))
    1.0
"""
from __future__ import annotations

import hashlib
import re
import zlib
from collections.abc import Iterable

import numpy as np

from ..store import codec

SIGNATURE = "minhash.v1"
NUM_PERM = 64
DUPLICATE_BANDS = 32  # 32 bands of 2 rows: a pair at Jaccard 0.5 shares a bucket with p > 0.99
TOPIC_BANDS = 32  # 32 bands of 2 rows: candidates from Jaccard ~0.18 up
_PRIME = np.uint64(4294967311)  # the first prime above 2**32
_rng = np.random.default_rng(20250521)
_A = _rng.integers(1, 2 ** 31, size=NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, 2 ** 31, size=NUM_PERM, dtype=np.uint64)
_EMPTY = np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset("""a about after again against all also an and any are as at be because been before being
between both but by can could did do does during each few for from further had has have having he her here
his how i if in into is it its itself just last more most new no nor not now of off on once only or other
our out over own said says same she should since so some such than that the their them then there these
they this those through to told too under until up very was we were what when where which while who whom
why will with would year years you your monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december week""".split())


def words(text: str) -> list[str]:
    return _WORD.findall(codec.normalise_text(text).lower())


def shingles(text: str, size: int = 3) -> set[str]:
    """Word `size`-grams of the normalised, lower-cased text (what near-duplicates share)."""
    tokens = words(text)
    if len(tokens) < size:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i:i + size]) for i in range(len(tokens) - size + 1)}


def topic_terms(text: str) -> set[str]:
    """Content words (no stop words, numbers or one-letter words): what reports of one story share."""
    return {w for w in words(text) if len(w) > 2 and w not in _STOP and not w.isdigit()}


def minhash(items: Iterable[str]) -> np.ndarray:
    """A `NUM_PERM`-value MinHash signature (uint32) of a set of strings.

    >>> float(jaccard(minhash({"a", "b", "c"}), minhash({"a", "b", "c"})))
    1.0
    """
    unique = set(items)
    hashed = np.fromiter(map(zlib.crc32, map(str.encode, unique)), dtype=np.uint64, count=len(unique))
    if hashed.size == 0:
        return _EMPTY.copy()
    values = (_A[:, None] * hashed[None, :] + _B[:, None]) % _PRIME
    return values.min(axis=1).astype(np.uint32)


def jaccard(first: np.ndarray, second: np.ndarray) -> float:
    """Estimated Jaccard similarity of the two sets behind two signatures."""
    return float(np.count_nonzero(first == second)) / NUM_PERM


def band_keys(signature: np.ndarray, kind: int, bands: int) -> list[int]:
    """One signed 64-bit bucket key a band, mixing in the signature kind and the band number."""
    size = NUM_PERM // bands * signature.itemsize  # bytes a band
    data = signature.tobytes()
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return [from_bytes(blake2b(bytes((kind, band)) + data[band * size:(band + 1) * size], digest_size=8).digest(),
                       "big", signed=True) for band in range(bands)]


def from_blob(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)

