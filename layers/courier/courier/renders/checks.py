"""Render request checks: what a render request asks for is checked against its template before anything renders.

The format must be supported and Orshot-only options absent (``check_supported``); ``includePages`` and a PDF's
``rangeFrom``–``rangeTo`` must name pages the template has and leave one at least, within the pixel limit of a page
at the asked scale or dpi (``check_pages``); a binary answer must come to one file (``check_binary``). Each refusal is
a 422 naming the field, and so is a file name or folder that makes no valid key, or two connections writing the same
object (``check_names``). ``pages_to_render`` and ``pdf_settings`` turn the request into the renderer's arguments.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from functools import partial

from courier.engine import TemplateDocument, extension, is_supported
from courier.engine.document import MAX_PIXELS as MAX_PAGE_PIXELS
from courier.engine.document import ImageLayer
from courier.engine.pdf_settings import PdfSettings, length_px
from courier.errors import UnprocessableError
from courier.naming import NameContext, build_key
from courier.renders.connections import ResolvedConnection, key_for, naming
from courier.renders.models import RenderRequest


def check_supported(request: RenderRequest) -> None:
    if not is_supported(request.response.format):
        raise UnprocessableError.at("response.format", f"format {request.response.format} is not supported")
    # Orshot's options for what is not offered here: a clear refusal, never a silent success without them.
    if request.publish is not None:
        raise UnprocessableError.at("publish", "publishing to social accounts is not offered: deliver to a storage")


def pdf_settings(request: RenderRequest) -> PdfSettings | None:
    options = request.pdf_options
    if options is None or request.response.format != "pdf":
        return None
    margin = length_px(options.margin) if options.margin else 0.0
    return PdfSettings(margin=margin, dpi=options.dpi, cmyk=options.color_mode == "cmyk")


def pages_to_render(request: RenderRequest, document: TemplateDocument) -> list[int] | None:
    """The page numbers to render: `includePages`, within a PDF's `rangeFrom`–`rangeTo`; None: all of them."""
    options = request.pdf_options if request.response.format == "pdf" else None
    ranged = options is not None and (options.range_from is not None or options.range_to is not None)
    if request.response.include_pages is None and not ranged:
        return None
    pages = sorted(set(request.response.include_pages or range(1, len(document.pages) + 1)))
    if options is not None:
        low, high = options.range_from or 1, options.range_to or len(document.pages)
        pages = [n for n in pages if low <= n <= high]
    return pages


def check_pages(request: RenderRequest, document: TemplateDocument) -> None:
    """`includePages` and a PDF's `rangeFrom`–`rangeTo` name pages the template has, and leave one at least; a
    page at `scale` stays within the page limit."""
    count = len(document.pages)
    options = request.pdf_options
    if options is not None and request.response.format == "pdf":
        for field, number in (("rangeFrom", options.range_from), ("rangeTo", options.range_to)):
            if number is not None and number > count:
                raise UnprocessableError.at(
                    f"pdfOptions.{field}", f"the template has {count} page{'s' if count > 1 else ''}, not {number}"
                )
    for index, number in enumerate(request.response.include_pages or []):
        if number > len(document.pages):
            raise UnprocessableError.at(
                f"response.includePages.{index}",
                f"the template has {len(document.pages)} page{'s' if len(document.pages) > 1 else ''}, not {number}",
            )
    if pages_to_render(request, document) == []:
        raise UnprocessableError.at("pdfOptions", "includePages and rangeFrom–rangeTo leave no page to render")
    # Pictures are fitted at the pixels they fill: a pixel ratio or a dpi multiplies them.
    pdf = request.response.format == "pdf"
    resolution = ((options.dpi or 96) / 96 if options is not None else 1.0) if pdf else (request.response.scale or 1.0)
    field = "pdfOptions.dpi" if pdf else "response.scale"
    for page in document.pages:
        for layer in page.layers:
            big = layer.width * layer.height * resolution**2 > MAX_PAGE_PIXELS
            if resolution > 1 and isinstance(layer, ImageLayer) and big:
                raise UnprocessableError.at(
                    field,
                    f"the picture of layer {layer.name!r} would be {layer.width * resolution:.0f}×"
                    f"{layer.height * resolution:.0f} pixels, over {MAX_PAGE_PIXELS / 1e6:.0f} Mpx: ask for fewer",
                )
    scale = request.response.scale or 1.0
    if request.response.format != "pdf" and scale != 1:
        for number, page in enumerate(document.pages, start=1):
            if page.width * page.height * scale * scale > MAX_PAGE_PIXELS:
                raise UnprocessableError.at(
                    "response.scale",
                    f"page {number} at scale {scale:g} would be {page.width * scale:.0f}×{page.height * scale:.0f} "
                    f"pixels, over the {MAX_PAGE_PIXELS / 1e6:.0f} megapixels of a page: use a smaller scale",
                )


def check_binary(request: RenderRequest, document: TemplateDocument) -> None:
    """A binary answer carries one file: a single page, or every page in one PDF."""
    chosen = pages_to_render(request, document)
    count = len(chosen) if chosen is not None else len(document.pages)
    if request.response.type != "binary" or count == 1:
        return
    one_pdf = request.response.format == "pdf" and (document.output is None or document.output.pdf == "single")
    if not one_pdf:
        raise UnprocessableError.at(
            "response.type",
            f"the render has {count} pages: a binary answer carries one file; "
            'use "type": "url" or "base64", or "format": "pdf"',
        )


def check_names(request: RenderRequest, document: TemplateDocument, connections: list[ResolvedConnection]) -> None:
    """Names are checked before anything renders: a bad file name, folder or pattern is a 422, never a failed
    delivery; and no two connections may write the same object."""
    sample = NameContext(
        uuid=str(uuid.UUID(int=0)),
        filename=request.response.file_name or document.id,
        ext=extension(request.response.format),
        render_id=str(uuid.UUID(int=0)),
        date=datetime.now(UTC).date(),
    )
    naming(partial(build_key, None, "${auto_filename}", sample), "response.fileName")
    seen: dict[tuple[str, str], int] = {}
    for connection in connections:
        key = key_for(connection, sample, request.response.file_name is not None)
        # Two connections writing the same object would race each other (and R2 allows one write a second).
        if (connection.identity, key) in seen:
            raise UnprocessableError.at(
                f"connections.{connection.index}",
                f"delivers to the same place as connections.{seen[(connection.identity, key)]}",
            )
        seen[(connection.identity, key)] = connection.index


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
