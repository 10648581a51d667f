"""The OpenAPI document is the API: schemathesis (every phase, every check) against the local stack, from the document
the stack serves at /v1/openapi.json. Zero failures; each known defect that needs a fix outside the contract's own
files is listed in KNOWN, matched precisely and marked xfail(strict=True), so its fix turns into a failure that asks
for its entry to go. A failure prints the fuzzer's report with the curl reproduction of each case.

Values that name things outside the request (templates, files, storages, buckets, hosts) are seeded by
tests/contract/fuzz_hooks.py in schema-valid requests; see there. The rate limit is off (a workspace's 600 requests a
minute would answer the fuzzer 429, which is documented but would stop it testing anything else).
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.conftest import ROOT
from tests.contract.conftest import contract_stack

pytestmark = pytest.mark.slow

PHASES = "examples,coverage,fuzzing,stateful"
MAX_EXAMPLES = 6  # per operation and phase: the whole run (31 operations) stays under 2 minutes
SEED = 14  # fixed, so that a known defect is found on every run and its xfail stays strict
# Seconds: a guard against a hang. The 31 operations take 75-90 s here (the coverage phase ~55 s), beside the other
# tests on the other worker; past the guard the run stops and the test fails.
TIME_BUDGET = 300


@dataclass(frozen=True)
class Failure:
    check: str
    code: str
    operation: str  # the fuzzed operation, "GET /v1/docs"
    method: str  # the request's, which for unsupported_method is not the operation's
    path: str
    status: int | None
    answer: str  # the response body, cut
    curl: str

    def __str__(self) -> str:
        return f"{self.code} {self.check} on {self.operation}: {self.status} {self.answer[:300]}\n    {self.curl}"


@dataclass(frozen=True)
class FuzzRun:
    failures: list[Failure]
    cases: int
    seconds: float
    output: str
    api: str  # the stack, still running while the module's tests run
    key: str
    stack_errors: str  # the exceptions the stack logged: where a 500 came from


@dataclass(frozen=True)
class Known:
    """A defect the fuzzer finds whose fix lies outside the contract's files: how to tell its failures, and one request
    that shows it (sent by test_known_defect_is_fixed, so that its xfail is strict whatever the fuzzer draws)."""

    name: str
    reason: str
    matches: Callable[[Failure], bool]
    request: tuple[str, str, Any]  # method, path, JSON body
    fixed: Callable[[requests.Response], bool]


def _refused(failure: Failure, operation: str, status: int, text: str) -> bool:
    return (
        failure.check == "positive_data_acceptance"
        and failure.operation in (operation, "Stateful tests")
        and failure.status == status
        and text in failure.answer
    )


KNOWN: list[Known] = [
    Known(
        "no-dropbox-in-local-stack",
        "a Dropbox storage is probed at api.dropboxapi.com, which the local stack does not emulate: "
        "courier_tools.local should point the SDK at a fake Dropbox API (tests/fakes/dropbox_api.py) as it points AWS "
        "at moto",
        lambda f: _refused(f, "PUT /v1/storage/{name}", 422, "Dropbox could not be reached"),
        ("PUT", "/v1/storage/dropbox-probe", {"provider": "dropbox", "accessToken": "sl.fuzz"}),
        lambda answer: answer.status_code == 200,
    ),
    Known(
        "no-r2-in-local-stack",
        "an R2 storage is probed at <account>.r2.cloudflarestorage.com, which the local stack does not emulate: "
        "courier_tools.local should route R2 endpoints to the emulated S3",
        lambda f: _refused(f, "PUT /v1/storage/{name}", 422, "r2.cloudflarestorage.com"),
        (
            "PUT",
            "/v1/storage/r2-probe",
            {
                "provider": "r2",
                "bucket": "contract-bucket",
                "accountId": "0" * 32,
                "auth": {"type": "keys", "accessKeyId": "AKIAFUZZFUZZFUZZ0001", "secretAccessKey": "s"},
            },
        ),
        lambda answer: answer.status_code == 200,
    ),
    Known(
        "no-azure-in-local-stack",
        "an Azure storage is probed at <account>.blob.core.windows.net, which the local stack does not emulate: "
        "courier_tools.local should start Azurite (tests/fakes/azurite.py) as it starts moto",
        lambda f: _refused(f, "PUT /v1/storage/{name}", 422, "") and '"provider": "azure"' in f.curl,
        (
            "PUT",
            "/v1/storage/azure-probe",
            {
                "provider": "azure",
                "container": "contract",
                "auth": {"type": "key", "accountName": "fuzzaccount", "accountKey": "ZnV6ego="},
            },
        ),
        lambda answer: answer.status_code == 200,
    ),
    Known(
        "no-gcs-in-local-stack",
        "a GCS storage is probed at storage.googleapis.com after a token from oauth2.googleapis.com, which the local "
        "stack does not emulate: courier_tools.local should start gcp-storage-emulator and a token endpoint "
        "(tests/fakes/gcs_emulator.py); and no drawn private_key is a key",
        lambda f: _refused(f, "PUT /v1/storage/{name}", 422, "") and '"provider": "gcs"' in f.curl,
        (
            "PUT",
            "/v1/storage/gcs-probe",
            {
                "provider": "gcs",
                "bucket": "contract",
                "auth": {"type": "hmac", "accessKeyId": "GOOG1", "secretAccessKey": "s"},
            },
        ),
        lambda answer: answer.status_code == 200,
    ),
    Known(
        "roles-refused-by-moto-sts",
        "moto's STS assumes any role without its ExternalId, so the confused-deputy check refuses every role storage "
        "in the local stack: courier_tools.local needs an STS that honours ExternalId for role storages to be testable",
        lambda f: f.check == "positive_data_acceptance" and f.status == 422 and "auth.roleArn" in f.answer,
        (
            "PUT",
            "/v1/storage/role-probe",
            {
                "provider": "s3",
                "bucket": "contract-bucket",
                "auth": {"type": "role", "roleArn": "arn:aws:iam::123456789012:role/courier"},
            },
        ),
        lambda answer: answer.status_code == 200,
    ),
]


@pytest.fixture(scope="module")
def fuzz_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FuzzRun]:
    reports = tmp_path_factory.mktemp("schemathesis")
    settings = {
        "COURIER_RATE_LIMIT_REQUESTS": "0",
        "COURIER_COPY_WAIT_SECONDS": "3",
        "COURIER_DROPBOX_APP_KEY": "contract-app-key",  # Connect Dropbox configured: authorize answers its URL
    }
    with contract_stack(**settings) as stack:
        command = [
            str(Path(sys.executable).with_name("st")),
            "--config-file",
            str(Path(__file__).with_name("schemathesis.toml")),
            "run",
            f"{stack.api}/v1/openapi.json",
            "--checks",
            "all",
            "--phases",
            PHASES,
            "--max-examples",
            str(MAX_EXAMPLES),
            "--seed",
            str(SEED),
            "--header",
            f"Authorization: Bearer {stack.key}",
            "--output-sanitize",
            "false",  # the key is a test key, and reproductions must be complete
            "--no-color",
            "--report",
            "ndjson",
            "--report-dir",
            str(reports),
            "--request-timeout",
            "30",
            "--workers",
            "2",  # renders and copies wait on deliveries: two at a time keeps both cores busy
        ]
        env = dict(os.environ) | {
            "SCHEMATHESIS_HOOKS": "tests.contract.fuzz_hooks",
            "PYTHONPATH": str(ROOT),
            "COURIER_FUZZ_SOURCE": stack.file_uuid,
            "COURIER_FUZZ_TARGET": stack.storage,
            "COURIER_FUZZ_BUCKET": stack.bucket,
            "COURIER_FUZZ_API": stack.api,
            "COURIER_FUZZ_KEY": stack.key,
        }
        started = time.monotonic()
        try:
            done = subprocess.run(
                command, cwd=reports, env=env, capture_output=True, text=True, timeout=TIME_BUDGET, check=False
            )
        except subprocess.TimeoutExpired as expired:
            pytest.fail(f"schemathesis ran over {TIME_BUDGET} s:\n{expired.stdout!s}"[-20000:])
        seconds = time.monotonic() - started
        if done.returncode not in (0, 1) or "Traceback" in done.stderr:
            pytest.fail(f"schemathesis could not run ({done.returncode}):\n{done.stdout}\n{done.stderr}"[-20000:])
        events = next(reports.glob("*.ndjson")).read_text().splitlines()
        failures, cases = _failures([json.loads(line) for line in events])
        print(f"\nschemathesis: {cases} cases in {seconds:.0f} s, {len(failures)} failures")
        yield FuzzRun(failures, cases, seconds, done.stdout, stack.api, stack.key, stack.tracebacks())


def test_the_fuzzer_finds_nothing_but_known_defects(fuzz_run: FuzzRun) -> None:
    unknown = [f for f in fuzz_run.failures if not any(k.matches(f) for k in KNOWN)]
    assert fuzz_run.cases > 500, fuzz_run.output[-5000:]
    report = "\n\nschemathesis' report:\n" + _report(fuzz_run.output)
    assert not unknown, "\n".join(map(str, unknown)) + report + "\n\nthe stack's exceptions:\n" + fuzz_run.stack_errors


@pytest.mark.parametrize(
    "known",
    [
        pytest.param(k, marks=pytest.mark.xfail(strict=True, raises=AssertionError, reason=k.reason), id=k.name)
        for k in KNOWN
    ],
)
def test_known_defect_is_fixed(fuzz_run: FuzzRun, known: Known) -> None:
    method, path, body = known.request
    answer = requests.request(
        method, fuzz_run.api + path, json=body, headers={"Authorization": f"Bearer {fuzz_run.key}"}, timeout=60
    )
    assert known.fixed(answer), f"{method} {path} {json.dumps(body)} → {answer.status_code} {answer.text[:500]}"
    found = [f for f in fuzz_run.failures if known.matches(f)]
    assert not found, "\n".join(map(str, found[:5]))


def _report(output: str) -> str:
    """The CLI's failure section: each failure with its curl reproduction."""
    start = output.find("FAILURES")
    return (output[start:] if start >= 0 else output)[-30000:]


