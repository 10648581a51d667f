"""Large files through every adapter: peak memory of the delivering process, and throughput.

Run: .venv/bin/python bench/large.py [--size-mb 2048] [--adapters s3,r2,dropbox,presigned] [--runs 1]

A staged file of --size-mb MiB waits in a staging bucket on SeaweedFS A (`weed mini`, its own keys). Each adapter
delivers it, in a process of its own, exactly as the deliver function does: `DestinationFactory.build(target)`
(the registry, with its deployed client settings) then `Destination.deliver(staged, key, options)`, the staged file
streamed from an S3 GET on A. The destinations:
  s3         an S3 storage with an endpoint (S3-compatible): a bucket on SeaweedFS B, other keys;
  r2         the R2 flavour (region "auto", no ACL/tag/KMS headers, checksums only when required) on B;
  dropbox    the fake Dropbox API over HTTPS (tests/fakes/dropbox_api.py) driven by the real SDK: upload sessions;
             this fake keeps only the size and content_hash of committed sessions, so 2 GiB takes no memory or disk;
  presigned  a SigV4 presigned PUT URL for a bucket on B (SeaweedFS checks the signature and the signed headers).
The delivering process's memory is measured twice: its whole process tree's RSS sampled every 20 ms by the parent,
and its own VmHWM (the kernel's exact high-water mark of its memory). Throughput is size / deliver() time
(interpreter start, imports and client creation excluded, as on a warm Lambda). Each result is checked at the
destination (size, and the SHA-256 or Dropbox content_hash). Writes docs/bench/large.json and prints a table.
The target: peak RSS ≤ 150 MiB whatever the size. A script, not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import secrets
import shlex
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "layers" / "courier")]

from bench._procs import GeneratedFile, MiB, run_measured  # noqa: E402

if TYPE_CHECKING:
    from types_boto3_s3.client import S3Client

OUT = ROOT / "docs" / "bench" / "large.json"
ADAPTERS = ("s3", "r2", "dropbox", "presigned")
STAGING, CUSTOMER, CUSTOMER_R2, CUSTOMER_URL = "staging", "customer", "customer-r2", "customer-url"
# --content-type (video/mp4 for a clip) reaches the delivering children through the environment
CONTENT_TYPE = os.environ.get("BENCH_CONTENT_TYPE", "application/octet-stream")
TARGET_PEAK_MIB = 150


# ---------------------------------------------------------------- the child: one delivery in its own process


class _PlainSealer:
    """Stands in for KMS: the presigned URL travels to the child in the clear (a benchmark, not a deployment)."""

    def unseal(self, sealed: str, workspace_id: str, render_id: str) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(sealed)
        return value


def peak_rss() -> int:
    """This process's RSS high-water mark in bytes: VmHWM (ru_maxrss would also count the parent's pages, which a
    vfork-and-exec child inherits into its high-water mark before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(spec: dict[str, Any]) -> dict[str, Any]:
    """Deliver once as ``spec`` says; report deliver()'s own time, the RSS before it, and its peak RSS."""
    import boto3
    import psutil  # type: ignore[import-untyped,unused-ignore]  # requirements-bench.txt ships no stubs
    from botocore.config import Config

    from courier.destinations.base import DeliveryOptions, StagedFile
    from courier.destinations.registry import DestinationFactory, Transport
    from courier.records import DeliveryTarget

    src, a = spec["src"], spec["a"]
    staging = boto3.client(
        "s3",
        endpoint_url=a["endpoint"],
        region_name="us-east-1",
        aws_access_key_id=a["access_key"],
        aws_secret_access_key=a["secret_key"],
        config=Config(s3={"addressing_style": "path"}, response_checksum_validation="when_required"),
    )
    staged = StagedFile(
        key=src["key"],
        size=src["size"],
        checksum=src["checksum"],
        content_type=CONTENT_TYPE,
        opener=lambda: cast(BinaryIO, staging.get_object(Bucket=src["bucket"], Key=src["key"])["Body"]),
    )
    tuning = {k: v for k, v in spec.get("transport", {}).items() if v}
    factory = DestinationFactory(
        credentials=None,  # type: ignore[arg-type]  # every secret is given to build()
        sealer=_PlainSealer(),  # type: ignore[arg-type]
        allow_local_urls=True,
        transport=Transport(**tuning),  # the deployed defaults unless --s3-part-mib / --s3-concurrency
    )
    target = DeliveryTarget.model_validate(spec["target"])
    destination = factory.build(target, "bench", "bench", secret=spec.get("secret"))
    rss_before = psutil.Process().memory_info().rss
    start = time.perf_counter()
    receipt = destination.deliver(staged, spec["key"], DeliveryOptions(CONTENT_TYPE))
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rss_before": rss_before,
        "peak_rss": peak_rss(),
        "size": receipt.size,
        "checksum": receipt.checksum,
    }


