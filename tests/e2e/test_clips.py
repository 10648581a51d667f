"""Clips through the local stack: the render function accepts an animated template as MP4 (or WebM, GIF, WebP),
answers `rendering`, the video function draws and encodes it from the queue, and the deliveries follow — to S3 and
to Dropbox — with `wait` covering the whole way. The delivered files are decoded back with PyAV and Pillow."""

from __future__ import annotations

import io
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import pytest
import requests
from PIL import Image

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process
from tests.fakes.dropbox_api import FakeDropbox

KEY = "rc_e2e_clips_" + "c" * 32
BUCKET = "clip-target"

TEASER = {
    "id": "teaser",
    "name": "A two-second teaser",
    "pages": [
        {
            "width": 320,
            "height": 180,
            "duration": 2,
            "fps": 12,
            "background": "#0f172a",
            "layers": [
                {
                    "type": "text",
                    "name": "headline",
                    "text": "Teaser",
                    "x": 20,
                    "y": 40,
                    "width": 280,
                    "height": 60,
                    "fontSize": 36,
                    "color": "#ffffff",
                    "keyframes": {"opacity": [{"time": 0, "value": 0}, {"time": 1, "value": 1}]},
                }
            ],
        }
    ],
}


@pytest.fixture(scope="module")
def dropbox() -> Iterator[FakeDropbox]:
    with FakeDropbox() as fake:
        yield fake


@pytest.fixture(scope="module")
def stack(dropbox: FakeDropbox) -> Iterator[dict[str, str]]:
    env = os.environ | dropbox.stack_env()
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"clips:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, env) as running:
        ready = running.ready
        aws_client(ready["aws"], "s3").create_bucket(Bucket=BUCKET)
        keys = {"type": "keys", "accessKeyId": "AKIAEXAMPLECLIPS0001", "secretAccessKey": "clip-secret"}
        assert call(ready, "PUT", "/v1/storage/videos", {"provider": "s3", "bucket": BUCKET, "auth": keys})[0] == 200
        box = {
            "provider": "dropbox",
            "folder": "/Clips",
            "refreshToken": dropbox.refresh_token,
            "appKey": dropbox.app_key,
            "appSecret": dropbox.app_secret,
        }
        assert call(ready, "PUT", "/v1/storage/box", box)[0] == 200
        assert call(ready, "PUT", "/v1/templates/teaser", TEASER)[0] == 200
        yield ready


def staged_content(url: str) -> bytes:
    """The staged file behind a completed render's ``content`` link: there at once (a clip reads as rendering until
    the deliver function has had every one of its files' S3 events)."""
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 200, answer.text[:300]
    return answer.content


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


def _decoded(data: bytes) -> tuple[str, int, int, int]:
    """(codec, width, height, frames) of a video file."""
    with tempfile.NamedTemporaryFile(suffix=".bin") as file:
        file.write(data)
        file.flush()
        with av.open(file.name) as container:
            stream = container.streams.video[0]
            frames = sum(1 for _ in container.decode(stream))
            return stream.codec_context.name, stream.width, stream.height, frames


def test_promo_video_as_mp4_reaches_s3_and_dropbox_with_wait(stack: dict[str, str], dropbox: FakeDropbox) -> None:
    # When the starter clip is asked for as MP4, waiting for the whole way
    body = {"templateId": "promo-video", "response": {"format": "mp4"}, "modifications": {"headline": "Ship it"}}
    status, answer = call(stack, "POST", "/v1/renders", body | {"wait": 25})
    # Then it is drawn, staged and delivered to both storages within the wait
    assert status == 200, answer
    assert answer["status"] == "completed", answer
    assert [c["status"] for c in answer["connections"]] == ["success", "success"], answer
    data = answer["data"]
    assert (data["format"], data["type"]) == ("mp4", "url")
    staged = staged_content(data["content"])
    # And the file is a 6 s, 30 fps, 1080×1080 H.264 clip, whose index comes first (+faststart)
    assert _decoded(staged) == ("h264", 1080, 1080, 180)
    assert staged.index(b"moov") < staged.index(b"mdat")
    paths = {c["provider"]: c["path"] for c in answer["connections"]}
    s3_path, dropbox_path = paths["s3"], paths["dropbox"]
    s3 = aws_client(stack["aws"], "s3")
    head = s3.head_object(Bucket=BUCKET, Key=s3_path)
    assert head["ContentType"] == "video/mp4" and s3_path.endswith("/promo-video.mp4")
    assert s3.get_object(Bucket=BUCKET, Key=s3_path)["Body"].read() == staged
    assert dropbox.read(dropbox_path) == staged
    checksum = answer["connections"][0]["files"][0]["checksum"]
    assert checksum.startswith("sha256:") and answer["connections"][0]["files"][0]["size"] == len(staged)


