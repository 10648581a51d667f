"""Security pass — tenant isolation: workspace globex's key against every route and every id of workspace acme
answers 404 (or a globex-scoped result) and never shows, changes or delivers to acme's objects. The workspace
comes only from the API key: nothing in the body, the query or a header can name another one."""

from __future__ import annotations

import copy
import json
from typing import Any

import boto3
import pytest

from tests.security.conftest import S3_STORAGE, STAGING, TABLE, Answer, Api, RawCall

RENDER = {"templateId": "social-card", "modifications": {"headline": "Hello"}}
TEMPLATE: dict[str, Any] = {
    "id": "acme-secret-template",
    "name": "Acme confidential layout",
    "pages": [
        {
            "width": 200,
            "height": 100,
            "layers": [
                {"type": "text", "name": "acmeonlylayer", "x": 0, "y": 0, "width": 200, "height": 50, "text": "x"}
            ],
        }
    ],
}
ACME_STORAGE = "acme-vault"
ACME_BUCKET = "acme-renders"
ACME_PREFIX = "acme-private-prefix"


@pytest.fixture
def acme(api: Api) -> dict[str, str]:
    """Workspace acme with a storage, a template and a render; returns their ids and names."""
    storage = copy.deepcopy(S3_STORAGE) | {"prefix": ACME_PREFIX}
    assert api.call("PUT", f"/v1/storage/{ACME_STORAGE}", storage)[0] == 200
    assert api.call("POST", "/v1/templates", TEMPLATE)[0] == 201
    status, render = api.call("POST", "/v1/renders", {"templateId": TEMPLATE["id"]})
    assert status == 200 and render["connections"][0]["storage"] == ACME_STORAGE, render
    return {
        "render": render["id"],
        "storage": ACME_STORAGE,
        "template": TEMPLATE["id"],
        "workspace": api.workspaces["acme"],
    }


def _acme_markers(api: Api, acme: dict[str, str]) -> list[str]:
    return [acme["render"], ACME_STORAGE, TEMPLATE["id"], TEMPLATE["name"], ACME_BUCKET, ACME_PREFIX, acme["workspace"]]


def _assert_nothing_of_acme(answer: Answer, api: Api, acme: dict[str, str], allowed: tuple[str, ...] = ()) -> None:
    for marker in _acme_markers(api, acme):
        if marker not in allowed:
            assert marker not in answer.text, f"{marker!r} in {answer.status} {answer.text[:300]}"


def _acme_items() -> str:
    """acme's items as stored: compared before and after globex's calls."""
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    return json.dumps(
        sorted(
            json.dumps(i, sort_keys=True) for i in items if not i["pk"]["S"].startswith(("RENDER#", "OAUTH#", "RATE#"))
        )
    )


def _routes(acme: dict[str, str]) -> list[tuple[str, str, Any]]:
    storage = copy.deepcopy(S3_STORAGE) | {"prefix": "globex-took-it"}
    template = copy.deepcopy(TEMPLATE) | {"name": "globex overwrote it"}
    return [
        ("GET", "/v1/storage", None),
        ("GET", "/v1/templates", None),
        ("GET", f"/v1/renders/{acme['render']}", None),
        ("GET", f"/v1/storage/{acme['storage']}", None),
        ("PATCH", f"/v1/storage/{acme['storage']}", {"paused": True}),
        ("PATCH", f"/v1/storage/{acme['storage']}", {"auth": S3_STORAGE["auth"]}),
        ("DELETE", f"/v1/storage/{acme['storage']}", None),
        ("GET", f"/v1/templates/{acme['template']}", None),
        ("DELETE", f"/v1/templates/{acme['template']}", None),
        ("PUT", f"/v1/templates/{acme['template']}", template),
        ("PUT", f"/v1/storage/{acme['storage']}", storage),
    ]


