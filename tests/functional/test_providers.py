"""The provider registry (courier.providers): every provider is one registration that the rest of the service reads,
and what a provider cannot do with the object options is refused, naming it, instead of being dropped."""

from __future__ import annotations

import copy
import json
from typing import Any, get_args

import pytest

from courier import providers
from courier.models import ObjectOptions
from tests.functional.conftest import S3_STORAGE, Api

R2_STORAGE = {
    "provider": "r2",
    "bucket": "acme-r2",
    "accountId": "0123456789abcdef0123456789abcdef",
    "auth": {"type": "keys", "accessKeyId": "r2-key", "secretAccessKey": "r2-secret"},
}


def test_each_registration_names_itself_consistently() -> None:
    registered = providers.PROVIDERS.values()
    assert len({p.name for p in registered}) == len({p.metric for p in registered}) == len(list(registered))
    for provider in providers.storage_providers():
        assert provider.request is not None and provider.saver is not None
        # the storage model's discriminator is the registration's name, and its response model is registered too
        assert get_args(provider.request.model_fields["provider"].annotation) == (provider.name,)
        assert providers.RESPONSES[provider.name].model_fields["provider"].annotation is not str


def test_the_document_lists_every_registered_provider(api: Api) -> None:
    status, document = api.call("GET", "/v1/openapi.json", key=None)
    assert status == 200
    schemas = document["components"]["schemas"]
    assert schemas["ConnectionSpec"]["properties"]["provider"]["enum"] == list(providers.names())
    mapping = schemas["StorageResponse"]["discriminator"]["mapping"]
    assert set(mapping) == {p.name for p in providers.storage_providers()}


def test_an_unknown_provider_is_refused_at_its_field(api: Api) -> None:
    status, answer = api.call(
        "POST", "/v1/renders", {"templateId": "social-card", "connections": [{"provider": "ftp"}]}
    )
    assert status == 422
    assert answer["error"]["details"][0]["field"] == "connections.0.provider"


@pytest.mark.parametrize(
    ("provider", "options", "refused"),
    [
        ("r2", ObjectOptions(make_public=True), ["makePublic"]),
        ("r2", ObjectOptions(tags={"a": "b"}, sse="aws:kms"), ["tags", "sse"]),
        ("r2", ObjectOptions(sse="AES256", metadata={"a": "b"}, if_exists="fail"), []),
        (
            "dropbox",
            ObjectOptions(cache_control="max-age=60", content_type="image/png"),
            ["contentType", "cacheControl"],
        ),
        ("dropbox", ObjectOptions(if_exists="skip", acl="private"), []),
        ("url", ObjectOptions(if_exists="skip"), ["ifExists"]),
        ("s3", ObjectOptions(tags={"a": "b"}, acl="public-read", storage_class="GLACIER_IR", sse="aws:kms"), []),
    ],
)
def test_capabilities_name_what_a_provider_lacks(provider: str, options: ObjectOptions, refused: list[str]) -> None:
    assert providers.get(provider).capabilities.lacking(options) == refused


def test_a_storage_asking_for_what_its_provider_lacks_is_refused_naming_it(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/storage/cf", R2_STORAGE | {"makePublic": True, "tags": {"team": "a"}})
    assert status == 422, answer
    assert [d["field"] for d in answer["error"]["details"]] == ["tags", "makePublic"]
    assert "R2 does not support tags, makePublic" in answer["error"]["message"]


def test_a_connection_asking_for_what_its_provider_lacks_is_refused_before_rendering(api: Api) -> None:
    # Given an S3 storage (saved with its probe against moto)
    status, answer = api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))
    assert status == 200, answer
    # When a render asks a Dropbox connection for a Cache-Control header, and S3 for tags
    request: dict[str, Any] = {
        "templateId": "social-card",
        "connections": [
            {"provider": "s3", "storage": "main", "tags": {"team": "a"}},
            {"provider": "dropbox", "cacheControl": "max-age=60"},
        ],
    }
    status, answer = api.call("POST", "/v1/renders", request)
    # Then the second connection's field is named: Dropbox keeps no headers (S3 takes tags)
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == "connections.1.cacheControl"
    assert "Dropbox does not support cacheControl" in answer["error"]["message"]


def test_a_storage_answer_keeps_its_providers_fields(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/storage/main", copy.deepcopy(S3_STORAGE))
    assert status == 200, answer
    assert answer["provider"] == "s3" and answer["bucket"] == "acme-renders" and answer["region"] == "us-east-1"
    assert "container" not in answer and "accountId" not in answer
    status, listed = api.call("GET", "/v1/storage")
    assert status == 200 and listed["storages"][0] == answer


@pytest.fixture(scope="module")
def connection_schema() -> Any:
    import jsonschema

    import render_handler

    document = json.loads(render_handler.openapi_document())
    schema = {"$ref": "#/components/schemas/ConnectionSpec", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("provider", sorted(providers.PROVIDERS))
@pytest.mark.parametrize(
    "options",
    [
        {"cacheControl": "max-age=60"},
        {"contentType": "image/png", "contentDisposition": "inline"},
        {"metadata": {"team": "a"}},
        {"metadata": {"campaign-id": "1"}},
        {"metadata": {}, "tags": {}},
        {"tags": {"team": "a"}},
        {"ifExists": "skip"},
        {"ifExists": "overwrite"},
        {"storageClass": "STANDARD_IA"},
        {"sse": "AES256"},
        {"sse": "aws:kms"},
        {"makePublic": True},
        {"makePublic": False, "acl": "private"},
        {"acl": "public-read"},
    ],
)
def test_the_document_refuses_what_the_provider_lacks_and_nothing_else(
    connection_schema: Any, provider: str, options: dict[str, Any]
) -> None:
    # The OpenAPI document's connection schema (what generated clients and fuzzers read) agrees with the service
    connection = {"provider": provider} | options
    if provider == "url":
        connection["presignedUrl"] = "https://example.com/bucket/key?X-Amz-Signature=abc"
    valid = connection_schema.is_valid(connection)
    lacking = providers.get(provider).capabilities.lacking(ObjectOptions.model_validate(options))
    azure_names = provider == "azure" and "campaign-id" in options.get("metadata", {})
    assert valid == (not lacking and not azure_names), (provider, options, lacking)
