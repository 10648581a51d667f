"""Schemathesis hooks for the contract fuzz run (loaded through SCHEMATHESIS_HOOKS by tests/contract/test_fuzz.py).

Test data, not relaxed checks. In a schema-valid (positive) request:
- a value that names something outside the request — a template, a rendered file, a storage, a bucket, a host, the
  template of the path — is replaced by one that exists in the local stack, as a user's request would name it;
- an Idempotency-Key gets a suffix from the method, path and body as sent, so that one drawn key is never reused
  with another request (that is answered 422 idempotency_key_reused, rightly, and is tested in
  tests/e2e/test_idempotency.py);
- a folder, prefix or naming pattern that courier.naming refuses is dropped: the document states their syntax (known
  variables, closed braces), but not what sanitising leaves of a name (Unicode categories), which JSON Schema cannot.
Everything else the fuzzer drew is sent as drawn, and negative requests are never touched. The seeds come from the
test, in COURIER_FUZZ_* variables.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any
from urllib.parse import quote

import requests
import schemathesis

from courier.naming import NamingError, build_key
from courier.storages.service import SAMPLE_NAME

BUILTIN_TEMPLATES = ("social-card", "carousel", "certificate")
# Loopback is allowed by the local stack's --allow-local-urls; nothing listens on port 9, so a delivery or webhook
# there fails fast, in the background, as one to a customer's server that is down would.
LOCAL_URL = "https://127.0.0.1:9/fuzz"
MAX_PAGE_PIXELS = 40_000_000  # courier.engine.document's limit on one page
MAX_SCALE = 2  # a larger pixel ratio is valid too, but costs the run's time budget up to 4x more per render
VIDEO_FORMATS = ("mp4", "webm")  # only animated templates render as these
MAX_WAIT = 1  # seconds a render may hold its answer: keeps the run within its time budget


@schemathesis.hook
def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
    meta = case.meta
    label = f"{case.method.upper()} {case.operation.path}"
    _keep_the_seeded_storage(case, label)  # negative requests too: a refused one must not take it away either
    if meta is None or not meta.generation.mode.is_positive:
        return
    if label == "GET /console/{asset}":
        case.path_parameters["asset"] = "index.html"  # the console's files are named, not drawn
    if case.method.upper() == "GET" and isinstance(case.query, dict):
        case.query.pop("cursor", None)  # a cursor is one a previous answer gave: a drawn one is rightly a 422
    try:
        _positive(case, label)
    finally:
        _idempotency_key(case)  # last: from the request as it is sent (a hook may move the template into the path)


def _positive(case: Any, label: str) -> None:
    if not isinstance(case.body, dict):
        return
    body: dict[str, Any] = case.body
    if label in {"POST /v1/renders", "POST /v1/studio/render", "POST /v1/generate/images", "POST /v1/generate/pdfs"}:
        _render(body)
    elif label in {"POST /v1/generate/images/{template_id}", "POST /v1/generate/pdfs/{template_id}"}:
        _render(body)
        case.path_parameters["template_id"] = body.pop("templateId")  # the template is named in the path
    elif label in {"POST /v1/files/remote_copy", "POST /files/remote_copy"}:
        body["source"] = os.environ["COURIER_FUZZ_SOURCE"]
        body["target"] = os.environ["COURIER_FUZZ_TARGET"]
        if not _names_ok(None, body.get("pattern")):
            body.pop("pattern", None)
    elif label == "PUT /v1/webhook" and isinstance(body.get("url"), str):
        body["url"] = LOCAL_URL
    elif label == "PUT /v1/templates/{template_id}":
        body["id"] = case.path_parameters.get("template_id", body.get("id"))
        _pages_within_limit(body)
    elif label == "POST /v1/templates":
        _pages_within_limit(body)
    elif label in {"PUT /v1/storage/{name}", "PATCH /v1/storage/{name}", "POST /v1/storage/{name}/dropbox/authorize"}:
        _storage(body)
        if label.startswith("PATCH"):
            _patch(body, str(case.path_parameters.get("name", "")))


def _keep_the_seeded_storage(case: Any, label: str) -> None:
    """Remote copies target the seeded storage: the fuzzer may change or delete any other one, not that one."""
    target = os.environ["COURIER_FUZZ_TARGET"]
    writes = label.endswith("/v1/storage/{name}") and label.split()[0] in {"PUT", "PATCH", "DELETE"}
    if writes and case.path_parameters.get("name") == target:
        case.path_parameters["name"] = f"{target}-fuzzed"


def _patch(body: dict[str, Any], name: str) -> None:
    """New credentials must be the stored storage's kind (auth for S3 and R2, Dropbox's three fields for Dropbox),
    which only the stored storage tells."""
    api, key = os.environ["COURIER_FUZZ_API"], os.environ["COURIER_FUZZ_KEY"]
    answer = requests.get(
        f"{api}/v1/storage/{quote(name, safe='')}", headers={"Authorization": f"Bearer {key}"}, timeout=30
    )
    if answer.status_code != 200:
        return
    dropbox_fields = ("refreshToken", "appKey", "appSecret")
    if answer.json()["provider"] == "dropbox":
        body.pop("auth", None)
        if not all(isinstance(body.get(field), str) for field in dropbox_fields):
            for field in dropbox_fields:
                body.pop(field, None)
    else:
        for field in dropbox_fields:
            body.pop(field, None)


def _idempotency_key(case: Any) -> None:
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and key:
        sent = [case.method.upper(), case.formatted_path, case.body]
        digest = hashlib.sha256(json.dumps(sent, sort_keys=True, default=str).encode()).hexdigest()[:16]
        case.headers["Idempotency-Key"] = f"{key[:238]}-{digest}"


def _render(body: dict[str, Any]) -> None:
    if body.get("templateId") not in BUILTIN_TEMPLATES:
        body["templateId"] = BUILTIN_TEMPLATES[len(str(body.get("templateId"))) % len(BUILTIN_TEMPLATES)]
    response = body.get("response")
    if isinstance(response, dict) and response.get("format") in VIDEO_FORMATS:
        # A video needs an animated template; one short frame of it keeps the run within its time budget
        body["templateId"] = "promo-video"
        response["type"] = "url"  # clips are answered as links
        body["videoOptions"] = {"trimEnd": 0.1, "fps": 1}
        body.setdefault("wait", MAX_WAIT)  # Orshot's routes otherwise wait up to 25 s for a video (as Orshot does)
    if isinstance(response, dict) and response.get("type") == "binary" and response.get("format") != "pdf":
        body["templateId"] = "social-card"  # a binary answer carries one file: a one-page template
    if isinstance(body.get("webhook"), str):
        body["webhook"] = LOCAL_URL
    if isinstance(response, dict):
        if isinstance(response.get("includePages"), list):
            response["includePages"] = [1]  # a page every built-in template has; others are rightly a 422
        if isinstance(response.get("scale"), int | float) and response["scale"] > MAX_SCALE:
            response["scale"] = MAX_SCALE
    pdf_options = body.get("pdfOptions")
    if isinstance(pdf_options, dict):
        for bound in ("rangeFrom", "rangeTo"):
            if isinstance(pdf_options.get(bound), int | float):
                pdf_options[bound] = 1  # a page every built-in template has
    video = body.get("videoOptions")
    if isinstance(video, dict):
        start, end = video.get("trimStart"), video.get("trimEnd")
        if isinstance(start, int | float) and isinstance(end, int | float) and end <= start:
            video["trimEnd"] = start + 1  # after trimStart (a comparison JSON Schema cannot state)
    if isinstance(body.get("wait"), int | float) and body["wait"] > MAX_WAIT:
        body["wait"] = MAX_WAIT
    _one_connection_per_place(body)
    for index, connection in enumerate(body.get("connections") or []):
        if not isinstance(connection, dict):
            continue
        if isinstance(connection.get("presignedUrl"), str) and connection["presignedUrl"]:
            connection["presignedUrl"] = f"{LOCAL_URL}/{index}"  # two connections may not deliver to one place
        for host in ("s3Host", "s3host"):  # the document's name, and Impossible Software's
            if isinstance(connection.get(host), str):
                connection[host] = "127.0.0.1:9"
        if not _names_ok(connection.get("folder"), connection.get("pattern")):
            connection.pop("folder", None)
            connection.pop("pattern", None)
        if not _names_ok(None, connection.get("filename")):
            connection.pop("filename", None)


def _storage(body: dict[str, Any]) -> None:
    # S3 and R2 storages are probed with a write to their bucket: the emulated AWS has the seeded one.
    # The emulated AWS is reached without an endpoint (AWS_ENDPOINT_URL), and its http URL is no schema-valid one.
    if body.get("provider") in {"s3", "r2"}:
        body["bucket"] = os.environ["COURIER_FUZZ_BUCKET"]
    if body.get("provider") in {"s3", "azure", "gcs"}:
        body.pop("endpoint", None)  # the provider's own endpoint: what the local stack's known defects name
    prefix = body.get("folder") if body.get("folder") is not None else body.get("prefix")
    if not _names_ok(prefix, body.get("pattern")):
        for field in ("folder", "prefix", "pattern"):
            body.pop(field, None)


def _names_ok(folder: Any, pattern: Any) -> bool:
    if not isinstance(folder, str | None) or not isinstance(pattern, str | None):
        return True  # the wrong type is the schema's to refuse
    try:
        build_key(folder, pattern, SAMPLE_NAME)
    except NamingError:
        return False
    return True


def _one_connection_per_place(body: dict[str, Any]) -> None:
    """Two connections that deliver to the same place are a 422 (a rule between array items that JSON Schema cannot
    state): keep the first of each."""
    connections = body.get("connections")
    if not isinstance(connections, list):
        return
    seen: set[str] = set()
    kept = []
    for connection in connections:
        if isinstance(connection, dict):
            place = json.dumps(
                [connection.get(k) for k in ("provider", "storage", "bucket", "s3host", "s3Host", "folder")],
                default=str,
            )
            if place in seen:
                continue
            seen.add(place)
        kept.append(connection)
    body["connections"] = kept


def _pages_within_limit(body: dict[str, Any]) -> None:
    """A page's width × height is at most 40 megapixels (a product JSON Schema cannot state): shrink the height; and
    its layers' names are unique."""
    for page in body.get("pages") or []:
        if not isinstance(page, dict):
            continue
        # Layer names are unique within a page (modifications address them): a rule JSON Schema cannot state.
        seen: set[str] = set()
        for index, layer in enumerate(page.get("layers") or []):
            if isinstance(layer, dict) and isinstance(layer.get("name"), str):
                if layer["name"] in seen:
                    layer["name"] = f"{layer['name'][:50]}-{index}"
                seen.add(layer["name"])
        _keyframes_in_order(page)
        width, height = page.get("width"), page.get("height")
        if isinstance(width, int | float) and isinstance(height, int | float) and width * height > MAX_PAGE_PIXELS:
            page["height"] = max(1, int(MAX_PAGE_PIXELS // width))


def _keyframes_in_order(page: dict[str, Any]) -> None:
    """Keyframes at increasing times within the page's duration (rules JSON Schema cannot state): each track sorted,
    one keyframe per time, and the page lasting as long as its last keyframe."""
    last = 0.0
    for layer in page.get("layers") or []:
        tracks = layer.get("keyframes") if isinstance(layer, dict) else None
        if not isinstance(tracks, dict):
            continue
        for name, frames in tracks.items():
            if not isinstance(frames, list):
                continue
            by_time = {f["time"]: f for f in frames if isinstance(f, dict) and isinstance(f.get("time"), int | float)}
            tracks[name] = [by_time[t] for t in sorted(by_time)] or None
            last = max([last, *by_time])
    if last > 0 and not (isinstance(page.get("duration"), int | float) and page["duration"] >= last):
        page["duration"] = last
