"""Orshot's render routes, for its SDKs and its documentation's requests: ``POST /v1/studio/render`` and
``POST /v1/generate/{images,pdfs}[/{templateId}]``, the same service as ``POST /v1/renders``. Orshot's SDKs turn
only a ``400`` into their ``BadRequestException``, so on these routes a request we refuse as invalid is a 400 (the
contract's error body unchanged); ``/v1/renders`` keeps its 422."""

from __future__ import annotations

from typing import Any

STUDIO = "/v1/studio/render"
LIBRARY = ("/v1/generate/images", "/v1/generate/pdfs")  # the template in the body
GENERATE = ("/v1/generate/images/", "/v1/generate/pdfs/")  # the template in the path


def is_orshot_path(path: str) -> bool:
    return path == STUDIO or path in LIBRARY or path.startswith(GENERATE)


def to_orshot(result: dict[str, Any]) -> dict[str, Any]:
    if int(result.get("statusCode", 200)) == 422:
        return result | {"statusCode": 400}
    return result
