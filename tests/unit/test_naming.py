"""Unit tests for courier.naming: examples from the API contract plus property tests over hostile names."""

from __future__ import annotations

import copy
import dataclasses
import datetime
import unicodedata
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courier.naming import (
    DEFAULT_PATTERN,
    MAX_KEY_BYTES,
    VARIABLES,
    NameContext,
    NamingError,
    build_dropbox_path,
    build_key,
    folder_segments,
    sanitize_filename,
    sanitize_name,
    validate_pattern,
)

UUID = "7c0e2f4a-1b3c-4d5e-8f90-a1b2c3d4e5f6"
CTX = NameContext(
    uuid=UUID,
    filename="marketing-banner-001",
    ext=".png",
    render_id="9f1c0d2e",
    date=datetime.date(2024, 3, 5),
)
BIDI_AND_ZERO_WIDTH = (
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c\u200b\u200c\u200d\u2060\ufeff"
)


def ctx(**changes: Any) -> NameContext:
    return dataclasses.replace(CTX, **changes)


def is_allowed_char(char: str) -> bool:
    category = unicodedata.category(char)
    return char in "-_." or category == "Nd" or category.startswith("L")


# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    ("prefix", "pattern", "context", "expected"),
    [
        pytest.param(None, None, CTX, f"{UUID}/marketing-banner-001.png", id="default-pattern"),
        pytest.param(None, DEFAULT_PATTERN, CTX, f"{UUID}/marketing-banner-001.png", id="explicit-default"),
        pytest.param("", None, CTX, f"{UUID}/marketing-banner-001.png", id="empty-folder"),
        pytest.param("/", None, CTX, f"{UUID}/marketing-banner-001.png", id="slash-folder"),
        pytest.param(
            "/Marketing/2024/",
            None,
            CTX,
            f"Marketing/2024/{UUID}/marketing-banner-001.png",
            id="folder-slashes-dropped",
        ),
        pytest.param(
            "marketing/banners/2024",
            None,
            CTX,
            f"marketing/banners/2024/{UUID}/marketing-banner-001.png",
            id="api-folder",
        ),
        pytest.param("//a///b//", None, CTX, f"a/b/{UUID}/marketing-banner-001.png", id="folder-doubled-slashes"),
        pytest.param("a\\b\\", None, CTX, f"a/b/{UUID}/marketing-banner-001.png", id="folder-backslashes"),
        pytest.param(
            "My  Renders/Q1 2024", None, CTX, f"My-Renders/Q1-2024/{UUID}/marketing-banner-001.png", id="folder-spaces"
        ),
        pytest.param(None, None, ctx(page=2), f"{UUID}/marketing-banner-001_page_2.png", id="multi-page"),
        pytest.param(None, "${uuid}", CTX, UUID, id="var-uuid"),
        pytest.param(None, "${filename}", CTX, "marketing-banner-001", id="var-filename"),
        pytest.param(None, "${filename}", ctx(page=3), "marketing-banner-001_page_3", id="var-filename-page"),
        pytest.param(None, "${filename}${ext}", CTX, "marketing-banner-001.png", id="var-ext"),
        pytest.param(None, "${render_id}", CTX, "9f1c0d2e", id="var-render-id"),
        pytest.param(None, "x/${page}", CTX, "x/1", id="var-page-single"),
        pytest.param(None, "x/${page}", ctx(page=7), "x/7", id="var-page-multi"),
        pytest.param(None, "${date}", CTX, "2024-03-05", id="var-date"),
        pytest.param(None, "${date}", ctx(date=datetime.date(999, 1, 2)), "0999-01-02", id="var-date-padded"),
        pytest.param(None, "${effects}", ctx(effects="-resize-100x100"), "-resize-100x100", id="var-effects"),
        pytest.param(
            None, "${auto_filename}", ctx(effects="-w100"), "marketing-banner-001-w100.png", id="var-auto-filename"
        ),
        pytest.param(
            None, "${default}", ctx(effects="-w100"), f"{UUID}/marketing-banner-001-w100.png", id="var-default"
        ),
        pytest.param(
            None, "${filename}${effects}${ext}", CTX, "marketing-banner-001.png", id="effects-empty-leaves-no-trace"
        ),
        pytest.param(
            "renders",
            "${date}/${render_id}/${page}/${filename}${ext}",
            ctx(page=2),
            "renders/2024-03-05/9f1c0d2e/2/marketing-banner-001_page_2.png",
            id="every-variable-together",
        ),
        pytest.param(None, "my renders/${uuid}.png", CTX, f"my-renders/{UUID}.png", id="pattern-literal-sanitised"),
        pytest.param(None, "/x//${auto_filename}", CTX, "x/marketing-banner-001.png", id="pattern-empty-segments"),
        pytest.param(None, "x\\${auto_filename}", CTX, "x/marketing-banner-001.png", id="pattern-backslash"),
        pytest.param(None, "a$b{c}/${uuid}", CTX, f"abc/{UUID}", id="pattern-lone-dollar-is-literal"),
        pytest.param(None, "${ext}${uuid}", ctx(uuid="${date}"), ".pngdate", id="values-not-re-expanded"),
    ],
)
def test_build_key_examples(prefix: str | None, pattern: str | None, context: NameContext, expected: str) -> None:
    # Given a folder, a pattern and a file's facts
    # When the key is built
    key = build_key(prefix, pattern, context)
    # Then it is the expected key
    assert key == expected


