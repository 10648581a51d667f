"""A workspace sets up its own webhooks (/v1/webhook): the default URL (its query sealed, never answered), the
events it takes, and its signing secret, created or rotated and shown once."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import boto3
from standardwebhooks import Webhook

from courier.secrets.credentials import CredentialReader
from courier.webhooks.secrets import WebhookSecrets
from tests.functional.conftest import S3_STORAGE, TABLE, Api
from tests.functional.test_webhook_render import Receiver, deliver_staged, receiver, render

__all__ = ["receiver"]

TOKEN = "CANARY-settings-token"
HOOK = f"https://93.184.216.34/hooks/settings?token={TOKEN}"


def signing(workspace_id: str) -> list[str]:
    reader = CredentialReader(boto3.client("secretsmanager"), max_age_seconds=0)
    keys = WebhookSecrets("courier/", reader=reader).signing(workspace_id, datetime.now(UTC))
    return [s.get_secret_value() for s in (keys.current, keys.previous) if s is not None]


def test_a_new_workspace_has_no_webhook_and_a_url_needs_a_secret_first(api: Api) -> None:
    status, settings = api.call("GET", "/v1/webhook")
    assert status == 200
    assert settings == {
        "url": None,
        "hasQuery": False,
        "events": ["render.delivered", "render.failed"],
        "secret": {"exists": False, "createdAt": None, "rotatedAt": None, "previousValidUntil": None},
        "recent": [],
    }
    status, answer = api.call("PUT", "/v1/webhook", {"url": HOOK})
    assert status == 409 and "POST /v1/webhook/secret" in answer["error"]["message"]


def test_the_secret_is_shown_once_then_rotated_with_an_overlap(api: Api) -> None:
    workspace_id = api.workspaces["acme"]
    # When the workspace creates its secret
    status, created = api.call("POST", "/v1/webhook/secret", {})
    assert status == 201 and created["secret"].startswith("whsec_") and created["previousValidUntil"] is None
    assert signing(workspace_id) == [created["secret"]]
    # Then it is never shown again
    _, settings = api.call("GET", "/v1/webhook")
    assert settings["secret"]["exists"] is True and created["secret"] not in str(settings)
    # When it rotates it with a 2-hour overlap, both sign until then
    status, rotated = api.call("POST", "/v1/webhook/secret", {"graceHours": 2})
    assert status == 201 and rotated["previousValidUntil"] is not None
    assert signing(workspace_id) == [rotated["secret"], created["secret"]]
    # And a rotation without overlap stops the old one at once
    _, newest = api.call("POST", "/v1/webhook/secret", {"graceHours": 0})
    assert signing(workspace_id) == [newest["secret"]]


def test_the_url_is_answered_without_its_query_which_is_stored_sealed(api: Api) -> None:
    api.call("POST", "/v1/webhook/secret", {})
    status, settings = api.call("PUT", "/v1/webhook", {"url": HOOK, "events": ["render.failed"]})
    assert status == 200, settings
    assert settings["url"] == "https://93.184.216.34/hooks/settings" and settings["hasQuery"] is True
    assert settings["events"] == ["render.failed"]
    assert TOKEN not in str(boto3.resource("dynamodb").Table(TABLE).scan()["Items"])
    # A refused URL is a 422 on url; null removes the default
    assert api.call("PUT", "/v1/webhook", {"url": "https://127.0.0.1/x"})[1]["error"]["details"][0]["field"] == "url"
    assert api.call("PUT", "/v1/webhook", {"url": "http://93.184.216.34/x"})[0] == 422
    assert api.call("PUT", "/v1/webhook", {"url": None})[1]["url"] is None


def test_events_go_to_the_default_url_signed_and_only_the_types_asked_for(api: Api, receiver: Receiver) -> None:
    # Given a workspace that set its webhook itself, and a storage
    _, created = api.call("POST", "/v1/webhook/secret", {})
    api.call("PUT", "/v1/webhook", {"url": HOOK})
    assert api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))[0] == 200
    # When a render is delivered
    _, answer = render(api, connections=[{"provider": "s3", "storage": "main"}])
    deliver_staged(answer["id"])
    # Then the event reached the URL with its token, verifiable with the standardwebhooks library
    [(url, headers, body)] = receiver.posts
    assert url == HOOK
    assert Webhook(created["secret"]).verify(body, headers)["type"] == "render.delivered"
    # And the settings show how the last events went
    _, settings = api.call("GET", "/v1/webhook")
    assert [(e["renderId"], e["status"], e["attempts"]) for e in settings["recent"]] == [(answer["id"], "sent", 1)]

    # When the workspace takes only failures, a delivered render sends nothing and says so
    api.call("PUT", "/v1/webhook", {"url": HOOK, "events": ["render.failed"]})
    _, quiet = render(api, connections=[{"provider": "s3", "storage": "main"}])
    deliver_staged(quiet["id"])
    assert len(receiver.posts) == 1
    assert api.call("GET", f"/v1/renders/{quiet['id']}")[1]["webhook"]["status"] == "skipped"
