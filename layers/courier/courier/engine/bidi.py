"""The Unicode bidirectional algorithm (UAX #9) for one line of cleaned text: embedding levels and visual runs.

resvg lays every `<text>` out with a left-to-right paragraph level, so the SVG writer draws each directional run
itself, in the visual order computed here. Text reaching this module has been through `layout.clean_text`: there are
no explicit embeddings, overrides or isolates (U+202A–U+202E, U+2066–U+2069), so only the implicit rules are needed
(W1–W7, N0–N2, I1–I2, L1, L2). Should one slip through, an embedding character is ignored like BN and an isolate
character is treated as a neutral. The PDF writer gets the same order from fpdf2's own implementation; the tests
compare the two.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# BidiBrackets.txt (Unicode 15.1): every opening bracket followed by its closing one.
_PAIRS = (
    "()[]{}\u0f3a\u0f3b\u0f3c\u0f3d\u169b\u169c\u2045\u2046\u207d\u207e\u208d\u208e\u2308\u2309\u230a\u230b\u2329"
    "\u232a\u2768\u2769\u276a\u276b\u276c\u276d\u276e\u276f\u2770\u2771\u2772\u2773\u2774\u2775\u27c5\u27c6\u27e6"
    "\u27e7\u27e8\u27e9\u27ea\u27eb\u27ec\u27ed\u27ee\u27ef\u2983\u2984\u2985\u2986\u2987\u2988\u2989\u298a\u298b"
    "\u298c\u298d\u2990\u298f\u298e\u2991\u2992\u2993\u2994\u2995\u2996\u2997\u2998\u29d8\u29d9\u29da\u29db\u29fc"
    "\u29fd\u2e22\u2e23\u2e24\u2e25\u2e26\u2e27\u2e28\u2e29\u2e55\u2e56\u2e57\u2e58\u2e59\u2e5a\u2e5b\u2e5c\u3008"
    "\u3009\u300a\u300b\u300c\u300d\u300e\u300f\u3010\u3011\u3014\u3015\u3016\u3017\u3018\u3019\u301a\u301b\ufe59"
    "\ufe5a\ufe5b\ufe5c\ufe5d\ufe5e\uff08\uff09\uff3b\uff3d\uff5b\uff5d\uff5f\uff60\uff62\uff63"
)
_CLOSING_OF = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}
_CLOSERS = frozenset(_PAIRS[1::2])
_MAX_BRACKET_DEPTH = 63  # BD16

_REMOVED = frozenset({"BN", "LRE", "RLE", "LRO", "RLO", "PDF"})  # X9
_NEUTRAL = frozenset({"B", "S", "WS", "ON", "LRI", "RLI", "FSI", "PDI"})
_TRAILING = frozenset({"WS", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"})  # L1


@dataclass(frozen=True)
class BidiRun:
    """Characters text[start:end] share one embedding level; odd levels are drawn right to left."""

    start: int
    end: int
    level: int

    @property
    def rtl(self) -> bool:
        return self.level % 2 == 1


def _strong(kind: str) -> str:
    """N0/N1: European and Arabic numbers count as R."""
    return "R" if kind in ("EN", "AN") else kind


def _resolve_weak(types: list[str], sos: str) -> None:
    n = len(types)
    # W1: a nonspacing mark takes the type of the character before it.
    for k in range(n):
        if types[k] == "NSM":
            types[k] = types[k - 1] if k > 0 else sos
    # W2: European numbers after Arabic letters are Arabic numbers. W3: AL → R.
    last = sos
    for k in range(n):
        if types[k] in ("L", "R", "AL"):
            last = types[k]
        elif types[k] == "EN" and last == "AL":
            types[k] = "AN"
    for k in range(n):
        if types[k] == "AL":
            types[k] = "R"
    # W4: one separator between two numbers of the same kind joins them.
    for k in range(1, n - 1):
        if types[k] == "ES" and types[k - 1] == "EN" and types[k + 1] == "EN":
            types[k] = "EN"
        elif types[k] == "CS" and types[k - 1] == types[k + 1] and types[k - 1] in ("EN", "AN"):
            types[k] = types[k - 1]
    # W5: terminators next to a European number are part of it.
    k = 0
    while k < n:
        if types[k] != "ET":
            k += 1
            continue
        end = k
        while end < n and types[end] == "ET":
            end += 1
        if (k > 0 and types[k - 1] == "EN") or (end < n and types[end] == "EN"):
            types[k:end] = ["EN"] * (end - k)
        k = end
    # W6: the remaining separators and terminators are neutral.
    for k in range(n):
        if types[k] in ("ES", "ET", "CS"):
            types[k] = "ON"
    # W7: European numbers in left-to-right context are L.
    last = sos
    for k in range(n):
        if types[k] in ("L", "R"):
            last = types[k]
        elif types[k] == "EN" and last == "L":
            types[k] = "L"


def _bracket_pairs(chars: list[str], types: list[str]) -> list[tuple[int, int]]:
    """BD16: matching bracket pairs (both still ON), sorted by the opening bracket."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for k, char in enumerate(chars):
        if types[k] != "ON":
            continue
        if char in _CLOSING_OF:
            if len(stack) == _MAX_BRACKET_DEPTH:
                break
            stack.append((_CLOSING_OF[char], k))
        elif char in _CLOSERS:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == char:
                    pairs.append((stack[depth][1], k))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _resolve_brackets(chars: list[str], types: list[str], originals: list[str], sos: str, embedding: str) -> None:
    """N0: a bracket pair takes the direction of the text it encloses, or of the context when that agrees."""
    opposite = "L" if embedding == "R" else "R"
    for opening, closing in _bracket_pairs(chars, types):
        inside = {_strong(t) for t in types[opening + 1 : closing]} & {"L", "R"}
        if embedding in inside:
            direction = embedding
        elif opposite in inside:
            before = next((_strong(t) for t in reversed(types[:opening]) if _strong(t) in ("L", "R")), sos)
            direction = opposite if before == opposite else embedding
        else:
            continue
        for position in (opening, closing):
            types[position] = direction
            # Marks after a bracket took its old type (ON) in W1; they follow it.
            k = position + 1
            while k < len(types) and originals[k] == "NSM":
                types[k] = direction
                k += 1