# ---------------------------------------------------------------- a Dropbox fake that keeps no bytes


def sink_dropbox() -> Any:
    """The fake Dropbox, whose upload sessions keep a running size and content_hash instead of the bytes."""
    from tests.fakes.dropbox_api import BLOCK, FakeDropbox, content_hash, route_error

    class Sink:
        def __init__(self) -> None:
            self.size = 0
            self.blocks = hashlib.sha256()  # SHA-256 of the concatenated block digests
            self.tail = b""  # a partial 4 MiB block (chunks are whole blocks except the last)

        def add(self, data: bytes) -> None:
            buffer = self.tail + data
            whole = len(buffer) - len(buffer) % BLOCK
            for i in range(0, whole, BLOCK):
                self.blocks.update(hashlib.sha256(buffer[i : i + BLOCK]).digest())
            self.tail = buffer[whole:]
            self.size += len(data)

        def content_hash(self) -> str:
            final = self.blocks.copy()
            if self.tail:
                final.update(hashlib.sha256(self.tail).digest())
            return final.hexdigest()

    class SinkDropbox(FakeDropbox):
        def reset(self) -> None:
            super().reset()
            self.sinks: dict[str, Sink] = {}
            self.committed: dict[str, tuple[int, str]] = {}  # lower-case path -> (size, content_hash)

        def _route(self, route: str, arg: dict[str, Any], data: bytes) -> Any:
            if not route.startswith("files/upload_session/"):
                return super()._route(route, arg, data)
            if arg.get("content_hash") is not None and arg["content_hash"] != content_hash(data):
                raise route_error("content_hash_mismatch")
            if route == "files/upload_session/start":
                session_id = secrets.token_hex(16)
                self.sinks[session_id] = Sink()
                self.sinks[session_id].add(data)
                return {"session_id": session_id}
            cursor = arg["cursor"]
            sink = self.sinks.get(cursor["session_id"])
            if sink is None:
                raise route_error("lookup_failed", "not_found")
            if cursor["offset"] != sink.size:
                raise route_error("lookup_failed", "incorrect_offset", correct_offset=sink.size)
            sink.add(data)
            if route == "files/upload_session/append_v2":
                return None
            del self.sinks[cursor["session_id"]]
            path = arg["commit"]["path"]
            self.committed[path.lower()] = (sink.size, sink.content_hash())
            stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            return {
                "name": path.rsplit("/", 1)[-1],
                "id": "id:bench000000000001",
                "client_modified": stamp,
                "server_modified": stamp,
                "rev": "0123456789abcdef",
                "size": sink.size,
                "path_lower": path.lower(),
                "path_display": path,
                "is_downloadable": True,
                "content_hash": sink.content_hash(),
            }

    return SinkDropbox()


# ---------------------------------------------------------------- the parent: servers, runs, report


def account(server: Any) -> dict[str, str]:
    return {"endpoint": server.endpoint, "access_key": server.access_key, "secret_key": server.secret_key}


def vacuum(server: Any) -> None:
    """Reclaim deleted objects' space now (SeaweedFS vacuums on its own only every 14 min)."""
    url = f"http://127.0.0.1:{server.ports['master']}/vol/vacuum?garbageThreshold=0.0001"
    try:
        urllib.request.urlopen(url, timeout=600).read()
    except OSError as exc:
        print(f"vacuum failed: {exc}", file=sys.stderr)


def dropbox_hash(source: GeneratedFile) -> str:
    digests = hashlib.sha256()
    source.seek(0)
    while block := source.read(4 * MiB):
        digests.update(hashlib.sha256(block).digest())
    return digests.hexdigest()


