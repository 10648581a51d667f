"""Clips: the starter `promo-video` (1080×1080, 6 s, 30 fps) as MP4, WebM, animated GIF and WebP, beside the same
clip scripted with FFmpeg's own filters (gradients, drawtext, overlay, scale, rotate) — the peer a user would pick.

Run: .venv/bin/python bench/clips.py [--runs 3] [--formats mp4,webm,gif,webp]   (needs `imageio-ffmpeg`, in
requirements-bench.txt, for the peer's ffmpeg binary). Writes docs/bench/clips.json. A script, not a test.

Each measurement is its own process, so its peak RSS (ru_maxrss) is the clip's own. Ours: wall time, frames drawn
(the rest repeat the frame before), the drawing alone (frames drawn, not encoded) and the rest (encoding). Equal
quality on both sides: H.264 CRF 23 preset veryfast yuv420p; VP9 CRF 32, realtime speed 8, row-mt; WebP quality 80,
compression 2; GIF one palette per clip (ours: from three frames; FFmpeg: palettegen over the whole clip).
The peer draws the same layers at the same times, except: the subtitle fades in instead of being typed out (drawtext
cannot reveal characters one by one without a filter per character), the logo turns and fades in instead of growing
(a filter link keeps one frame size), and the glow is a translucent box (FFmpeg has no disc primitive).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "bench" / "clips.json"
FORMATS = ["mp4", "webm", "gif", "webp"]
FONT = ROOT / "layers" / "courier" / "courier" / "render" / "fonts"

OURS = """
import json, resource, sys, tempfile, time
from pathlib import Path
from courier.engine.starters import get_template
import courier.engine.clip as clip
fmt, draw_only = sys.argv[1], sys.argv[2] == "draw"
doc = get_template("promo-video")
if draw_only:
    class Null:
        def add(self, image): pass
        def close(self): pass
    clip.open_encoder = lambda *a, **k: Null()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
with tempfile.TemporaryDirectory() as directory:
    made = clip.render_clips(doc, {"headline": "Launch day is here"}, fmt, Path(directory))[0]
    size = made.path.stat().st_size if not draw_only else 0
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "frames": made.frames, "drawn": made.drawn, "bytes": size,
                  "peak_rss_mb": peak / 1024, "imports_rss_mb": before / 1024}))
