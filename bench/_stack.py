"""The local stack as the latency and cost benchmarks use it: one workspace, one S3 storage as its default."""

from __future__ import annotations

from typing import Any

import requests

API_KEY = "rc_bench_key_0001"
BUCKET = "bench-renders"


def workspaces() -> list[tuple[str, str | None]]:
    return [("bench", API_KEY)]


def session_with_s3_storage(stack: Any) -> requests.Session:
    """A session authorised as the bench workspace, whose default storage is a bucket on the stack's S3."""
    stack.client("s3").create_bucket(Bucket=BUCKET)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {API_KEY}"
    storage: dict[str, Any] = {
        "provider": "s3",
        "bucket": BUCKET,
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEBENCH0001", "secretAccessKey": "bench"},
    }
    session.put(f"{stack.api_url}/v1/storage/default", json=storage, timeout=30).raise_for_status()
    return session
