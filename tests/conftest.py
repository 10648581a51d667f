"""Shared fixtures: event files, in-process AWS (mock_aws) with the stack's own settings, a moto server over HTTP."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest

if TYPE_CHECKING:
    from courier.platform.aws import Service

ROOT = Path(__file__).resolve().parents[1]
EVENTS = ROOT / "events"


def load_event(name: str) -> dict[str, Any]:
    """An event file from events/ (the same ones `sam local invoke -e` uses)."""
    return json.loads((EVENTS / name).read_text())  # type: ignore[no-any-return]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 over real HTTP, for adapters and services that must talk HTTP."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture(scope="session")
def fake_dropbox() -> Iterator[Any]:
    """One fake Dropbox API over HTTPS for the whole run. The SDK reads its hosts once, at import: start the fake,
    point the variables at it, then import the SDK (the variables are restored afterwards)."""
    import importlib

    from tests.fakes.dropbox_api import FakeDropbox

    with FakeDropbox() as fake, pytest.MonkeyPatch.context() as env:
        env.setenv("DROPBOX_API_HOST", fake.api_host)
        env.setenv("DROPBOX_API_CONTENT_HOST", fake.content_host)
        env.setenv("DROPBOX_API_NOTIFY_HOST", fake.api_host)
        sdk_hosts = importlib.import_module("dropbox.session")
        if fake.api_host != sdk_hosts.API_HOST:
            # Imported earlier in this run (a test that built a Dropbox client first): read the hosts again. The
            # modules that copied them at import are reloaded too; callers look `dropbox.Dropbox` up at call time.
            for name in ("dropbox.session", "dropbox.oauth", "dropbox.dropbox_client", "dropbox"):
                importlib.reload(importlib.import_module(name))
        assert fake.api_host == importlib.import_module("dropbox.dropbox_client").API_HOST
        yield fake


@pytest.fixture(scope="session")
def seaweed() -> Iterator[Any]:
    """A real S3 implementation that checks signatures (SeaweedFS `weed mini` on 127.0.0.1)."""
    from tests.fakes.seaweedfs import seaweedfs

    with seaweedfs() as server:
        yield server


@pytest.fixture(scope="session")
def azure_server() -> Iterator[Any]:
    """A real Azure Blob service (Azurite, from npm, on 127.0.0.1)."""
    from tests.fakes.azurite import azurite

    with azurite() as server:
        yield server


@pytest.fixture(scope="session")
def gcs_server() -> Iterator[Any]:
    """A Google Cloud Storage JSON API (gcp-storage-emulator, patched where it ignores preconditions) on 127.0.0.1."""
    from tests.fakes.gcs_emulator import GcsEmulator

    with GcsEmulator() as emulator:
        yield emulator


@pytest.fixture(scope="session")
def gcs_tokens() -> Iterator[Any]:
    """Google's OAuth token endpoint as service-account keys meet it (JWT bearer grants, signatures checked)."""
    from tests.fakes.gcs_emulator import TokenServer

    with TokenServer() as server:
        yield server


def aws_client(endpoint: str, service: Service) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


# Modules that start a stack or a server once per module (or, for the SAM build, once per worker): each is one unit of
# work for pytest-xdist, so one worker runs all of it and starts it once. Other tests are scheduled one by one.
ONE_WORKER_PER_MODULE = (
    "tests/e2e/",
    "tests/compat/",
    "tests/contract/",
    "tests/browser/",
    "tests/integration/test_sam_build.py",
    "tests/integration/test_seaweedfs.py",
)
# The fault suite counts each delivery's attempts against 1.5 s read timeouts; beside the fuzzer (a stack and two
# client threads) a timeout fired and a delivery took one attempt more. One unit, so one worker runs them in turn.
NOT_TOGETHER = ("tests/contract/test_fuzz.py", "tests/e2e/test_faults.py")
FUZZ_THEN_FAULTS = "fuzzer, then the fault suite"
# The longest units, started first (longest first), so that neither worker is left with one of them at the end.
LONGEST_FIRST = (
    FUZZ_THEN_FAULTS,  # ~80 s + ~70 s
    "tests/integration/test_sam_build.py",  # ~50 s
    "tests/browser/test_console.py",  # ~35 s
)


def work_unit(nodeid: str) -> str:
    """The unit of work a test belongs to: its module for the modules above, an xdist_group mark's name where pytest
    still shows it in the node id (`…::test@group`, before pytest 9.2), else the test itself."""
    module = nodeid.split("::", 1)[0]
    if module in NOT_TOGETHER:
        return FUZZ_THEN_FAULTS
    if module.startswith(ONE_WORKER_PER_MODULE):
        return module
    at, bracket = nodeid.rfind("@"), nodeid.rfind("]")
    return nodeid[at + 1 :] if at > bracket else nodeid


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """`--dist loadgroup` (make test), scheduled by `work_unit`. pytest-xdist's own loadgroup groups by a suffix it
    writes into each node id, which pytest 9.2 no longer reads (pytest-dev/pytest-xdist#1386): the marks were ignored
    without a word, and each module's stack started once per worker that got one of its tests."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling  # type: ignore[import-untyped]

    class ByWorkUnit(LoadScopeScheduling):  # type: ignore[misc]
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            longest = next((unit for unit in LONGEST_FIRST if unit in self.workqueue), None)
            if longest is not None:
                self.workqueue.move_to_end(longest, last=False)
            super()._assign_work_unit(node)

    return ByWorkUnit(config, log)
