"""Renderer latency: warm p50/p95 per format for social-card and carousel, and cold import times.

Run: .venv/bin/python bench/render.py [--runs 30] [--formats png,jpg] [--templates social-card]
Prints a table and writes docs/samples/render-bench.json. A script, not a test: nothing asserts on these numbers.

Every measured render changes text on every page (social-card: the headline; carousel: the three titles), as an API
client does. JPEG, WebP, AVIF and GIF are drawn from kept unchanged layers plus the changed ones (see
courier/render/raster.py), so two more rows show what that costs when it cannot help:
  - social-card/new-background: the full-page background rect (its gradient) changes too, so the whole page is
    redrawn each time;
  - social-card/first-sight: the kept layers are dropped before each render, so each is drawn in one pass, as the
    first render of a page is.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "samples" / "render-bench.json"
FORMATS = ["png", "jpg", "webp", "avif", "gif", "pdf"]
TEMPLATES = ["social-card", "carousel"]
CHANGED_TEXT = {"social-card": ["headline"], "carousel": ["title1", "title2", "title3"]}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold(statement: str) -> float:
    """Median wall time of `statement` in a fresh interpreter (3 runs), in ms; .pyc files already compiled."""
    code = f"import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"
    env = {"PYTHONPATH": str(ROOT / "layers" / "courier")}
    runs = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env, cwd=ROOT
            ).stdout
        )
        for _ in range(3)
    ]
    return statistics.median(runs) * 1000


def measure(
    runs: int, render: Callable[[int], Any], before_each: Callable[[], None] | None = None
) -> tuple[list[float], Any]:
    render(-1)  # warm-up: fonts, fpdf2 import, caches
    times = []
    result = None
    for i in range(runs):
        if before_each is not None:
            before_each()
        start = time.perf_counter()
        result = render(i)
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def row(template: str, fmt: str, times: list[float], result: Any) -> dict[str, Any]:
    return {
        "template": template,
        "format": fmt,
        "files": len(result.pages),
        "bytes": sum(len(p.body) for p in result.pages),
        "p50_ms": round(percentile(times, 0.5), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30, help="measured renders per row (default 30)")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated (default: all)")
    parser.add_argument("--templates", default=",".join(TEMPLATES), help="comma-separated (default: all)")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {OUT.relative_to(ROOT)}")
    args = parser.parse_args()
    formats = args.formats.split(",")
    templates = args.templates.split(",")
    from courier.render import render_template

    try:  # absent before the kept-layer cache existed (lets the script measure older code too)
        from courier.render.raster import LAYERS

        drop_kept: Callable[[], None] | None = LAYERS.clear
    except ImportError:
        drop_kept = None

    def texts(template: str, i: int) -> dict[str, Any]:
        return {name: f"Render number {i}" for name in CHANGED_TEXT[template]}

    def new_background(i: int) -> dict[str, Any]:
        stops = [{"offset": 0, "color": f"#{(i + 2) * 997 % 0xFFFFFF:06x}"}, {"offset": 1, "color": "#7c3aed"}]
        return {"background": {"gradient": {"angle": 135, "stops": stops}}}

    def changing_text(template: str, fmt: str, i: int) -> Any:
        return render_template(template, texts(template, i), fmt)

    def changing_background(fmt: str, i: int) -> Any:
        return render_template("social-card", texts("social-card", i) | new_background(i), fmt)

    rows = []
    for template in templates:
        for fmt in formats:
            times, result = measure(args.runs, partial(changing_text, template, fmt))
            rows.append(row(template, fmt, times, result))
    if "social-card" in templates:
        for fmt in [f for f in formats if f in ("png", "jpg", "webp")]:
            times, result = measure(args.runs, partial(changing_background, fmt))
            rows.append(row("social-card/new-background", fmt, times, result))
            if drop_kept is not None:
                times, result = measure(args.runs, partial(changing_text, "social-card", fmt), drop_kept)
                rows.append(row("social-card/first-sight", fmt, times, result))
    imports = {
        "courier.render": round(cold("import courier.render"), 1),
        "courier.render + first social-card png": round(
            cold("from courier.render import render_template; render_template('social-card', {}, 'png')"), 1
        ),
        "courier.render + first social-card jpg": round(
            cold("from courier.render import render_template; render_template('social-card', {}, 'jpg')"), 1
        ),
        "courier.render.pdf (fpdf2)": round(cold("import courier.render.pdf"), 1),
        "render_handler": round(cold("import sys; sys.path.insert(0, 'functions/render'); import render_handler"), 1)
        if (ROOT / "functions" / "render" / "render_handler.py").exists()
        else None,
    }
    load = os.getloadavg()
    print(f"load average (1, 5, 15 min): {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores\n")
    print(f"{'template':<27} {'format':<6} {'files':>5} {'bytes':>9} {'p50 ms':>8} {'p95 ms':>8}")
    for r in rows:
        print(f"{r['template']:<27} {r['format']:<6} {r['files']:>5} {r['bytes']:>9} {r['p50_ms']:>8} {r['p95_ms']:>8}")
    print("\ncold (fresh interpreter, median of 3):")
    for name, ms in imports.items():
        print(f"  {name:<42} {ms} ms")
    if args.no_write:
        return
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
                "cores": os.cpu_count(),
                "load_average": [round(v, 2) for v in load],
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
