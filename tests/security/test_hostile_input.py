"""Security pass — a hostile input corpus through the real routes: every answer is a clean JSON 4xx (with the field
path where one applies), never a 500 or a stack trace; names that are accepted never climb out of their folder."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from tests.security.conftest import S3_STORAGE, Answer, Api, RawCall

RENDER: dict[str, Any] = {"templateId": "tiny"}
LOOKALIKE_SLASHES = ("\u2215", "\uff0f", "\u2044", "\u29f8")  # division slash, fullwidth solidus, fraction, big solidus
INVISIBLE = ("\u0000", "\u202e", "\u200b", "\ufeff", "\u2066", "\u0007", "\u001b")

TRAVERSALS = [
    "..",
    "../..",
    "../../etc/passwd",
    "a/../../b",
    "./x",
    "..\\..",
    "..\\..\\windows",
    "..%2f",
    "..%2F..%2F",
    "%2e%2e%2f",
    "%2e%2e/%2e%2e",
    "../",  # "%2e%2e%2f" once decoded
    "\u2215..\u2215..\u2215etc",
    "..\uff0f..\uff0fetc",
    "\uff0e\uff0e/\uff0e\uff0e",  # fullwidth dots
    "/etc/passwd",
    "//etc//passwd",
    "C:\\Windows\\System32",
    "~/.ssh/id_rsa",
    ". ./. .",
    "..\u200b/..\u200b",  # zero-width space hides the dots from a naive check
    "\u202e../..",
    "...",
    "..../....",
]


def _clean(answer: Answer) -> None:
    """A 4xx JSON error in the contract's shape, no stack trace, and a field path for every 422 detail."""
    assert 400 <= answer.status < 500, (answer.status, answer.text[:400])
    assert "Traceback" not in answer.text and 'File "' not in answer.text
    body = answer.json
    assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), body
    if answer.status == 422:
        assert body["error"]["details"], body


def _safe_key(path: str, dropbox: bool = False) -> None:
    """An accepted destination name: relative (Dropbox: one leading slash), no dot segments, no other separator."""
    if dropbox:
        assert path.startswith("/") and not path.startswith("//"), path
        path = path[1:]
    assert not path.startswith("/") and "//" not in path, path
    segments = path.split("/")
    assert all(s not in ("", ".", "..") for s in segments), path
    for char in ("\\", *LOOKALIKE_SLASHES, *INVISIBLE, "%"):
        assert char not in path, (char, path)
    assert len(path.encode("utf-8")) <= 1024


@pytest.fixture
def storage(api: Api) -> None:
    assert api.call("PUT", "/v1/storage/default", S3_STORAGE)[0] == 200
    # A tiny template keeps the hundreds of renders of this corpus fast.
    tiny = {"id": "tiny", "name": "Tiny", "pages": [{"width": 8, "height": 8, "layers": []}]}
    assert api.call("POST", "/v1/templates", tiny)[0] == 201, api.call("POST", "/v1/templates", tiny)


def _render(raw: RawCall, body: dict[str, Any]) -> Answer:
    return raw("POST", "/v1/renders", json.dumps(body).encode())


# ---------------------------------------------------------------- traversal and invisible characters in names


HOSTILE_NAMES = TRAVERSALS + [f"a{c}b" for c in INVISIBLE + LOOKALIKE_SLASHES]
FIELD_OF = {
    "folder": "connections.0.folder",
    "pattern": "connections.0.pattern",
    "fileName": "response.fileName",
    "filename-inline": "connections.0.filename",
}


@pytest.mark.parametrize("where", sorted(FIELD_OF))
def test_hostile_names_in_a_render_are_refused_or_made_safe(api: Api, raw: RawCall, storage: None, where: str) -> None:
    problems = []
    for hostile in HOSTILE_NAMES:
        # Given a render whose folder, pattern or file name is hostile
        connection: dict[str, Any] = {"provider": "s3", "storage": "default"}
        body = copy.deepcopy(RENDER)
        if where == "folder":
            connection["folder"] = hostile
        elif where == "pattern":
            connection["pattern"] = hostile + "/${auto_filename}"
        elif where == "fileName":
            body["response"] = {"fileName": hostile}
        else:
            connection = {"provider": "s3", "bucket": "inline-bucket", "filename": hostile + "/${auto_filename}"}
        body["connections"] = [connection]

        # When it is sent
        answer = _render(raw, body)

        # Then it is a clean 422 naming the field, or the delivered key is safe
        try:
            if answer.status != 200:
                _clean(answer)
                assert answer.status == 422
                assert FIELD_OF[where] in [d["field"] for d in answer.json["error"]["details"]]
            else:
                _safe_key(answer.json["connections"][0]["path"])
        except AssertionError as exc:
            problems.append((hostile, answer.status, str(exc)[:200], answer.text[:200]))
    assert problems == []


