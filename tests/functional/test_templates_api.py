"""Templates and every output through the HTTP routes, in-process: template CRUD, formats decoded from the staged
files, multi-page renders, binary and base64 answers, images that fail as warnings."""

from __future__ import annotations

import base64
import io
import re
from typing import Any

import boto3
import pytest
from PIL import Image

from tests.functional.conftest import STAGING, Api

BADGE: dict[str, Any] = {
    "id": "badge",
    "name": "Event badge",
    "pages": [
        {
            "width": 400,
            "height": 200,
            "background": "#123456",
            "layers": [
                {"type": "text", "name": "attendee", "x": 20, "y": 20, "width": 360, "height": 80, "text": "Name"},
                {"type": "image", "name": "photo", "x": 300, "y": 120, "width": 60, "height": 60},
                {"type": "qr", "name": "ticket", "x": 20, "y": 110, "width": 80, "height": 80, "data": "T-1"},
            ],
        }
    ],
}


BADGE_TEXT: dict[str, Any] = BADGE["pages"][0]["layers"][0]


def staged_object(answer: dict[str, Any]) -> tuple[bytes, str]:
    [obj] = [o for o in boto3.client("s3").list_objects_v2(Bucket=STAGING)["Contents"] if answer["id"] in o["Key"]]
    got = boto3.client("s3").get_object(Bucket=STAGING, Key=obj["Key"])
    return got["Body"].read(), got["ContentType"]


def test_builtin_templates_are_listed_in_every_workspace(api: Api) -> None:
    status, answer = api.call("GET", "/v1/templates", key="globex")
    assert status == 200
    builtins = {t["id"]: t for t in answer["templates"] if t["builtin"]}
    assert set(builtins) == {"social-card", "carousel", "certificate", "promo-video"}
    assert (builtins["social-card"]["width"], builtins["social-card"]["height"]) == (1200, 630)
    # the animated starter says so: 1080×1080, 6 s at 30 fps
    promo = builtins["promo-video"]
    assert (promo["width"], promo["height"], promo["duration"], promo["fps"]) == (1080, 1080, 6, 30)
    assert {"headline", "subtitle", "logo", "cta"} <= set(promo["layers"]) and "duration" not in builtins["carousel"]
    assert builtins["carousel"]["pages"] == 3 and "headline" in builtins["social-card"]["layers"]


def test_template_crud_is_scoped_to_the_workspace(api: Api) -> None:
    # When a workspace creates a template
    status, created = api.call("POST", "/v1/templates", BADGE)
    assert status == 201 and created["id"] == "badge"
    # Then it reads back, is listed, and another workspace cannot see it
    assert api.call("GET", "/v1/templates/badge")[1]["pages"][0]["width"] == 400
    assert "badge" in [t["id"] for t in api.call("GET", "/v1/templates")[1]["templates"]]
    assert api.call("GET", "/v1/templates/badge", key="globex")[0] == 404
    # And creating it again is a conflict, replacing it with PUT works, deleting removes it
    assert api.call("POST", "/v1/templates", BADGE)[0] == 409
    renamed = BADGE | {"name": "Badge v2"}
    assert api.call("PUT", "/v1/templates/badge", renamed)[1]["name"] == "Badge v2"
    assert api.call("DELETE", "/v1/templates/badge", key="globex")[0] == 404
    assert api.call("DELETE", "/v1/templates/badge")[0] == 204
    assert api.call("GET", "/v1/templates/badge")[0] == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {
                "pages": [
                    {
                        "width": 400,
                        "height": 200,
                        "layers": [{"type": "rect", "name": "r", "width": 1, "height": 1, "fill": "nope"}],
                    }
                ]
            },
            "pages.0.layers.0.fill",
        ),
        ({"pages": [{"width": 40000, "height": 200}]}, "pages.0.width"),
        ({"pages": []}, "pages"),
        ({"id": "Bad Id"}, "id"),
        ({"pages": [{"width": 10, "height": 10, "layers": [{"type": "star", "name": "s"}]}]}, "pages.0.layers.0.type"),
        (  # found by the fuzzer: a glyph smaller than a pixel laid out as infinitely many lines (a 500)
            {"pages": [{"width": 100, "height": 100, "layers": [{**BADGE_TEXT, "fontSize": 1e-300}]}]},
            "pages.0.layers.0.fontSize",
        ),
    ],
)
def test_a_bad_template_is_422_with_its_field_path(api: Api, change: dict[str, Any], field: str) -> None:
    status, answer = api.call("POST", "/v1/templates", BADGE | change)
    assert status == 422, answer
    assert field in [d["field"] for d in answer["error"]["details"]], answer


