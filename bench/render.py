"""Renderer latency: warm p50/p95 per format for social-card and carousel, and cold import times.

Run: .venv/bin/python bench/render.py [--runs 30]
Prints a table and writes docs/samples/render-bench.json. A script, not a test: nothing asserts on these numbers.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "samples" / "render-bench.json"
FORMATS = ["png", "jpg", "webp", "avif", "gif", "pdf"]
TEMPLATES = ["social-card", "carousel"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold(statement: str) -> float:
    """Median wall time of `statement` in a fresh interpreter (3 runs), in ms; .pyc files already compiled."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    env = {"PYTHONPATH": str(ROOT / "layers" / "courier")}
    runs = [
        float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout)
        for _ in range(3)
    ]
    return statistics.median(runs) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    from courier.render import render_template

    rows = []
    for template in TEMPLATES:
        for fmt in FORMATS:
            render_template(template, {"headline": "warm-up"}, fmt)  # fonts, fpdf2 import, caches
            times = []
            size = 0
            for i in range(args.runs):
                start = time.perf_counter()
                result = render_template(template, {"headline": f"Render number {i}"}, fmt)
                times.append((time.perf_counter() - start) * 1000)
                size = sum(len(p.body) for p in result.pages)
            rows.append(
                {
                    "template": template,
                    "format": fmt,
                    "files": len(result.pages),
                    "bytes": size,
                    "p50_ms": round(percentile(times, 0.5), 1),
                    "p95_ms": round(percentile(times, 0.95), 1),
                }
            )
    imports = {
        "courier.render": round(cold("import courier.render"), 1),
        "courier.render + first social-card png": round(
            cold("from courier.render import render_template; render_template('social-card', {}, 'png')"), 1
        ),
        "courier.render.pdf (fpdf2)": round(cold("import courier.render.pdf"), 1),
        "render_handler": round(cold("import sys; sys.path.insert(0, 'functions/render'); import render_handler"), 1)
        if (ROOT / "functions" / "render" / "render_handler.py").exists()
        else None,
    }
    print(f"{'template':<12} {'format':<6} {'files':>5} {'bytes':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for row in rows:
        print(
            f"{row['template']:<12} {row['format']:<6} {row['files']:>5} {row['bytes']:>9} "
            f"{row['p50_ms']:>8} {row['p95_ms']:>8}"
        )
    print("\ncold (fresh interpreter, median of 3):")
    for name, ms in imports.items():
        print(f"  {name:<42} {ms} ms")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                "python": platform.python_version(),
                "runs": args.runs,
                "warm": rows,
                "cold_ms": imports,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwritten {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