@pytest.mark.parametrize(
    ("filename", "ext", "expected_name"),
    [
        pytest.param("banner.png", ".jpg", "banner.jpg", id="known-ext-replaced"),
        pytest.param("report.PDF", ".png", "report.png", id="known-ext-any-case"),
        pytest.param("photo.jpeg", ".webp", "photo.webp", id="jpeg"),
        pytest.param("banner.png.", ".png", "banner.png", id="ext-before-trailing-dot"),
        pytest.param("v1.2-final", ".png", "v1.2-final.png", id="other-dots-stay"),
        pytest.param("archive.tar", ".png", "archive.tar.png", id="unknown-ext-stays"),
        pytest.param("a.png.png", ".png", "a.png.png", id="only-one-suffix-stripped"),
        pytest.param(".png", ".png", "file.png", id="only-an-extension"),
        pytest.param("", ".png", "file.png", id="empty-filename"),
        pytest.param("   ", ".png", "-.png", id="blank-filename"),
        pytest.param("...", ".png", "file.png", id="dots-only"),
        pytest.param("..hidden..", ".png", "hidden.png", id="outer-dots-stripped"),
        pytest.param("../../etc/passwd", ".png", "etcpasswd.png", id="path-is-not-a-path"),
        pytest.param("\u202e\u200b\x00", ".png", "file.png", id="invisible-only"),
    ],
)
def test_filename_extension_comes_from_format(filename: str, ext: str, expected_name: str) -> None:
    # Given a fileName that may carry its own extension
    context = ctx(filename=filename, ext=ext)
    # When the default key is built
    key = build_key(None, None, context)
    # Then the name keeps the user's stem and takes the format's extension
    assert key == f"{UUID}/{expected_name}"


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        pytest.param("/Marketing/2024/", f"/Marketing/2024/{UUID}/marketing-banner-001.png", id="folder"),
        pytest.param(None, f"/{UUID}/marketing-banner-001.png", id="no-folder"),
    ],
)
def test_build_dropbox_path_has_one_leading_slash(prefix: str | None, expected: str) -> None:
    # Given a Dropbox folder written with or without slashes
    # When the Dropbox path is built
    path = build_dropbox_path(prefix, None, CTX)
    # Then it has exactly one leading slash and the same segments as the bucket key
    assert path == expected
    assert path == "/" + build_key(prefix, None, CTX)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("e\u0301", "\u00e9", id="nfc-combining-acute"),
        pytest.param("Cafe\u0301 Re\u0301sume\u0301", "Caf\u00e9-R\u00e9sum\u00e9", id="nfc-words"),
        pytest.param("a  \t\n b", "a-b", id="whitespace-run"),
        pytest.param("a\u00a0\u3000b", "a-b", id="unicode-whitespace"),
        pytest.param(" a ", "-a-", id="outer-whitespace"),
        pytest.param("\u202eevil\u202cgnp.exe", "evilgnp.exe", id="bidi-override"),
        pytest.param("a\u200bb\u200dc\ufeffd\u2060e", "abcde", id="zero-width"),
        pytest.param("a \u200b b", "a-b", id="invisible-inside-whitespace-run"),
        pytest.param("a\x00b\x07c\x1bd\x7fe\x9bf", "abcdef", id="control"),
        pytest.param("a\ud800b", "ab", id="lone-surrogate"),
        pytest.param("a\u3164b\uffa0c", "abc", id="hangul-filler"),
        pytest.param("\u1100\u200b\u1161", "\uac00", id="jamo-recomposed-after-removal"),
        pytest.param("a/b\\c:d*e?f<g>h|i\"j'k", "abcdefghijk", id="punctuation"),
        pytest.param("v1.2_final-B", "v1.2_final-B", id="allowed-kept"),
        pytest.param("日本語 Ωμέγα ١٢٣", "日本語-Ωμέγα-١٢٣", id="other-scripts"),
        pytest.param("a\uff0fb\u2215c", "abc", id="slash-lookalikes"),
        pytest.param("", "", id="empty"),
    ],
)
def test_sanitize_name(raw: str, expected: str) -> None:
    # Given a raw name
    # When it is sanitised
    name = sanitize_name(raw)
    # Then only the safe, normalised characters remain
    assert name == expected


