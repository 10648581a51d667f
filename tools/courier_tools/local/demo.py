"""`make demo`: start the local stack, connect a customer bucket, render social-card, show where it landed."""

from __future__ import annotations

import json
import socket
import sys
import time
import urllib.error
import urllib.request
from typing import Any

from courier_tools.local.stack import LocalStack, LocalStackConfig

CUSTOMER_BUCKET = "acme-renders"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def call(stack: LocalStack, key: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    request = urllib.request.Request(  # noqa: S310 - our own local endpoint
        stack.api_url + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our own local endpoint
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def main() -> int:
    config = LocalStackConfig(port=free_port(), aws_port=free_port())
    print(f"Starting the local stack (API {config.host}:{config.port}, AWS emulation {config.host}:{config.aws_port})…")
    started = time.monotonic()
    with LocalStack(config) as stack:
        _, key = stack.seeded["demo"]
        print(f"  ready in {time.monotonic() - started:.1f}s; demo workspace key {key[:7]}… (shown once)")

        stack.client("s3").create_bucket(Bucket=CUSTOMER_BUCKET)
        storage = {
            "provider": "s3",
            "bucket": CUSTOMER_BUCKET,
            "region": "us-east-1",
            "prefix": "renders",
            "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEDEMO00001", "secretAccessKey": "demo-secret-key"},
        }
        status, answer = call(stack, key, "PUT", "/v1/storage/default", storage)
        print(f"PUT /v1/storage/default → {status}: bucket {answer['bucket']}, auth {answer['auth']['type']}")

        render = {
            "templateId": "social-card",
            "modifications": {"headline": "Hello from Render Courier", "subtitle": "rendered and delivered locally"},
            "response": {"type": "url", "format": "png", "fileName": "demo-banner"},
            "connections": [{"type": "storage", "provider": "s3", "folder": "marketing/banners/2026"}],
            "wait": 10,
        }
        sent = time.monotonic()
        status, answer = call(stack, key, "POST", "/v1/renders", render)
        latency = time.monotonic() - sent
        if status != 200:
            print(f"POST /v1/renders → {status}: {answer}")
            return 1
        connection = answer["connections"][0]
        delivered = connection["files"][0] if connection["files"] else {}
        print(f"POST /v1/renders → {status}: render {answer['id']} ({answer['status']})")
        print(f"  render time (in the function)   {answer['data']['responseTime']}")
        print(f"  render → delivered (with wait)  {latency:.2f}s")
        print(f"  connection status               {connection['status']}")
        print(f"  delivered key                   s3://{CUSTOMER_BUCKET}/{connection['path']}")
        print(f"  size, checksum                  {delivered.get('size')} bytes, {delivered.get('checksum')}")
        for warning in answer["warnings"]:
            print(f"  warning: {warning['title']}")

        head = stack.client("s3").head_object(Bucket=CUSTOMER_BUCKET, Key=connection["path"])
        print(f"  in the customer bucket:         {head['ContentLength']} bytes, {head['ContentType']}")
        status, again = call(stack, key, "GET", f"/v1/renders/{answer['id']}")
        print(f"GET /v1/renders/{answer['id']} → {status}: {again['connections'][0]['status']}")
        print(
            f"The storage console: http://{config.host}:{config.port}/console/ (sign in with the workspace's key; "
            "`make serve` keeps the stack running)"
        )
        ok = connection["status"] == "success" and head["ContentLength"] == delivered.get("size")
    print("Stopped the local stack." + ("" if ok else " The delivery did NOT succeed."))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