def test_without_wait_it_answers_rendering_and_the_status_follows_it(stack: dict[str, str]) -> None:
    status, answer = call(
        stack, "POST", "/v1/renders", {"templateId": "teaser", "response": {"format": "webm"}, "connections": []}
    )
    assert status == 200 and answer["status"] == "rendering" and answer["data"] is None
    deadline = time.monotonic() + 30
    while answer["status"] == "rendering" and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = call(stack, "GET", f"/v1/renders/{answer['id']}")[1]
    assert answer["status"] == "completed", answer
    assert _decoded(staged_content(answer["data"]["content"])) == ("vp9", 320, 180, 24)


@pytest.mark.parametrize("fmt", ["gif", "webp"])
def test_an_animated_template_as_gif_or_webp_is_an_animation_that_loops(stack: dict[str, str], fmt: str) -> None:
    body = {"templateId": "teaser", "response": {"format": fmt}, "connections": [], "wait": 20}
    status, answer = call(stack, "POST", "/v1/renders", body)
    assert status == 200 and answer["status"] == "completed", answer
    image = Image.open(io.BytesIO(staged_content(answer["data"]["content"])))
    assert (image.format, image.size, image.info.get("loop")) == (fmt.upper(), (320, 180), 0)
    durations = []
    for index in range(image.n_frames):
        image.seek(index)
        image.load()  # WebP tells a frame's duration once it is decoded
        durations.append(image.info["duration"])
    # Two seconds in all. GIF keeps every frame (24 at 12 fps); WebP's encoder merges the frames that repeat (the
    # headline holds still after 1 s) into one longer frame.
    assert abs(sum(durations) - 2000) <= 20, durations
    assert image.n_frames == 24 if fmt == "gif" else 12 < image.n_frames < 24


def test_a_still_format_or_a_moment_draws_one_frame(stack: dict[str, str]) -> None:
    # A PNG of an animated template is its first frame (the headline still invisible); a time picks another
    first = call(stack, "POST", "/v1/renders", {"templateId": "teaser", "connections": []})[1]
    later = call(stack, "POST", "/v1/renders", {"templateId": "teaser", "connections": [], "response": {"time": 1.5}})[
        1
    ]
    gif = call(
        stack,
        "POST",
        "/v1/renders",
        {"templateId": "teaser", "connections": [], "response": {"format": "gif", "frame": 18}},
    )[1]
    assert first["status"] == later["status"] == gif["status"] == "completed"

    def brightest(answer: dict[str, Any]) -> int:
        image = Image.open(io.BytesIO(staged_content(answer["data"]["content"])))
        assert getattr(image, "n_frames", 1) == 1
        return int(image.convert("L").getextrema()[1])

    assert brightest(first) < 60 and brightest(later) > 200 and brightest(gif) > 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"templateId": "social-card", "response": {"format": "mp4"}}, "response.format"),
        ({"templateId": "teaser", "response": {"format": "mp4", "type": "binary"}}, "response.type"),
        (
            {"templateId": "teaser", "response": {"format": "mp4"}, "modifications": {"headline": 5}},
            "modifications.headline",
        ),
        ({"templateId": "teaser", "response": {"time": 1, "frame": 2}}, "response"),
    ],
)
def test_a_clip_that_cannot_be_made_is_refused_at_once(stack: dict[str, str], body: dict[str, Any], field: str) -> None:
    status, answer = call(stack, "POST", "/v1/renders", body)
    assert status == 422, answer
    assert answer["error"]["details"][0]["field"] == field


def test_a_clip_over_the_budget_is_refused_with_what_to_change(stack: dict[str, str]) -> None:
    long = {
        "id": "too-long",
        "name": "A long one",
        "pages": [TEASER["pages"][0] | {"width": 1920, "height": 1080, "duration": 60, "fps": 60}],
    }
    assert call(stack, "PUT", "/v1/templates/too-long", long)[0] == 200
    status, answer = call(stack, "POST", "/v1/renders", {"templateId": "too-long", "response": {"format": "mp4"}})
    assert status == 422 and answer["error"]["code"] == "render_too_large", answer
    assert "megapixel-frames" in answer["error"]["message"]


def test_the_video_layer_is_not_loaded_by_still_renders() -> None:
    # The render and deliver functions never import PyAV: it is the video function's layer alone
    import subprocess
    import sys

    probe = (
        "import sys; sys.path[:0] = ['functions/render', 'functions/deliver']; "
        "import render_handler, deliver_handler; print('av' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=root, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
