"""Orshot's own Python SDK (orshot 0.2.0), unchanged but for its base URL and key, rendering through the local
stack: both of its render methods, every response type, an integer template id, and its BadRequestException."""

from __future__ import annotations

import base64
import io
import os
import re
import time
import zlib
from collections.abc import Iterator
from typing import Any

import av
import orshot.orshot
import pytest
import requests
from orshot import Orshot
from orshot.exceptions import BadRequestException
from PIL import Image, ImageFilter

from tests.conftest import aws_client
from tests.e2e.stack_process import stack_process

KEY = "rc_compat_orshot_" + "o" * 32
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def stack() -> Iterator[dict[str, str]]:
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"orshot:{KEY}"]
    with stack_process("courier_tools.local", args, dict(os.environ)) as running:
        yield running.ready


@pytest.fixture
def sdk(stack: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Orshot:
    # The one change a user makes: the SDK hard-codes its base URL in orshot.constants, imported into orshot.orshot
    monkeypatch.setattr(orshot.orshot, "ORSHOT_API_BASE_URL", stack["api"])
    return Orshot(KEY)


def call(stack: dict[str, str], method: str, path: str, body: Any = None) -> tuple[int, Any]:
    answer = requests.request(
        method, stack["api"] + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
    )
    return answer.status_code, answer.json() if answer.content else None


def test_render_from_template_in_every_response_type(sdk: Orshot) -> None:
    options = {"template_id": "social-card", "modifications": {"headline": "From Orshot's SDK"}}
    # url (the SDK's default): the answer, with a link to the file
    as_url = sdk.render_from_template(options)
    assert as_url["status"] in ("completed", "delivering") and as_url["data"]["type"] == "url"
    assert requests.get(as_url["data"]["content"], timeout=30).content.startswith(PNG)
    # base64: the file in the answer
    as_base64 = sdk.render_from_template(options | {"response_type": "base64", "response_format": "jpg"})
    assert base64.b64decode(as_base64["data"]["content"])[:3] == b"\xff\xd8\xff"
    # binary: the SDK hands back the raw response, whose body is the file
    as_binary = sdk.render_from_template(options | {"response_type": "binary"})
    assert as_binary.status_code == 200 and as_binary.content.startswith(PNG)
    assert as_binary.headers["Content-Type"] == "image/png" and as_binary.headers["X-Courier-Render-Id"]


def test_render_from_studio_template_with_an_integer_template_id(stack: dict[str, str], sdk: Orshot) -> None:
    # Given a workspace template whose id is "25" (Orshot's documentation numbers its templates)
    status, card = call(stack, "GET", "/v1/templates/social-card")
    assert status == 200
    assert call(stack, "PUT", "/v1/templates/25", card | {"id": "25", "name": "Numbered"})[0] == 200
    # When the SDK renders it with templateId 25 (an integer) and a file name
    answer = sdk.render_from_studio_template(
        {"template_id": 25, "modifications": {"headline": "Twenty-five"}, "response": {"file_name": "card-25"}}
    )
    # Then it is rendered like "25", and the source the SDK sent is accepted
    assert answer["data"]["content"].split("?")[0].endswith("/card-25.png")


def test_refusals_are_its_bad_request_exception(sdk: Orshot) -> None:
    with pytest.raises(BadRequestException) as unknown:
        sdk.render_from_studio_template({"template_id": "no-such-template"})
    assert "templateId" in str(unknown.value)
    with pytest.raises(BadRequestException, match="no audio track"):
        sdk.render_from_studio_template({"template_id": "promo-video", "video_options": {"muted": False}})
    with pytest.raises(BadRequestException, match=r"videoOptions\.trimStart"):
        sdk.render_from_studio_template(
            {"template_id": "promo-video", "response": {"format": "mp4"}, "video_options": {"trim_start": 7}}
        )
    with pytest.raises(BadRequestException, match="publish"):
        sdk.render_from_studio_template({"template_id": "social-card", "publish": {"accounts": [1]}})


def test_a_render_delivers_to_the_workspaces_storage(stack: dict[str, str], sdk: Orshot) -> None:
    # Given a storage (Orshot's "connected storage"), when the SDK renders, then the file lands there
    aws_client(stack["aws"], "s3").create_bucket(Bucket="orshot-target")
    storage = {
        "provider": "s3",
        "bucket": "orshot-target",
        "prefix": "orshot",
        "auth": {"type": "keys", "accessKeyId": "AKIAEXAMPLEORSHOT001", "secretAccessKey": "x"},
    }
    assert call(stack, "PUT", "/v1/storage/default", storage)[0] == 200
    answer = sdk.render_from_template({"template_id": "social-card"})
    status = call(stack, "GET", f"/v1/renders/{answer['id']}")[1]
    for _ in range(50):
        if status["connections"][0]["status"] != "pending":
            break
        status = call(stack, "GET", f"/v1/renders/{answer['id']}")[1]
    assert status["connections"][0]["status"] == "success", status
    assert aws_client(stack["aws"], "s3").head_object(Bucket="orshot-target", Key=status["connections"][0]["path"])
    assert call(stack, "DELETE", "/v1/storage/default")[0] == 204


def _sharpness(image: Image.Image) -> float:
    """How many pixels sit on a hard edge (a jump of 160+ grey levels): an upscaled bitmap's edges are soft ramps, a
    drawing at the pixel ratio keeps them one pixel wide."""
    return float(sum(image.convert("L").filter(ImageFilter.FIND_EDGES).histogram()[160:]))


def test_scale_draws_more_pixels_from_the_vectors(sdk: Orshot) -> None:
    options = {"template_id": "social-card", "modifications": {"headline": "Crisp at twice the pixels"}}
    base = {"type": "base64", "format": "png"}
    once = Image.open(
        io.BytesIO(base64.b64decode(sdk.render_from_studio_template(options | {"response": base})["data"]["content"]))
    )
    twice_answer = sdk.render_from_studio_template(options | {"response": base | {"scale": 2}})
    twice = Image.open(io.BytesIO(base64.b64decode(twice_answer["data"]["content"])))
    assert once.size == (1200, 630) and twice.size == (2400, 1260)
    upscaled = once.resize(twice.size, Image.Resampling.BICUBIC)
    assert _sharpness(twice) > 3 * _sharpness(upscaled), (_sharpness(twice), _sharpness(upscaled))


def test_include_pages_renders_and_delivers_only_those_pages(stack: dict[str, str], sdk: Orshot) -> None:
    answer = sdk.render_from_studio_template({"template_id": "carousel", "response": {"include_pages": [2, 3]}})
    assert answer["totalPages"] == 3 and answer["renderedPages"] == 2, answer
    assert [page["page"] for page in answer["data"]] == [2, 3]
    assert [page["content"].split("?")[0].rsplit("/", 1)[1] for page in answer["data"]] == [
        "carousel_page_2.png",
        "carousel_page_3.png",
    ]
    one = sdk.render_from_studio_template(
        {"template_id": "carousel", "response": {"include_pages": [3], "type": "binary"}}
    )
    assert one.status_code == 200 and one.content.startswith(PNG)
    status = call(stack, "GET", f"/v1/renders/{one.headers['X-Courier-Render-Id']}")[1]
    assert status["totalPages"] == 3 and status["renderedPages"] == 1, status
    assert status["data"][0]["content"].split("?")[0].endswith("/carousel_page_3.png"), status
    with pytest.raises(BadRequestException, match="includePages"):
        sdk.render_from_studio_template({"template_id": "carousel", "response": {"include_pages": [4]}})


RGB_FILL = rb"(?m)^[\d.]+ [\d.]+ [\d.]+ rg$"  # the operator setting an RGB fill colour, alone on its line


def _media_boxes(pdf: bytes) -> list[list[float]]:
    return [[float(v) for v in box.split()] for box in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", pdf)]


def test_pdf_options_margin_range_dpi_and_cmyk(sdk: Orshot) -> None:
    def pdf(pdf_options: dict[str, Any]) -> bytes:
        options = {"template_id": "carousel", "response": {"format": "pdf", "type": "binary"}}
        answer = sdk.render_from_studio_template(options | {"pdf_options": pdf_options})
        assert answer.status_code == 200 and answer.content.startswith(b"%PDF-"), answer.text
        return bytes(answer.content)

    plain = pdf({})
    # rangeFrom-rangeTo: only those pages; margin: each page grows by it on every side (10 mm = 28.35 pt)
    ranged = pdf({"range_from": 2, "range_to": 3, "margin": "10mm"})
    assert _page_count(plain) == 3 and _page_count(ranged) == 2
    width, height = _media_boxes(plain)[0][2:]
    assert _media_boxes(ranged)[0][2:] == pytest.approx([width + 56.69, height + 56.69], abs=0.05)
    # colorMode cmyk: every colour is DeviceCMYK (the "k"/"K" operators), none RGB ("rg"/"RG")
    streams = b"".join(zlib.decompress(s) for s in _streams(pdf({"color_mode": "cmyk"})))
    assert re.search(rb"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k\b", streams) and not re.search(RGB_FILL, streams)
    assert re.search(RGB_FILL, b"".join(zlib.decompress(s) for s in _streams(plain)))
    with pytest.raises(BadRequestException, match="rangeFrom"):
        pdf({"range_from": 7})


def _page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))


