"""The README's examples, run as a reader would run them: its curl requests against the local stack, its JSON
bodies through the models, its admin commands against the stack's table. A README edit that breaks one fails here."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from typing import Any

import pytest
import requests
from pydantic import TypeAdapter, ValidationError

from courier.engine.document import TextLayer
from courier.providers import StorageRequest
from courier.renders.models import RemoteCopyRequest, RenderRequest
from tests.conftest import ROOT
from tests.e2e.test_local_stack import KEYS, Stack, stack  # noqa: F401 - the module's own stack

README = (ROOT / "README.md").read_text()
README_KEY = "rc_local_acme_key"


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.DOTALL)


def _commands(block: str) -> list[list[str]]:
    """A bash block's commands: continuation lines joined, comments dropped, split as the shell would."""
    joined = re.sub(r"\\\n\s*", " ", block)
    commands, pending = [], ""
    for line in joined.splitlines():
        pending += line + "\n"
        try:
            words = shlex.split(pending, comments=True)
        except ValueError:  # a quoted string (a JSON body) goes on to the next line
            continue
        pending = ""
        if words:
            commands.append(words[:-1] if words[-1] == "&" else words)
    assert not pending, pending
    return commands


def test_the_try_it_block_renders_and_delivers(stack: Stack) -> None:  # noqa: F811
    [block] = [b for b in _blocks("bash") if "localhost:3000" in b]
    answers: list[tuple[int, Any]] = []
    for words in _commands(block):
        if words[0] == "aws":  # `aws --endpoint-url … s3 mb s3://<bucket>`
            stack.client("s3").create_bucket(Bucket=words[-1].removeprefix("s3://"))
        elif words[0] == "curl":
            method = words[words.index("-X") + 1]
            url = next(w for w in words if w.startswith("localhost:3000"))
            headers = dict(words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "-H")
            headers["Authorization"] = headers["Authorization"].replace(README_KEY, KEYS["acme"])
            body = words[words.index("-d") + 1]
            answer = requests.request(
                method, url.replace("localhost:3000", stack.api), data=body.encode(), headers=headers, timeout=30
            )
            answers.append((answer.status_code, answer.json()))
        else:
            assert words[:3] == [".venv/bin/python", "-m", "courier_tools.local"], words  # the stack itself: running
    # The storage is saved, then the render (with wait) delivers to it
    assert [status for status, _ in answers] == [200, 200], answers
    render = answers[-1][1]
    assert render["status"] == "completed", render
    assert [(c["storage"], c["status"]) for c in render["connections"]] == [("default", "success")]


# What a README example may be: a request, or a template's layer (the animation example)
MODELS: list[TypeAdapter[Any]] = [TypeAdapter(m) for m in (RenderRequest, RemoteCopyRequest, StorageRequest, TextLayer)]


@pytest.mark.parametrize("block", _blocks("json"), ids=lambda b: b.split("\n")[0][:40])
def test_every_json_example_is_a_valid_request(block: str) -> None:
    document = json.loads(block.replace("…", "x"))
    errors = []
    for model in MODELS:
        try:
            model.validate_python(document)
            return
        except ValidationError as exc:
            errors.append(f"{exc.title}: {exc.errors()[:2]}")
    pytest.fail("\n".join(errors))


def test_the_admin_commands_run_as_written(stack: Stack) -> None:  # noqa: F811
    from courier_tools.local.stack import TABLE

    [block] = [b for b in _blocks("bash") if "courier_tools.admin" in b]
    env = os.environ | {
        "COURIER_TABLE_NAME": TABLE,
        "AWS_ENDPOINT_URL": stack.aws,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    found: dict[str, str] = {}

    def run(words: list[str]) -> dict[str, Any]:
        assert words[:3] == ["python", "-m", "courier_tools.admin"], words
        args = [found.get(w, w) for w in words[3:]]
        done = subprocess.run(
            [sys.executable, "-m", "courier_tools.admin", "--json", *args],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert done.returncode == 0, (words, done.stdout, done.stderr)
        return json.loads(done.stdout) if done.stdout.strip() else {}

    for words in _commands(block):
        answer = run(words)
        if words[3:5] == ["workspace", "create"]:
            found["WS_ID"] = answer["workspace"]["id"]
        if words[3:5] == ["key", "create"]:
            found["KEY_ID"] = answer["key"]["id"]
    # The revoked key is listed as such
    keys = run(["python", "-m", "courier_tools.admin", "key", "list", "WS_ID"])
    assert "revoked" in json.dumps(keys)
