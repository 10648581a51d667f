"""The render request's `webhook` through the in-process API and deliver function: checked at request time (422s),
kept on the render, shown in the answer and GET /v1/renders/{id} without its query, sent by the deliver function."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote_plus

import boto3
import pytest

from courier.net.policy import CheckedURL
from courier.persistence.store import Store
from courier.platform import aws
from courier.renders.status import event_id
from courier.secrets.sealing import Sealer
from courier.webhooks.secrets import WebhookSecrets
from courier.webhooks.signing import SIGNATURE_HEADER, verify
from courier.webhooks.workspace import WorkspaceWebhooks
from courier_tools.local.stack import FakeContext
from tests.conftest import load_event
from tests.functional.conftest import S3_STORAGE, TABLE, Api

TOKEN = "CANARY-webhook-token"
HOOK = f"https://93.184.216.34/hooks/courier?token={TOKEN}"  # a public address literal: no DNS in unit tests
DEFAULT = "https://93.184.216.35/workspace-default?sig=CANARY-default"


def configure(api: Api, workspace: str = "acme", url: str | None = None) -> str:
    """What `python -m courier_tools.admin webhook set` does; returns the secret it shows once."""
    webhooks = WorkspaceWebhooks(
        Store(aws.table(TABLE)),
        WebhookSecrets("courier/", client=boto3.client("secretsmanager")),
        sealer=Sealer(boto3.client("kms"), os.environ["COURIER_INLINE_KEY_ID"]),
    )
    _, secret = webhooks.set(api.workspaces[workspace], url)
    assert secret is not None
    return secret.get_secret_value()


class Receiver:
    """Stands in for the network under the sender (``courier.webhooks.sender.post``): records each POST, answers 200."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, str], bytes]] = []

    def __call__(
        self, checked: CheckedURL, body: bytes, headers: Mapping[str, str], timeout: float, **_: Any
    ) -> tuple[int, dict[str, str]]:
        self.posts.append((checked.url, dict(headers), body))
        return 200, {}


@pytest.fixture
def receiver(monkeypatch: pytest.MonkeyPatch) -> Receiver:
    fake = Receiver()
    monkeypatch.setattr("courier.webhooks.sender.post", fake)
    return fake


def deliver_staged(render_id: str) -> dict[str, Any]:
    """The S3 event the render's staged file would trigger, handed to the deliver function."""
    import deliver_handler

    found = Store(aws.table(TABLE)).get_render(render_id)
    assert found is not None
    event = load_event("deliver.s3.encoded-key.json")
    event["Records"][0]["s3"]["object"]["key"] = quote_plus(found[0].files[0].key, safe="/")
    return deliver_handler.lambda_handler(event, FakeContext("DeliverFunction", 900))  # type: ignore[no-any-return]


def render(api: Api, key: str = "acme", **fields: Any) -> tuple[int, Any]:
    return api.call("POST", "/v1/renders", {"templateId": "social-card", "connections": [], **fields}, key=key)


def test_a_webhook_needs_the_workspaces_secret(api: Api) -> None:
    # Given a workspace whose operator never ran `webhook set`
    # When a render names a webhook
    status, answer = render(api, webhook=HOOK)
    # Then it is refused before rendering, saying what to do, without echoing the URL's token
    assert status == 422
    [detail] = answer["error"]["details"]
    assert detail["field"] == "webhook"
    assert "POST /v1/webhook/secret" in detail["message"] and "courier_tools.admin webhook set" in detail["message"]
    assert TOKEN not in json.dumps(answer)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://93.184.216.34/hook?token={TOKEN}", "https"),
        (f"https://10.0.0.5/hook?token={TOKEN}", "private address"),
        (f"https://169.254.169.254/latest/meta-data/?token={TOKEN}", "metadata"),
        (f"https://127.0.0.1:8443/hook?token={TOKEN}", "loopback"),
        (f"https://user:{TOKEN}@93.184.216.34/hook", "user name or password"),
    ],
)
def test_a_webhook_the_outbound_policy_refuses_is_422(api: Api, url: str, reason: str) -> None:
    configure(api)
    status, answer = render(api, webhook=url)
    assert status == 422
    assert answer["error"]["details"][0]["field"] == "webhook"
    assert reason in answer["error"]["details"][0]["message"]
    assert TOKEN not in json.dumps(answer)