def test_builtin_ids_cannot_be_taken_or_deleted(api: Api) -> None:
    assert api.call("POST", "/v1/templates", BADGE | {"id": "social-card"})[0] == 422
    assert api.call("DELETE", "/v1/templates/social-card")[0] == 422
    assert api.call("PUT", "/v1/templates/badge", BADGE | {"id": "other"})[0] == 422


def test_a_stored_template_renders_with_modifications(api: Api) -> None:
    assert api.call("POST", "/v1/templates", BADGE)[0] == 201
    body = {"templateId": "badge", "modifications": {"attendee": "Zoë Ångström", "nope": "x"}, "connections": []}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 200, answer
    data, content_type = staged_object(answer)
    image = Image.open(io.BytesIO(data))
    assert content_type == "image/png" and image.size == (400, 200)
    assert image.convert("RGB").getpixel((390, 5)) == (0x12, 0x34, 0x56)  # the page background
    assert any("nope" in w["title"] for w in answer["warnings"])


@pytest.mark.parametrize(
    ("fmt", "content_type", "pil_format"),
    [
        ("jpg", "image/jpeg", "JPEG"),
        ("webp", "image/webp", "WEBP"),
        ("avif", "image/avif", "AVIF"),
        ("gif", "image/gif", "GIF"),
    ],
)
def test_every_image_format_is_staged_with_its_real_content_type(
    api: Api, fmt: str, content_type: str, pil_format: str
) -> None:
    status, answer = api.call("POST", "/v1/renders", {"templateId": "social-card", "response": {"format": fmt}})
    assert status == 200, answer
    data, staged_type = staged_object(answer)
    image = Image.open(io.BytesIO(data))
    assert staged_type == content_type and image.format == pil_format and image.size == (1200, 630)


def test_a_pdf_is_a_pdf(api: Api) -> None:
    status, answer = api.call("POST", "/v1/renders", {"templateId": "certificate", "response": {"format": "pdf"}})
    assert status == 200
    data, content_type = staged_object(answer)
    assert content_type == "application/pdf" and data.startswith(b"%PDF-")


def test_a_multi_page_template_gives_one_file_per_page(api: Api) -> None:
    # Given a storage, when the 3-page carousel is rendered
    keys = {"type": "keys", "accessKeyId": "AKIAEXAMPLE000000009", "secretAccessKey": "x"}
    storage = {"provider": "s3", "bucket": "acme-renders", "auth": keys}
    assert api.call("PUT", "/v1/storage/default", storage)[0] == 200
    body = {"templateId": "carousel", "response": {"fileName": "launch"}}
    status, answer = api.call("POST", "/v1/renders", body)
    # Then each page is a file with its own id, and the connection lists a path per page
    assert status == 200, answer
    pages = answer["data"]  # API.md's multi-page shape: the list in data, the rest beside it
    assert [p["page"] for p in pages] == [1, 2, 3] and len({p["pageId"] for p in pages}) == 3
    assert (answer["totalPages"], answer["renderedPages"], answer["format"], answer["type"]) == (3, 3, "png", "url")
    assert answer["responseTime"].endswith("s")
    paths = answer["connections"][0]["path"]
    assert [p["page"] for p in paths] == [1, 2, 3]
    assert [p["path"].rsplit("/", 1)[1] for p in paths] == [
        "launch_page_1.png",
        "launch_page_2.png",
        "launch_page_3.png",
    ]


def test_binary_answers_carry_the_file(api: Api) -> None:
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    headers = {"authorization": f"Bearer {api.keys['acme']}", "content-type": "application/json"}
    body = b'{"templateId": "social-card", "response": {"type": "binary", "format": "webp"}}'
    event = api_gateway_event("POST", "/v1/renders", headers, body, "1.2.3.4")
    answer = render_handler.lambda_handler(event, FakeContext("RenderFunction", 30))
    assert answer["statusCode"] == 200 and answer["isBase64Encoded"] is True
    assert answer["headers"]["Content-Type"] == "image/webp"
    assert answer["headers"]["X-Courier-Render-Id"]
    assert Image.open(io.BytesIO(base64.b64decode(answer["body"]))).size == (1200, 630)


def test_a_multi_page_pdf_can_be_one_binary_file(api: Api) -> None:
    import render_handler
    from courier_tools.local.stack import FakeContext, api_gateway_event

    headers = {"authorization": f"Bearer {api.keys['acme']}", "content-type": "application/json"}
    body = b'{"templateId": "carousel", "response": {"type": "binary", "format": "pdf"}}'
    answer = render_handler.lambda_handler(
        api_gateway_event("POST", "/v1/renders", headers, body, "1.2.3.4"), FakeContext("RenderFunction", 30)
    )
    pdf = base64.b64decode(answer["body"])
    assert (
        answer["statusCode"] == 200
        and pdf.startswith(b"%PDF-")
        and pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>>") + pdf.count(b"/Type /Page ") >= 1
    )


