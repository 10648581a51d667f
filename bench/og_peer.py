"""The still renderer beside the stack behind Vercel OG: satori + @resvg/resvg-js (npm), drawing the same 1200×630
social card with the same Inter fonts, every render changing its headline, warm, in one process each.

Run: .venv/bin/python bench/og_peer.py [--runs 60]   (installs bench/og_peer/node_modules with `npm ci` the first
time; needs node). Writes docs/bench/og-peer.json. A script, not a test. Goals (issue #16): our PNG p50 ≤ 0.6× the
peer's, our JPEG p50 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PEER = ROOT / "bench" / "og_peer"
FONTS = ROOT / "layers" / "courier" / "courier" / "render" / "fonts"
OUT = ROOT / "docs" / "bench" / "og-peer.json"


def peer(runs: int) -> dict[str, Any]:
    if not (PEER / "node_modules").is_dir():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=PEER, check=True, timeout=600)
    done = subprocess.run(
        ["node", "card.mjs", str(FONTS), str(runs)], cwd=PEER, capture_output=True, text=True, check=True, timeout=600
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def ours(fmt: str, runs: int) -> dict[str, Any]:
    from courier.engine import render_template

    for i in range(5):  # warm up, as the peer does
        render_template("social-card", {"headline": f"Render number {i}"}, fmt)
    times, size = [], 0
    for i in range(runs):
        started = time.perf_counter()
        result = render_template("social-card", {"headline": f"Render number {1000 + i}"}, fmt)
        times.append((time.perf_counter() - started) * 1000)
        size = len(result.pages[0].body)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[min(len(times) - 1, int(0.95 * len(times)))], "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = {"peer_png": peer(args.runs), "ours_png": ours("png", args.runs), "ours_jpg": ours("jpg", args.runs)}
    rows["png_ratio"] = {"ours_vs_peer": round(rows["ours_png"]["p50"] / rows["peer_png"]["p50"], 2)}
    for name, row in rows.items():
        print(name, json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in row.items()}))
    if not args.no_write:
        OUT.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "runs": args.runs, **rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
