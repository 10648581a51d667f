"""The render function's HTTP routes, in-process: authentication, validation with field paths, storages,
connection resolution and the answer's shape. Deliveries are not run here (see integration and e2e)."""

from __future__ import annotations

import copy
import json

import boto3
import pytest

from tests.functional.conftest import S3_STORAGE, STAGING, Api

RENDER = {"templateId": "social-card", "modifications": {"headline": "Hello"}}


def with_storage(api: Api, name: str = "default", **changes: object) -> dict[str, object]:
    storage = copy.deepcopy(S3_STORAGE) | changes
    status, answer = api.call("PUT", f"/v1/storage/{name}", storage)
    assert status == 200, answer
    return answer  # type: ignore[no-any-return]


# ---------------------------------------------------------------- authentication


@pytest.mark.parametrize("key", [None, "wrong-key", "rc_" + "x" * 43, ""])
def test_missing_or_wrong_key_is_401_without_hints(api: Api, key: str | None) -> None:
    # Given a request without a valid key / When it calls a route
    status, answer = api.call("POST", "/v1/renders", RENDER, key=key)
    # Then it is refused with the error shape and nothing about what exists
    assert status == 401
    assert answer["error"]["code"] == "unauthorized"


def test_basic_scheme_is_not_a_bearer_key(api: Api) -> None:
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    event = api_gateway_event("GET", "/v1/storage", {"authorization": f"Basic {api.keys['acme']}"}, b"", "1.2.3.4")
    assert render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))["statusCode"] == 401


def test_unknown_route_is_a_json_404(api: Api) -> None:
    status, answer = api.call("GET", "/v1/nothing-here")
    assert status == 404 and answer["error"]["code"] == "not_found"


# ---------------------------------------------------------------- validation


def test_malformed_json_is_400(api: Api) -> None:
    status, answer = api.call("POST", "/v1/renders", raw=b'{"templateId": ')
    assert status == 400
    assert answer["error"]["message"] == "malformed JSON body"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"templateId": 5}, "templateId"),
        ({"templateId": "social-card", "unknown": 1}, "unknown"),
        ({"templateId": "social-card", "wait": 26}, "wait"),
        ({"templateId": "social-card", "response": {"format": "tiff"}}, "response.format"),
        ({"templateId": "social-card", "connections": [{"provider": "ftp"}]}, "connections.0.provider"),
        (
            {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "../x"}]},
            "connections.0.storage",
        ),
        ({"templateId": "nope"}, "templateId"),
        ({"templateId": "social-card", "modifications": {"headline": 42}}, "modifications.headline"),
        (
            {"templateId": "social-card", "modifications": {"headline": {"color": "bogus"}}},
            "modifications.headline.color",
        ),
    ],
)
def test_bad_render_request_is_422_with_field_path(api: Api, body: dict[str, object], field: str) -> None:
    # When the request has one bad value
    status, answer = api.call("POST", "/v1/renders", body)
    # Then the answer names that field
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]]


@pytest.mark.parametrize(
    ("connection", "field"),
    [
        ({"provider": "s3", "folder": "a/../b"}, "connections.0.folder"),
        ({"provider": "s3", "folder": "./x"}, "connections.0.folder"),
        ({"provider": "s3", "pattern": "${nope}/${uuid}"}, "connections.0.pattern"),
        ({"provider": "s3", "pattern": "${uuid"}, "connections.0.pattern"),
        ({"provider": "s3", "pattern": "x/.."}, "connections.0.pattern"),
        ({"provider": "s3", "folder": "é" * 600}, "connections.0.folder"),
    ],
)
def test_bad_folder_or_pattern_is_422_before_rendering(api: Api, connection: dict[str, str], field: str) -> None:
    # Given a connected storage
    with_storage(api)
    # When a render asks for a folder or pattern that cannot make a safe key
    status, answer = api.call("POST", "/v1/renders", RENDER | {"connections": [connection]})
    # Then it is refused with the field path, and nothing was staged
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == field
    assert boto3.client("s3").list_objects_v2(Bucket=STAGING).get("KeyCount", 0) == 0


