"""List routes with limit and an opaque cursor: GET /v1/renders (newest first), /v1/storage and /v1/templates."""

from __future__ import annotations

import copy

import pytest

from tests.functional.conftest import S3_STORAGE, Api


def render(api: Api, headline: str, key: str = "acme") -> str:
    status, answer = api.call(
        "POST",
        "/v1/renders",
        {"templateId": "social-card", "modifications": {"headline": headline}, "connections": []},
        key=key,
    )
    assert status == 200, answer
    return str(answer["id"])


def test_renders_are_listed_newest_first_a_page_at_a_time(api: Api) -> None:
    # Given three renders of acme and one of globex
    made = [render(api, f"render {n}") for n in range(3)]
    theirs = render(api, "not yours", key="globex")
    # When acme lists them two at a time
    status, first = api.call("GET", "/v1/renders?limit=2")
    assert status == 200, first
    status, second = api.call("GET", f"/v1/renders?limit=2&cursor={first['nextCursor']}")
    # Then newest first, each as GET /v1/renders/{id} answers it, and the last page says so
    assert [r["id"] for r in first["renders"] + second["renders"]] == list(reversed(made))
    assert second["nextCursor"] is None
    listed, read = first["renders"][0], api.call("GET", f"/v1/renders/{made[2]}")[1]
    listed["data"].pop("content"), read["data"].pop("content")  # presigned links, signed at each read
    assert listed == read
    # And another workspace's render is never among them
    assert theirs not in str(first) + str(second)
    assert [r["id"] for r in api.call("GET", "/v1/renders", key="globex")[1]["renders"]] == [theirs]


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "cursor=not-ours", "cursor=eyJhZnRlciI6IFNUT1JBR0UjeH0"])
def test_a_bad_limit_or_cursor_is_a_422_on_the_query(api: Api, query: str) -> None:
    status, answer = api.call("GET", f"/v1/renders?{query}")
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"].startswith("query.")


def test_a_cursor_of_another_workspace_lists_only_the_callers_renders(api: Api) -> None:
    # Given a globex render, then two of acme, and acme's cursor after its newest
    globex = render(api, "globex's", key="globex")
    render(api, "acme's older")
    render(api, "acme's newer")
    _, page = api.call("GET", "/v1/renders?limit=1", key="acme")
    # When globex passes acme's cursor, then it lists globex's renders only
    status, answer = api.call("GET", f"/v1/renders?cursor={page['nextCursor']}", key="globex")
    assert status == 200 and [r["id"] for r in answer["renders"]] == [globex]


def test_storages_and_templates_page_too(api: Api) -> None:
    for name in ("c", "a", "b"):
        storage = copy.deepcopy(S3_STORAGE) | {"auth": {"type": "policy"}}
        assert api.call("PUT", f"/v1/storage/{name}", storage)[0] == 200
    _, first = api.call("GET", "/v1/storage?limit=2")
    _, rest = api.call("GET", f"/v1/storage?limit=2&cursor={first['nextCursor']}")
    assert [s["name"] for s in first["storages"]] == ["a", "b"] and [s["name"] for s in rest["storages"]] == ["c"]
    assert rest["nextCursor"] is None
    _, templates = api.call("GET", "/v1/templates?limit=2")
    assert len(templates["templates"]) == 2 and all(t["builtin"] for t in templates["templates"])
    _, every = api.call("GET", "/v1/templates")
    assert every["nextCursor"] is None and len(every["templates"]) >= 3
