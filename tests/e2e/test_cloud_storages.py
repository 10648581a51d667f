"""Azure Blob Storage and Google Cloud Storage as a user meets them, on the local stack (--allow-local-urls): the
storage saved (and probed) through the API, a render delivered into it, the object read back with the provider's own
SDK, a remote copy, and what the provider cannot do refused up front."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests.e2e.stack_process import stack_process

KEY = "rc_e2e_clouds_" + "c" * 32


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"clouds:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args) as running:
        yield running.ready


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


def rendered(stack: dict[str, str], answer: dict[str, Any]) -> bytes:
    return requests.get(answer["data"]["content"], timeout=10).content


def test_a_render_reaches_azure_blob_storage(stack: dict[str, str], azure_server: Any) -> None:
    container = azure_server.create_container("renders-e2e")
    # Given an Azure storage saved with its account key (probed: a test blob written, read back, deleted)
    storage = {
        "provider": "azure",
        "container": "renders-e2e",
        "endpoint": azure_server.endpoint,
        "prefix": "cards",
        "cacheControl": "max-age=60",
        "metadata": {"campaign": "spring"},
        "auth": {"type": "key", "accountName": azure_server.account_name, "accountKey": azure_server.account_key},
    }
    status, saved = call(stack, "PUT", "/v1/storage/blob", storage)
    assert status == 200, saved
    assert saved["provider"] == "azure" and saved["container"] == "renders-e2e"
    assert saved["accountName"] == azure_server.account_name and saved["auth"] == {"type": "key"}
    assert azure_server.account_key not in str(saved)
    # When a render names it and waits
    body = {"templateId": "social-card", "connections": [{"provider": "azure", "storage": "blob"}], "wait": 20}
    status, answer = call(stack, "POST", "/v1/renders", body)
    # Then it is delivered where the answer says, byte for byte, with the storage's headers and metadata
    assert status == 200 and answer["connections"][0]["status"] == "success", answer
    path = answer["connections"][0]["path"]
    assert path.startswith("cards/")
    blob = container.get_blob_client(path)
    assert blob.download_blob().readall() == rendered(stack, answer)
    properties = blob.get_blob_properties()
    assert properties.content_settings.content_type == "image/png"
    assert properties.content_settings.cache_control == "max-age=60"
    assert properties.metadata["campaign"] == "spring"
    # And a remote copy of the same file lands there too, at the location the answer names
    status, copied = call(
        stack,
        "POST",
        "/v1/files/remote_copy",
        {"source": answer["data"]["content"], "target": "blob", "pattern": "copy/${uuid}${ext}"},
    )
    assert status in (200, 201), copied
    assert copied["result"].startswith("azure://renders-e2e/cards/copy/")
    copy_key = copied["result"].removeprefix("azure://renders-e2e/")
    assert (
        hashlib.sha256(container.get_blob_client(copy_key).download_blob().readall()).hexdigest()
        == hashlib.sha256(rendered(stack, answer)).hexdigest()
    )


def test_azure_refuses_up_front_what_it_cannot_do(stack: dict[str, str], azure_server: Any) -> None:
    auth = {"type": "key", "accountName": azure_server.account_name, "accountKey": azure_server.account_key}
    base = {"provider": "azure", "container": "anything", "endpoint": azure_server.endpoint, "auth": auth}
    # Object tags and public ACLs: not offered for Azure
    status, answer = call(stack, "PUT", "/v1/storage/tagged", base | {"tags": {"team": "a"}, "makePublic": True})
    assert status == 422 and "Azure Blob Storage does not support tags, makePublic" in answer["error"]["message"]
    # Metadata names Azure would refuse (C# identifiers only), before anything is written
    status, answer = call(stack, "PUT", "/v1/storage/meta", base | {"metadata": {"campaign-id": "1"}})
    assert status == 422 and answer["error"]["details"][0]["field"] == "metadata", answer
    # A wrong key: the probe's verdict, without the key
    wrong = base | {"container": "renders-e2e", "auth": auth | {"accountKey": "V3Jvbmcga2V5IGZvciB0ZXN0cw=="}}
    status, answer = call(stack, "PUT", "/v1/storage/wrong", wrong)
    assert status == 422 and answer["error"]["details"][0]["field"] == "auth", answer
    assert "V3Jvbmcga2V5" not in str(answer)
    # A connection string that names neither its account nor its endpoint: a 422 at its field (was a 500)
    odd = base | {"auth": {"type": "connectionString", "connectionString": "0"}}
    odd.pop("endpoint")
    status, answer = call(stack, "PUT", "/v1/storage/odd", odd)
    assert status == 422 and answer["error"]["details"][0]["field"] == "auth.connectionString", answer
    # A container that does not exist is named as the problem
    status, answer = call(stack, "PUT", "/v1/storage/missing", base | {"container": "no-such-container"})
    assert status == 422 and answer["error"]["details"][0]["field"] == "container", answer


def test_a_render_reaches_google_cloud_storage(stack: dict[str, str], gcs_server: Any, gcs_tokens: Any) -> None:
    gcs_server.create_bucket("renders-gcs")
    key_file = gcs_tokens.new_key()
    # Given a GCS storage saved with a service account's key file (probed through the real JWT-bearer sign-in)
    storage = {
        "provider": "gcs",
        "bucket": "renders-gcs",
        "endpoint": gcs_server.endpoint,
        "prefix": "cards",
        "contentDisposition": "inline",
        "ifExists": "fail",
        "auth": {"type": "serviceAccount", "credentials": key_file},
    }
    status, saved = call(stack, "PUT", "/v1/storage/gcs", storage)
    assert status == 200, saved
    assert (
        saved["provider"] == "gcs" and saved["bucket"] == "renders-gcs" and saved["auth"] == {"type": "serviceAccount"}
    )
    assert key_file["private_key"][40:80] not in str(saved)
    # When a render names it and waits
    body = {"templateId": "social-card", "connections": [{"provider": "gcs", "storage": "gcs"}], "wait": 20}
    status, answer = call(stack, "POST", "/v1/renders", body)
    # Then the object holds the rendered bytes, with the storage's header, written under the key's own token
    assert status == 200 and answer["connections"][0]["status"] == "success", answer
    path = answer["connections"][0]["path"]
    assert path.startswith("cards/") and gcs_server.read("renders-gcs", path) == rendered(stack, answer)
    assert gcs_server.object("renders-gcs", path)["contentDisposition"].startswith("inline; filename=")
    assert gcs_tokens.calls_for(key_file["client_email"])
    # And a remote copy names its gs:// location
    copy = {"source": answer["data"]["content"], "target": "gcs", "pattern": "copy/${uuid}${ext}"}
    status, copied = call(stack, "POST", "/v1/files/remote_copy", copy)
    assert status in (200, 201) and copied["result"].startswith("gs://renders-gcs/cards/copy/"), copied
    assert gcs_server.read("renders-gcs", copied["result"].removeprefix("gs://renders-gcs/")) == rendered(stack, answer)


def test_gcs_refuses_up_front_what_it_cannot_do(stack: dict[str, str], gcs_server: Any, gcs_tokens: Any) -> None:
    hmac = {"type": "hmac", "accessKeyId": "GOOG1EXAMPLEKEY", "secretAccessKey": "hmac-secret-value"}
    base = {"provider": "gcs", "bucket": "renders-gcs", "endpoint": gcs_server.endpoint}
    # HMAC keys sign the XML API, whose writes do not take If-None-Match: no conditional write through it
    status, answer = call(stack, "PUT", "/v1/storage/hmac", base | {"auth": hmac, "ifExists": "skip"})
    assert status == 422 and answer["error"]["details"][0]["field"] == "ifExists", answer
    # Object tags: GCS has none
    key = {"type": "serviceAccount", "credentials": gcs_tokens.new_key()}
    status, answer = call(stack, "PUT", "/v1/storage/tags", base | {"auth": key, "tags": {"a": "b"}})
    assert status == 422 and "Google Cloud Storage does not support tags" in answer["error"]["message"]
    # A key file whose token endpoint is not Google's (nor, here, loopback) is refused without being called
    stolen = gcs_tokens.new_key() | {"token_uri": "https://attacker.example/token"}
    status, answer = call(
        stack, "PUT", "/v1/storage/ssrf", base | {"auth": {"type": "serviceAccount", "credentials": stolen}}
    )
    assert status == 422 and answer["error"]["details"][0]["field"] == "auth", answer
    assert "token" in answer["error"]["message"] and stolen["private_key"][40:80] not in str(answer)
    # A refused key: the probe says so
    refused = gcs_tokens.new_key()
    gcs_tokens.refuse(refused["client_email"])
    status, answer = call(
        stack, "PUT", "/v1/storage/refused", base | {"auth": {"type": "serviceAccount", "credentials": refused}}
    )
    assert status == 422 and "refused" in answer["error"]["message"], answer