def test_validation_errors_never_echo_the_input(api: Api) -> None:
    # Given a secret of the wrong shape (an access key id with a space)
    storage = copy.deepcopy(S3_STORAGE)
    storage["auth"] = {"type": "keys", "accessKeyId": "CANARY 123", "secretAccessKey": 7}  # type: ignore[dict-item]
    # When it is saved
    status, answer = api.call("PUT", "/v1/storage/default", storage)
    # Then the 422 names the fields but never repeats the values
    assert status == 422
    fields = {d["field"] for d in answer["error"]["details"]}
    assert {"auth.accessKeyId", "auth.secretAccessKey"} <= fields
    assert "CANARY" not in json.dumps(answer)


def test_huge_body_is_413(api: Api) -> None:
    body = RENDER | {"modifications": {"headline": "x" * 300_000}}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 413 and answer["error"]["code"] == "payload_too_large"


LOOSE_TEMPLATE: dict[str, object] = {
    "id": "strict",
    "name": "Strict",
    "pages": [{"width": 100, "height": 100, "layers": [{"type": "text", "name": "t", "width": 50, "height": 20}]}],
}


def _template_with(**layer: object) -> dict[str, object]:
    document = copy.deepcopy(LOOSE_TEMPLATE)
    document["pages"][0]["layers"][0].update(layer)  # type: ignore[index]
    return document


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/renders", RENDER | {"wait": True}, "wait"),
        ("POST", "/v1/renders", RENDER | {"wait": "5"}, "wait"),
        (
            "POST",
            "/v1/renders",
            RENDER | {"connections": [{"provider": "s3", "makePublic": 1}]},
            "connections.0.makePublic",
        ),
        (
            "POST",
            "/v1/renders",
            RENDER | {"modifications": {"headline": {"visible": 0}}},
            "modifications.headline.visible",
        ),
        (
            "POST",
            "/v1/renders",
            RENDER | {"modifications": {"headline": {"fontWeight": "700"}}},
            "modifications.headline.fontWeight",
        ),
        ("PUT", "/v1/storage/default", S3_STORAGE | {"enabled": 1}, "enabled"),
        ("PUT", "/v1/storage/default", S3_STORAGE | {"paused": "false"}, "paused"),
        ("PATCH", "/v1/storage/default", {"paused": 0}, "paused"),
        ("POST", "/v1/files/remote_copy", {"source": "x", "target": "default", "make_public": "true"}, "make_public"),
        ("POST", "/v1/templates", _template_with(visible=0), "pages.0.layers.0.visible"),
        ("POST", "/v1/templates", _template_with(fontWeight="700"), "pages.0.layers.0.fontWeight"),
        ("POST", "/v1/templates", _template_with(fontSize="12"), "pages.0.layers.0.fontSize"),
        ("POST", "/v1/templates", _template_with(x=True), "pages.0.layers.0.x"),
        ("POST", "/v1/templates", _template_with(maxLines=2.5), "pages.0.layers.0.maxLines"),
    ],
)
def test_booleans_and_numbers_are_strict(api: Api, method: str, path: str, body: dict[str, object], field: str) -> None:
    # When a boolean is sent as a number or a string, or a number as a boolean or a string
    status, answer = api.call(method, path, body)
    # Then it is a 422 of the contract's shape that names the field, not a coerced value
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]], answer
    assert set(answer["error"]) == {"code", "message", "details"}


def test_ints_are_still_numbers_where_floats_are_expected(api: Api) -> None:
    # Given a template whose float fields are given as ints (x, fontSize, opacity, lineHeight)
    document = _template_with(x=10, fontSize=12, opacity=1, lineHeight=1, visible=True)
    # When it is saved and rendered with an int wait
    created = api.call("POST", "/v1/templates", document)
    rendered = api.call("POST", "/v1/renders", {"templateId": "strict", "wait": 1, "connections": []})
    # Then both are accepted
    assert created[0] == 201, created
    assert rendered[0] == 200, rendered


# ---------------------------------------------------------------- storages


def test_storage_secrets_are_write_only_and_kept_in_secrets_manager(api: Api) -> None:
    # When a storage with keys is saved, read and listed
    saved = with_storage(api)
    _, read = api.call("GET", "/v1/storage/default")
    _, listed = api.call("GET", "/v1/storage")
    # Then no answer carries the secret
    for answer in (saved, read, listed):
        assert "CANARY" not in json.dumps(answer) and "AKIAEXAMPLE" not in json.dumps(answer)
    assert read["auth"] == {"type": "keys"} and listed["storages"][0]["name"] == "default"
    # And the table holds only a reference; the keys are in Secrets Manager
    record = api.store.get_storage(api.workspaces["acme"], "default")
    assert record is not None and record.secret_id
    table_item = (
        boto3.resource("dynamodb")
        .Table("courier-test")
        .get_item(Key={"pk": f"WS#{api.workspaces['acme']}", "sk": "STORAGE#default"})["Item"]
    )
    assert "CANARY" not in json.dumps(table_item, default=str)
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=record.secret_id)["SecretString"]
    assert json.loads(secret)["secret_access_key"] == "s3cr3t-CANARY-value"


