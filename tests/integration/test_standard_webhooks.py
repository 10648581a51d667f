"""Webhooks verified the way a customer verifies them: with the `standardwebhooks` package itself (Standard Webhooks'
reference library), against what our sender really POSTs to a local receiver."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from courier.webhooks.events import WebhookEvent
from courier.webhooks.signing import SIGNATURE_HEADER, generate_secret, standard_key, verify
from tests.integration.test_webhook_sender import Clock, Receiver, clock, event, receiver, sender

__all__ = ["clock", "event", "receiver"]  # fixtures shared with the sender's own tests


def test_an_event_verifies_with_the_standardwebhooks_library(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given a workspace secret as we generate it
    secret = generate_secret()
    endpoint = receiver("200")
    # When an event is sent
    sender(clock).send(endpoint.url(), secret, event)
    [seen] = endpoint.requests
    # Then the reference library verifies it and hands back the event
    payload = Webhook(secret).verify(seen.body, seen.headers)
    assert payload["id"] == event.id == seen.headers["webhook-id"]
    assert payload["render"]["id"] == event.render["id"]
    assert seen.headers["webhook-timestamp"].isdigit()
    assert seen.headers["webhook-signature"].startswith("v1,")
    # And a wrong secret, or a changed body, is refused by it
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(seen.body, seen.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(seen.body.replace(b"completed", b"COMPLETED"), seen.headers)
    # And the older X-Courier-Signature still verifies, for one release
    assert verify(secret, seen.headers[SIGNATURE_HEADER.lower()], seen.body)


def test_during_a_rotation_both_secrets_verify(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given a rotation: the new secret signs, and the old one still does during the overlap
    old, new = generate_secret(), generate_secret()
    endpoint = receiver("200")
    # When an event is sent
    sender(clock).send(endpoint.url(), new, event, previous_secret=old)
    [seen] = endpoint.requests
    # Then the header carries two signatures, and a receiver holding either secret verifies it
    assert len(seen.headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        assert Webhook(secret).verify(seen.body, seen.headers)["id"] == event.id
    with pytest.raises(WebhookVerificationError):
        Webhook(generate_secret()).verify(seen.body, seen.headers)


def test_a_replayed_event_is_refused_by_the_library(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given an event sent more than five minutes ago (the library's tolerance)
    secret = generate_secret()
    endpoint = receiver("200")
    clock.slept.append(-600)
    sender(clock).send(endpoint.url(), secret, event)
    [seen] = endpoint.requests
    # Then it is refused as too old
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(seen.body, seen.headers)


def test_secrets_are_standard_base64_of_32_bytes() -> None:
    secret = generate_secret()
    assert secret.startswith("whsec_")
    assert (
        standard_key(secret) == base64.b64decode(secret.removeprefix("whsec_"))
        and len(standard_key(secret) or b"") == 32
    )


def test_a_secret_from_before_this_release_signs_only_the_older_header(
    receiver: Callable[..., Receiver], clock: Clock, event: WebhookEvent
) -> None:
    # Given a secret made by the previous release (URL-safe base64, with "-" or "_")
    legacy = "whsec_" + secrets.token_urlsafe(32)
    while "-" not in legacy and "_" not in legacy.removeprefix("whsec_"):
        legacy = "whsec_" + secrets.token_urlsafe(32)
    endpoint = receiver("200")
    sender(clock).send(endpoint.url(), legacy, event)
    [seen] = endpoint.requests
    # Then no standard signature that libraries would disagree on; the older one verifies
    assert "webhook-signature" not in seen.headers
    assert verify(legacy, seen.headers[SIGNATURE_HEADER.lower()], seen.body)
    assert json.loads(seen.body)["id"] == event.id
