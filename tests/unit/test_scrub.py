"""The shared scrubber: any run of 8+ characters of a secret, in any spelling a server may use, and every AWS access
key id leave a provider's words; the rest of the words stay."""

from __future__ import annotations

import html
from urllib.parse import quote

import pytest

from courier.destinations.base import AlreadyExistsError, PermanentDeliveryError, RetryableDeliveryError
from courier.secrets.scrub import MASK, Scrubber, key_ids, scrub

SIGNATURE = "5f1c0a9e3b7d24c68e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
TOKEN = 'sse&key<"CANARY">0123456789'


@pytest.mark.parametrize(
    "echoed",
    [
        SIGNATURE,  # whole
        SIGNATURE[:24],  # its first characters
        SIGNATURE[20:28],  # exactly 8 from the middle
        SIGNATURE.upper()[:30],  # re-cased
        SECRET_KEY[5:25],  # across a "/"
        quote(SECRET_KEY, safe="")[3:30],  # percent-encoded, "/" as %2F
        quote(SECRET_KEY, safe="").lower()[:30],  # with lower-case escapes
        html.escape(TOKEN)[2:30],  # XML-escaped: "&amp;", "&lt;", "&quot;"
    ],
)
def test_any_run_of_eight_characters_of_a_secret_is_masked(echoed: str) -> None:
    # Given a provider's message quoting part of a secret, however spelled
    text = f"Denied: request {echoed} refused"
    # When it is scrubbed with the secrets it may quote
    shown = scrub(text, [SIGNATURE, SECRET_KEY, TOKEN])
    # Then the run is one mask and the words around it stay
    assert shown == f"Denied: request {MASK} refused"


def test_runs_shorter_than_eight_characters_stay() -> None:
    assert (
        scrub(f"id {SIGNATURE[:7]} and {SIGNATURE[30:37]}", [SIGNATURE]) == f"id {SIGNATURE[:7]} and {SIGNATURE[30:37]}"
    )


def test_overlapping_and_adjacent_runs_become_one_mask() -> None:
    # Two secrets written back to back, then a piece of the first again after a word
    shown = scrub(f"x {SIGNATURE[:12]}{SECRET_KEY[-12:]} y {SIGNATURE[40:52]}", [SIGNATURE, SECRET_KEY])
    assert shown == f"x {MASK} y {MASK}"


def test_short_secrets_and_no_secrets_change_nothing_but_key_ids() -> None:
    assert scrub("true and 3600 stay", ["true", "3600"]) == "true and 3600 stay"
    assert scrub("nothing to hide here") == "nothing to hide here"


def test_non_ascii_text_keeps_its_place() -> None:
    # "İ".lower() is two characters: folding must not shift what is masked
    assert scrub(f"İİİ {SIGNATURE[:10]} ünï", [SIGNATURE]) == f"İİİ {MASK} ünï"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("The AWS Access Key Id AKIAIOSFODNN7EXAMPLE is unknown", f"The AWS Access Key Id {MASK} is unknown"),
        ("Credential=ASIAY34FZKBOKMUTVV7A/20260101/us-east-1", f"Credential={MASK}/20260101/us-east-1"),
        ("AKIA alone, AKIASHORT, xAKIAIOSFODNN7EXAMPLE", "AKIA alone, AKIASHORT, xAKIAIOSFODNN7EXAMPLE"),
    ],
)
def test_access_key_ids_are_masked_whoever_they_belong_to(text: str, shown: str) -> None:
    assert key_ids(text) == shown
    assert Scrubber([])(text) == shown


def test_a_scrubber_scans_a_large_text_quickly() -> None:
    import time

    # Given the largest secrets a presigned URL carries (8 KiB) and the largest error body read (64 KiB)
    scrubber = Scrubber(["q" * 4096 + SIGNATURE * 64])
    text = ("lorem ipsum " * 6000)[:65536]
    started = time.perf_counter()
    assert scrubber(text) == text
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("kind", [PermanentDeliveryError, RetryableDeliveryError, AlreadyExistsError])
def test_no_destination_error_carries_an_access_key_id(kind: type[PermanentDeliveryError]) -> None:
    # Whatever an adapter forgot to scrub, a reason is shown to users, stored and logged: key ids never are
    error = kind("Weird: AKIAIOSFODNN7EXAMPLE denied", 3)
    assert error.reason == f"Weird: {MASK} denied" == str(error)
    assert error.retry_after == 3
