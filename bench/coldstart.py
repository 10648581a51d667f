"""Cold start of each handler from the built layer: import + first invocation, in fresh python3.12 interpreters.

Run: .venv/bin/python bench/coldstart.py [--processes 7] [--build-dir .aws-sam/build] [--no-build]

`sam build` (the layer's Makefile installs Lambda wheels and compiles bytecode) goes into a temporary directory
unless --build-dir names one (--no-build reuses it as it is). Each measurement is a new `python3.12 -I -S`
process whose sys.path is the function's directory, the layer's python/ directory and the standard library, as on
Lambda (/var/task, /opt/python, runtime). It times `import <handler module>`, then one invocation:
  render  an HTTP API GET /v1/renders/{id}            no-aws: without a key (401, no AWS call)
                                                      moto:   with an unknown key (a DynamoDB lookup → 401)
  deliver an S3 event                                 no-aws: s3:TestEvent (no records)
                                                      moto:   an ObjectCreated of an unknown render (a lookup)
The moto scenarios talk to a moto server on 127.0.0.1 (AWS_ENDPOINT_URL) holding the table from template.yaml.
Medians of --processes runs (≥ 5); one more run per handler with -X importtime lists the costliest imports.
Writes docs/bench/coldstart.json. A script, not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bench"
SAM = ROOT / ".venv-sam" / "bin" / "sam"

TABLE, STAGING = "courier-coldstart", "courier-coldstart-staging"
HANDLERS = {"render": ("RenderFunction", "render_handler"), "deliver": ("DeliverFunction", "deliver_handler")}
# Each function's layers as template.yaml gives them (tests/integration/test_sam_build.py checks the template agrees).
LAYERS = {
    "RenderFunction": ["CourierLayer", "PdfLayer", "ProvidersLayer"],
    "DeliverFunction": ["CourierLayer", "ProvidersLayer"],
}
TARGETS = {"render": 0.35, "deliver": 0.25}  # issue #15's cold-start targets, seconds

# Runs inside the measured interpreter: argv[1] is a JSON spec. Prints one JSON line of timings.
PROBE = r"""
import json, sys, time
t0 = time.perf_counter()
spec = json.loads(sys.argv[1])
sys.path[:0] = spec["path"]
module = __import__(spec["module"])
t1 = time.perf_counter()

class Context:
    function_name = spec["module"]
    function_version = "$LATEST"
    memory_limit_in_mb = 1024
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:" + spec["module"]
    aws_request_id = "00000000-0000-4000-8000-000000000000"
    log_group_name = "/aws/lambda/coldstart"
    log_stream_name = "coldstart"
    def get_remaining_time_in_millis(self):
        return 30000

error = None
try:
    result = module.lambda_handler(spec["event"], Context())
    status = result.get("statusCode") if isinstance(result, dict) else None
except Exception as exc:  # a failure is reported, not hidden
    status, error = None, f"{type(exc).__name__}: {exc}"
t2 = time.perf_counter()
loaded = sorted({m.split(".")[0] for m in sys.modules})
print(json.dumps({"import_s": t1 - t0, "invoke_s": t2 - t1, "status": status, "error": error,
                  "top_level_modules": loaded}))