def test_sanitize_name_makes_composed_and_decomposed_equal() -> None:
    # Given the same word typed composed and decomposed
    composed, decomposed = "caf\u00e9", "cafe\u0301"
    # When both are sanitised
    # Then they give the same key text
    assert sanitize_name(composed) == sanitize_name(decomposed) == "caf\u00e9"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("", "file", id="empty"),
        pytest.param(".", "file", id="dot"),
        pytest.param("..", "file", id="dot-dot"),
        pytest.param("..a..", "a", id="outer-dots"),
        pytest.param("a.b", "a.b", id="inner-dot"),
        pytest.param("\u200b", "file", id="zero-width-only"),
        pytest.param("a b", "a-b", id="space"),
    ],
)
def test_sanitize_filename(raw: str, expected: str) -> None:
    # Given a raw file name
    # When it is sanitised as a file name
    name = sanitize_filename(raw)
    # Then it is never empty, "." or ".."
    assert name == expected


@pytest.mark.parametrize(
    "folder",
    [
        pytest.param("..", id="dot-dot"),
        pytest.param(".", id="dot"),
        pytest.param("a/../b", id="dot-dot-inside"),
        pytest.param("./a", id="leading-dot"),
        pytest.param("a/.", id="trailing-dot"),
        pytest.param("/a/b/../", id="dot-dot-before-slash"),
        pytest.param("a\\..\\b", id="dot-dot-backslash"),
        pytest.param("a/..\u200b/b", id="dot-dot-after-sanitising"),
        pytest.param("\u202e.", id="dot-after-sanitising"),
        pytest.param("a" * (MAX_KEY_BYTES + 1), id="over-limit"),
        pytest.param("\u00e9" * 513, id="over-limit-multibyte"),
    ],
)
def test_bad_folder_is_a_folder_error(folder: str) -> None:
    # Given a folder that cannot make a safe key
    # When a key is built under it
    with pytest.raises(NamingError) as caught:
        build_key(folder, None, CTX)
    # Then the error names the folder field
    assert caught.value.field == "folder"


