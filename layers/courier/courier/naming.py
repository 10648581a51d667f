"""Naming patterns (Uploadcare style): turn a folder, a pattern and a file's facts into a safe object key."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_PATTERN = "${default}"
MAX_KEY_BYTES = 1024

# Listed in the order error messages show them, most useful first.
_VARIABLE_ORDER = ("default", "auto_filename", "filename", "effects", "ext", "uuid", "render_id", "page", "date")
VARIABLES: frozenset[str] = frozenset(_VARIABLE_ORDER)

# Extensions a fileName may carry by habit; the format decides the real one, so these are dropped.
_KNOWN_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".pdf"})
# Backslashes count as separators: Windows users type them, and some tools treat them as paths.
_SEPARATORS = re.compile(r"[/\\]")
_DOT_SEGMENTS = frozenset({".", ".."})
_ALLOWED_PUNCTUATION = frozenset("-_.")
# Hangul fillers are letters by category but render as blank space, so they would make invisible names.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE_LIST = ", ".join(f"${{{name}}}" for name in _VARIABLE_ORDER)


class NamingError(ValueError):
    """A folder, pattern or file name that cannot make a safe key."""

    def __init__(self, field: str, message: str) -> None:
        # Both go to ValueError so the error pickles and rebuilds with the same arguments.
        super().__init__(field, message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class NameContext:
    """The facts about one delivered file that a pattern can use."""

    uuid: str
    filename: str  # raw: the request's fileName, else the template's name
    ext: str  # with its dot, from the format
    render_id: str
    date: datetime.date  # UTC date of the render
    page: int | None = None  # 1-based page of a multi-page render; None for a single page
    effects: str = ""  # filename-safe, e.g. "-resize-100x100"; never a bare "." or ".."


def sanitize_name(name: str) -> str:
    """Return ``name`` in NFC with whitespace runs as "-" and only letters, digits, "-", "_" and "." kept.

    Control, bidi, zero-width and other invisible characters are removed without trace: they do not split a
    whitespace run, so "a <ZWSP> b" gives "a-b". May return "" (the caller decides what that means).
    """
    kept: list[str] = []
    in_space = False
    for char in unicodedata.normalize("NFC", name):
        if char.isspace():
            if not in_space:
                kept.append("-")
            in_space = True
            continue
        category = unicodedata.category(char)
        if category[0] == "C":
            continue
        in_space = False
        if char in _ALLOWED_PUNCTUATION or category == "Nd" or (category[0] == "L" and char not in _INVISIBLE_LETTERS):
            kept.append(char)
    # Removing characters can bring composable letters together (Hangul jamo), so normalise again.
    return unicodedata.normalize("NFC", "".join(kept))


def sanitize_filename(name: str) -> str:
    """Return ``sanitize_name(name)`` without leading or trailing dots, or "file" when nothing is left."""
    return sanitize_name(name).strip(".") or "file"


def folder_segments(folder: str | None) -> list[str]:
    """Split a folder on "/" and "\\" into sanitised, non-empty segments.

    Raises NamingError("folder") for a "." or ".." segment (before or after sanitising) and for a folder
    over MAX_KEY_BYTES, which could never make a key.
    """
    segments: list[str] = []
    for raw in _SEPARATORS.split(folder or ""):
        segment = sanitize_name(raw)
        if raw in _DOT_SEGMENTS or segment in _DOT_SEGMENTS:
            dots = raw if raw in _DOT_SEGMENTS else segment
            raise NamingError(
                "folder",
                f'folder has a "{dots}" segment; use a plain path such as "marketing/2024", without "." or ".." parts',
            )
        if segment:
            segments.append(segment)
    size = len("/".join(segments).encode("utf-8"))
    if size > MAX_KEY_BYTES:
        raise NamingError(
            "folder", f"folder is {size} bytes, over the {MAX_KEY_BYTES}-byte key limit; use a shorter folder"
        )
    return segments


def validate_pattern(pattern: str) -> None:
    """Check a pattern before any render uses it.

    Raises NamingError("pattern") for an empty pattern, a "${" without "}", an unknown variable, and for a
    pattern that yields an empty file name or a "." / ".." segment. The last two are judged as if the
    render had no effects, so "${effects}" alone is refused: it would fail for every render without effects.
    """
    _check_syntax(pattern)
    _pattern_segments(_expand(pattern, _SAMPLE_VALUES))


def build_key(prefix: str | None, pattern: str | None, ctx: NameContext) -> str:
    """Return "<folder>/<pattern expanded>" with no leading, trailing or doubled slash.

    ``pattern`` None means DEFAULT_PATTERN. Raises NamingError("folder") for a bad folder and
    NamingError("pattern") for a bad pattern, NamingError("key") for a key over MAX_KEY_BYTES UTF-8 bytes.
    """
    folder = folder_segments(prefix)
    pattern = DEFAULT_PATTERN if pattern is None else pattern
    _check_syntax(pattern)
    key = "/".join(folder + _pattern_segments(_expand(pattern, _values(ctx))))
    size = len(key.encode("utf-8"))
    if size > MAX_KEY_BYTES:
        # "key": the whole name is too long; the caller names the fields it came from (folder, pattern, fileName).
        raise NamingError(
            "key",
            f"the key is {size} bytes, over the {MAX_KEY_BYTES}-byte limit; use a shorter folder, pattern or fileName",
        )
    return key


def build_dropbox_path(prefix: str | None, pattern: str | None, ctx: NameContext) -> str:
    """Return build_key's path with the leading slash Dropbox wants; raises what build_key raises."""
    return "/" + build_key(prefix, pattern, ctx)