@pytest.mark.parametrize("field", ["prefix", "pattern"])
def test_hostile_storage_prefix_or_pattern_is_refused_or_made_safe(api: Api, raw: RawCall, field: str) -> None:
    problems = []
    for hostile in HOSTILE_NAMES:
        # Given a storage saved with a hostile prefix or pattern
        value = hostile if field == "prefix" else hostile + "/${auto_filename}"
        saved = raw("PUT", "/v1/storage/default", json.dumps(copy.deepcopy(S3_STORAGE) | {field: value}).encode())
        try:
            if saved.status != 200:
                # Then it is refused with the field's name
                _clean(saved)
                assert field in [d["field"] for d in saved.json["error"]["details"]]
                continue
            # Or every render to it gets a safe key
            answer = _render(raw, RENDER | {"connections": [{"provider": "s3", "storage": "default"}]})
            if answer.status != 200:
                _clean(answer)
            else:
                _safe_key(answer.json["connections"][0]["path"])
        except AssertionError as exc:
            problems.append((hostile, str(exc)[:200]))
    assert problems == []


@pytest.mark.parametrize("hostile", ["..", "../..", "/etc/passwd", "..\\..", "a\u202eb", "\uff0f..\uff0f"])
def test_hostile_dropbox_folders_are_refused_or_made_safe(api: Api, raw: RawCall, storage: None, hostile: str) -> None:
    # Given a Dropbox storage stored as is (its probe needs Dropbox: the record is written directly)
    from datetime import UTC, datetime

    from courier.records import StorageRecord

    now = datetime.now(UTC)
    api.store.put_storage(
        StorageRecord(
            workspace_id=api.workspaces["acme"],
            name="box",
            provider="dropbox",
            auth_type="dropbox",
            secret_id="arn:aws:secretsmanager:us-east-1:123456789012:secret:courier/x",
            prefix="/Renders",
            created_at=now,
            updated_at=now,
        )
    )
    # When a render names a hostile folder for it
    answer = _render(raw, RENDER | {"connections": [{"provider": "dropbox", "storage": "box", "folder": hostile}]})
    # Then the folder is refused or the Dropbox path is safe
    if answer.status != 200:
        _clean(answer)
        assert "connections.0.folder" in [d["field"] for d in answer.json["error"]["details"]]
    else:
        _safe_key(answer.json["connections"][0]["path"], dropbox=True)


SEGMENTS = [
    "..",
    "%2e%2e",
    "..%2f..%2f",
    "%2e%2e%2fx",
    "..%5c..",
    "a%00b",
    "%E2%88%95etc",
    "%EF%BC%8F",
    "a%20b",
    "x" * 300,
    "%F0%9F%98%80",
    "%C0%AE%C0%AE",
    "%252e%252e",
    "a%0d%0ab",
    "%u002e%u002e",
    "\u2215etc",
    "..\\..",
]


@pytest.mark.parametrize(
    "route",
    [
        "GET /v1/storage/{}",
        "DELETE /v1/storage/{}",
        "PATCH /v1/storage/{}",
        "PUT /v1/storage/{}",
        "GET /v1/templates/{}",
        "DELETE /v1/templates/{}",
        "PUT /v1/templates/{}",
        "GET /v1/renders/{}",
        "POST /v1/storage/{}/dropbox/authorize",
    ],
)
def test_hostile_path_parameters_are_clean_4xx(api: Api, raw: RawCall, route: str) -> None:
    problems = []
    for segment in SEGMENTS:
        # Given a route whose id or name is hostile (as API Gateway hands it over: still percent-encoded)
        method, template = route.split(" ")
        body = json.dumps({"paused": True} if method == "PATCH" else {}).encode() if method != "GET" else b""
        # When it is called
        answer = raw(method, template.format(segment), body)
        # Then it is a clean 404 or 422, never a 500
        try:
            _clean(answer)
            assert answer.status in (404, 422)
        except AssertionError:
            problems.append((segment, answer.status, answer.text[:200]))
    assert problems == []