def s3_sha256(client: S3Client, bucket: str, key: str) -> str:
    digest = hashlib.sha256()
    body = client.get_object(Bucket=bucket, Key=key)["Body"]
    while chunk := body.read(8 * MiB):
        digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def plan(adapter: str, b: Any, dropbox: Any, size_mib: int) -> tuple[dict[str, Any], dict[str, str], Any]:
    """(child spec, child environment additions, check) for one adapter."""
    key = f"renders/bench/{size_mib}MiB.bin"
    keys = {"access_key_id": b.access_key, "secret_access_key": b.secret_key}
    if adapter in ("s3", "r2"):
        bucket = CUSTOMER if adapter == "s3" else CUSTOMER_R2
        target = {"provider": adapter, "bucket": bucket, "endpoint": b.endpoint, "auth_type": "keys"}
        if adapter == "s3":
            target["region"] = "us-east-1"
        return {"target": target, "secret": keys, "key": key}, {}, ("s3", bucket, key)
    if adapter == "presigned":
        url = b.client().generate_presigned_url(
            "put_object", Params={"Bucket": CUSTOMER_URL, "Key": key, "ContentType": CONTENT_TYPE}, ExpiresIn=3600
        )
        sealed = json.dumps({"url": url, "headers": {"Content-Type": CONTENT_TYPE}})
        target = {"provider": "url", "auth_type": "url", "sealed": sealed}
        return {"target": target, "key": key}, {}, ("s3", CUSTOMER_URL, key)
    path = f"/Bench/{size_mib}MiB.bin"
    secret = {"refresh_token": dropbox.refresh_token, "app_key": dropbox.app_key, "app_secret": dropbox.app_secret}
    env = {
        "DROPBOX_API_HOST": dropbox.api_host,
        "DROPBOX_API_CONTENT_HOST": dropbox.content_host,
        "DROPBOX_API_NOTIFY_HOST": dropbox.api_host,
        "COURIER_DROPBOX_CA_BUNDLE": dropbox.ca_file,
    }
    target = {"provider": "dropbox", "storage": "bench", "auth_type": "dropbox"}
    return {"target": target, "secret": secret, "key": path}, env, ("dropbox", path)


def one_run(
    adapter: str,
    size_mib: int,
    a: Any,
    b: Any,
    dropbox: Any,
    src: dict[str, Any],
    expected: dict[str, str],
    transport: dict[str, int],
) -> dict[str, Any]:
    spec, extra_env, check = plan(adapter, b, dropbox, size_mib)
    spec |= {"a": account(a), "src": src, "transport": transport}
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "DROPBOX_"))} | extra_env
    servers = {"server_a": a.pid, "server_b": b.pid}
    timeout = max(300.0, size_mib / 2)  # ≥ 2 MiB/s or it is broken
    measured = run_measured([sys.executable, __file__, "--child", json.dumps(spec)], servers, env=env, timeout=timeout)
    record: dict[str, Any] = {
        "adapter": adapter,
        "size_mib": size_mib,
        "ok": measured.returncode == 0,
        "error": None,
        "wall_seconds": round(measured.wall_seconds, 2),
        "peak_rss_tree_mib": round(measured.peak_rss / MiB, 1),
    }
    if measured.returncode != 0:
        record["error"] = (measured.stderr or measured.stdout).strip()[-600:]
        return record
    reported = json.loads(measured.stdout.strip().splitlines()[-1])
    record |= {
        "seconds": round(reported["seconds"], 2),
        "mib_per_s": round(size_mib / reported["seconds"], 1),
        "mb_per_s": round(size_mib * MiB / 1e6 / reported["seconds"], 1),
        "peak_rss_mib": round(reported["peak_rss"] / MiB, 1),
        "rss_before_mib": round(reported["rss_before"] / MiB, 1),
    }
    if reported["checksum"] != src["checksum"] or reported["size"] != src["size"]:
        record |= {"ok": False, "error": "the receipt's size or checksum is not the staged file's"}
    elif check[0] == "s3":
        _, bucket, key = check
        client = b.client()
        stored = s3_sha256(client, bucket, key)
        if stored != src["checksum"]:
            record |= {"ok": False, "error": f"the destination holds other bytes ({stored})"}
        client.delete_object(Bucket=bucket, Key=key)
    else:
        held = dropbox.committed.pop(check[1].lower(), None)
        data = dropbox.read(check[1])  # a file small enough for one files/upload request is kept whole
        if data is not None:
            held = (len(data), hashlib.sha256(data).hexdigest())
            expected = {"dropbox": src["checksum"].removeprefix("sha256:")}
            with dropbox._lock:
                dropbox.files.pop(check[1].lower(), None)
        if held != (src["size"], expected["dropbox"]):
            record |= {"ok": False, "error": f"Dropbox holds {held}"}
    return record