def _resolve_neutral(types: list[str], sos: str, embedding: str) -> None:
    """N1: neutrals between two runs of one direction take it. N2: the others take the embedding direction."""
    n = len(types)
    k = 0
    while k < n:
        if types[k] not in _NEUTRAL:
            k += 1
            continue
        end = k
        while end < n and types[end] in _NEUTRAL:
            end += 1
        before = _strong(types[k - 1]) if k > 0 else sos
        after = _strong(types[end]) if end < n else sos  # eos == sos: one paragraph level, no embeddings
        types[k:end] = [before if before == after else embedding] * (end - k)
        k = end


@lru_cache(maxsize=4096)
def embedding_levels(text: str, rtl: bool) -> tuple[int, ...]:
    """The resolved level of every character of one line, after L1; `rtl` is the paragraph direction (P2–P3)."""
    base = 1 if rtl else 0
    sos = "R" if rtl else "L"
    originals_all = [unicodedata.bidirectional(char) or "L" for char in text]
    kept = [i for i, kind in enumerate(originals_all) if kind not in _REMOVED]
    chars = [text[i] for i in kept]
    originals = [originals_all[i] for i in kept]
    types = list(originals)
    _resolve_weak(types, sos)
    _resolve_brackets(chars, types, originals, sos, sos)
    _resolve_neutral(types, sos, sos)
    # I1–I2: left-to-right paragraph, R goes up one level and numbers two; right-to-left, L and numbers go up one.
    if rtl:
        resolved = [2 if t in ("L", "EN", "AN") else 1 for t in types]
    else:
        resolved = [1 if t == "R" else 2 if t in ("EN", "AN") else 0 for t in types]
    levels = [base] * len(text)
    for k, i in enumerate(kept):
        levels[i] = resolved[k]
    # Removed characters (ZWJ, ZWNJ…) take the level of the character before them, so they stay in its run.
    previous = None
    for i, kind in enumerate(originals_all):
        if kind in _REMOVED:
            levels[i] = previous if previous is not None else _next_level(levels, originals_all, i, base)
        else:
            previous = levels[i]
    # L1: separators, and whitespace before them or at the end of the line, go back to the paragraph level.
    trailing = True
    for i in range(len(text) - 1, -1, -1):
        kind = originals_all[i]
        if kind in ("S", "B"):
            levels[i] = base
            trailing = True
        elif kind in _TRAILING:
            if trailing:
                levels[i] = base
        else:
            trailing = False
    return tuple(levels)


def _next_level(levels: list[int], kinds: list[str], index: int, base: int) -> int:
    return next((levels[i] for i in range(index + 1, len(levels)) if kinds[i] not in _REMOVED), base)


def visual_runs(text: str, rtl: bool) -> list[BidiRun]:
    """Runs of one level, left to right as they are seen (L2); each run's own characters stay in logical order."""
    levels = embedding_levels(text, rtl)
    runs: list[BidiRun] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or levels[i] != levels[start]:
            runs.append(BidiRun(start, i, levels[start]))
            start = i
    if not runs:
        return runs
    highest = max(run.level for run in runs)
    lowest_odd = min((run.level for run in runs if run.rtl), default=highest + 1)
    for level in range(highest, lowest_odd - 1, -1):
        reordered: list[BidiRun] = []
        k = 0
        while k < len(runs):
            if runs[k].level < level:
                reordered.append(runs[k])
                k += 1
                continue
            end = k
            while end < len(runs) and runs[end].level >= level:
                end += 1
            reordered.extend(reversed(runs[k:end]))
            k = end
        runs = reordered
    return runs


def reorder(text: str, rtl: bool) -> str:
    """The line's characters in visual order (for tests and debugging; renderers shape runs in logical order)."""
    return "".join(
        text[run.start : run.end][::-1] if run.rtl else text[run.start : run.end] for run in visual_runs(text, rtl)
    )