def test_the_answer_and_the_status_show_the_webhook_without_its_query(api: Api) -> None:
    configure(api)
    # When a render names a webhook
    status, answer = render(api, webhook=HOOK)
    # Then the answer carries the webhook, pending, its URL without the query string
    assert status == 200, answer
    expected = {
        "url": "https://93.184.216.34/hooks/courier",
        "status": "pending",
        "eventId": event_id(answer["id"]),
        "attempts": 0,
        "lastError": None,
        "sentAt": None,
    }
    assert answer["webhook"] == expected
    # And so does the status document; the token appears in neither
    status, read = api.call("GET", f"/v1/renders/{answer['id']}")
    assert status == 200 and read["webhook"] == expected
    assert TOKEN not in json.dumps(answer) + json.dumps(read)
    # And the render keeps the URL it was accepted with, its query (the token) sealed apart, never in clear
    found = Store(aws.table(TABLE)).get_render(answer["id"])
    assert found is not None and found[0].webhook_url == "https://93.184.216.34/hooks/courier"
    assert found[0].webhook_query_sealed and TOKEN not in found[0].model_dump_json()
    assert TOKEN not in str(boto3.resource("dynamodb").Table(TABLE).scan()["Items"])


def test_the_workspace_default_applies_and_null_opts_out(api: Api) -> None:
    configure(api, url=DEFAULT)
    # A render naming none gets the workspace's default
    _, answer = render(api)
    assert answer["webhook"]["url"] == "https://93.184.216.35/workspace-default"
    # A render naming its own gets its own
    _, answer = render(api, webhook=HOOK)
    assert answer["webhook"]["url"] == "https://93.184.216.34/hooks/courier"
    # "webhook": null means none for this render
    _, answer = render(api, webhook=None)
    assert "webhook" not in answer
    # And another workspace's default never applies
    _, answer = render(api, key="globex")
    assert "webhook" not in answer


def test_the_deliver_function_sends_it_once_and_the_status_says_sent(api: Api, receiver: Receiver) -> None:
    # Given a workspace with a secret and an S3 storage, and a render to it with a webhook
    secret = configure(api)
    storage = copy.deepcopy(S3_STORAGE)
    assert api.call("PUT", "/v1/storage/main", storage)[0] == 200
    status, answer = render(api, webhook=HOOK, connections=[{"provider": "s3", "storage": "main"}])
    assert status == 200 and answer["webhook"]["status"] == "pending"
    # When the deliver function gets the staged file's event (twice: S3 events are at-least-once)
    first = deliver_staged(answer["id"])
    second = deliver_staged(answer["id"])
    # Then one signed event went to the URL as given (query included)
    assert (first["delivered"], first["webhooks_sent"], second["webhooks_sent"]) == (1, 1, 0)
    [(url, headers, body)] = receiver.posts
    assert url == HOOK and verify(secret, headers[SIGNATURE_HEADER], body)
    event = json.loads(body)
    assert event["type"] == "render.delivered"
    # And its render is the status document, as GET answers it (but for the links' signatures and the webhook)
    _, read = api.call("GET", f"/v1/renders/{answer['id']}")
    for document in (event["render"], read):
        document["data"].pop("content")
    webhook = read.pop("webhook")
    assert event["render"] == read
    assert webhook["status"] == "sent" and webhook["attempts"] == 1 and webhook["sentAt"]


def test_a_render_without_any_webhook_has_no_webhook_object(api: Api) -> None:
    _, answer = render(api)
    assert "webhook" not in answer
    _, read = api.call("GET", f"/v1/renders/{answer['id']}")
    assert "webhook" not in read
