"""The request examples of the Orshot and Uploadcare documentation we follow (tests/compat/examples/, one JSON file
each, with the page it comes from), sent as they are — method, path, headers, body — to the local stack. Only what
a user fills in is filled in: their key (`{{API_KEY}}`, the Uploadcare pair) and a file of theirs (`{{FILE_UUID}}`);
the workspace has templates under the ids the examples name, with layers named like their modifications. Each
answers the status and the shape its documentation shows."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process

EXAMPLES = Path(__file__).parent / "examples"
KEY = "rc_compat_examples_" + "e" * 32
BUCKET = "documented-examples"
STORAGE = "custom_storage_connected_to_the_project"
MAGIC = {"png": b"\x89PNG\r\n\x1a\n", "jpg": b"\xff\xd8\xff", "webp": b"RIFF", "pdf": b"%PDF-"}
PICTURE_KEYS = ("url", "photo", "image", "logo")


def _examples() -> list[Path]:
    return sorted(EXAMPLES.glob("*.json"))


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"docs:{KEY}"]
    with stack_process("courier_tools.local", args, dict(os.environ)) as running:
        ready = running.ready
        aws_client(ready["aws"], "s3").create_bucket(Bucket=BUCKET)
        storage = {
            "provider": "s3",
            "bucket": BUCKET,
            "prefix": "copies",
            "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEDOCS00001", "secretAccessKey": "docs-secret"},
        }
        assert call(ready, "PUT", f"/v1/storage/{STORAGE}", storage)[0] == 200
        yield ready


def _template(example: dict[str, Any]) -> dict[str, Any]:
    """The workspace's template for an example: its id, and a layer per modification it sends (a picture for the
    keys named like one), on as many pages as the example needs."""
    body = example["request"]["body"]
    layers: list[dict[str, Any]] = []
    for index, key in enumerate(k for k in body.get("modifications", {}) if "." not in k and "canvas" not in k):
        if key.lower().endswith(PICTURE_KEYS):
            layers.append({"type": "image", "name": key, "x": 500, "y": 20 + 40 * index, "width": 80, "height": 30})
        else:
            layer = {"type": "text", "name": key, "x": 20, "y": 20 + 40 * index, "width": 440, "height": 36}
            layers.append(layer | {"fontSize": 24})
    page = {"width": 600, "height": 400, "background": "#ffffff", "layers": layers}
    pages = example.get("template", {}).get("pages", 1)
    return {"id": str(body["templateId"]), "name": example["what"][:100], "pages": [page] * pages}


def _fill(value: Any, values: dict[str, str]) -> Any:
    text = json.dumps(value)
    for name, filled in values.items():
        text = text.replace("{{" + name + "}}", filled)
    assert "{{" not in text, f"an unfilled placeholder in {text}"
    return json.loads(text)


def _file(stack: dict[str, str], content: str, kind: str) -> bytes:
    return requests.get(content, timeout=30).content if kind == "url" else base64.b64decode(content)


@pytest.mark.parametrize("path", _examples(), ids=lambda p: p.stem)
def test_a_documented_example_answers_as_documented(stack: dict[str, str], path: Path) -> None:
    example = json.loads(path.read_text())
    request, expect = example["request"], example["expect"]
    values = {"API_KEY": KEY}
    if expect["shape"] == "uploadcare":
        status, pair = call(stack, "POST", "/v1/compat/uploadcare/keys")
        assert status == 201, pair
        rendered = call(stack, "POST", "/v1/renders", {"templateId": "social-card", "connections": []})[1]
        file_uuid = rendered["data"]["content"].split("?")[0].split("/")[-2]
        values |= {"UPLOADCARE_PUBLIC_KEY": pair["publicKey"], "UPLOADCARE_SECRET_KEY": pair["secretKey"]}
        values["FILE_UUID"] = file_uuid
    else:
        template = _template(example)
        assert call(stack, "PUT", f"/v1/templates/{template['id']}", template)[0] == 200

    # When the example is sent as the documentation writes it
    answer = requests.request(
        request["method"],
        stack["api"] + request["path"],
        headers=_fill(request["headers"], values),
        data=json.dumps(_fill(request["body"], values)),
        timeout=60,
    )

    # Then it answers the documented status and shape
    assert answer.status_code == expect["status"], answer.text
    body = answer.json()
    if expect["shape"] == "uploadcare":
        assert body["type"] == "url" and body["result"].startswith(f"s3://{BUCKET}/copies/{values['FILE_UUID']}/")
        key = body["result"].removeprefix(f"s3://{BUCKET}/")
        assert aws_client(stack["aws"], "s3").head_object(Bucket=BUCKET, Key=key)["ContentLength"] > 0
        return
    # Every modification reached a layer (a picture that could not be fetched is only a warning)
    assert not [w for w in body["warnings"] if "does not exist" in w["title"]], body["warnings"]
    if expect["shape"] == "single":
        data = body["data"]
        assert (data["type"], data["format"]) == (expect["type"], expect["format"])
        assert re.fullmatch(r"\d+(\.\d+)?s", data["responseTime"])
        rendered = _file(stack, data["content"], expect["type"])
        assert rendered.startswith(MAGIC[expect["format"]])
        if "pdfPages" in expect:
            assert len(re.findall(rb"/Type\s*/Page\b", rendered)) == expect["pdfPages"]
    else:
        assert (body["type"], body["format"]) == (expect["type"], expect["format"])
        assert [item["page"] for item in body["data"]] == expect["pages"]
        rendered_pages = expect.get("renderedPages", len(expect["pages"]))
        assert (body["totalPages"], body["renderedPages"]) == (expect["totalPages"], rendered_pages)
        for item in body["data"]:
            rendered = _file(stack, item["content"], expect["type"])
            assert item["pageId"] and rendered.startswith(MAGIC[expect["format"]])
            if "pdfPages" in expect:
                assert len(re.findall(rb"/Type\s*/Page\b", rendered)) == expect["pdfPages"]
    file_name = request["body"].get("response", {}).get("fileName")
    if file_name and expect["type"] == "url":  # the files are named as asked (`<name>_page_<n>` for pages)
        items = body["data"] if isinstance(body["data"], list) else [body["data"]]
        assert all(item["content"].split("?")[0].split("/")[-1].startswith(file_name) for item in items)


def test_every_example_names_the_page_it_comes_from() -> None:
    assert len(_examples()) >= 9
    for path in _examples():
        example = json.loads(path.read_text())
        assert example["source"].startswith(("https://orshot.com/", "https://uploadcare.com/", "https://skills.sh/"))
        assert example["request"]["method"] == "POST" and example["expect"]["status"] in (200, 201)
