"""Cost per 1,000 small renders, measured: N renders of social-card (PNG 1200×630) to one S3 storage on the local stack.

Run: .venv/bin/python bench/cost.py [--renders 50] [--warmup 3] [--large-runs 3]   (make bench-cost)

Each render is one `POST /v1/renders` through the real render handler and one S3 event through the real deliver
handler, strictly one after the other (the next render starts when its delivery has finished), so every figure
belongs to exactly one invocation. Per invocation it records:
  - wall time (perf_counter) and CPU time of the handler's thread (thread_time): CPU is what shrinks or stretches
    with Lambda's memory size, the rest is waiting on AWS (here moto server on loopback, in this process);
  - every AWS call the handler makes (botocore's _make_api_call): DynamoDB writes and reads in capacity units,
    S3 requests on the staging bucket, Secrets Manager, KMS, SQS;
  - the bytes the handler writes to its log (Powertools Logger at INFO, as deployed, and the EMF metric lines).
Then it prices one render at each memory size with the public prices in PRICES (docs/COST.md names their sources):
duration(M) = CPU × 1,769 / min(M, 1,769) + waiting, billed per ms.

Case (b), one 100 MB file to three S3 destinations: the deliver code path (S3Destination, deployed settings and
client configuration) streams a 100 MB staged object from one SeaweedFS server to three buckets on another, in turn,
as one invocation does; wall time and the process's CPU time (all threads) per run, median of --large-runs.
Writes docs/bench/cost.json and prints both tables. A script, not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import re
import statistics
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import botocore.client

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._stack import session_with_s3_storage, workspaces  # noqa: E402

OUT = ROOT / "docs" / "bench"

# us-east-1, arm64 (the functions' architecture since session 8; x86_64 was $0.0000166667 per GB-s), on-demand, no
# free tier; looked up 2026-11-23 and 2026-12-03 (sources in docs/COST.md).
PRICES = {
    "lambda_gb_second": 0.0000133334,
    "lambda_request": 0.20 / 1e6,
    "http_api_request": 1.00 / 1e6,
    "dynamodb_wru": 0.625 / 1e6,
    "dynamodb_rru": 0.125 / 1e6,
    "s3_put_class": 0.005 / 1000,
    "s3_get_class": 0.0004 / 1000,
    "s3_gb_month": 0.023,
    "dynamodb_gb_month": 0.25,  # Standard table class, past the free 25 GB
    "dynamodb_pitr_gb_month": 0.20,  # continuous backups (PointInTimeRecoveryEnabled in template.yaml)
    "xray_trace": 5.00 / 1e6,
    "logs_gb": 0.50,
    "secrets_call": 0.05 / 10000,
    "kms_call": 0.03 / 10000,
    "sqs_request": 0.40 / 1e6,
}
FULL_VCPU_MB = 1769  # Lambda gives one full vCPU at 1,769 MB, CPU in proportion to memory below it
MEMORY_SIZES = (512, 1024, 1769, 3008)
# Lambda writes START, END and REPORT lines per invocation (~0.35 KB with the REPORT's figures), not seen here.
PLATFORM_LOG_BYTES = 350
# The HTTP API's access log line (template.yaml AccessLogSettings): ~300 B per request, estimated from its format.
ACCESS_LOG_BYTES = 300
# X-Ray's default sampling: 1 request a second, then 5 %; at a steady ≥ 1 render/s about 5 % of renders, 2 traces each
# (an S3 event starts a new trace).
XRAY_TRACES_PER_RENDER = 2 * 0.05
# Table items live RENDER_RETENTION (30 days), then TTL deletes them, usually within a day or two: 31 days on average.
ITEM_DAYS = 31
ITEM_OVERHEAD_BYTES = 100  # DynamoDB adds 100 bytes of indexing overhead to every item's billed size
COLD_START_SHARE = 0.01  # of invocations; AWS: under 1 % for production workloads
S3_PUT_CLASS = {"PutObject", "CopyObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload"}
S3_PUT_CLASS |= {"ListObjects", "ListObjectsV2", "ListMultipartUploads", "UploadPartCopy"}
S3_GET_CLASS = {"GetObject", "HeadObject"}
DYNAMO_WRITES = {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
DYNAMO_READS = {"GetItem", "Query", "Scan", "BatchGetItem", "TransactGetItems"}


# ---------------------------------------------------------------- what one invocation did


class Invocation:
    def __init__(self, function: str) -> None:
        self.function = function
        self.wall = self.cpu = 0.0
        self.calls: Counter[str] = Counter()
        self.wru = self.rru = 0.0
        self.staging_put = self.staging_get = 0
        self.log_bytes = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "wall_ms": round(self.wall * 1000, 2),
            "cpu_ms": round(self.cpu * 1000, 2),
            "wru": self.wru,
            "rru": self.rru,
            "staging_put": self.staging_put,
            "staging_get": self.staging_get,
            "log_bytes": self.log_bytes,
            "calls": dict(self.calls),
        }


_current = threading.local()


def typed(value: Any) -> Any:
    """The wire form of a value (botocore sees the resource layer's Python values before they are serialised)."""
    from boto3.dynamodb.types import TypeSerializer

    if isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("S", "N", "B", "BOOL", "NULL", "M", "L"):
        return value
    try:
        return TypeSerializer().serialize(value)
    except (TypeError, ValueError):
        return {"S": json.dumps(value, default=str)}


def attribute_size(value: Any) -> int:
    """DynamoDB's item size rule, near enough: names and values in UTF-8 bytes, numbers ~ their digits."""
    value = typed(value)
    if isinstance(value, dict) and len(value) == 1:
        kind, inner = next(iter(value.items()))
        if kind in ("S", "N"):
            return len(str(inner).encode())
        if kind == "B":
            return len(inner)
        if kind in ("BOOL", "NULL"):
            return 1
        if kind == "M":
            return 3 + sum(len(k.encode()) + attribute_size(v) for k, v in inner.items())
        if kind == "L":
            return 3 + sum(1 + attribute_size(v) for v in inner)
        if kind in ("SS", "NS"):
            return sum(len(str(v).encode()) for v in inner)
    return len(json.dumps(value, default=str).encode())


def item_wru(item: dict[str, Any], index_keys: set[str]) -> float:
    size = sum(len(k.encode()) + attribute_size(v) for k, v in item.items())
    return math.ceil(size / 1024) + (1 if index_keys & item.keys() else 0)


def update_wru(params: dict[str, Any], index_keys: set[str]) -> float:
    """An update of a small item: 1 WRU; +1 when it removes an index key (the index entry is deleted), +2 when it
    sets one (the entry is deleted and written again; +1 would do for an item that had none, which is not known
    here). Items here stay under 1 KB: the scan at the end reports the largest."""
    names = params.get("ExpressionAttributeNames", {})
    expression = params.get("UpdateExpression", "")
    for placeholder, name in names.items():
        expression = expression.replace(placeholder, name)
    clauses = re.split(r"\b(SET|REMOVE|ADD|DELETE)\b", expression)
    touched = {clause: text for clause, text in zip(clauses[1::2], clauses[2::2], strict=True)}

    def names_in(clause: str) -> set[str]:
        return {re.sub(r"\W", "", term.split("=")[0]) for term in touched.get(clause, "").split(",")}

    if index_keys & names_in("SET"):
        return 3
    return 2 if index_keys & names_in("REMOVE") else 1


def count_call(record: Invocation, operation: str, params: dict[str, Any], staging: str, index_keys: set[str]) -> None:
    record.calls[operation] += 1
    if operation == "PutItem":
        record.wru += item_wru(params["Item"], index_keys)
    elif operation in ("UpdateItem", "DeleteItem"):
        record.wru += update_wru(params, index_keys) if operation == "UpdateItem" else 1
    elif operation == "BatchWriteItem":
        for requests_ in params["RequestItems"].values():
            for request in requests_:
                put = request.get("PutRequest")
                record.wru += item_wru(put["Item"], index_keys) if put else 1
    elif operation == "TransactWriteItems":  # transactions cost two units per item
        for item in params["TransactItems"]:
            if "Put" in item:
                record.wru += 2 * item_wru(item["Put"]["Item"], index_keys)
            elif "Update" in item:
                record.wru += 2 * update_wru(item["Update"], index_keys)
            else:
                record.wru += 2
    elif operation in DYNAMO_READS:
        record.rru += 1.0 if params.get("ConsistentRead") else 0.5  # items and pages here are under 4 KB
    elif params.get("Bucket") == staging:
        if operation in S3_PUT_CLASS:
            record.staging_put += 1
        elif operation in S3_GET_CLASS:
            record.staging_get += 1


def instrument_aws(staging: str, index_keys: set[str]) -> None:
    original = getattr(botocore.client.BaseClient, "_make_api_call")  # noqa: B009 - private: absent from the stubs

    def counted(self: Any, operation: str, params: dict[str, Any]) -> Any:
        record = getattr(_current, "record", None)
        if record is not None:
            count_call(record, operation, params, staging, index_keys)
        return original(self, operation, params)

    setattr(botocore.client.BaseClient, "_make_api_call", counted)  # noqa: B010 - botocore has no public hook for it


class CountingSink(io.TextIOBase):
    """Stands in for stdout: counts the bytes written by the invocation running now, writes them nowhere."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        record = getattr(_current, "record", None)
        if record is not None:
            record.log_bytes += len(text.encode())
        return len(text)


def measured(function: str, handler: Callable[..., Any], sink: list[Invocation], done: threading.Event | None) -> Any:
    def run(event: Any, context: Any) -> Any:
        record = Invocation(function)
        _current.record = record
        start, cpu = time.perf_counter(), time.thread_time()
        try:
            return handler(event, context)
        finally:
            record.cpu = time.thread_time() - cpu
            record.wall = time.perf_counter() - start
            _current.record = None
            sink.append(record)
            if done is not None:
                done.set()

    return run


# ---------------------------------------------------------------- pricing


def duration_at(memory_mb: int, cpu_s: float, wait_s: float) -> float:
    return cpu_s * FULL_VCPU_MB / min(memory_mb, FULL_VCPU_MB) + wait_s


def billed_seconds(seconds: float) -> float:
    return math.ceil(seconds * 1000) / 1000  # Lambda bills per ms


def gb_months(nbytes: float, days: float) -> float:
    return nbytes / 1e9 * days / 30


def init_gb_seconds(cold: dict[str, float], memory: dict[str, int]) -> float:
    """Cold starts' billed INIT: COLD_START_SHARE of each function's invocations."""
    return sum(COLD_START_SHARE * cold[name] * memory[name] / 1024 for name in ("render", "deliver"))


def table_storage_cost(nbytes: float) -> float:
    """$ for items of ``nbytes`` kept ITEM_DAYS, with point-in-time recovery."""
    return gb_months(nbytes, ITEM_DAYS) * (PRICES["dynamodb_gb_month"] + PRICES["dynamodb_pitr_gb_month"])


def log_bytes(measured: float) -> float:
    """Measured handler log bytes plus the lines we cannot see here: two invocations' START/END/REPORT, the API's
    access log."""
    return measured + 2 * PLATFORM_LOG_BYTES + ACCESS_LOG_BYTES


def lambda_duration(function: str, memory_mb: int, seconds: float, detail: str) -> tuple[str, str, float]:
    return (
        f"Lambda duration, {function} ({memory_mb} MB)",
        detail,
        1000 * seconds * memory_mb / 1024 * PRICES["lambda_gb_second"],
    )


def price_render(
    render: dict[str, float],
    deliver: dict[str, float],
    memory: dict[str, int],
    cold: dict[str, float],
    staging_days: int,
) -> list[tuple[str, str, float]]:
    """Rows (item, quantity per render, $ per 1,000 renders) for one render and its delivery."""
    p = PRICES
    rows: list[tuple[str, str, float]] = []
    for name, m in (("render", render), ("deliver", deliver)):
        mb = memory[name]
        seconds = billed_seconds(duration_at(mb, m["cpu_s"], m["wait_s"]))
        detail = (
            f"{seconds * 1000:.0f} ms: {m['cpu_s'] * 1000:.1f} ms CPU × {FULL_VCPU_MB}/{min(mb, FULL_VCPU_MB)}"
            f" + {m['wait_s'] * 1000:.1f} ms waiting"
        )
        rows.append(lambda_duration(name, mb, seconds, detail))
    rows.append(
        (
            "Lambda INIT (cold starts)",
            f"{COLD_START_SHARE:.0%} × ({cold['render']:.2f} + {cold['deliver']:.2f}) s",
            1000 * init_gb_seconds(cold, memory) * p["lambda_gb_second"],
        )
    )
    rows.append(("Lambda requests", "2", 1000 * 2 * p["lambda_request"]))
    rows.append(("HTTP API requests", "1", 1000 * p["http_api_request"]))
    wru, rru = render["wru"] + deliver["wru"], render["rru"] + deliver["rru"]
    rows.append(("DynamoDB writes", f"{wru:.2f} WRU", 1000 * wru * p["dynamodb_wru"]))
    rows.append(("DynamoDB reads", f"{rru:.2f} RRU", 1000 * rru * p["dynamodb_rru"]))
    puts = render["staging_put"] + deliver["staging_put"]
    gets = render["staging_get"] + deliver["staging_get"]
    rows.append(
        (
            "S3 requests, staging",
            f"{puts:.2f} PUT-class, {gets:.2f} GET-class",
            1000 * (puts * p["s3_put_class"] + gets * p["s3_get_class"]),
        )
    )
    rows.append(
        (
            "S3 storage, staging",
            f"{render['staged_bytes'] / 1000:.0f} KB for {staging_days} days",
            1000 * gb_months(render["staged_bytes"], staging_days) * p["s3_gb_month"],
        )
    )
    rows.append(
        (
            "DynamoDB storage and backups",
            f"{render['table_bytes']:.0f} B of items for {ITEM_DAYS} days, point-in-time recovery on",
            1000 * table_storage_cost(render["table_bytes"]),
        )
    )
    measured = render["log_bytes"] + deliver["log_bytes"]
    logged = log_bytes(measured)
    rows.append(
        (
            "CloudWatch Logs",
            f"{logged / 1000:.1f} KB (measured {measured:.0f} B + 2 × {PLATFORM_LOG_BYTES} B START/END/REPORT"
            f" + {ACCESS_LOG_BYTES} B API access log, estimated)",
            1000 * logged / 1e9 * p["logs_gb"],
        )
    )
    rows.append(
        (
            "X-Ray (Tracing: Active)",
            f"{XRAY_TRACES_PER_RENDER:g} traces: default sampling at a steady ≥ 1 render/s",
            1000 * XRAY_TRACES_PER_RENDER * p["xray_trace"],
        )
    )
    secrets, kms, sqs = (render[k] + deliver[k] for k in ("secrets_calls", "kms_calls", "sqs_calls"))
    rows.append(
        (
            "Secrets Manager, KMS, SQS",
            f"{secrets:g}, {kms:g}, {sqs:g} calls",
            1000 * (secrets * p["secrets_call"] + kms * p["kms_call"] + sqs * p["sqs_request"]),
        )
    )
    return rows


# ---------------------------------------------------------------- case (b): 100 MB to three destinations


LARGE_BYTES = 100 * 1000 * 1000
LARGE_DESTINATIONS = 3


def measure_large(runs: int) -> dict[str, Any]:
    """Deliver one 100 MB staged file to three buckets on another S3 server, as DeliverFunction does, ``runs`` times."""
    import tempfile

    import boto3
    from botocore.config import Config

    from bench._procs import GeneratedFile
    from courier.destinations.base import DeliveryOptions, StagedFile
    from courier.destinations.registry import Transport
    from courier.destinations.s3 import S3Destination
    from courier.providers.s3 import R2_S3
    from tests.fakes.seaweedfs import SeaweedFS

    transport = Transport()
    with tempfile.TemporaryDirectory(prefix="bench-cost-") as tmp:
        staging_server = SeaweedFS("AKIASTAGINGCOST00001", "staging-secret", data_dir=Path(tmp) / "a")
        customer_server = SeaweedFS("AKIACUSTOMERCOST0001", "customer-secret", data_dir=Path(tmp) / "b")
        with staging_server, customer_server:
            staging = staging_server.client()
            # As the registry builds it for R2: unsigned payloads, the closest over plain http to what AWS does (its
            # uploads stream unsigned with a CRC32 trailer, which needs https).
            customer = boto3.client(
                "s3",
                endpoint_url=customer_server.endpoint,
                region_name="us-east-1",
                aws_access_key_id=customer_server.access_key,
                aws_secret_access_key=customer_server.secret_key,
                config=R2_S3.merge(Config(max_pool_connections=max(16, transport.s3_concurrency + 2))),
            )
            staging.create_bucket(Bucket="staging")
            buckets = [f"customer-{i}" for i in range(LARGE_DESTINATIONS)]
            for bucket in buckets:
                customer.create_bucket(Bucket=bucket)
                customer.put_object(Bucket=bucket, Key="warm-up", Body=b"x")
            source = GeneratedFile(LARGE_BYTES)
            checksum = source.sha256()
            staging.upload_fileobj(source, "staging", "staging/large.bin")
            staged = StagedFile(
                key="staging/large.bin",
                size=LARGE_BYTES,
                checksum=checksum,
                content_type="application/octet-stream",
                opener=lambda: staging.get_object(Bucket="staging", Key="staging/large.bin")["Body"],
            )
            results = []
            for run in range(runs):
                start, cpu = time.perf_counter(), time.process_time()
                for bucket in buckets:
                    destination = S3Destination(
                        customer,
                        bucket,
                        part_size=transport.s3_part_size,
                        concurrency=transport.s3_concurrency,
                        single_put_max=transport.s3_single_put_max,
                    )
                    destination.deliver(staged, f"renders/{run}/large.bin", DeliveryOptions("application/octet-stream"))
                results.append((time.perf_counter() - start, time.process_time() - cpu))
    wall = statistics.median(r[0] for r in results)
    cpu_s = statistics.median(r[1] for r in results)
    return {
        "bytes": LARGE_BYTES,
        "destinations": LARGE_DESTINATIONS,
        "runs": [{"wall_s": round(w, 3), "cpu_s": round(c, 3)} for w, c in results],
        "wall_s": wall,
        "cpu_s": cpu_s,
        "mb_per_s_per_destination": LARGE_BYTES * LARGE_DESTINATIONS / wall / 1e6,
    }


def price_large(
    large: dict[str, Any],
    small_render: dict[str, float],
    small_deliver: dict[str, float],
    memory: dict[str, int],
    cold: dict[str, float],
    staging_days: int,
) -> list[tuple[str, str, float]]:
    """Rows for one 100 MB file delivered to three S3 destinations in the same region (data transfer free).

    Render: the small render's handler time plus staging the 100 MB (one PutObject at the measured per-destination
    rate). Deliver: the measured streaming, its CPU stretched below 1,769 MB and added to its waiting as in (a) (no
    credit for overlap), plus the small delivery's per-destination overhead (claim, settle, HEAD) per destination."""
    p = PRICES
    n = large["destinations"]
    rate = large["mb_per_s_per_destination"] * 1e6
    staging_upload = large["bytes"] / rate
    rows: list[tuple[str, str, float]] = []
    mb = memory["render"]
    render_s = billed_seconds(duration_at(mb, small_render["cpu_s"], small_render["wait_s"]) + staging_upload)
    detail = f"{render_s:.2f} s (incl. {staging_upload:.2f} s staging upload)"
    rows.append(lambda_duration("render", mb, render_s, detail))
    mb = memory["deliver"]
    streaming = duration_at(mb, large["cpu_s"], max(0.0, large["wall_s"] - large["cpu_s"]))
    overhead = n * duration_at(mb, small_deliver["cpu_s"], small_deliver["wait_s"])
    deliver_s = billed_seconds(streaming + overhead)
    detail = (
        f"{deliver_s:.2f} s: {large['wall_s']:.2f} s streaming ({large['cpu_s']:.2f} s CPU)"
        f" + {n} × per-destination overhead"
    )
    rows.append(lambda_duration("deliver", mb, deliver_s, detail))
    init = init_gb_seconds(cold, memory) * p["lambda_gb_second"]
    rows.append(("Lambda INIT and requests", "as in (a)", 1000 * (init + 2 * p["lambda_request"])))
    rows.append(("HTTP API requests", "1", 1000 * p["http_api_request"]))
    # Per extra destination: its delivery item and index entry, a claim, a settle and the index removal.
    wru = small_render["wru"] + small_deliver["wru"] + (n - 1) * 5
    rru = small_render["rru"] + small_deliver["rru"]
    rows.append(
        ("DynamoDB", f"{wru:.2f} WRU, {rru:.2f} RRU", 1000 * (wru * p["dynamodb_wru"] + rru * p["dynamodb_rru"]))
    )
    rows.append(("S3 requests, staging", f"1 PUT, {n} GET", 1000 * (p["s3_put_class"] + n * p["s3_get_class"])))
    staged = 1000 * gb_months(large["bytes"], staging_days) * p["s3_gb_month"]
    rows.append(("S3 storage, staging", f"100 MB for {staging_days} days", staged))
    logged = log_bytes(small_render["log_bytes"] + n * small_deliver["log_bytes"])
    rows.append(("CloudWatch Logs", f"{logged / 1000:.1f} KB", 1000 * logged / 1e9 * p["logs_gb"]))
    table_bytes = small_render["table_bytes"] + (n - 1) * 1100  # another delivery item (~1 KB) per destination
    table_cost = 1000 * table_storage_cost(table_bytes)
    rows.append(("DynamoDB storage and backups", f"{table_bytes:.0f} B for {ITEM_DAYS} days", table_cost))
    rows.append(("X-Ray", f"{XRAY_TRACES_PER_RENDER:g} traces", 1000 * XRAY_TRACES_PER_RENDER * p["xray_trace"]))
    return rows