"""


def _font(bold: bool) -> Path:
    names = sorted(FONT.rglob("Inter*Bold*.ttf" if bold else "Inter*Regular*.ttf")) or sorted(FONT.rglob("*.ttf"))
    return names[0]


def _ease_out(t0: float, t1: float, clock: str = "t") -> str:
    """FFmpeg expression of an ease-out from 0 to 1 between t0 and t1 (as courier.engine.motion's)."""
    p = f"clip(({clock}-{t0})/{t1 - t0},0,1)"
    return f"(1-pow(1-{p},3))"


def peer_command(fmt: str, out: Path, disc: Path) -> list[str]:
    from imageio_ffmpeg import get_ffmpeg_exe

    bold, regular = _font(True), _font(False)
    head = _ease_out(0, 1.2)
    scale = _ease_out(1.5, 2.5)
    graph = (
        "gradients=s=1080x1080:r=30:d=6:c0=0x0f172a:c1=0x312e81:x0=540:y0=0:x1=700:y1=1080:speed=0.0001[bg];"
        # FFmpeg's links keep one frame size, so the logo turns and fades in (alpha) where ours also grows
        f"[0:v]format=rgba,rotate=a='-PI/2*(1-{scale})':c=none:ow=198:oh=198,"
        "fade=t=in:st=1.5:d=1:alpha=1[logo];"
        "[bg]drawbox=x=640:y=-160:w=620:h=620:color=white@0.06:t=fill[glow];"
        "[glow][logo]overlay=x='160-overlay_w/2':y='190-overlay_h/2':eval=frame[withlogo];"
        f"[withlogo]drawtext=fontfile={bold}:text='Launch day is here':fontsize=84:fontcolor=white:"
        f"alpha='{head}':x=90:y='400-70*{head}',"
        f"drawtext=fontfile={regular}:text='Render every file, deliver it everywhere':fontsize=40:"
        f"fontcolor=0xc7d2fe:alpha='clip((t-1.0)/1.5,0,1)':x=90:y=560,"
        f"drawtext=fontfile={bold}:text='rendercourier.example':fontsize=36:fontcolor=0xfacc15:"
        "alpha='clip((t-3.0)/0.6,0,1)':x=90:y=880"
    )
    encode = {
        "mp4": [
            "-c:v",
            "libx264",
            "-crf",
            "23",
            "-preset",
            "veryfast",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
        ],
        "webm": [
            "-c:v",
            "libvpx-vp9",
            "-crf",
            "32",
            "-b:v",
            "0",
            "-deadline",
            "realtime",
            "-cpu-used",
            "8",
            "-row-mt",
            "1",
            "-pix_fmt",
            "yuv420p",
        ],
        "webp": ["-c:v", "libwebp_anim", "-quality", "80", "-compression_level", "2", "-loop", "0"],
        "gif": ["-loop", "0"],
    }[fmt]
    if fmt == "gif":
        graph += "[v];[v]split[a][b];[a]palettegen=stats_mode=full[p];[b][p]paletteuse=dither=none"
    return [
        get_ffmpeg_exe(),
        "-v",
        "error",
        "-y",
        "-loop",
        "1",
        "-t",
        "6",
        "-i",
        str(disc),
        "-filter_complex",
        graph,
        "-t",
        "6",
        "-r",
        "30",
        *encode,
        str(out),
    ]


def run_peer(fmt: str, directory: Path) -> dict[str, Any]:
    from PIL import Image, ImageDraw

    disc = directory / "disc.png"
    image = Image.new("RGBA", (140, 140), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((0, 0, 139, 139), fill="#facc15")
    image.save(disc)
    out = directory / f"peer.{fmt}"
    # ffmpeg under a fresh interpreter of its own, so that its peak RSS is this run's alone (RUSAGE_CHILDREN keeps
    # the largest child ever waited for)
    wrapper = (
        "import resource, subprocess, sys, time; t = time.perf_counter(); subprocess.run(sys.argv[1:], check=True); "
        "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    done = subprocess.run(
        [sys.executable, "-c", wrapper, *peer_command(fmt, out, disc)], capture_output=True, text=True, check=True
    )
    seconds, peak = done.stdout.split()
    return {"seconds": float(seconds), "bytes": out.stat().st_size, "peak_rss_mb": int(peak) / 1024}


def median(rows: list[dict[str, Any]], key: str) -> float:
    return float(statistics.median(float(r[key]) for r in rows))


def run_ours(fmt: str, mode: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", OURS, fmt, mode], capture_output=True, text=True, check=True, timeout=600, cwd=ROOT
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs per row; the median is reported (default 3)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    rows = []
    for fmt in args.formats.split(","):
        ours = [run_ours(fmt, "encode") for _ in range(args.runs)]
        drawing = [run_ours(fmt, "draw") for _ in range(args.runs)]
        peers = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as directory:
                peers.append(run_peer(fmt, Path(directory)))
        row = {
            "format": fmt,
            "ours_s": round(median(ours, "seconds"), 2),
            "ours_draw_s": round(median(drawing, "seconds"), 2),
            "frames": ours[0]["frames"],
            "drawn": ours[0]["drawn"],
            "ours_mb": round(ours[0]["bytes"] / 1e6, 2),
            "ours_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ours)),
            "peer_s": round(median(peers, "seconds"), 2),
            "peer_mb": round(peers[0]["bytes"] / 1e6, 2),
            "peer_peak_rss_mb": round(max(r["peak_rss_mb"] for r in peers)),
        }
        row["draw_fps"] = round(row["drawn"] / row["ours_draw_s"], 1)
        row["encode_fps"] = round(row["frames"] / max(0.01, row["ours_s"] - row["ours_draw_s"]), 1)
        row["ours_vs_peer"] = round(row["ours_s"] / row["peer_s"], 2)
        rows.append(row)
        print(json.dumps(row), flush=True)
    if not args.no_write:
        OUT.write_text(
            json.dumps(
                {
                    "machine": platform.processor() or platform.machine(),
                    "cpus": __import__("os").cpu_count(),
                    "date": time.strftime("%Y-%m-%d"),
                    "rows": rows,
                },
                indent=2,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
