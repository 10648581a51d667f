"""Rows of the contract's table for the compatibility routes: Orshot's render routes (the same render as
createRender, answered as Orshot's SDKs read it) and Uploadcare's remote copy and key pairs (its auth schemes and
error shape). courier.api.openapi_routes puts them among the API's own rows, in the document's order.
"""

from __future__ import annotations

from courier.api.http import MAX_BODY_BYTES
from courier.api.openapi_rows import (
    BAD_PATH,
    COPY_ANSWERS,
    IDEMPOTENT,
    REUSED,
    UPLOADCARE_ERROR_REF,
    Answer,
    Operation,
    keyed,
)


def orshot_answers() -> dict[int, Answer | str]:
    """createRender's answers, but a request refused as invalid is a 400 (Orshot's SDKs read only a 400)."""
    answers = keyed(
        {
            200: Answer("The render (JSON), or the file itself when response.type is binary"),
            400: "Malformed JSON, or values we cannot use (each detail names the field)" + REUSED,
            413: f"The body is over {MAX_BODY_BYTES // 1024} KiB, or a binary answer would be too large",
            **IDEMPOTENT,
        },
        body=True,
    )
    answers.pop(422, None)
    return answers


# Orshot's studio and generate routes, after createRender.
ORSHOT_OPERATIONS: dict[tuple[str, str], Operation] = {
    ("POST", path): Operation(
        operation_id,
        summary,
        "Orshot compatibility",
        orshot_answers(),
        idempotent=True,
    )
    for path, operation_id, summary in (
        ("/v1/studio/render", "orshotStudioRender", "Orshot's studio render: the same render as createRender"),
        (
            "/v1/generate/images",
            "orshotGenerateLibraryImage",
            "Orshot's library-template render (the template in the body): the same render as createRender",
        ),
        (
            "/v1/generate/pdfs",
            "orshotGenerateLibraryPdf",
            "As orshotGenerateLibraryImage, in PDF unless response.format says otherwise",
        ),
        (
            "/v1/generate/images/{template_id}",
            "orshotGenerateImage",
            "Orshot's image render: the template in the path, the rest as createRender takes it",
        ),
        (
            "/v1/generate/pdfs/{template_id}",
            "orshotGeneratePdf",
            "Orshot's PDF render: as orshotGenerateImage, in PDF unless response.format says otherwise",
        ),
    )
}
# Uploadcare's remote copy (and its slash alias) and the key pairs its SDKs sign with, after the webhook routes.
UPLOADCARE_OPERATIONS: dict[tuple[str, str], Operation] = {
    ("POST", "/files/remote_copy"): Operation(
        "uploadcareRemoteCopy",
        "Uploadcare's REST remote copy, for its SDKs (also at /files/remote_copy/, as they call it): the same copy, "
        "with Uploadcare's auth schemes and answer shapes",
        "Compatibility",
        {
            status: answer
            for status, answer in keyed(
                {
                    **COPY_ANSWERS,
                    400: "Unusable values, unknown source or target, a bad pattern, the copy refused, the "
                    "Idempotency-Key used with another body, or malformed JSON (Uploadcare has no 422)",
                    **IDEMPOTENT,
                },
                body=True,
            ).items()
            if status != 422
        },
        idempotent=True,
        error_schema=UPLOADCARE_ERROR_REF,
        security=[{"apiKey": []}, {"uploadcare": []}],
    ),
    ("POST", "/files/remote_copy/"): Operation(
        "uploadcareRemoteCopySlash",
        "Uploadcare's path for the route above (documented there)",
        "Compatibility",
        {},
        documented=False,
    ),
    ("POST", "/v1/compat/uploadcare/keys"): Operation(
        "createUploadcareKeys",
        "A new Uploadcare key pair for this workspace; its secret key is answered this once",
        "Compatibility",
        keyed({201: "The key pair", 404: "Uploadcare key pairs are not enabled on this deployment"}),
    ),
    ("GET", "/v1/compat/uploadcare/keys"): Operation(
        "listUploadcareKeys",
        "The workspace's Uploadcare key pairs (public keys only)",
        "Compatibility",
        keyed({200: "The key pairs"}),
    ),
    ("DELETE", "/v1/compat/uploadcare/keys/{public_key}"): Operation(
        "revokeUploadcareKeys",
        "Revoke an Uploadcare key pair: it stops working at once",
        "Compatibility",
        keyed({204: Answer("Revoked", content={}), 404: "No such key pair in this workspace", 422: BAD_PATH}),
    ),
}