def test_an_image_that_cannot_be_fetched_is_a_warning(api: Api) -> None:
    assert api.call("POST", "/v1/templates", BADGE)[0] == 201
    body = {"templateId": "badge", "modifications": {"photo": "https://127.0.0.1/secret.png"}, "connections": []}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 200, answer
    assert any("photo" in w["title"] or "image" in w["title"].lower() for w in answer["warnings"]), answer


def test_a_wrong_modification_type_is_422(api: Api) -> None:
    status, answer = api.call("POST", "/v1/renders", {"templateId": "social-card", "modifications": {"headline": 7}})
    assert status == 422 and answer["error"]["details"][0]["field"] == "modifications.headline"


def test_include_pages_and_scale_choose_what_is_drawn(api: Api) -> None:
    # includePages: only those pages are staged (and delivered), each named by its number in the template
    body = {"templateId": "carousel", "response": {"fileName": "launch", "includePages": [3, 1]}}
    status, answer = api.call("POST", "/v1/renders", body)
    assert status == 200, answer
    assert (answer["totalPages"], answer["renderedPages"]) == (3, 2)
    assert [p["page"] for p in answer["data"]] == [1, 3]
    # a PDF of the chosen pages is one file of two pages
    status, answer = api.call("POST", "/v1/renders", body | {"response": {"format": "pdf", "includePages": [2, 3]}})
    assert status == 200, answer
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", staged_object(answer)[0])) == 2  # page objects, not /Pages
    # scale: the staged file has the pixels asked for
    status, answer = api.call("POST", "/v1/renders", {"templateId": "social-card", "response": {"scale": 1.5}})
    assert status == 200, answer
    assert Image.open(io.BytesIO(staged_object(answer)[0])).size == (1800, 945)
    # refusals name the field
    status, answer = api.call("POST", "/v1/renders", {"templateId": "carousel", "response": {"includePages": [1, 9]}})
    assert status == 422 and answer["error"]["details"][0]["field"] == "response.includePages.1", answer
    big = BADGE | {"id": "poster", "pages": [BADGE["pages"][0] | {"width": 6000, "height": 6000}]}
    assert api.call("POST", "/v1/templates", big)[0] == 201
    status, answer = api.call("POST", "/v1/renders", {"templateId": "poster", "response": {"scale": 2}})
    assert status == 422 and answer["error"]["details"][0]["field"] == "response.scale", answer


def test_pdf_dpi_is_the_resolution_of_its_pictures(api: Api) -> None:
    # Given a 1000x1000 photo in a 100x100 box (about one inch at 96 px per inch)
    photo = io.BytesIO()
    Image.linear_gradient("L").resize((1000, 1000)).convert("RGB").save(photo, "PNG")
    uri = "data:image/png;base64," + base64.b64encode(photo.getvalue()).decode()
    layer = {"type": "image", "name": "photo", "x": 10, "y": 10, "width": 100, "height": 100, "data": uri}
    page = {"width": 200, "height": 200, "layers": [layer]}
    assert api.call("POST", "/v1/templates", BADGE | {"id": "photo", "pages": [page]})[0] == 201

    def embedded_width(pdf_options: dict[str, Any] | None) -> int:
        body: dict[str, Any] = {"templateId": "photo", "response": {"format": "pdf"}}
        if pdf_options is not None:
            body["pdfOptions"] = pdf_options
        status, answer = api.call("POST", "/v1/renders", body)
        assert status == 200, answer
        [width] = re.findall(rb"/Subtype /Image[^>]*?/Width (\d+)", staged_object(answer)[0])
        return int(width)

    # Then the PDF has it at one pixel per page pixel (96 dpi), or at 150 dpi: 100 px x 150 / 96 = 156 pixels across
    assert embedded_width(None) == 100
    assert embedded_width({"dpi": 150}) == 156
    assert embedded_width({"dpi": 72}) == 75
    # and a dpi that would fit a picture over 40 megapixels is refused before anything is drawn
    status, answer = api.call(
        "POST", "/v1/renders", {"templateId": "photo", "response": {"format": "pdf"}, "pdfOptions": {"dpi": 600}}
    )
    assert status == 200, answer
    wide = {**layer, "width": 2000, "height": 2000}
    assert (
        api.call("PUT", "/v1/templates/photo", BADGE | {"id": "photo", "pages": [page | {"layers": [wide]}]})[0] == 200
    )
    status, answer = api.call(
        "POST", "/v1/renders", {"templateId": "photo", "response": {"format": "pdf"}, "pdfOptions": {"dpi": 600}}
    )
    assert status == 422 and answer["error"]["details"][0]["field"] == "pdfOptions.dpi", answer