# ---------------------------------------------------------------- over-long names


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"response": {"fileName": "é" * 255}, "connections": [{"provider": "s3", "folder": "ü" * 300}]}, None),
        ({"connections": [{"provider": "s3", "folder": "中" * 341 + "/x"}]}, "connections.0.folder"),
        ({"connections": [{"provider": "s3", "pattern": "ж" * 512 + "${ext}"}]}, "connections.0.pattern"),
        ({"connections": [{"provider": "s3", "folder": "a/" * 511 + "b"}]}, "connections.0.folder"),
    ],
)
def test_keys_over_1024_utf8_bytes_are_422(
    api: Api, raw: RawCall, storage: None, change: dict[str, Any], field: str | None
) -> None:
    # Given names whose key is over 1024 bytes in UTF-8 (but fewer than 1024 characters)
    # When rendered
    answer = _render(raw, RENDER | change)
    # Then 422 with the fields that made it too long
    _clean(answer)
    assert answer.status == 422
    fields = [d["field"] for d in answer.json["error"]["details"]]
    assert field in fields if field else {"connections.0.folder", "response.fileName"} & set(fields), fields


def test_a_file_name_at_the_limit_still_makes_a_key_within_1024_bytes(api: Api, raw: RawCall, storage: None) -> None:
    # Given the longest fileName the model accepts, in 2-byte characters, under the storage prefix
    answer = _render(raw, RENDER | {"response": {"fileName": "é" * 255}, "connections": [{"provider": "s3"}]})
    # Then the key fits
    assert answer.status == 200, answer.text
    _safe_key(answer.json["connections"][0]["path"])


@pytest.mark.parametrize("pattern", ["${ext}", "😀😀${ext}", "${uuid}/★${ext}"])
def test_a_pattern_that_names_only_the_extension_is_422(api: Api, raw: RawCall, storage: None, pattern: str) -> None:
    # When a render's pattern leaves no file name before the extension
    answer = _render(raw, RENDER | {"connections": [{"provider": "s3", "pattern": pattern}]})
    # Then it is refused, not delivered as a dot-file
    _clean(answer)
    assert answer.status == 422


# ---------------------------------------------------------------- unknown fields and wrong types, at every level


TEMPLATE: dict[str, Any] = {
    "id": "hostile",
    "name": "Hostile",
    "pages": [
        {
            "width": 100,
            "height": 100,
            "layers": [{"type": "rect", "name": "box", "x": 0, "y": 0, "width": 9, "height": 9}],
        }
    ],
}


def _with(document: dict[str, Any], path: list[Any], key: str, value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    node = changed
    for step in path:
        node = node[step]
    node[key] = value
    return changed


UNKNOWN_FIELDS = [
    ("POST", "/v1/renders", RENDER, [], "renderer"),
    ("POST", "/v1/renders", RENDER | {"response": {"format": "png"}}, ["response"], "quality"),
    ("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3"}]}, ["connections", 0], "bucketName"),
    (
        "POST",
        "/v1/renders",
        RENDER | {"connections": [{"provider": "url", "presignedUrl": "https://x.example/a"}]},
        ["connections", 0],
        "method",
    ),
    ("PUT", "/v1/storage/x", S3_STORAGE, [], "acl"),
    ("PUT", "/v1/storage/x", S3_STORAGE, ["auth"], "sessionToken"),
    ("PUT", "/v1/storage/x", {"provider": "dropbox", "accessToken": "t"}, [], "appFolder"),
    ("PATCH", "/v1/storage/x", {"paused": True}, [], "bucket"),
    ("PATCH", "/v1/storage/x", {"auth": {"type": "policy"}}, ["auth"], "roleArn"),
    ("POST", "/v1/storage/x/dropbox/authorize", {"folder": "/x"}, [], "redirectUri"),
    ("POST", "/v1/templates", TEMPLATE, [], "owner"),
    ("POST", "/v1/templates", TEMPLATE, ["pages", 0], "script"),
    ("POST", "/v1/templates", TEMPLATE, ["pages", 0, "layers", 0], "onload"),
    ("PUT", "/v1/templates/hostile", TEMPLATE, [], "workspaceId"),
]


def test_unknown_fields_at_every_level_are_422_with_their_path(api: Api, raw: RawCall) -> None:
    problems = []
    for method, path, document, at, field in UNKNOWN_FIELDS:
        # Given a valid body with one unknown field at some depth
        body = _with(document, at, field, "x")
        # When it is sent
        answer = raw(method, path, json.dumps(body).encode())
        # Then 422 naming the field at its path (the discriminated union's tag is not part of the path)
        _clean(answer)
        expected = ".".join([str(p) for p in at] + [field])
        fields = [d["field"] for d in answer.json["error"]["details"]]
        if answer.status != 422 or expected not in fields:
            problems.append((method, path, expected, answer.status, fields))
    assert problems == []