def _streams(pdf: bytes) -> list[bytes]:
    """The Flate-compressed content streams of a PDF (fpdf2 compresses every one)."""
    found = []
    for match in re.finditer(rb"/Filter\s*/FlateDecode[^>]*>>\s*stream\r?\n", pdf):
        end = pdf.index(b"endstream", match.end())
        found.append(pdf[match.end() : end].rstrip(b"\r\n"))
    return [s for s in found if _inflates(s)]


def _inflates(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def test_a_video_with_its_video_options_is_answered_once_rendered(stack: dict[str, str], sdk: Orshot) -> None:
    # Orshot's SDK asks for an MP4 of the animated starter, trimmed to its seconds 1 to 3: the answer holds the file
    answer = sdk.render_from_studio_template(
        {
            "template_id": "promo-video",
            "modifications": {"headline": "From Orshot's SDK"},
            "response": {"format": "mp4", "file_name": "teaser"},
            "video_options": {"trim_start": 1, "trim_end": 3, "muted": True, "loop": False},
        }
    )
    assert answer["status"] == "completed", answer
    assert answer["data"]["format"] == "mp4" and answer["data"]["content"].split("?")[0].endswith("/teaser.mp4")
    clip = requests.get(answer["data"]["content"], timeout=30).content
    with av.open(io.BytesIO(clip)) as container:
        frames = sum(1 for _ in container.decode(container.streams.video[0]))
    assert frames == 60  # two seconds at 30 fps
    # A GIF is not waited for (as MP4 and WebM are on these routes); a still ignores videoOptions
    gif = sdk.render_from_studio_template(
        {"template_id": "promo-video", "response": {"format": "gif"}, "video_options": {"trim_end": 0.5, "loop": False}}
    )
    assert gif["status"] == "rendering"  # a GIF is not waited for by default: follow it with GET /v1/renders/{id}
    for _ in range(100):
        if call(stack, "GET", f"/v1/renders/{gif['id']}")[1]["status"] != "rendering":
            break
        time.sleep(0.2)
    assert call(stack, "GET", f"/v1/renders/{gif['id']}")[1]["status"] == "completed"
    still = sdk.render_from_studio_template({"template_id": "social-card", "video_options": {"trim_start": 1}})
    assert still["status"] in ("completed", "delivering")
