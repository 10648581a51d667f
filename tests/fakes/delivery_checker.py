"""The end-to-end delivery checker: after any mix of faults, every accepted render must end in a state the user
can see and trust.

For every render and destination: a final state through the API (`GET /v1/renders/{id}`); ``success`` ⇒ the object
exists exactly once at the reported key, with the staged file's checksum; ``error`` ⇒ a reason in the API, and (when
the error came after every retry) a dead letter for the staged file in the DLQ. Across each destination: no partial
objects, no stray keys, no dangling multipart upload.

A destination is seen through a ``View`` (an S3 bucket, a folder of the fake Dropbox, the strict presigned server's
objects under a prefix), read directly, never through the fault proxy.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import unquote, unquote_plus, urlsplit

FINAL = {"success", "error", "already_exists", "skipped"}


class View(Protocol):
    name: str

    def objects(self) -> dict[str, bytes]:
        """Every object the destination holds (within the view's scope), by key."""
        ...

    def key_for(self, path: str) -> str:
        """The view's key for a path as the API reports it."""
        ...

    def dangling(self) -> list[str]:
        """Unfinished multipart uploads (S3), as "key uploadId"; [] where the notion does not apply."""
        ...


@dataclass
class S3View:
    name: str
    client: Any
    bucket: str
    prefix: str = ""

    def objects(self) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for item in page.get("Contents", []):
                found[item["Key"]] = self.client.get_object(Bucket=self.bucket, Key=item["Key"])["Body"].read()
        return found

    def key_for(self, path: str) -> str:
        return path

    def dangling(self) -> list[str]:
        uploads = self.client.list_multipart_uploads(Bucket=self.bucket, Prefix=self.prefix).get("Uploads", [])
        return [f"{u['Key']} {u['UploadId']}" for u in uploads]


@dataclass
class DropboxView:
    name: str
    fake: Any  # tests.fakes.dropbox_api.FakeDropbox
    folder: str  # "/Folder": only paths below it are this view's

    def objects(self) -> dict[str, bytes]:
        inside = [p for p in self.fake.paths() if p.lower().startswith(self.folder.lower() + "/")]
        return {p.lower(): self.fake.read(p) for p in inside}

    def key_for(self, path: str) -> str:
        return path.lower()

    def dangling(self) -> list[str]:
        return []  # an unfinished upload session leaves no file, and Dropbox drops it within a week


@dataclass
class PresignedView:
    name: str
    server: Any  # tests.fakes.strict_presigned.StrictPresignedServer
    prefix: str  # "/bucket/": objects whose decoded path starts with it

    def objects(self) -> dict[str, bytes]:
        return {k: v.body for k, v in list(self.server.objects.items()) if k.startswith(self.prefix)}

    def key_for(self, path: str) -> str:
        return unquote(urlsplit(path).path)  # the API shows scheme://host/path, never the query

    def dangling(self) -> list[str]:
        return []


@dataclass
class AzureView:
    name: str
    container: Any  # azure.storage.blob.ContainerClient, straight to the server (not through a proxy)

    def objects(self) -> dict[str, bytes]:
        return {b.name: self.container.download_blob(b.name).readall() for b in self.container.list_blobs()}

    def key_for(self, path: str) -> str:
        return path

    def dangling(self) -> list[str]:
        # Blocks staged but never committed are invisible (no blob), and Azure discards them after a week; they
        # cannot be removed sooner. A partial object would be a committed blob: objects() sees it.
        return []


@dataclass
class GcsView:
    name: str
    emulator: Any  # tests.fakes.gcs_emulator.GcsEmulator, read directly (not through a proxy)
    buckets: list[str]

    def objects(self) -> dict[str, bytes]:
        return {key: self.emulator.read(bucket, key) for bucket in self.buckets for key in self.emulator.names(bucket)}

    def key_for(self, path: str) -> str:
        return path

    def dangling(self) -> list[str]:
        return []  # a resumable session that is not finalised leaves no object (the adapter cancels it)


@dataclass(frozen=True)
class Expect:
    """What one connection of a render must end as. None: not checked."""

    status: Literal["success", "error", "already_exists", "skipped"]
    attempts: int | None = None
    reason: str | None = None  # a fragment of the error reason (case-insensitive)
    dead_letter: bool | None = None  # True: the DLQ holds the staged file's event; False: it must not


@dataclass
class Checked:
    """The render as the API reported it once final, and what the checker found."""

    render: dict[str, Any]
    staged: dict[str, str] = field(default_factory=dict)  # staged key -> sha256 checksum
    keys: dict[str, set[str]] = field(default_factory=dict)  # view name -> keys that must be there

    def connection(self, index: int) -> dict[str, Any]:
        return dict(self.render["connections"][index])


def final_render(get: Callable[[str], dict[str, Any]], render_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """GET the render until no connection is pending (against a deadline); fails when one stays pending."""
    deadline = time.monotonic() + timeout
    while True:
        render = get(render_id)
        pending = [c for c in render["connections"] if c["status"] not in FINAL]
        if not pending:
            return render
        if time.monotonic() > deadline:
            raise AssertionError(f"render {render_id} still pending after {timeout:g} s: {json.dumps(pending)}")
        time.sleep(0.2)


def dead_letter_keys(sqs: Any, queue_url: str) -> list[str]:
    """The staged keys (decoded) of every message in the DLQ; the messages stay in the queue.

    Each receive hides what it returned (for a while), so the next one returns others: a queue answers at most 10 a
    time, and moto the same 10 again while they stay visible. All of them are made visible again at the end."""
    seen: dict[str, list[str]] = {}
    handles: list[str] = []
    try:
        for _ in range(100):
            messages = sqs.receive_message(
                QueueUrl=queue_url, MaxNumberOfMessages=10, VisibilityTimeout=30, WaitTimeSeconds=0
            ).get("Messages", [])
            if not messages:
                break
            for message in messages:
                handles.append(message["ReceiptHandle"])
                body = json.loads(message["Body"])
                event = body.get("requestPayload", body)
                seen[message["MessageId"]] = [
                    unquote_plus(r["s3"]["object"]["key"]) for r in event.get("Records", []) if "s3" in r
                ]
    finally:
        for start in range(0, len(handles), 10):
            entries = [
                {"Id": str(i), "ReceiptHandle": h, "VisibilityTimeout": 0}
                for i, h in enumerate(handles[start : start + 10])
            ]
            sqs.change_message_visibility_batch(QueueUrl=queue_url, Entries=entries)
    return [key for keys in seen.values() for key in keys]


def check_render(
    render: dict[str, Any],
    expects: list[Expect],
    views: list[View | None],
    staged: dict[str, bytes],
    dead_letters: list[str] | None,
) -> Checked:
    """Assert one final render against what each of its connections must be.

    ``views[i]`` sees connection i's destination; ``staged`` maps each staged key of the render to its bytes;
    ``dead_letters`` are the DLQ's staged keys (None: the DLQ is not checked).
    """
    checked = Checked(render, {key: _sha(body) for key, body in staged.items()})
    assert len(render["connections"]) == len(expects), render
    staged_sums = set(checked.staged.values())
    for index, (connection, expect, view) in enumerate(zip(render["connections"], expects, views, strict=True)):
        where = f"render {render['id']} connection {index} ({connection['provider']})"
        status = connection["status"]
        assert status in FINAL, f"{where}: not final: {status}"
        assert status == expect.status, f"{where}: {status}, expected {expect.status}: {connection}"
        files = connection.get("files") or []
        if expect.attempts is not None:
            assert [f["attempts"] for f in files] == [expect.attempts] * len(files), f"{where}: {files}"
        if status == "success":
            paths = _paths(connection)
            assert paths and all(paths), f"{where}: success without a path: {connection}"
            assert view is not None
            held = view.objects()
            for path, file in zip(paths, files, strict=True):
                key = view.key_for(str(path))
                # Exactly once: present at the reported key, with the bytes that were staged (never a partial object)
                assert key in held, f"{where}: nothing at {key} in {view.name}: {sorted(held)}"
                assert _sha(held[key]) == file["checksum"], f"{where}: {key} holds other bytes than reported"
                assert file["checksum"] in staged_sums, f"{where}: the reported checksum is not the staged file's"
                assert file["size"] == len(held[key]), f"{where}: size {file['size']} != {len(held[key])}"
                checked.keys.setdefault(view.name, set()).add(key)
        elif status == "error":
            reason = connection.get("error") or ""
            assert reason.strip(), f"{where}: an error without a reason"
            assert all((f.get("error") or "").strip() for f in files), f"{where}: a file without a reason: {files}"
            assert _paths(connection) in ([], [None]), f"{where}: an error with a path: {connection}"
            if expect.reason is not None:
                assert expect.reason.lower() in reason.lower(), f"{where}: reason {reason!r} lacks {expect.reason!r}"
        if expect.dead_letter is not None and dead_letters is not None:
            lettered = any(key in dead_letters for key in staged)
            assert lettered == expect.dead_letter, (
                f"{where}: dead letter {'missing' if expect.dead_letter else 'unexpected'} for {sorted(staged)}"
            )
    return checked


def check_destination(view: View, expected_keys: set[str], ignore: Callable[[str], bool] | None = None) -> None:
    """Across one destination: only the keys some success reported (no strays, no partial objects left by a
    failed try under another name), and no dangling multipart upload. ``ignore``: keys left out of the check."""
    held = {key for key in view.objects() if ignore is None or not ignore(key)}
    assert held == expected_keys, (
        f"{view.name}: stray {sorted(held - expected_keys)}, missing {sorted(expected_keys - held)}"
    )
    assert view.dangling() == [], f"{view.name}: dangling multipart uploads {view.dangling()}"


def _paths(connection: dict[str, Any]) -> list[str | None]:
    path = connection.get("path")
    if isinstance(path, list):
        return [p.get("path") for p in path]
    return [path]


def _sha(body: bytes) -> str:
    return f"sha256:{hashlib.sha256(body).hexdigest()}"