# ---------------------------------------------------------------- the run


def summarise(records: list[Invocation]) -> dict[str, Any]:
    def mean(values: list[float]) -> float:
        return statistics.fmean(values) if values else 0.0

    calls = Counter[str]()
    for r in records:
        calls.update(r.calls)
    cpu = mean([r.cpu for r in records])
    wall = mean([r.wall for r in records])
    return {
        "invocations": len(records),
        "wall_s": wall,
        "wall_p50_s": statistics.median([r.wall for r in records]),
        "cpu_s": cpu,
        "cpu_p50_s": statistics.median([r.cpu for r in records]),
        "wait_s": max(0.0, wall - cpu),
        "wru": mean([r.wru for r in records]),
        "rru": mean([r.rru for r in records]),
        "staging_put": mean([r.staging_put for r in records]),
        "staging_get": mean([r.staging_get for r in records]),
        "log_bytes": mean([r.log_bytes for r in records]),
        "secrets_calls": mean([r.calls["GetSecretValue"] for r in records]),
        "kms_calls": mean([r.calls["Encrypt"] + r.calls["Decrypt"] for r in records]),
        "sqs_calls": mean([r.calls["SendMessage"] for r in records]),
        "calls_per_invocation": {k: round(v / len(records), 2) for k, v in sorted(calls.items())},
    }