def test_every_route_with_every_acme_id_shows_globex_nothing_of_acme(
    api: Api, raw: RawCall, acme: dict[str, str]
) -> None:
    # Given acme's storage, template and render, and acme's items as stored
    before = _acme_items()
    answers = []
    # When globex's key calls every route with acme's ids (reads first, then writes)
    for method, path, body in _routes(acme):
        data = json.dumps(body).encode() if body is not None else b""
        answers.append((method, path, raw(method, path, data, key="globex")))

    # Then reads and changes of acme's objects are 404s; writes under the same name made globex's own objects
    statuses = {(m, p): a.status for m, p, a in answers}
    for method, path, answer in answers:
        assert "Traceback" not in answer.text
        if method in ("GET", "PATCH", "DELETE") and path not in ("/v1/storage", "/v1/templates"):
            assert answer.status == 404, (method, path, answer.text)
            assert answer.json["error"]["code"] == "not_found"
        # What globex sent itself (the id in the path, the PUT's own body) may come back; nothing else of acme's.
        sent = path + next((json.dumps(b) for m, p, b in _routes(acme) if (m, p) == (method, path) and b), "")
        _assert_nothing_of_acme(answer, api, acme, allowed=tuple(m for m in _acme_markers(api, acme) if m in sent))
    assert statuses[("PUT", f"/v1/storage/{ACME_STORAGE}")] == 200
    assert statuses[("PUT", f"/v1/templates/{TEMPLATE['id']}")] == 200
    # And acme's own items are untouched: same settings, same template, same secret reference
    globex_id = api.workspaces["globex"]
    after = json.loads(_acme_items())
    assert [i for i in after if globex_id not in i] == [i for i in json.loads(before) if globex_id not in i]
    assert api.call("GET", f"/v1/storage/{ACME_STORAGE}")[1]["prefix"] == ACME_PREFIX
    assert api.call("GET", f"/v1/templates/{TEMPLATE['id']}")[1]["name"] == TEMPLATE["name"]
    # And globex's list shows only what globex made
    listed = api.call("GET", "/v1/storage", key="globex")[1]["storages"]
    assert [(s["name"], s["prefix"]) for s in listed] == [(ACME_STORAGE, "globex-took-it")]


def test_a_render_naming_acme_storage_never_delivers_there(api: Api, acme: dict[str, str]) -> None:
    # Given acme's storage, and globex with none
    # When globex renders naming acme's storage, by name and by provider, and with no connections at all
    by_name = api.call(
        "POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3", "storage": ACME_STORAGE}]}, key="globex"
    )
    by_provider = api.call("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3"}]}, key="globex")
    auto = api.call("POST", "/v1/renders", RENDER, key="globex")
    acme_template = api.call("POST", "/v1/renders", {"templateId": TEMPLATE["id"]}, key="globex")

    # Then the renders answer with a "not found" warning and no connection; nothing goes to acme's storage
    for status, answer in (by_name, by_provider):
        assert status == 200, answer
        assert answer["connections"] == []
        assert [w["title"] for w in answer["warnings"]] == [
            f"S3 storage '{ACME_STORAGE}' not found for this workspace"
            if answer is by_name[1]
            else "S3 connection not found for this workspace"
        ]
    assert auto[0] == 200 and auto[1]["connections"] == []
    # And acme's template is not globex's to render: not found, without its name
    assert acme_template[0] == 422 and TEMPLATE["name"] not in json.dumps(acme_template[1])
    # And no delivery item of a globex render points at acme's storage or bucket
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    globex_renders = {
        i["id"]["S"] for i in items if i["sk"]["S"] == "RENDER" and i["workspace_id"]["S"] == api.workspaces["globex"]
    }
    assert len(globex_renders) == 3
    deliveries = [i for i in items if i["sk"]["S"].startswith("DELIVERY#") and i["render_id"]["S"] in globex_renders]
    assert deliveries == []
    # And globex's staged files are under globex's workspace, never acme's
    keys = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"]]
    assert all(k.startswith(f"staging/{api.workspaces['globex']}/") for k in keys if k.split("/")[2] in globex_renders)