"""


def find_python312() -> str:
    """A real CPython 3.12 (the Lambda runtime), as the Makefile finds it; $PYTHON312 wins."""
    candidates = [os.environ.get("PYTHON312", "")]
    try:
        prefix = subprocess.run(["pyenv", "prefix", "3.12"], capture_output=True, text=True, timeout=30).stdout
        candidates += [f"{line.strip()}/bin/python3.12" for line in prefix.split(":") if line.strip()]
    except (OSError, subprocess.SubprocessError):
        pass
    candidates += sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")))
    candidates += [shutil.which("python3.12") or "", "/usr/bin/python3.12", "/usr/local/bin/python3.12"]
    for candidate in filter(None, candidates):
        check = [candidate, "-c", "import sys; assert sys.version_info[:2] == (3, 12)"]
        if os.access(candidate, os.X_OK) and subprocess.run(check, capture_output=True).returncode == 0:
            return candidate
    raise SystemExit("Python 3.12 not found: set PYTHON312=/path/to/python3.12")


def sam_build(build_dir: Path, python312: str) -> float:
    """The application built for this machine: template.yaml's arm64 replaced by x86_64 and the layers' wheels chosen
    for it (LAMBDA_ARCH), so its interpreters can import them; the code and the locked versions are the shipped ones."""
    env = dict(os.environ, PATH=f"{Path(python312).parent}{os.pathsep}{os.environ['PATH']}", LAMBDA_ARCH="x86_64")
    template = build_dir.parent / f"{build_dir.name}-template.yaml"
    template.write_text((ROOT / "template.yaml").read_text().replace("arm64", "x86_64"))
    start = time.perf_counter()
    subprocess.run(
        [str(SAM), "build", "--build-dir", str(build_dir), "--template-file", str(template), "--base-dir", str(ROOT)],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=1200,
    )
    return time.perf_counter() - start


def events() -> dict[str, dict[str, Any]]:
    get_render = json.loads((ROOT / "events" / "render.http.get-render.json").read_text())
    without_key = json.loads(json.dumps(get_render))
    without_key["headers"].pop("authorization", None)
    with_unknown_key = json.loads(json.dumps(get_render))
    with_unknown_key["headers"]["authorization"] = "Bearer rc_coldstart_unknown_key_0001"
    test_event = {
        "Service": "Amazon S3",
        "Event": "s3:TestEvent",
        "Time": "2026-11-23T09:00:00.000Z",
        "Bucket": STAGING,
        "RequestId": "C3D13FE58DE4C810",
        "HostId": "coldstart",
    }
    staged = json.loads((ROOT / "events" / "deliver.s3.encoded-key.json").read_text())
    staged["Records"][0]["s3"]["bucket"]["name"] = STAGING
    return {
        "render/no-aws": without_key,
        "render/moto": with_unknown_key,
        "deliver/no-aws": test_event,
        "deliver/moto": staged,
    }


def lambda_env(endpoint: str) -> dict[str, str]:
    """What template.yaml gives the functions, plus fake credentials; never the developer's own AWS settings."""
    keep = {"PATH", "LANG", "LC_ALL", "TZ"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    return env | {
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_LAMBDA_FUNCTION_NAME": "coldstart",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1024",
        "COURIER_TABLE_NAME": TABLE,
        "COURIER_STAGING_BUCKET": STAGING,
        "COURIER_SECRET_PREFIX": "courier/",
        "COURIER_URL_EXPIRY_SECONDS": "3600",
        "COURIER_MAX_DELIVERY_ATTEMPTS": "3",
        "POWERTOOLS_SERVICE_NAME": "render-courier",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
        "POWERTOOLS_METRICS_NAMESPACE": "RenderCourier",
        "POWERTOOLS_TRACE_DISABLED": "true",  # no X-Ray daemon here; Lambda's is local and cheap
        "PYTHONDONTWRITEBYTECODE": "1",  # Lambda's /opt and /var/task are read-only
    }


def measure(python312: str, spec: dict[str, Any], env: dict[str, str], importtime: bool = False) -> dict[str, Any]:
    args = [python312, "-I", "-S", *(["-X", "importtime"] if importtime else []), "-c", PROBE, json.dumps(spec)]
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"probe failed ({done.returncode}):\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_wall_s"] = wall
    if importtime:
        result["importtime"] = parse_importtime(done.stderr)
    return result