def _base_filename(name: str) -> str:
    # The format decides the extension, so "banner.png" asked as jpg is "banner", not "banner.png".
    base = sanitize_name(name).rstrip(".")
    stem, dot, suffix = base.rpartition(".")
    if dot and f".{suffix}".lower() in _KNOWN_EXTENSIONS:
        base = stem
    return sanitize_filename(base)


def _values(ctx: NameContext) -> dict[str, str]:
    filename = _base_filename(ctx.filename)
    if ctx.page is not None:
        filename = f"{filename}_page_{ctx.page}"
    auto_filename = f"{filename}{ctx.effects}{ctx.ext}"
    date = ctx.date
    return {
        "default": f"{ctx.uuid}/{auto_filename}",
        "auto_filename": auto_filename,
        "filename": filename,
        "effects": ctx.effects,
        "ext": ctx.ext,
        "uuid": ctx.uuid,
        "render_id": ctx.render_id,
        "page": str(1 if ctx.page is None else ctx.page),
        # Not isoformat(): a datetime passed by mistake would add the time, and years < 1000 keep 4 digits.
        "date": f"{date.year:04d}-{date.month:02d}-{date.day:02d}",
    }


_SAMPLE_VALUES = _values(
    NameContext(
        uuid="00000000-0000-0000-0000-000000000000",
        filename="file",
        ext=".png",
        render_id="render",
        date=datetime.date(2000, 1, 1),
    )
)


def _check_syntax(pattern: str) -> None:
    if not pattern.strip():
        raise NamingError(
            "pattern", "pattern is empty; leave it out for ${default}, or write one such as ${uuid}/${filename}${ext}"
        )
    position = 0
    while (start := pattern.find("${", position)) != -1:
        end = pattern.find("}", start + 2)
        if end == -1:
            raise NamingError(
                "pattern", f'pattern has "${{" without a closing "}}" at position {start}; write variables as ${{name}}'
            )
        name = pattern[start + 2 : end]
        if name not in VARIABLES:
            raise NamingError(
                "pattern", f"unknown variable ${{{_shown(name)}}} in pattern; use one of {_VARIABLE_LIST}"
            )
        position = end + 1


def _shown(text: str) -> str:
    # The name is user input echoed in an error: keep it short and free of invisible characters.
    shown = "".join(char if char.isprintable() else "?" for char in text[:40])
    return shown + "..." if len(text) > 40 else shown


def _expand(pattern: str, values: Mapping[str, str]) -> str:
    # One pass: a value that happens to contain "${...}" is never expanded again.
    return _VARIABLE.sub(lambda match: values[match.group(1)], pattern)


def _pattern_segments(expanded: str) -> list[str]:
    raws = _SEPARATORS.split(expanded)
    segments: list[str] = []
    for raw in raws:
        segment = sanitize_name(raw)
        if raw in _DOT_SEGMENTS or segment in _DOT_SEGMENTS:
            raise NamingError(
                "pattern", 'pattern yields a "." or ".." segment; remove "." and ".." parts from the pattern'
            )
        if segment:
            segments.append(segment)
    # Empty middle segments are only doubled slashes, but an empty last one leaves no file name at all, and one
    # that is only the extension would be a hidden dot-file (".png").
    if not _stem(sanitize_name(raws[-1])):
        raise NamingError("pattern", "pattern yields an empty file name; end it with a name, e.g. ${auto_filename}")
    return segments


def _stem(name: str) -> str:
    base, dot, suffix = name.rpartition(".")
    if dot and f".{suffix}".lower() in _KNOWN_EXTENSIONS:
        name = base
    return name.strip(".")