def template_facts() -> dict[str, Any]:
    import yaml

    from courier_tools.local.stack import _CfnLoader

    template = yaml.load((ROOT / "template.yaml").read_text(), Loader=_CfnLoader)
    default = template["Globals"]["Function"]["MemorySize"]
    resources = template["Resources"]
    memory = {
        name: resources[logical]["Properties"].get("MemorySize", default)
        for name, logical in (("render", "RenderFunction"), ("deliver", "DeliverFunction"))
    }
    rules = resources["StagingBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    days = next(r["ExpirationInDays"] for r in rules if "ExpirationInDays" in r)
    indexes = resources["Table"]["Properties"].get("GlobalSecondaryIndexes", [])
    index_keys = {k["AttributeName"] for i in indexes for k in i["KeySchema"]}
    return {"memory_mb": memory, "staging_days": days, "index_keys": sorted(index_keys)}


def cold_starts() -> dict[str, float]:
    """The latest bench/coldstart.py medians (import + first invocation), the INIT Lambda bills."""
    path = OUT / "coldstart.json"
    try:
        by = {name: r["total_s"] for name, r in json.loads(path.read_text())["results"].items()}
        return {
            "render": max(v for k, v in by.items() if k.startswith("render")),
            "deliver": max(v for k, v in by.items() if k.startswith("deliver")),
        }
    except (OSError, KeyError, ValueError) as exc:
        print(f"no usable {path} ({exc}): assuming 0.5 s cold starts", file=sys.stderr)
        return {"render": 0.5, "deliver": 0.5}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--renders", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--large-runs", type=int, default=3, help="runs of case (b); 0 to skip it")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()

    from courier_tools.local.demo import free_port
    from courier_tools.local.stack import STAGING_BUCKET, LocalStack, LocalStackConfig

    facts = template_facts()
    config = LocalStackConfig(port=free_port(), aws_port=free_port(), workspaces=workspaces(), log_level="INFO")
    started, load = time.time(), [round(x, 2) for x in os.getloadavg()]
    real_stdout = sys.stdout
    with LocalStack(config) as stack:
        os.environ["POWERTOOLS_METRICS_DISABLED"] = "false"  # deployed: EMF lines are written, and billed as logs
        os.environ["POWERTOOLS_METRICS_NAMESPACE"] = "RenderCourier"
        instrument_aws(STAGING_BUCKET, set(facts["index_keys"]))
        sink = CountingSink()
        for handler in logging.getLogger(os.environ["POWERTOOLS_SERVICE_NAME"]).handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(sink)
        renders: list[Invocation] = []
        deliveries: list[Invocation] = []
        delivered = threading.Event()
        render_module, deliver_module = stack._render, stack._deliver
        assert render_module is not None and deliver_module is not None
        for module, sink_list, done in ((render_module, renders, None), (deliver_module, deliveries, delivered)):
            name = module.__name__.removesuffix("_handler")
            setattr(module, "lambda_handler", measured(name, module.lambda_handler, sink_list, done))  # noqa: B010

        session = session_with_s3_storage(stack)
        renders.clear()  # that was the storage's PUT, not a render
        sys.stdout = sink  # EMF metric lines are printed
        try:
            for i in range(args.warmup + args.renders):
                renders_before, deliveries_before = len(renders), len(deliveries)
                delivered.clear()
                answer = session.post(
                    f"{stack.api_url}/v1/renders",
                    json={"templateId": "social-card", "modifications": {"headline": f"Cost run {i}"}},
                    timeout=30,
                )
                answer.raise_for_status()
                if not delivered.wait(30) or len(deliveries) != deliveries_before + 1:
                    raise SystemExit(f"render {i}: no single delivery within 30 s")
                if i < args.warmup:
                    del renders[renders_before:], deliveries[deliveries_before:]
        finally:
            sys.stdout = real_stdout
            renders, deliveries = list(renders), list(deliveries)  # the check below is no render
        status = session.get(f"{stack.api_url}/v1/renders/{answer.json()['id']}", timeout=30).json()
        assert status["connections"][0]["status"] == "success", status
        staged = stack.client("s3").list_objects_v2(Bucket=STAGING_BUCKET, Prefix="staging/")["Contents"]
        staged_bytes = statistics.fmean(o["Size"] for o in staged)
        items = stack.client("dynamodb").scan(TableName=os.environ["COURIER_TABLE_NAME"])["Items"]
        sizes = {id(item): sum(len(k.encode()) + attribute_size(v) for k, v in item.items()) for item in items}
        largest_item = max(sizes.values())
        # What each render leaves in the table for its retention: its render, file and delivery items.
        kept = [item for item in items if item["pk"]["S"].startswith(("RENDER#", "FILE#"))]
        rendered = args.warmup + args.renders
        table_bytes = sum(sizes[id(item)] + ITEM_OVERHEAD_BYTES for item in kept) / rendered

    large = measure_large(args.large_runs) if args.large_runs else None
    render, deliver = summarise(renders), summarise(deliveries)
    render["staged_bytes"] = staged_bytes
    render["table_bytes"] = table_bytes
    cold = cold_starts()
    sweep = []
    for mb in MEMORY_SIZES:
        rows = price_render(render, deliver, {"render": mb, "deliver": mb}, cold, facts["staging_days"])
        sweep.append({"memory_mb": mb, "per_1000_usd": round(sum(r[2] for r in rows), 5)})
    deployed = price_render(render, deliver, facts["memory_mb"], cold, facts["staging_days"])
    total = sum(r[2] for r in deployed)
    large_rows, large_sweep = [], []
    if large is not None:
        large_rows = price_large(large, render, deliver, facts["memory_mb"], cold, facts["staging_days"])
        for mb in MEMORY_SIZES:
            rows = price_large(large, render, deliver, {"render": mb, "deliver": mb}, cold, facts["staging_days"])
            large_sweep.append({"memory_mb": mb, "per_1000_usd": round(sum(r[2] for r in rows), 4)})
    report = {
        "command": "python bench/cost.py " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "load_average_1_5_15_at_start": load,
        "renders": args.renders,
        "template": facts,
        "cold_start_s": cold,
        "largest_item_bytes": largest_item,
        "render": render,
        "deliver": deliver,
        "deployed": {
            "rows": [{"item": i, "quantity": q, "usd_per_1000": round(c, 5)} for i, q, c in deployed],
            "per_1000_usd": round(total, 5),
        },
        "memory_sweep_same_size_both": sweep,
        "large": large,
        "large_deployed": {
            "rows": [{"item": i, "quantity": q, "usd_per_1000": round(c, 4)} for i, q, c in large_rows],
            "per_1000_usd": round(sum(r[2] for r in large_rows), 4),
        },
        "large_memory_sweep_same_size_both": large_sweep,
        "prices": PRICES,
        "target_per_1000_usd": 0.02,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cost.json").write_text(json.dumps(report, indent=2) + "\n")
    for name, m in (("render", render), ("deliver", deliver)):
        print(
            f"{name:<8} wall mean {m['wall_s'] * 1000:6.1f} ms (p50 {m['wall_p50_s'] * 1000:.1f}), "
            f"CPU mean {m['cpu_s'] * 1000:6.1f} ms (p50 {m['cpu_p50_s'] * 1000:.1f}), calls {m['calls_per_invocation']}"
        )
    print(f"\nlargest table item: {largest_item} B; staged file {staged_bytes:.0f} B\n")
    print("| item | quantity per render | $ per 1,000 |\n|---|---|---|")
    for item, quantity, cost in deployed:
        print(f"| {item} | {quantity} | {cost:.5f} |")
    print(f"| **total** | | **{total:.4f}** |\n")
    print("memory (both functions): " + ", ".join(f"{s['memory_mb']} MB ${s['per_1000_usd']:.4f}" for s in sweep))
    if large is not None:
        print(f"\n(b) 100 MB to 3 destinations: {large['runs']}\n| item | quantity | $ per 1,000 |\n|---|---|---|")
        for item, quantity, cost in large_rows:
            print(f"| {item} | {quantity} | {cost:.4f} |")
        print(f"| **total** | | **{sum(r[2] for r in large_rows):.3f}** |")
        print("memory: " + ", ".join(f"{s['memory_mb']} MB ${s['per_1000_usd']:.3f}" for s in large_sweep))
    print(f"\nwrote {out / 'cost.json'}")


if __name__ == "__main__":
    main()
