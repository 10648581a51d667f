"""Takes secrets out of what a provider wrote (an error message, an echoed request) before it is shown, stored or
logged: every run of 8 or more characters of a known secret, however the server spelled it, and AWS access key ids.

A server may quote part of what it refused: the first characters of a signature, one segment of a credential, a
header's value. Removing exact copies misses those, so the unit is a run: any 8 characters in a row that also occur
in a row in a secret (in any of its spellings: percent-encoded, decoded, XML- or JSON-escaped; letters compared
without case, as servers re-case percent escapes) are covered, and each maximal covered stretch becomes one "…".
Shorter runs are left: they are ordinary words and numbers, and 7 characters of a 40-character secret do not give
it away. Every 8-character window of every spelling goes into a set once; scrubbing a text then costs one set
lookup per character, however many secrets there are.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus

MIN_RUN = 8
MASK = "…"
# AWS access key ids: long-term (AKIA…) and temporary (ASIA…), 20 characters; whoever's they are, never shown.
ACCESS_KEY_ID = re.compile(r"(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16,124}(?![A-Za-z0-9])")
# ASCII letters only, so a folded text keeps its length and positions (str.lower() may not: "İ" → "i̇").
_FOLD = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


class Scrubber:
    """Removes ``secrets`` (and access key ids) from texts. Building costs one set entry per character of each
    spelling of each secret; build it when a text needs scrubbing, not for every delivery."""

    def __init__(self, secrets: Iterable[str]) -> None:
        windows: set[str] = set()
        for secret in secrets:
            if len(secret) < MIN_RUN:
                continue
            for spelling in spellings(secret):
                folded = spelling.translate(_FOLD)
                windows.update(folded[i : i + MIN_RUN] for i in range(len(folded) - MIN_RUN + 1))
        self._windows = frozenset(windows)

    def __call__(self, text: str) -> str:
        if self._windows and len(text) >= MIN_RUN:
            text = self._mask_runs(text)
        return key_ids(text)

    def _mask_runs(self, text: str) -> str:
        folded = text.translate(_FOLD)
        spans: list[list[int]] = []  # [start, end) of covered stretches, merged when they overlap or touch
        for i in range(len(folded) - MIN_RUN + 1):
            if folded[i : i + MIN_RUN] in self._windows:
                if spans and i <= spans[-1][1]:
                    spans[-1][1] = i + MIN_RUN
                else:
                    spans.append([i, i + MIN_RUN])
        if not spans:
            return text
        pieces, kept = [], 0
        for start, end in spans:
            pieces += [text[kept:start], MASK]
            kept = end
        pieces.append(text[kept:])
        return "".join(pieces)


def scrub(text: str, secrets: Iterable[str] = ()) -> str:
    """``text`` without any run of 8+ characters of ``secrets`` and without access key ids."""
    return Scrubber(secrets)(text)


def key_ids(text: str) -> str:
    """``text`` with every AWS access key id (AKIA…/ASIA…) masked: a provider may quote one in a message."""
    return ACCESS_KEY_ID.sub(MASK, text)


def spellings(secret: str) -> set[str]:
    """How a server may write ``secret`` back: as given, percent-decoded (``+`` as a space or not), percent-encoded
    (strictly, or keeping RFC 3986's unreserved characters, or with ``+`` for spaces), XML-escaped, JSON-escaped."""
    found: set[str] = set()
    for plain in {secret, unquote(secret), unquote_plus(secret)}:
        found |= {
            plain,
            quote(plain, safe=""),
            quote(plain, safe="-_.~"),
            quote_plus(plain, safe=""),
            html.escape(plain),
            html.escape(plain, quote=False),
            json.dumps(plain)[1:-1],
        }
    return found
