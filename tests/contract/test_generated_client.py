"""The typed client generated from docs/openapi.json (`make client`, clients/python/) drives the local stack: a render
that waits for its delivery, its status, a storage's whole life, a remote copy, and errors parsed into the contract's
error model. A client that works only against the document would fail here."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.contract.conftest import ContractStack, contract_stack

sys.path.insert(0, str(ROOT / "clients" / "python"))

from render_courier_client import AuthenticatedClient
from render_courier_client.api.files import remote_copy
from render_courier_client.api.renders import create_render, get_render
from render_courier_client.api.storage import (
    delete_storage,
    get_storage,
    list_storages,
    patch_storage,
    put_storage,
)
from render_courier_client.models import (
    ConnectionSpec,
    ConnectionSpecProvider,
    ErrorResponse,
    PolicyAuth,
    RemoteCopyRequest,
    RemoteCopyResponse,
    RenderRequest,
    RenderResponse,
    S3StorageRequest,
    S3StorageResponse,
    StorageList,
    StoragePatch,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def stack() -> Iterator[ContractStack]:
    with contract_stack(COURIER_COPY_WAIT_SECONDS="10") as running:
        yield running


@pytest.fixture
def client(stack: ContractStack) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=stack.api, token=stack.key, timeout=60.0)  # type: ignore[arg-type]


def test_render_waits_for_its_delivery_and_its_status_is_read_back(client: AuthenticatedClient) -> None:
    # Given a render to the workspace's storage that waits for its delivery
    request = RenderRequest(
        template_id="social-card",
        connections=[ConnectionSpec(provider=ConnectionSpecProvider.S3, storage="contract")],
        wait=15,
    )
    # When it is made and read back through the client
    made = create_render.sync(client=client, body=request)
    assert isinstance(made, RenderResponse), made
    read = get_render.sync(made.id, client=client)
    # Then both are typed answers of the same render, delivered
    assert isinstance(read, RenderResponse) and read.id == made.id
    assert made.connections[0].status == read.connections[0].status == "success"


def test_storage_crud(client: AuthenticatedClient) -> None:
    # A bucket-policy storage needs no probe
    storage = S3StorageRequest(provider="s3", bucket="client-bucket", auth=PolicyAuth(type_="policy"))
    put = put_storage.sync("client", client=client, body=storage)
    assert isinstance(put, S3StorageResponse) and put.bucket == "client-bucket" and put.auth.type_ == "policy"
    got = get_storage.sync("client", client=client)
    assert isinstance(got, S3StorageResponse) and got.name == "client"
    listed = list_storages.sync(client=client)
    assert isinstance(listed, StorageList) and "client" in {s.name for s in listed.storages}
    patched = patch_storage.sync("client", client=client, body=StoragePatch(paused=True))
    assert isinstance(patched, S3StorageResponse) and patched.paused is True
    deleted = delete_storage.sync_detailed("client", client=client)
    assert deleted.status_code == 204
    gone = get_storage.sync("client", client=client)
    assert isinstance(gone, ErrorResponse) and gone.error.code == "not_found"


def test_remote_copy_of_a_rendered_file(client: AuthenticatedClient, stack: ContractStack) -> None:
    answer = remote_copy.sync_detailed(
        client=client, body=RemoteCopyRequest(source=stack.file_uuid, target=stack.storage)
    )
    assert answer.status_code in (200, 201, 202), answer.content
    assert isinstance(answer.parsed, RemoteCopyResponse)
    assert answer.parsed.result.startswith(f"s3://{stack.bucket}/")


def test_errors_are_parsed_into_the_error_model(client: AuthenticatedClient) -> None:
    # A 404
    missing = get_render.sync_detailed("no-such-render", client=client)
    assert missing.status_code == 404 and isinstance(missing.parsed, ErrorResponse)
    assert missing.parsed.error.code == "not_found"
    # A 422 names the field
    bad = S3StorageRequest(provider="s3", bucket="B", auth=PolicyAuth(type_="policy"))
    refused = put_storage.sync_detailed("client", client=client, body=bad)
    assert refused.status_code == 422 and isinstance(refused.parsed, ErrorResponse)
    assert refused.parsed.error.code == "unprocessable_entity"
    assert [d.field for d in refused.parsed.error.details] == ["bucket"]


def test_the_checked_in_client_is_the_one_the_document_generates(tmp_path: Path) -> None:
    """`make client` from docs/openapi.json gives clients/python as checked in, without a warning: a schema the
    generator cannot read drops its operations silently (it once dropped createRender and the Orshot routes)."""
    out = tmp_path / "render_courier_client"
    bin_dir = Path(sys.executable).parent
    generated = subprocess.run(
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "docs" / "openapi.json"),
            "--meta",
            "none",
            "--config",
            str(ROOT / "clients" / "python" / "openapi-python-client.yaml"),
            "--output-path",
            str(out),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert generated.returncode == 0 and "WARNING" not in generated.stdout + generated.stderr, generated.stdout
    ruff = [str(bin_dir / "ruff")]
    config = ["--config", str(ROOT / "clients" / "python" / "ruff.toml")]  # its settings, which a path outside misses
    subprocess.run([*ruff, "check", "-q", "--fix", "--unsafe-fixes", *config, str(tmp_path)], check=False, cwd=ROOT)
    subprocess.run([*ruff, "format", "-q", *config, str(tmp_path)], check=True, cwd=ROOT)
    checked_in = ROOT / "clients" / "python" / "render_courier_client"
    mine = {p.relative_to(out): p.read_text() for p in out.rglob("*.py")}
    theirs = {p.relative_to(checked_in): p.read_text() for p in checked_in.rglob("*.py")}
    assert sorted(map(str, mine)) == sorted(map(str, theirs)), "run `make client`"
    assert [name for name in mine if mine[name] != theirs[name]] == [], "run `make client`"