def free_mib(path: Path) -> int:
    return shutil.disk_usage(path).free // MiB


def bench(args: argparse.Namespace, adapters: list[str]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    from boto3.s3.transfer import TransferConfig

    from tests.fakes.seaweedfs import SeaweedFS

    size_mib = args.size_mb
    size = size_mib * MiB
    data_root = Path(args.data_dir) if args.data_dir else Path(tempfile.gettempdir())
    # Staging on A once; each S3-family copy on B, deleted and vacuumed after each run; SeaweedFS needs slack.
    needed = 3 * size_mib + 2048
    if free_mib(data_root) < needed:
        raise SystemExit(f"{data_root} has {free_mib(data_root)} MiB free; {needed} MiB are needed for {size_mib} MiB")
    records: list[dict[str, Any]] = []
    transport = {"s3_part_size": (args.s3_part_mib or 0) * MiB, "s3_concurrency": args.s3_concurrency or 0}
    with tempfile.TemporaryDirectory(prefix="bench-large-", dir=data_root) as tmp_name:
        tmp = Path(tmp_name)
        server_a = SeaweedFS("AKIASTAGINGLARGE0001", "staging-large-secret", data_dir=tmp / "a")
        server_b = SeaweedFS("AKIACUSTOMERLARGE001", "customer-large-secret", data_dir=tmp / "b")
        dropbox = sink_dropbox().start() if "dropbox" in adapters else None
        try:
            with server_a, server_b:
                ca, cb = server_a.client(), server_b.client()
                ca.create_bucket(Bucket=STAGING)
                for bucket in (CUSTOMER, CUSTOMER_R2, CUSTOMER_URL):
                    cb.create_bucket(Bucket=bucket)
                    cb.put_object(Bucket=bucket, Key="warm-up", Body=b"x")  # volumes allocated before timing
                source = GeneratedFile(size)
                src = {"bucket": STAGING, "key": f"staging/bench/{size_mib}MiB.bin", "size": size}
                src["checksum"] = source.sha256()
                expected = {"dropbox": dropbox_hash(source)}
                source.seek(0)
                print(f"staging {size_mib} MiB on A …", flush=True)
                ca.upload_fileobj(source, STAGING, src["key"], Config=TransferConfig(multipart_chunksize=64 * MiB))
                for run in range(args.runs):
                    order = adapters[run % len(adapters) :] + adapters[: run % len(adapters)]
                    for adapter in order:
                        record = one_run(adapter, size_mib, server_a, server_b, dropbox, src, expected, transport)
                        record["run"] = run + 1
                        records.append(record)
                        status = "ok" if record["ok"] else f"FAILED: {record['error']}"
                        print(
                            f"  run {run + 1} {adapter:<10} {record.get('mb_per_s', 0):7.1f} MB/s  "
                            f"peak RSS {record['peak_rss_tree_mib']:6.1f} MiB (tree), "
                            f"{record.get('peak_rss_mib', 0):6.1f} MiB (VmHWM)  {status}",
                            flush=True,
                        )
                        if adapter != "dropbox":
                            vacuum(server_b)
                disk = {"free_mib_during": free_mib(data_root)}
        finally:
            if dropbox is not None:
                dropbox.stop()
    return records, disk


def summarise(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    summary = []
    for adapter in dict.fromkeys(r["adapter"] for r in records):
        ok = [r for r in records if r["adapter"] == adapter and r["ok"]]

        def median(field: str, ok: list[dict[str, Any]] = ok) -> float | None:
            values = [r[field] for r in ok if r.get(field) is not None]
            return round(statistics.median(values), 1) if values else None

        def peak(field: str, ok: list[dict[str, Any]] = ok) -> float | None:
            values = [r[field] for r in ok if r.get(field) is not None]
            return max(values) if values else None

        size = records[0]["size_mib"]
        peak_rss = peak("peak_rss_mib")
        summary.append(
            {
                "adapter": adapter,
                "size_mib": size,
                "runs_ok": len(ok),
                "runs": sum(1 for r in records if r["adapter"] == adapter),
                "mb_per_s": median("mb_per_s"),
                "mib_per_s": median("mib_per_s"),
                "peak_rss_mib": peak_rss,  # the highest VmHWM of the runs
                "peak_rss_tree_mib": peak("peak_rss_tree_mib"),
                "rss_before_mib": median("rss_before_mib"),
                "target_met": None if peak_rss is None else peak_rss <= TARGET_PEAK_MIB,
            }
        )
    return summary


def table(summary: list[dict[str, Any]]) -> str:
    def fmt(value: float | None, spec: str) -> str:
        return "—" if value is None else format(value, spec)

    lines = [
        "| adapter | size MiB | MB/s | MiB/s | peak RSS MiB (VmHWM) | peak RSS MiB (tree, sampled) "
        "| RSS before MiB | ≤ 150 MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for s in summary:
        met = {True: "yes", False: "NO", None: "—"}[s["target_met"]]
        lines.append(
            f"| {s['adapter']} | {s['size_mib']} | {fmt(s['mb_per_s'], '.1f')} | {fmt(s['mib_per_s'], '.1f')} "
            f"| {fmt(s['peak_rss_mib'], '.1f')} | {fmt(s['peak_rss_tree_mib'], '.1f')} "
            f"| {fmt(s['rss_before_mib'], '.1f')} | {met} |"
        )
    return "\n".join(lines)


def versions() -> dict[str, str]:
    import subprocess

    import boto3
    import dropbox

    from tests.fakes.seaweedfs import find_weed

    try:
        weed = subprocess.run([find_weed(), "version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        weed = "unavailable"
    return {
        "python": platform.python_version(),
        "boto3": boto3.__version__,
        "dropbox": dropbox.__version__,
        "weed": weed.splitlines()[0] if weed else "unavailable",
        "cpus": str(os.cpu_count()),
        "machine": platform.machine(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=2048, help="the staged file's size in MiB (default 2048)")
    parser.add_argument("--adapters", default=",".join(ADAPTERS), help=f"any of {','.join(ADAPTERS)}")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--content-type", help="the staged file's content type (e.g. video/mp4; default octet-stream)")
    parser.add_argument("--s3-part-mib", type=int, help="S3 part size to try (default: the registry's)")
    parser.add_argument("--s3-concurrency", type=int, help="S3 parts in flight to try (default: the registry's)")
    parser.add_argument("--data-dir", help="where the SeaweedFS servers keep their data (default: the temp dir)")
    parser.add_argument("--out", default=str(OUT), help="the JSON report (default docs/bench/large.json)")
    parser.add_argument("--append", action="store_true", help="keep the report's results for other sizes")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return
    adapters = [a.strip() for a in args.adapters.split(",") if a.strip()]
    unknown = set(adapters) - set(ADAPTERS)
    if unknown or not adapters:
        parser.error(f"unknown adapters: {', '.join(sorted(unknown))}")
    if not 1 <= args.runs <= 10 or args.size_mb < 1:
        parser.error("--runs must be 1..10 and --size-mb at least 1")
    if args.content_type:
        global CONTENT_TYPE
        CONTENT_TYPE = os.environ["BENCH_CONTENT_TYPE"] = args.content_type
    started = time.time()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    records, disk = bench(args, adapters)
    summary = summarise(records)
    out = Path(args.out)
    report: dict[str, Any] = {"results": [], "runs": [], "sizes": {}}
    if args.append and out.exists():
        report = json.loads(out.read_text())
        report["results"] = [r for r in report["results"] if r["size_mib"] != args.size_mb]
        report["runs"] = [r for r in report["runs"] if r["size_mib"] != args.size_mb]
    report |= {
        "units": "sizes and memory in MiB (2^20 bytes), MB/s in 10^6 bytes per second",
        "target": f"peak RSS of the delivering process ≤ {TARGET_PEAK_MIB} MiB whatever the size",
        "versions": versions(),
    }
    # How each size was measured (a report may gather several sizes with --append).
    report.setdefault("sizes", {})[str(args.size_mb)] = {
        "command": "python bench/large.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "duration_seconds": round(time.time() - started),
        "load_average_1_5_15_at_start": load_at_start,
        "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
        "disk": disk,
    }
    report["results"] = sorted(report["results"] + summary, key=lambda r: (r["size_mib"], r["adapter"]))
    report["runs"] = report["runs"] + records
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    print()
    print(table(summary))
    print(f"\nwrote {out}")


if __name__ == "__main__":
    threading.current_thread().name = "bench-large"
    main()