def parse_importtime(stderr: str, top: int = 15) -> dict[str, Any]:
    """`-X importtime` lines → the costliest top-level imports (cumulative) and packages (summed self time)."""
    rows: list[tuple[str, int, int, int]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
        depth = (len(name) - len(name.lstrip(" "))) // 2
        rows.append((name.strip(), int(self_us), int(cumulative_us), depth))
    # Depth 0 is the handler module itself: what it pulls in, two levels down, is what can be made lazy.
    top_level = sorted((r for r in rows if 1 <= r[3] <= 2), key=lambda r: -r[2])[:top]
    by_package: dict[str, int] = defaultdict(int)
    for module, own_us, _, _ in rows:
        by_package[module.split(".")[0]] += own_us
    return {
        "imports_cumulative_ms": {name: round(cum / 1000, 1) for name, _, cum, _ in top_level},
        "packages_self_ms": {k: round(v / 1000, 1) for k, v in sorted(by_package.items(), key=lambda kv: -kv[1])[:top]},
        "total_ms": round(sum(r[1] for r in rows) / 1000, 1),
    }


class MotoServer:
    """A moto server on 127.0.0.1 with the stack's table and staging bucket (template.yaml's key schema)."""

    def __enter__(self) -> str:
        import logging

        import boto3
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one access-log line per request otherwise

        sys.path.insert(0, str(ROOT / "layers" / "courier"))
        from courier_tools.local.stack import table_definition

        sys.path.insert(0, str(ROOT))
        from tests.conftest import free_port

        port = free_port()
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
        self.server.start()
        endpoint = f"http://127.0.0.1:{port}"
        moto = boto3.session.Session(
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            region_name="us-east-1",
        )
        moto.client("dynamodb", endpoint_url=endpoint).create_table(TableName=TABLE, **table_definition(ROOT))
        moto.client("s3", endpoint_url=endpoint).create_bucket(Bucket=STAGING)
        return endpoint

    def __exit__(self, *exc: object) -> None:
        self.server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--processes", type=int, default=7, help="fresh interpreters per scenario (≥ 5)")
    parser.add_argument("--build-dir", help="sam build output to use (default: a temporary directory)")
    parser.add_argument("--no-build", action="store_true", help="reuse --build-dir as it is")
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    if not 5 <= args.processes <= 50:
        parser.error("--processes must be 5..50")
    if args.no_build and not args.build_dir:
        parser.error("--no-build needs --build-dir")
    python312 = find_python312()
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="coldstart-") as tmp:
        build_dir = Path(args.build_dir) if args.build_dir else Path(tmp) / "build"
        build_seconds = None if args.no_build else sam_build(build_dir, python312)
        layer = build_dir / "CourierLayer" / "python"
        pyc = sum(1 for _ in layer.rglob("*.pyc"))
        results: dict[str, Any] = {}
        with MotoServer() as endpoint:
            env = lambda_env(endpoint)
            for scenario, event in events().items():
                handler = scenario.split("/")[0]
                function, module = HANDLERS[handler]
                layers = [str(build_dir / name / "python") for name in reversed(LAYERS[function])]
                spec = {"path": [str(build_dir / function), *layers], "module": module, "event": event}
                runs = [measure(python312, spec, env) for _ in range(args.processes)]
                profile = measure(python312, spec, env, importtime=True)
                errors = {r["error"] for r in runs if r["error"]}
                totals = [r["import_s"] + r["invoke_s"] for r in runs]
                results[scenario] = {
                    "status": runs[0]["status"],
                    "errors": sorted(errors),
                    "import_s": round(statistics.median(r["import_s"] for r in runs), 3),
                    "invoke_s": round(statistics.median(r["invoke_s"] for r in runs), 3),
                    "total_s": round(statistics.median(totals), 3),
                    "process_wall_s": round(statistics.median(r["process_wall_s"] for r in runs), 3),
                    "max_total_s": round(max(totals), 3),
                    "meets_target": statistics.median(totals) <= TARGETS[handler],
                    "heavy_modules_loaded": sorted(
                        set(runs[0]["top_level_modules"]) & {"dropbox", "fpdf", "PIL", "requests", "moto", "pydantic"}
                    ),
                    "importtime": profile["importtime"],
                    "runs": [{k: round(v, 4) for k, v in r.items() if k.endswith("_s")} for r in runs],
                }
                print(
                    f"{scenario:<16} import {results[scenario]['import_s']:.3f} s  "
                    f"invoke {results[scenario]['invoke_s']:.3f} s  total {results[scenario]['total_s']:.3f} s  "
                    f"(status {results[scenario]['status']}{', errors ' + str(sorted(errors)) if errors else ''})",
                    flush=True,
                )
    report = {
        "command": "python bench/coldstart.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "python": subprocess.run([python312, "--version"], capture_output=True, text=True).stdout.strip(),
        "interpreter_flags": "-I -S (sys.path = function dir, layer python/, stdlib)",
        "processes_per_scenario": args.processes,
        "sam_build_seconds": None if build_seconds is None else round(build_seconds, 1),
        "layer_pyc_files": pyc,
        "target_s": TARGETS,
        "load_average_1_5_15_at_start": load_at_start,
        "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],  # other work on the machine
        "results": results,
    }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "coldstart.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\n| {'scenario':<16} | import s | invoke s | total s | target met |")
    print(f"|{'-' * 18}|----------|----------|---------|---------|")
    for name, r in results.items():
        print(
            f"| {name:<16} | {r['import_s']:8.3f} | {r['invoke_s']:8.3f} | {r['total_s']:7.3f} | "
            f"{'yes' if r['meets_target'] else 'NO':>7} |"
        )
    for name, r in results.items():
        top = ", ".join(f"{k} {v}" for k, v in list(r["importtime"]["imports_cumulative_ms"].items())[:8])
        print(f"{name}: top imports (ms, cumulative): {top}")
    print(f"\nwrote {out / 'coldstart.json'}")


if __name__ == "__main__":
    main()
