"""Rules that live in the models' validators (and the providers' capabilities), said as JSON Schema.

Pydantic documents a field's type and bounds, not what a model validator checks across fields, nor the syntax of a
naming pattern or a colour. These tables say it: ``STRING_RULES`` adds to the string branch of a property,
``OBJECT_RULES`` adds subschemas (``allOf``) a component must satisfy, ``PROPERTY_RULES`` replaces a property's schema
(what is not offered), ``METADATA_NAMES`` restricts a storage's metadata names. courier.api.openapi applies them to
the generated components; each rule names the validator it mirrors.
"""

from __future__ import annotations

from typing import Any

from courier.engine.document import HTTPS_URL_PATTERN
from courier.models import AWS_KEY_ID_MIN
from courier.providers import PROVIDERS, storage_providers


def _colour() -> dict[str, Any]:
    # courier.engine.document.normalize_color: #rgb, #rgba, #rrggbb, #rrggbbaa, or white/black/transparent in any case.
    names = "|".join("".join(f"[{c.upper()}{c}]" for c in name) for name in ("white", "black", "transparent"))
    return {"pattern": f"^(#([0-9a-fA-F]{{3,4}}|[0-9a-fA-F]{{6}}|[0-9a-fA-F]{{8}})|{names})$"}


COLOUR = _colour()
# The registered providers' storage models (courier.providers).
STORAGE_MODELS = [p.request for p in storage_providers() if p.request is not None]
# Printable ASCII without a backslash: what Python and JavaScript regular expressions read alike (their \\s differ).
HTTPS_URL = {"pattern": HTTPS_URL_PATTERN}
DATA_URI = {"pattern": "^data:image/[a-z0-9.+-]+;base64,"}
# Added to the string branch of these properties (component schema, property).
STRING_RULES: dict[tuple[str, str], dict[str, Any]] = {
    **{
        (model, prop): COLOUR
        for model, prop in (
            ("Page", "background"),
            ("RectLayer", "fill"),
            ("EllipseLayer", "fill"),
            ("GradientStop", "color"),
            ("Border", "color"),
            ("TextLayer", "color"),
            ("QrLayer", "color"),
            ("QrLayer", "background"),
        )
    },
    ("ImageLayer", "url"): HTTPS_URL,
    ("ImageLayer", "data"): DATA_URI,
    ("RenderRequest", "webhook"): HTTPS_URL,
    ("ConnectionSpec", "presignedUrl"): HTTPS_URL,
    # Every storage model's endpoint (S3-compatible stores, R2, Azure, GCS …).
    **{(model.__name__, "endpoint"): HTTPS_URL for model in STORAGE_MODELS if "endpoint" in model.model_fields},
}
# courier.naming's syntax: ${name} for a known variable only, every "${" closed, not blank. What sanitising leaves of a
# name (by Unicode category) is beyond JSON Schema: such a pattern is answered 422 (400 on remote copy).
NAMING_VARIABLES = "default|auto_filename|filename|effects|ext|uuid|render_id|page|date"
NAMING_PATTERN = {
    "pattern": f"^(?:[^$]|\\$+(?:[^${{]|$)|\\$*\\$\\{{(?:{NAMING_VARIABLES})\\}})*$",
    "allOf": [{"pattern": "\\S"}],
}
STRING_RULES.update(
    {
        (model, "pattern"): NAMING_PATTERN
        for model in (
            "ConnectionSpec",
            *(model.__name__ for model in STORAGE_MODELS),
            "RemoteCopyRequest",
        )
    }
)
# Impossible Software's `filename` is a naming pattern too.
STRING_RULES[("ConnectionSpec", "filename")] = NAMING_PATTERN
# Probed storages' key ids go into an HTTP header: printable ASCII, or the probe fails before it leaves.
STRING_RULES[("KeysAuth", "accessKeyId")] = {"pattern": "^[\\x21-\\x7e]+$"}
STRING_RULES[("ConnectionSpec", "aws_access_key_id")] = {"pattern": "^[\\x21-\\x7e]+$"}
NULL_OR_EMPTY_STRING = {"type": ["null", "string"], "maxLength": 0}
# ObjectOptions._kms_key_needs_kms, in every model that has the object options.
KMS_NEEDS_SSE = {
    "if": {"properties": {"kmsKeyId": {"type": "string"}}, "required": ["kmsKeyId"]},
    "then": {"properties": {"sse": {"const": "aws:kms"}}, "required": ["sse"]},
}
# Model validators as JSON Schema: (component schema) → subschemas all of which a value must satisfy.
OBJECT_RULES: dict[str, list[dict[str, Any]]] = {
    **{model: [KMS_NEEDS_SSE] for model in ("ObjectOptions", *(model.__name__ for model in STORAGE_MODELS))},
    "DropboxConnectRequest": [KMS_NEEDS_SSE],
    # ConnectionSpec._consistent
    "ConnectionSpec": [
        KMS_NEEDS_SSE,
        {
            "if": {"properties": {"provider": {"const": "url"}}, "required": ["provider"]},
            "then": {
                "required": ["presignedUrl"],
                "properties": {
                    "presignedUrl": {"type": "string", "minLength": 1},
                    "storage": {"type": "null"},
                    "bucket": {"type": "null"},
                    "folder": NULL_OR_EMPTY_STRING,
                    "pattern": NULL_OR_EMPTY_STRING,
                },
            },
            "else": {
                "properties": {
                    "presignedUrl": NULL_OR_EMPTY_STRING,
                    "headers": {"type": ["null", "object"], "maxProperties": 0},
                }
            },
        },
        {
            "if": {"properties": {"bucket": {"type": "string"}}, "required": ["bucket"]},
            "then": {
                "properties": {"provider": {"const": "s3"}, "storage": {"type": "null"}},
                "anyOf": [
                    {
                        "required": ["aws_access_key_id", "aws_secret_access_key"],
                        "properties": {
                            "aws_access_key_id": {"type": "string"},
                            "aws_secret_access_key": {"type": "string"},
                        },
                    },
                    {"properties": {"aws_access_key_id": {"type": "null"}, "aws_secret_access_key": {"type": "null"}}},
                ],
            },
            "else": {
                "properties": {
                    "aws_access_key_id": {"type": "null"},
                    "s3host": {"type": "null"},
                    "filename": {"type": "null"},
                    "aws_use_policy": {"type": "null"},
                    "reduced_redundancy": {"type": "null"},
                }
            },
        },
    ],
}
# DropboxStorageRequest._credentials: a refresh token with its app key (and no access token), or an access token
# alone.
OBJECT_RULES["DropboxStorageRequest"].append(
    {
        "anyOf": [
            {
                "required": ["refreshToken", "appKey"],
                "properties": {
                    "refreshToken": {"type": "string"},
                    "appKey": {"type": "string"},
                    "accessToken": {"type": "null"},
                },
            },
            {
                "required": ["accessToken"],
                "properties": {
                    "accessToken": {"type": "string"},
                    "refreshToken": {"type": "null"},
                    "appSecret": {"type": "null"},
                },
            },
        ]
    }
)
# ConnectionSpec._consistent: Impossible Software's `"type": "s3"` is an inline bucket, so it names one.
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"properties": {"type": {"const": "s3"}}, "required": ["type"]},
        "then": {"required": ["bucket"], "properties": {"bucket": {"type": "string"}}},
    }
)
# aws_use_policy: the bucket grants us by policy, so no keys come with it, and it is an Amazon S3 bucket (no s3host).
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"properties": {"aws_use_policy": {"const": True}}, "required": ["aws_use_policy"]},
        "then": {
            "properties": {
                "aws_access_key_id": {"type": "null"},
                "aws_secret_access_key": {"type": "null"},
                "s3host": {"type": "null"},
            }
        },
    }
)
# connections._inline: an inline bucket without s3host is Amazon S3, whose key ids have 16+ characters.
OBJECT_RULES["ConnectionSpec"].append(
    {
        "if": {"not": {"properties": {"s3host": {"type": "string"}}, "required": ["s3host"]}},
        "then": {"properties": {"aws_access_key_id": {"anyOf": [{"type": "null"}, {"minLength": AWS_KEY_ID_MIN}]}}},
    }
)
# storages._check_aws_key_id: the same for an S3 storage without an endpoint.
OBJECT_RULES["S3StorageRequest"].append(
    {
        "if": {"not": {"properties": {"endpoint": {"type": "string"}}, "required": ["endpoint"]}},
        "then": {
            "properties": {
                "auth": {
                    "if": {"properties": {"type": {"const": "keys"}}, "required": ["type"]},
                    "then": {"properties": {"accessKeyId": {"minLength": AWS_KEY_ID_MIN}}},
                }
            }
        },
    }
)
# renders.checks.check_supported: Orshot's options for what is not offered are refused with a reason when given; the
# document says so (null or absent only).
# The property itself says it (an allOf beside it would be as true, but generated clients cannot merge the two).
NOT_OFFERED = "Not offered: answered 422 (400 on Orshot's routes) with the reason when given; null or absent only."
PROPERTY_RULES: dict[tuple[str, str], dict[str, Any]] = {
    (model, prop): {"type": "null", "description": NOT_OFFERED}
    for model in ("RenderRequest", "GenerateRequest")
    for prop in ("publish",)
}
# ResponseSpec._one_moment: a still of an animated template is at a time or at a frame, not both.
OBJECT_RULES["ResponseSpec"] = [
    {
        "if": {"required": ["time"], "properties": {"time": {"type": "number"}}},
        "then": {"properties": {"frame": {"type": "null"}}},
    }
]
# Page._check: fps needs a duration (keyframes within it, at increasing times, cannot be said in JSON Schema).
OBJECT_RULES["Page"] = [
    {
        "if": {"required": ["fps"], "properties": {"fps": {"type": "integer"}}},
        "then": {"required": ["duration"], "properties": {"duration": {"type": "number"}}},
    }
]
# VideoOptions._trim: a rendered clip has no audio track, so only `muted: true` (or none) means something.
PROPERTY_RULES[("VideoOptions", "muted")] = {
    "anyOf": [{"const": True}, {"type": "null"}],
    "description": "true or absent: a rendered clip has no audio track (false is a 422)",
}
# storages._check_aws_auth: an S3 storage with an endpoint uses keys.
OBJECT_RULES["S3StorageRequest"].append(
    {
        "if": {"properties": {"endpoint": {"type": "string"}}, "required": ["endpoint"]},
        "then": {"properties": {"auth": {"properties": {"type": {"const": "keys"}}}}},
    }
)


# courier.providers: what a provider cannot honour is refused (Capabilities.lacking), on its storages (the property
# itself says it, as for NOT_OFFERED) and on the connections that name it; Azure's metadata names are C# identifiers.
METADATA_NAMES: dict[str, str] = {}  # storage model -> the pattern of its metadata names
for _provider in PROVIDERS.values():
    _rules = _provider.capabilities.schema()
    if _provider.request is not None:
        for _prop, _rule in _rules.items():
            PROPERTY_RULES[(_provider.request.__name__, _prop)] = _rule | {
                "description": f"Not offered by {_provider.display}: a 422 when given"
            }
        if _provider.metadata_names is not None:
            METADATA_NAMES[_provider.request.__name__] = _provider.metadata_names
    if _provider.metadata_names is not None:
        _rules = _rules | {
            "metadata": {
                "anyOf": [{"type": "null"}, {"type": "object", "propertyNames": {"pattern": _provider.metadata_names}}]
            }
        }
    if _rules:
        OBJECT_RULES["ConnectionSpec"].append(
            {
                "if": {"properties": {"provider": {"const": _provider.name}}, "required": ["provider"]},
                "then": {"properties": _rules},
            }
        )