WRONG_TYPES = [
    ("POST", "/v1/renders", {"templateId": ["social-card"]}, "templateId"),
    ("POST", "/v1/renders", RENDER | {"modifications": []}, "modifications"),
    ("POST", "/v1/renders", RENDER | {"modifications": "headline"}, "modifications"),
    ("POST", "/v1/renders", RENDER | {"response": "png"}, "response"),
    ("POST", "/v1/renders", RENDER | {"response": {"fileName": 12}}, "response.fileName"),
    ("POST", "/v1/renders", RENDER | {"connections": {"provider": "s3"}}, "connections"),
    ("POST", "/v1/renders", RENDER | {"connections": ["s3"]}, "connections.0"),
    ("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3", "folder": ["a"]}]}, "connections.0.folder"),
    (
        "POST",
        "/v1/renders",
        RENDER | {"connections": [{"provider": "s3", "metadata": ["a"]}]},
        "connections.0.metadata",
    ),
    ("POST", "/v1/renders", RENDER | {"wait": "forever"}, "wait"),
    ("POST", "/v1/renders", RENDER | {"wait": float("nan")}, "wait"),
    ("PUT", "/v1/storage/x", S3_STORAGE | {"enabled": "yes please"}, "enabled"),
    ("PUT", "/v1/storage/x", S3_STORAGE | {"auth": "keys"}, "auth"),
    ("PUT", "/v1/storage/x", S3_STORAGE | {"bucket": 42}, "bucket"),
    ("PATCH", "/v1/storage/x", {"paused": []}, "paused"),
    ("POST", "/v1/templates", TEMPLATE | {"pages": {"width": 1}}, "pages"),
    ("POST", "/v1/templates", _with(TEMPLATE, ["pages", 0], "width", "wide"), "pages.0.width"),
]


def test_wrong_types_are_422_with_their_path(api: Api, raw: RawCall) -> None:
    problems = []
    for method, path, body, field in WRONG_TYPES:
        # When a body has a value of the wrong type (NaN: Python's json writes it, strict JSON has no such value)
        answer = raw(method, path, json.dumps(body).encode())
        # Then a clean 4xx; a 422 names the field (PATCH of a storage that does not exist may be 404)
        _clean(answer)
        fields = [d["field"] for d in answer.json["error"]["details"]]
        if answer.status == 422 and not any(f == field or f.startswith(field + ".") for f in fields):
            problems.append((method, path, field, fields))
    assert problems == []


# ---------------------------------------------------------------- bodies that are not what a route takes


BODY_ROUTES = [
    ("POST", "/v1/renders"),
    ("PUT", "/v1/storage/x"),
    ("PATCH", "/v1/storage/x"),
    ("POST", "/v1/templates"),
    ("PUT", "/v1/templates/hostile"),
    ("POST", "/v1/storage/x/dropbox/authorize"),
]


NOT_OBJECTS = [
    b"[]",
    b"[1, 2]",
    b'"a string"',
    b"null",
    b"42",
    b"true",
    b"{",
    b"{'single': 1}",
    b'{"a": 1}{"b": 2}',
    b"\xff\xfe\x00{",
    b"\xef\xbb\xbf{}",
    b'{"templateId": "\xed\xa0\x80"}',
    b'{"a": NaN}',
    b'{"a": 1e99999}',
    b'{"a":"\\ud800"}',
    b" " * 1000,
]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_bodies_that_are_not_an_object_are_clean_4xx(api: Api, raw: RawCall, method: str, path: str) -> None:
    problems = []
    for body in NOT_OBJECTS:
        # When a route that takes a JSON object gets something else
        answer = raw(method, path, body)
        # Then it is a clean 400/404/422
        try:
            _clean(answer)
        except AssertionError:
            problems.append((body[:20], answer.status, answer.text[:200]))
    assert problems == []


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
def test_a_wrong_content_type_is_415(api: Api, raw: RawCall, method: str, path: str) -> None:
    for content_type in (
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        "application/jsonp",
        "text/json",
    ):
        # When a JSON body comes with another media type
        answer = raw(method, path, json.dumps(RENDER).encode(), headers={"content-type": content_type})
        # Then 415, whatever the body says
        _clean(answer)
        assert answer.status == 415, (content_type, answer.text)


def test_a_body_over_256_kib_is_413(api: Api, raw: RawCall) -> None:
    for method, path in BODY_ROUTES:
        # When the body is over 256 KiB of ASCII
        answer = raw(method, path, json.dumps({"pad": "x" * (256 * 1024)}).encode())
        # Then 413 before anything else
        _clean(answer)
        assert answer.status == 413, (method, path)