def test_policy_storage_stores_no_secret_and_replacing_keys_drops_the_old_one(api: Api) -> None:
    # Given a storage saved with keys
    with_storage(api)
    secret_id = api.store.get_storage(api.workspaces["acme"], "default").secret_id  # type: ignore[union-attr]
    # When it is replaced by policy auth
    answer = with_storage(api, auth={"type": "policy"})
    # Then no secret remains
    assert answer["auth"]["type"] == "policy"
    [statement] = answer["auth"]["bucketPolicy"]["Statement"]
    assert statement["Resource"] == "arn:aws:s3:::acme-renders/renders/*" and "s3:GetObject" not in statement["Action"]
    assert api.store.get_storage(api.workspaces["acme"], "default").secret_id is None  # type: ignore[union-attr]
    with pytest.raises(boto3.client("secretsmanager").exceptions.ResourceNotFoundException):
        boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)


def test_delete_storage_removes_it_and_its_secret(api: Api) -> None:
    with_storage(api)
    secret_id = api.store.get_storage(api.workspaces["acme"], "default").secret_id  # type: ignore[union-attr]
    status, _ = api.call("DELETE", "/v1/storage/default")
    assert status == 204
    assert api.call("GET", "/v1/storage/default")[0] == 404
    assert api.call("DELETE", "/v1/storage/default")[0] == 404
    with pytest.raises(boto3.client("secretsmanager").exceptions.ResourceNotFoundException):
        boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"bucket": "Not_A_Bucket"}, "bucket"),
        ({"prefix": "a/../b"}, "prefix"),
        ({"pattern": "${oops}"}, "pattern"),
        ({"auth": {"type": "role", "roleArn": "arn:aws:iam::1:role/x"}}, "auth.roleArn"),
        ({"auth": {"type": "magic"}}, "auth.type"),
        ({"provider": "ftp"}, "provider"),
    ],
)
def test_bad_storage_is_422_with_field_path(api: Api, change: dict[str, object], field: str) -> None:
    status, answer = api.call("PUT", "/v1/storage/default", copy.deepcopy(S3_STORAGE) | change)
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]], answer