def _failures(events: list[dict[str, Any]]) -> tuple[list[Failure], int]:
    failures: dict[tuple[str, str, str, str, int | None], Failure] = {}
    cases = 0
    for event in events:
        scenario = event.get("ScenarioFinished")
        if not scenario:
            continue
        recorder = scenario["recorder"]
        cases += len(recorder.get("cases", {}))
        for case_id, checks in recorder.get("checks", {}).items():
            for check in checks:
                if check["status"] != "failure":
                    continue
                failure = check["failure_info"]["failure"]
                case = recorder["cases"][case_id]["value"]
                interaction = recorder["interactions"].get(case_id) or {}
                response = interaction.get("response") or {}
                found = Failure(
                    check=check["name"],
                    code=failure.get("code", ""),
                    operation=recorder["label"],
                    method=case["method"],
                    path=case["path"],
                    status=response.get("status_code"),
                    answer=_text(response.get("content")),
                    curl=_curl(interaction.get("request") or {}),
                )
                failures.setdefault((found.check, found.operation, found.method, found.path, found.status), found)
    return list(failures.values()), cases


def _text(payload: Any) -> str:
    """A recorded body: {"$base64": …} in the run's events, or plain text."""
    if isinstance(payload, dict) and "$base64" in payload:
        return base64.b64decode(payload["$base64"]).decode("utf-8", "replace")[:2000]
    return "" if payload is None else str(payload)[:2000]


def _curl(request: dict[str, Any]) -> str:
    parts = ["curl", "-X", str(request.get("method", "GET"))]
    for name, values in (request.get("headers") or {}).items():
        for value in values if isinstance(values, list) else [values]:
            parts += ["-H", f"{name}: {value}"]
    body = request.get("body")
    if body:
        parts += ["-d", _text(body)]
    parts.append(str(request.get("uri", "")))
    return shlex.join(parts)
