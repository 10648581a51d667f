"""Orshot's own Python SDK (orshot 0.2.0), unchanged but for its base URL and key, rendering through the local
stack: both of its render methods, every response type, an integer template id, and its BadRequestException."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from typing import Any

import orshot.orshot
import pytest
import requests
from orshot import Orshot
from orshot.exceptions import BadRequestException

from tests.conftest import aws_client, free_port
from tests.e2e.stack_process import stack_process

KEY = "rc_compat_orshot_" + "o" * 32
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    port, aws_port = free_port(), free_port()
    args = ["--port", str(port), "--aws-port", str(aws_port), "--workspace", f"orshot:{KEY}"]
    with stack_process("courier.local", args, dict(os.environ)) as running:
        yield running.ready


@pytest.fixture
def sdk(stack: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Orshot:
    # The one change a user makes: the SDK hard-codes its base URL in orshot.constants, imported into orshot.orshot
    monkeypatch.setattr(orshot.orshot, "ORSHOT_API_BASE_URL", stack["api"])
    return Orshot(KEY)


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


def test_render_from_template_in_every_response_type(sdk: Orshot) -> None:
    options = {"template_id": "social-card", "modifications": {"headline": "From Orshot's SDK"}}
    # url (the SDK's default): the answer, with a link to the file
    as_url = sdk.render_from_template(options)
    assert as_url["status"] in ("completed", "delivering") and as_url["data"]["type"] == "url"
    assert requests.get(as_url["data"]["content"], timeout=30).content.startswith(PNG)
    # base64: the file in the answer
    as_base64 = sdk.render_from_template(options | {"response_type": "base64", "response_format": "jpg"})
    assert base64.b64decode(as_base64["data"]["content"])[:3] == b"\xff\xd8\xff"
    # binary: the SDK hands back the raw response, whose body is the file
    as_binary = sdk.render_from_template(options | {"response_type": "binary"})
    assert as_binary.status_code == 200 and as_binary.content.startswith(PNG)
    assert as_binary.headers["Content-Type"] == "image/png" and as_binary.headers["X-Courier-Render-Id"]


def test_render_from_studio_template_with_an_integer_template_id(stack: dict[str, str], sdk: Orshot) -> None:
    # Given a workspace template whose id is "25" (Orshot's documentation numbers its templates)
    status, card = call(stack, "GET", "/v1/templates/social-card")
    assert status == 200
    assert call(stack, "PUT", "/v1/templates/25", card | {"id": "25", "name": "Numbered"})[0] == 200
    # When the SDK renders it with templateId 25 (an integer) and a file name
    answer = sdk.render_from_studio_template(
        {"template_id": 25, "modifications": {"headline": "Twenty-five"}, "response": {"file_name": "card-25"}}
    )
    # Then it is rendered like "25", and the source the SDK sent is accepted
    assert answer["data"]["content"].split("?")[0].endswith("/card-25.png")


def test_refusals_are_its_bad_request_exception(sdk: Orshot) -> None:
    with pytest.raises(BadRequestException) as unknown:
        sdk.render_from_studio_template({"template_id": "no-such-template"})
    assert "templateId" in str(unknown.value)
    with pytest.raises(BadRequestException, match="video"):
        sdk.render_from_studio_template({"template_id": "social-card", "video_options": {"trim_start": 1}})
    with pytest.raises(BadRequestException, match="publish"):
        sdk.render_from_studio_template({"template_id": "social-card", "publish": {"accounts": [1]}})


def test_a_render_delivers_to_the_workspaces_storage(stack: dict[str, str], sdk: Orshot) -> None:
    # Given a storage (Orshot's "connected storage"), when the SDK renders, then the file lands there
    aws_client(stack["aws"], "s3").create_bucket(Bucket="orshot-target")
    storage = {
        "provider": "s3",
        "bucket": "orshot-target",
        "prefix": "orshot",
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEORSHOT001", "secretAccessKey": "x"},
    }
    assert call(stack, "PUT", "/v1/storage/default", storage)[0] == 200
    answer = sdk.render_from_template({"template_id": "social-card"})
    status = call(stack, "GET", f"/v1/renders/{answer['id']}")[1]
    for _ in range(50):
        if status["connections"][0]["status"] != "pending":
            break
        status = call(stack, "GET", f"/v1/renders/{answer['id']}")[1]
    assert status["connections"][0]["status"] == "success", status
    assert aws_client(stack["aws"], "s3").head_object(Bucket="orshot-target", Key=status["connections"][0]["path"])
    assert call(stack, "DELETE", "/v1/storage/default")[0] == 204


def test_options_not_drawn_yet_are_refused_not_ignored(sdk: Orshot) -> None:
    for options in (
        {"response": {"scale": 2}},
        {"response": {"include_pages": [2]}},
        {"pdf_options": {"margin": "10mm"}, "response": {"format": "pdf"}},
    ):
        with pytest.raises(BadRequestException, match="not supported yet"):
            sdk.render_from_studio_template({"template_id": "social-card"} | options)
