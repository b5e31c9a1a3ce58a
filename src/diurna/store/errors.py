"""The store's own error, under diurna's root error (see diurna/errors.py for the tree).

    DiurnaError
    └── StoreError      the database cannot be opened, migrated, read or written

Kept here rather than in errors.py so the store can change without touching shared modules.
"""
from __future__ import annotations

from ..errors import DiurnaError


class StoreError(DiurnaError):
    """The database cannot be opened, migrated, read or written."""


class QueryError(StoreError):
    """A query's arguments are invalid (a bad date, an unknown order or period)."""