def test_folder_segments_split_and_sanitise() -> None:
    # Given a folder with separators of both kinds, blank parts and hostile characters
    folder = "\\Marketing\\ /Q1 2024//\u202ecampaign\u200b/"
    # When it is split
    segments = folder_segments(folder)
    # Then only clean, non-empty segments remain
    assert segments == ["Marketing", "-", "Q1-2024", "campaign"]
    assert folder_segments(None) == []


@pytest.mark.parametrize(
    ("pattern", "context"),
    [
        pytest.param("${foo}", CTX, id="unknown-variable"),
        pytest.param("${UUID}", CTX, id="variables-are-case-sensitive"),
        pytest.param("${}", CTX, id="empty-variable"),
        pytest.param("${ uuid }", CTX, id="spaced-variable"),
        pytest.param("${a${uuid}}", CTX, id="nested-variable"),
        pytest.param("${uuid", CTX, id="unclosed"),
        pytest.param("${uuid}/${filename", CTX, id="unclosed-later"),
        pytest.param("", CTX, id="empty"),
        pytest.param("  ", CTX, id="blank"),
        pytest.param("x/", CTX, id="trailing-slash"),
        pytest.param("${default}/", CTX, id="default-then-slash"),
        pytest.param("x/\u200b", CTX, id="invisible-file-name"),
        pytest.param("${effects}", CTX, id="effects-alone-and-empty"),
        pytest.param("..", CTX, id="dot-dot"),
        pytest.param("${uuid}/../x", CTX, id="dot-dot-segment"),
        pytest.param("a/./${auto_filename}", CTX, id="dot-segment"),
        pytest.param("${effects}..", CTX, id="dot-dot-after-expansion"),
        pytest.param("..\u202e/x", CTX, id="dot-dot-after-sanitising"),
        pytest.param("${render_id}/x", ctx(render_id=".."), id="dot-dot-from-value"),
        pytest.param("${uuid}/${ext}", CTX, id="only-the-extension"),
        pytest.param("x/..${ext}", CTX, id="dots-and-the-extension"),
    ],
)
def test_bad_pattern_is_a_pattern_error(pattern: str, context: NameContext) -> None:
    # Given a pattern that cannot make a safe key
    # When a key is built with it
    with pytest.raises(NamingError) as caught:
        build_key("renders", pattern, context)
    # Then the error names the pattern field
    assert caught.value.field == "pattern"


def test_unknown_variable_message_says_what_to_use() -> None:
    # Given a pattern with a typo in a variable
    # When it is validated
    with pytest.raises(NamingError) as caught:
        validate_pattern("${uuid}/${filname}")
    # Then the message names the bad variable and lists the good ones
    assert "${filname}" in caught.value.message
    assert "${default}" in caught.value.message
    assert all(f"${{{name}}}" in caught.value.message for name in VARIABLES)
    assert str(caught.value) == caught.value.message


def test_unknown_variable_message_does_not_echo_invisible_characters() -> None:
    # Given an unknown variable name full of control characters and very long
    pattern = "${" + "\u202e\x00" + "x" * 500 + "}"
    # When it is validated
    with pytest.raises(NamingError) as caught:
        validate_pattern(pattern)
    # Then the message stays short and printable
    assert caught.value.message.isprintable()
    assert len(caught.value.message) < 400


@pytest.mark.parametrize(
    "pattern",
    [
        DEFAULT_PATTERN,
        "${uuid}/${auto_filename}",
        "${date}/${render_id}/${filename}_${page}${ext}",
        "exports/${filename}${effects}${ext}",
        "/${uuid}",
        "a//b/${filename}",
        "price $5 {net}/${uuid}",
    ],
)
def test_validate_pattern_accepts_good_patterns(pattern: str) -> None:
    # Given a usable pattern
    # When it is validated
    # Then nothing is raised
    validate_pattern(pattern)