def test_dropbox_authorize_for_acme_storage_name_creates_nothing_in_acme(
    api: Api, acme: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given Connect Dropbox configured (set before the first call: settings are read once per cold start)
    monkeypatch.setenv("COURIER_DROPBOX_APP_KEY", "fake-app-key")
    from courier import wiring
    from courier.platform import settings

    settings.render_settings.cache_clear()
    wiring.api_services.cache_clear()
    before = _acme_items()

    # When globex asks to connect Dropbox under acme's storage name
    status, answer = api.call("POST", f"/v1/storage/{ACME_STORAGE}/dropbox/authorize", {"folder": "/x"}, key="globex")

    # Then the pending authorisation is globex's (its state item names globex), and acme is unchanged
    assert status == 200, answer
    items = boto3.client("dynamodb").scan(TableName=TABLE)["Items"]
    states = [i for i in items if i["pk"]["S"].startswith("OAUTH#")]
    assert len(states) == 1
    assert states[0]["workspace_id"]["S"] == api.workspaces["globex"]
    assert acme["workspace"] not in json.dumps(answer)
    assert _acme_items() == before
    assert api.call("GET", f"/v1/storage/{ACME_STORAGE}")[1]["provider"] == "s3"


def test_a_render_id_of_acme_is_indistinguishable_from_a_missing_one(api: Api, acme: dict[str, str]) -> None:
    # Given acme's render id, and an id that exists nowhere
    missing = "00000000-0000-4000-8000-000000000000"
    # When globex reads both
    theirs = api.call("GET", f"/v1/renders/{acme['render']}", key="globex")
    nowhere = api.call("GET", f"/v1/renders/{missing}", key="globex")
    # Then both are the same 404, except for the id that was asked for
    assert theirs[0] == nowhere[0] == 404
    assert json.dumps(theirs[1]).replace(acme["render"], "ID") == json.dumps(nowhere[1]).replace(missing, "ID")


@pytest.mark.parametrize(
    "field",
    [{"workspaceId": "ACME"}, {"workspace_id": "ACME"}, {"workspace": "ACME"}, {"tenant": "ACME"}],
)
def test_a_body_naming_a_workspace_is_refused(api: Api, acme: dict[str, str], field: dict[str, str]) -> None:
    # Given a body that tries to name acme's workspace
    named = {k: v.replace("ACME", acme["workspace"]) for k, v in field.items()}
    # When globex sends it to each route that takes a body
    answers = [
        api.call("POST", "/v1/renders", RENDER | named, key="globex"),
        api.call("PUT", "/v1/storage/x", copy.deepcopy(S3_STORAGE) | named, key="globex"),
        api.call("PATCH", f"/v1/storage/{ACME_STORAGE}", {"paused": True} | named, key="globex"),
        api.call("POST", "/v1/templates", copy.deepcopy(TEMPLATE) | {"id": "t2"} | named, key="globex"),
        api.call("POST", "/v1/renders", RENDER | {"connections": [{"provider": "s3"} | named]}, key="globex"),
    ]
    # Then it is an unknown field (422), or not found, never acme's object
    assert [a[0] for a in answers] in ([422, 422, 404, 422, 422], [422] * 5)
    for status, answer in answers:
        if status == 422:
            assert next(iter(named)) in [d["field"].rsplit(".", 1)[-1] for d in answer["error"]["details"]]
    assert api.call("GET", f"/v1/storage/{ACME_STORAGE}")[1]["paused"] is False


@pytest.mark.parametrize(
    "header",
    ["x-workspace-id", "x-courier-workspace", "x-tenant-id", "x-amzn-oidc-identity", "x-forwarded-user"],
)
def test_a_header_or_query_naming_a_workspace_is_ignored(
    api: Api, raw: RawCall, acme: dict[str, str], header: str
) -> None:
    # Given globex's key with a header and a query parameter naming acme's workspace
    headers = {"content-type": "application/json", header: acme["workspace"]}
    query = f"?workspace={acme['workspace']}&workspaceId={acme['workspace']}"
    # When globex reads acme's storage, lists storages, and renders to acme's storage
    read = raw("GET", f"/v1/storage/{ACME_STORAGE}{query}", key="globex", headers=headers)
    listed = raw("GET", f"/v1/storage{query}", key="globex", headers=headers)
    body = json.dumps(RENDER | {"connections": [{"provider": "s3", "storage": ACME_STORAGE}]}).encode()
    render = raw("POST", f"/v1/renders{query}", body, key="globex", headers=headers)
    # Then the key decides: acme's storage stays invisible and unused
    assert read.status == 404
    assert listed.status == 200 and listed.json == {"storages": [], "nextCursor": None}
    assert render.status == 200 and render.json["connections"] == []
    _assert_nothing_of_acme(read, api, acme, allowed=(ACME_STORAGE,))
    _assert_nothing_of_acme(listed, api, acme)


def test_a_forged_request_context_cannot_choose_the_workspace(api: Api, raw: RawCall, acme: dict[str, str]) -> None:
    # Given an event whose request context claims acme through an authorizer (there is none on this API)
    authorizer = {"lambda": {"workspace_id": acme["workspace"]}, "jwt": {"claims": {"sub": acme["workspace"]}}}

    def context(event: dict[str, Any]) -> None:
        event["requestContext"]["authorizer"] = authorizer

    # When globex's key, and then no key, read acme's storage with it
    with_key = raw("GET", f"/v1/storage/{ACME_STORAGE}", key="globex", event_changes=context)
    without_key = raw("GET", f"/v1/storage/{ACME_STORAGE}", key=None, event_changes=context)
    # Then only the key counts
    assert with_key.status == 404
    assert without_key.status == 401
    _assert_nothing_of_acme(with_key, api, acme, allowed=(ACME_STORAGE,))
    _assert_nothing_of_acme(without_key, api, acme)