def test_bad_storage_name_is_422(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/storage/bad%20name", S3_STORAGE)
    assert status == 422 and answer["error"]["details"][0]["field"] == "name"


def test_storages_are_scoped_to_their_workspace(api: Api) -> None:
    with_storage(api)
    assert api.call("GET", "/v1/storage/default", key="globex")[0] == 404
    assert api.call("GET", "/v1/storage", key="globex")[1] == {"storages": [], "nextCursor": None}
    assert api.call("DELETE", "/v1/storage/default", key="globex")[0] == 404


# ---------------------------------------------------------------- renders


def test_render_answers_at_once_with_a_url_and_pending_connection(api: Api) -> None:
    # Given a connected storage
    with_storage(api)
    # When a render names it with a folder and a file name
    body = RENDER | {
        "response": {"type": "url", "format": "png", "fileName": "Marketing Banner 001"},
        "connections": [{"type": "storage", "provider": "s3", "folder": "/marketing/banners/2024/"}],
    }
    status, answer = api.call("POST", "/v1/renders", body)
    # Then the answer has the contract's shape, the path follows the naming rules
    assert status == 200, answer
    assert answer["status"] == "delivering" and answer["warnings"] == []
    assert answer["data"]["type"] == "url" and answer["data"]["format"] == "png"
    assert answer["data"]["content"].startswith("https://") and "X-Amz-Signature" in answer["data"]["content"]
    assert answer["data"]["responseTime"].endswith("s")
    [connection] = answer["connections"]
    assert connection["status"] == "pending" and connection["storage"] == "default"
    folder, uuid_part, name = connection["path"].rsplit("/", 2)
    assert folder == "marketing/banners/2024" and name == "Marketing-Banner-001.png"
    # And the file is staged under the render, with its render id in the metadata
    staged = boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"]
    assert len(staged) == 1 and staged[0]["Key"].endswith(f"/{uuid_part}/Marketing-Banner-001.png")
    head = boto3.client("s3").head_object(Bucket=STAGING, Key=staged[0]["Key"])
    assert head["Metadata"]["render-id"] == answer["id"] and head["ContentType"] == "image/png"


def test_base64_answer_carries_the_jpeg_bytes(api: Api) -> None:
    import base64

    status, answer = api.call("POST", "/v1/renders", RENDER | {"response": {"type": "base64", "format": "jpeg"}})
    assert status == 200
    assert base64.b64decode(answer["data"]["content"])[:3] == b"\xff\xd8\xff"


@pytest.mark.parametrize(("provider", "title"), [("s3", "S3"), ("r2", "R2"), ("dropbox", "Dropbox")])
def test_provider_not_connected_is_a_warning_not_a_failure(api: Api, provider: str, title: str) -> None:
    status, answer = api.call("POST", "/v1/renders", RENDER | {"connections": [{"provider": provider}]})
    assert status == 200
    assert answer["connections"] == []
    assert answer["warnings"] == [{"title": f"{title} connection not found for this workspace", "details": ""}]


def test_unknown_layer_is_a_warning(api: Api) -> None:
    status, answer = api.call("POST", "/v1/renders", RENDER | {"modifications": {"nope": "x"}, "connections": []})
    assert status == 200 and "nope" in answer["warnings"][0]["title"]


def test_auto_upload_goes_to_enabled_storages_and_paused_ones_are_skipped(api: Api) -> None:
    # Given an auto-copy storage, a paused one, a disabled one and one not for auto-copy
    with_storage(api, "main")
    with_storage(api, "paused", paused=True)
    with_storage(api, "off", enabled=False)
    with_storage(api, "manual", autoCopy=False)
    # When a render names no connections
    status, answer = api.call("POST", "/v1/renders", RENDER)
    # Then the enabled auto-copy storages receive it, the paused one is skipped
    assert status == 200
    statuses = {c["storage"]: (c["status"], c["path"]) for c in answer["connections"]}
    assert set(statuses) == {"main", "paused"}
    assert statuses["main"][0] == "pending" and statuses["main"][1].startswith("renders/")
    assert statuses["paused"] == ("skipped", None)
    # And an empty list means no connection at all
    assert api.call("POST", "/v1/renders", RENDER | {"connections": []})[1]["connections"] == []


def test_named_storage_and_disabled_storage(api: Api) -> None:
    with_storage(api, "archive")
    with_storage(api, "off", enabled=False)
    body = RENDER | {"connections": [{"provider": "s3", "storage": "archive"}, {"provider": "s3", "storage": "off"}]}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 200
    assert [c["storage"] for c in answer["connections"]] == ["archive"]
    assert answer["warnings"][0]["title"] == "S3 storage 'off' is disabled"


def test_get_render_is_scoped_to_its_workspace(api: Api) -> None:
    with_storage(api)
    _, created = api.call("POST", "/v1/renders", RENDER)
    status, read = api.call("GET", f"/v1/renders/{created['id']}")
    assert status == 200 and read["id"] == created["id"] and read["connections"][0]["status"] == "pending"
    assert api.call("GET", f"/v1/renders/{created['id']}", key="globex")[0] == 404
    assert api.call("GET", "/v1/renders/5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69")[0] == 404
    assert api.call("GET", "/v1/renders/not-a-uuid")[0] == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"response": {"type": "binary"}, "templateId": "carousel"}, "response.type"),
        ({"connections": [{"provider": "url"}]}, "connections.0"),
    ],
)
def test_not_yet_supported_options_are_clear_422s(api: Api, change: dict[str, object], field: str) -> None:
    status, answer = api.call("POST", "/v1/renders", RENDER | change)
    assert status == 422 and answer["error"]["details"][0]["field"] == field


def test_form_encoded_body_is_415_and_never_echoed(api: Api) -> None:
    # Given a body sent as curl -d sends it (form-encoded), with a secret inside
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    body = json.dumps(S3_STORAGE).encode()
    headers = {"authorization": f"Bearer {api.keys['acme']}", "content-type": "application/x-www-form-urlencoded"}
    event = api_gateway_event("PUT", "/v1/storage/default", headers, body, "1.2.3.4")
    # When it is sent
    answer = render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))
    # Then it is refused as the wrong media type, without repeating the secret
    assert answer["statusCode"] == 415
    assert "CANARY" not in answer["body"] and "application/json" in json.loads(answer["body"])["error"]["message"]