def test_a_multibyte_body_over_256_kib_is_413(api: Api, raw: RawCall) -> None:
    # Given a body of 300 KB in UTF-8, but only 100,000 characters
    body = json.dumps({"templateId": "social-card", "pad": "€" * 100_000}, ensure_ascii=False).encode()
    assert len(body) > 256 * 1024
    # When sent
    answer = raw("POST", "/v1/renders", body)
    # Then 413
    _clean(answer)
    assert answer.status == 413


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize("shape", ["arrays", "objects"])
def test_deeply_nested_json_is_a_clean_4xx(api: Api, raw: RawCall, method: str, path: str, shape: str) -> None:
    # Given 10,000 nested arrays (or objects) inside a field
    depth = 10_000
    nested = "[" * depth + "]" * depth if shape == "arrays" else '{"a":' * depth + "1" + "}" * depth
    body = f'{{"templateId": "social-card", "modifications": {{"headline": {nested}}}}}'.encode()
    # When sent
    answer = raw(method, path, body)
    # Then a clean 4xx, not a RecursionError turned into a 500
    _clean(answer)


def test_moderately_nested_json_is_a_clean_422(api: Api, raw: RawCall) -> None:
    # Given 500 nested arrays where a string is expected (within the parser's recursion limit)
    body = b'{"templateId": "social-card", "modifications": {"headline": ' + b"[" * 500 + b"]" * 500 + b"}}"
    # When sent / Then 422 naming the modification
    answer = raw("POST", "/v1/renders", body)
    _clean(answer)
    assert answer.status == 422
    assert "modifications.headline" in [d["field"] for d in answer.json["error"]["details"]]


def test_errors_never_echo_hostile_values(api: Api, raw: RawCall, storage: None) -> None:
    # Given hostile values that are refused (a script, a long string, control characters)
    marker = "<script>alert(1)</script>"
    bodies = [
        RENDER | {"response": {"format": marker}},
        RENDER | {"connections": [{"provider": marker}]},
        RENDER | {"connections": [{"provider": "s3", "cacheControl": f"x\r\nSet-Cookie: {marker}"}]},
        RENDER | {"connections": [{"provider": "s3", "metadata": {"k": f"{marker}\n"}}]},
    ]
    for body in bodies:
        # When sent
        answer = _render(raw, body)
        # Then refused without the value
        _clean(answer)
        assert marker not in answer.text
        assert not re.search(r"[\r\n]", answer.json["error"]["message"])


@pytest.mark.parametrize(
    ("method", "path", "body", "echo"),
    [
        ("GET", "/v1/renders/..%2F..%2Fv1%2Fstorage", b"", "v1%2Fstorage"),
        ("GET", "/v1/renders/5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69", b"", "5b0e6f7e"),
        ("GET", "/v1/templates/canary-echo-7f3a", b"", "canary-echo"),
        ("DELETE", "/v1/templates/canary-echo-7f3a", b"", "canary-echo"),
        ("POST", "/v1/renders", json.dumps({"templateId": "canary-echo-7f3a"}).encode(), "canary-echo"),
        (
            "POST",
            "/v1/files/remote_copy",
            json.dumps({"source": "5b0e6f7e-3c1a-4b8e-9a57-1f2d3c4b5a69", "target": "canaryEcho"}).encode(),
            "5b0e6f7e",
        ),
    ],
)
def test_not_found_answers_never_echo_the_value_asked_for(
    api: Api, raw: RawCall, method: str, path: str, body: bytes, echo: str
) -> None:
    # When a route is asked for an id or name that exists nowhere (one of them an encoded traversal)
    answer = raw(method, path, body)
    # Then a clean 4xx that does not repeat it, encoded or decoded
    _clean(answer)
    assert answer.status in (400, 404, 422), answer.text
    for value in (echo, echo.replace("%2F", "/")):
        assert value not in answer.text and value.lower() not in answer.text.lower()


def test_a_remote_copy_to_an_unknown_target_does_not_echo_it(api: Api, raw: RawCall, storage: None) -> None:
    # Given a rendered file in staging
    rendered = _render(raw, RENDER | {"connections": []})
    assert rendered.status == 200, rendered.text
    source = rendered.json["data"]["content"]
    # When it is copied to a storage that does not exist
    answer = raw("POST", "/v1/files/remote_copy", json.dumps({"source": source, "target": "canaryEcho"}).encode())
    # Then a 400 that says so without the name
    _clean(answer)
    assert answer.status == 400 and "canaryecho" not in answer.text.lower()
