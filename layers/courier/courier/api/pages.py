"""Pagination of list routes: ``limit`` and an opaque ``cursor`` in, ``nextCursor`` out (null on the last page).

A cursor is the position after the last item answered, base64url-encoded JSON: clients pass it back untouched and
must not build one. A cursor that is not one of ours is a 422 on ``query.cursor``.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence

from courier.errors import UnprocessableError

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


def encode(position: str) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": position}).encode()).decode().rstrip("=")


def decode(cursor: str | None) -> str | None:
    """The position a cursor stands for (None: the first page). Raises UnprocessableError."""
    if cursor is None:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        position = value["after"]
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise UnprocessableError.at("query.cursor", "not a cursor this API answered") from None
    if not isinstance(position, str):
        raise UnprocessableError.at("query.cursor", "not a cursor this API answered")
    return position


def page[T](items: Sequence[T], key: Callable[[T], str], limit: int, cursor: str | None) -> tuple[list[T], str | None]:
    """A page of ``items`` (sorted by ``key``, unique), after the cursor's position; and the next cursor."""
    after = decode(cursor)
    rest = [item for item in items if after is None or key(item) > after]
    chosen = rest[:limit]
    return chosen, encode(key(chosen[-1])) if len(rest) > limit else None