def test_long_unknown_field_names_are_cut_in_errors(api: Api) -> None:
    status, answer = api.call("POST", "/v1/renders", RENDER | {"x" * 500: 1})
    assert status == 422
    assert len(answer["error"]["details"][0]["field"]) <= 65


def test_without_a_key_bad_input_is_still_401(api: Api) -> None:
    # Validation must not run before authentication: no hint of the routes' shapes to strangers
    assert api.call("POST", "/v1/renders", {"nonsense": True}, key=None)[0] == 401
    assert api.call("PUT", "/v1/storage/x", raw=b"{not json", key="wrong")[0] == 401


def test_a_body_that_is_not_utf8_is_400(api: Api) -> None:
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    headers = {"authorization": f"Bearer {api.keys['acme']}", "content-type": "application/json"}
    event = api_gateway_event("POST", "/v1/renders", headers, b"\xff\xfe{}", "1.2.3.4")
    assert event["isBase64Encoded"] is True
    answer = render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))
    assert answer["statusCode"] == 400 and "UTF-8" in json.loads(answer["body"])["error"]["message"]


def test_status_read_of_a_base64_render_links_to_the_file(api: Api) -> None:
    _, created = api.call("POST", "/v1/renders", RENDER | {"response": {"type": "base64"}, "connections": []})
    assert created["data"]["type"] == "base64"
    _, read = api.call("GET", f"/v1/renders/{created['id']}")
    assert read["data"]["type"] == "url" and read["data"]["content"].startswith("https://")


@pytest.mark.parametrize(
    ("option", "field"),
    [
        ({"contentDisposition": "inline\r\nX-Evil: 1"}, "connections.0.contentDisposition"),
        ({"cacheControl": "max-age=1\n"}, "connections.0.cacheControl"),
        ({"metadata": {"bad key": "x"}}, "connections.0.metadata.bad key.[key]"),
        ({"metadata": {"k": "é"}}, "connections.0.metadata.k"),
        ({"metadata": {f"k{i}": "v" * 200 for i in range(11)}}, "connections.0.metadata"),
    ],
)
def test_object_options_that_cannot_be_headers_are_422(api: Api, option: dict[str, object], field: str) -> None:
    with_storage(api)
    status, answer = api.call("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3", **option}]})
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]], answer


def test_two_connections_to_the_same_object_are_422(api: Api) -> None:
    with_storage(api)
    body = RENDER | {"connections": [{"provider": "s3"}, {"provider": "s3", "storage": "default"}]}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 422 and answer["error"]["details"][0]["field"] == "connections.1"


def test_a_key_too_long_names_the_fields_the_request_sent(api: Api) -> None:
    with_storage(api)
    body = RENDER | {"response": {"fileName": "a" * 255}, "connections": [{"provider": "s3", "folder": "f" * 760}]}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 422
    assert [d["field"] for d in answer["error"]["details"]] == ["connections.0.folder", "response.fileName"]


def test_the_service_own_staging_bucket_cannot_be_a_storage(api: Api) -> None:
    status, answer = api.call("PUT", "/v1/storage/sneaky", copy.deepcopy(S3_STORAGE) | {"bucket": STAGING})
    assert status == 422 and answer["error"]["details"][0]["field"] == "bucket"


def test_an_enabled_storage_is_preferred_to_a_disabled_default(api: Api) -> None:
    with_storage(api, "default", enabled=False)
    with_storage(api, "other")
    _, answer = api.call("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3"}]})
    assert [c["storage"] for c in answer["connections"]] == ["other"] and answer["warnings"] == []


def test_when_staging_fails_the_render_is_503_and_leaves_nothing_pending(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from courier.renders.staging import StagingBucket

    # Given a connected storage and a staging bucket that refuses writes
    with_storage(api)

    def refuse(*_: object, **__: object) -> None:
        raise RuntimeError("staging unavailable")

    monkeypatch.setattr(StagingBucket, "put", refuse)
    # When a render is asked for
    status, answer = api.call("POST", "/v1/renders", RENDER)
    # Then it is a clear 503, and no render or delivery is left in the table
    assert status == 503 and answer["error"]["code"] == "service_unavailable"
    items = boto3.resource("dynamodb").Table("courier-test").scan()["Items"]
    assert not [i for i in items if i["pk"].startswith("RENDER#")]
