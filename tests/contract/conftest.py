"""A local stack for contract tests (`python -m courier_tools.local`, started as a user starts it) with one workspace, a
bucket in the emulated AWS, a storage on it, and a rendered file still in staging: what requests can name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.conftest import ROOT, aws_client
from tests.e2e.stack_process import stack_process

KEY = "rc_contract_" + "c" * 32
BUCKET = "contract-bucket"
STORAGE = "contract"


@dataclass(frozen=True)
class ContractStack:
    api: str
    aws: str
    key: str
    file_uuid: str  # a rendered file, still in staging: a remote copy's source
    storage: str  # a storage of the workspace (bucket-policy auth on BUCKET): a remote copy's target
    bucket: str
    log: list[str] = field(default_factory=list)  # what the stack printed so far (its reader keeps appending)

    def tracebacks(self) -> str:
        """The stack's logged exceptions (a 500's cause), for a failure message."""
        return "\n".join(line for line in self.log if '"exception"' in line or "Traceback" in line)[-20000:]

    def call(self, method: str, path: str, body: Any = None) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.key}"}
        return requests.request(method, self.api + path, json=body, headers=headers, timeout=60)


@contextmanager
def contract_stack(**settings: str) -> Iterator[ContractStack]:
    """``settings``: COURIER_* variables for the stack's functions."""

    args = ["--port", "0", "--aws-port", "0", "--workspace", f"contract:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, env=dict(os.environ) | settings) as running:
        api, aws = running.ready["api"], running.ready["aws"]
        aws_client(aws, "s3").create_bucket(Bucket=BUCKET)
        seeding = ContractStack(api, aws, KEY, "", STORAGE, BUCKET)
        storage = {"provider": "s3", "bucket": BUCKET, "autoCopy": False, "auth": {"type": "policy"}}
        answer = seeding.call("PUT", f"/v1/storage/{STORAGE}", storage)
        assert answer.status_code == 200, answer.text
        answer = seeding.call("POST", "/v1/renders", {"templateId": "social-card", "connections": []})
        assert answer.status_code == 200, answer.text
        file_uuid = answer.json()["data"]["content"].split("/")[-2]
        # Renders may name a webhook once the workspace has a secret to sign with: the operator's CLI creates it.
        workspaces = json.loads(_admin(aws, "--json", "workspace", "list"))
        workspace_id = next(str(w["id"]) for w in workspaces if w["name"] == "contract")
        _admin(aws, "webhook", "set", "--workspace", workspace_id, "--no-url")
        yield ContractStack(api, aws, KEY, file_uuid, STORAGE, BUCKET, running.lines)


def _admin(aws: str, *argv: str) -> str:
    """`python -m courier_tools.admin` as an operator runs it against the stack."""
    env = dict(os.environ) | {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    env.pop("AWS_PROFILE", None)
    command = [sys.executable, "-m", "courier_tools.admin", "--table", "render-courier-local", "--region", "us-east-1"]
    done = subprocess.run(
        [*command, "--endpoint-url", aws, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