@pytest.mark.parametrize("pattern", ["${foo}", "${uuid", "", "x/", "..", "a/./b", "${effects}", "${effects}/${uuid}/"])
def test_validate_pattern_refuses_bad_patterns_before_any_render(pattern: str) -> None:
    # Given a pattern that would fail (or fail for renders without effects)
    # When it is validated at request time
    with pytest.raises(NamingError) as caught:
        validate_pattern(pattern)
    # Then it is a pattern error
    assert caught.value.field == "pattern"


def test_effects_alone_builds_when_effects_are_present() -> None:
    # Given a pattern made only of ${effects} and a render that has effects
    context = ctx(effects="-resize-200x100")
    # When the key is built
    key = build_key("x", "${effects}", context)
    # Then the effects are the file name
    assert key == "x/-resize-200x100"


def test_key_of_exactly_1024_bytes_is_accepted_and_1025_refused() -> None:
    # Given file names whose keys are 1024 and 1025 UTF-8 bytes, mostly two-byte characters
    fixed = len(f"{UUID}/".encode()) + len(b".png")
    name_1024 = "\u00e9" * ((MAX_KEY_BYTES - fixed) // 2) + "a" * ((MAX_KEY_BYTES - fixed) % 2)
    name_1025 = name_1024 + "a"
    # When keys are built with them
    key = build_key(None, None, ctx(filename=name_1024))
    with pytest.raises(NamingError) as caught:
        build_key(None, None, ctx(filename=name_1025))
    # Then the limit counts bytes, not characters, and 1024 is the last size allowed
    assert len(key.encode("utf-8")) == MAX_KEY_BYTES
    assert len(key) < MAX_KEY_BYTES
    assert caught.value.field == "key"
    assert f"{MAX_KEY_BYTES + 1} bytes" in caught.value.message


def test_key_limit_counts_the_folder() -> None:
    # Given a folder that fits alone but leaves too little room for the name
    folder = "\u4e2d" * 330  # 990 bytes
    # When the key is built
    with pytest.raises(NamingError) as caught:
        build_key(folder, None, CTX)
    # Then the whole key is blamed (the caller names the fields it came from), and the folder alone is fine
    assert caught.value.field == "key"
    assert folder_segments(folder) == [folder]


def test_naming_error_is_a_value_error_that_copies() -> None:
    # Given a naming error
    error = NamingError("fileName", "use a shorter fileName")
    # When it is rebuilt the way pickle and copy rebuild exceptions (from its args)
    rebuilt = copy.deepcopy(error)
    # Then it keeps its field and message and is still a ValueError
    assert isinstance(rebuilt, ValueError)
    assert (rebuilt.field, rebuilt.message, str(rebuilt)) == (
        "fileName",
        "use a shorter fileName",
        "use a shorter fileName",
    )


def test_variables_are_the_documented_ones() -> None:
    # Given the contract's variable table
    documented = {"default", "auto_filename", "filename", "effects", "ext", "uuid", "render_id", "page", "date"}
    # When the module's set is read
    # Then they match
    assert documented == VARIABLES


# ---------------------------------------------------------------- properties

TRICKY = ["/", "\\", ".", "..", " ", "\t", "\x00", "\x7f", "\u202e", "\u2066", "\u200b", "\ufeff", "e\u0301", "${", "}"]
text = st.text(alphabet=st.characters(exclude_categories=["Cs"]))
long_text = st.text(alphabet="a\u00e9\u4e2d\U00020000\U0001f600/. ", min_size=200, max_size=700)
hostile = st.lists(st.one_of(text, st.sampled_from(TRICKY), long_text), max_size=8).map("".join)
pattern_part = st.one_of(
    st.sampled_from([f"${{{name}}}" for name in sorted(VARIABLES)]), text, st.sampled_from(TRICKY), long_text
)
patterns = st.one_of(st.none(), st.lists(pattern_part, max_size=8).map("".join))
contexts = st.builds(
    NameContext,
    uuid=st.uuids().map(str),
    filename=hostile,
    ext=st.sampled_from([".png", ".jpg", ".jpeg", ".webp", ".avif", ".gif", ".pdf"]),
    render_id=st.one_of(st.uuids().map(lambda u: u.hex), text),
    date=st.dates(),
    page=st.one_of(st.none(), st.integers(min_value=1, max_value=10_000)),
    effects=st.one_of(st.just(""), text),
)


@settings(max_examples=300, deadline=None)
@given(folder=st.one_of(st.none(), hostile), pattern=patterns, context=contexts)
def test_every_key_is_safe_or_refused(folder: str | None, pattern: str | None, context: NameContext) -> None:
    # Given arbitrary folders, patterns and file facts
    # When a key and a Dropbox path are built
    try:
        key = build_key(folder, pattern, context)
    except NamingError as error:
        # Then a refusal is a naming error on a known field, and Dropbox refuses the same way
        assert error.field in {"folder", "pattern", "key"}
        with pytest.raises(NamingError):
            build_dropbox_path(folder, pattern, context)
        return
    segments = key.split("/")
    prefix = folder_segments(folder)
    # Then the key fits, has only real segments, stays under the folder and holds only safe characters
    assert len(key.encode("utf-8")) <= MAX_KEY_BYTES
    assert all(segment not in {"", ".", ".."} for segment in segments)
    assert not key.startswith("/") and not key.endswith("/")
    assert segments[: len(prefix)] == prefix and len(segments) > len(prefix)
    assert "\\" not in key
    assert all(unicodedata.category(char)[0] != "C" for char in key)
    assert all(char not in BIDI_AND_ZERO_WIDTH for char in key)
    assert all(char == "/" or is_allowed_char(char) for char in key)
    assert build_dropbox_path(folder, pattern, context) == "/" + key


@settings(max_examples=300, deadline=None)
@given(raw=hostile)
def test_sanitising_is_idempotent_and_safe(raw: str) -> None:
    # Given any text
    # When it is sanitised as a name and as a file name
    name = sanitize_name(raw)
    filename = sanitize_filename(raw)
    # Then the result is normalised, made of allowed characters, and stable when sanitised again
    assert all(is_allowed_char(char) for char in name)
    assert unicodedata.is_normalized("NFC", name)
    assert sanitize_name(name) == name
    assert filename not in {"", ".", ".."} and not filename.startswith(".") and not filename.endswith(".")
    assert sanitize_filename(filename) == filename


@settings(max_examples=300, deadline=None)
@given(folder=hostile)
def test_folder_segments_are_real_and_stable(folder: str) -> None:
    # Given any folder text
    try:
        segments = folder_segments(folder)
    except NamingError as error:
        assert error.field == "folder"
        return
    # When its segments are joined and split again
    again = folder_segments("/".join(segments))
    # Then no segment is empty or a dot segment, and splitting is stable
    assert all(segment not in {"", ".", ".."} for segment in segments)
    assert again == segments


@settings(max_examples=300, deadline=None)
@given(
    pattern=st.lists(pattern_part, max_size=8).map("".join),
    context=contexts,
    # Our effects strings are filename-safe: never a bare "." or "..".
    effects=st.text(alphabet="abc019-_.", max_size=12).filter(lambda e: e == "" or e.strip(".") != ""),
)
def test_validated_pattern_only_fails_on_length(pattern: str, context: NameContext, effects: str) -> None:
    # Given a pattern that passed request-time validation and a render with our own safe ids and effects
    try:
        validate_pattern(pattern)
    except NamingError as error:
        assert error.field == "pattern"
        return
    context = dataclasses.replace(context, render_id=context.uuid.replace("-", ""), effects=effects)
    # When a key is built at delivery time
    try:
        build_key(None, pattern, context)
    except NamingError as error:
        # Then the only late failure possible is the byte limit, which depends on the file's name
        assert error.field == "key"
        assert f"{MAX_KEY_BYTES}-byte limit" in error.message
