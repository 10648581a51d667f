"""Modifications: change layers by name (`"headline": "…"` or `{"headline": {"text": "…", "color": "#fff"}}`)."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from courier.render.document import TemplateDocument
from courier.render.errors import ModificationError

# The property a plain string sets, and the properties an object may set, per layer type (camelCase, as in JSON).
PRIMARY = {"text": "text", "image": "url", "rect": "fill", "ellipse": "fill", "qr": "data"}
COMMON = ("visible", "opacity")
ALLOWED: dict[str, tuple[str, ...]] = {
    "text": ("text", "color", "fontSize", "fontWeight", "fontFamily", "align", *COMMON),
    "image": ("url", "data", "fit", *COMMON),
    "rect": ("fill", "gradient", *COMMON),
    "ellipse": ("fill", "gradient", *COMMON),
    "qr": ("data", "color", "background", *COMMON),
}


def apply_modifications(doc: TemplateDocument, modifications: Any) -> tuple[TemplateDocument, list[str]]:
    """A copy of the document with the modifications applied, and warnings for names no layer has."""
    if not isinstance(modifications, dict):
        raise ModificationError("modifications", "must be an object of layer name → value")
    names = doc.layer_names()
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    for name, value in modifications.items():
        if name not in names:
            warnings.append(f"Layer '{str(name)[:64]}' does not exist in template '{doc.id}'; modification ignored")
        else:
            changes[name] = value
    if not changes:
        return doc, warnings
    pages = []
    for page in doc.pages:
        layers = [_modify(layer, changes[layer.name]) if layer.name in changes else layer for layer in page.layers]
        pages.append(page.model_copy(update={"layers": layers}))
    return doc.model_copy(update={"pages": pages}), warnings


def _modify(layer: Any, value: Any, /) -> Any:
    path = f"modifications.{layer.name}"
    kind: str = layer.type
    allowed = ALLOWED[kind]
    shorthand = isinstance(value, str)
    if isinstance(value, str):
        key = "data" if kind == "image" and value.startswith("data:") else PRIMARY[kind]
        props: dict[str, Any] = {key: value}
    elif isinstance(value, dict):
        props = value
        for key in props:
            if key not in allowed:
                raise ModificationError(f"{path}.{key}", f"not a property of a {kind} layer; use {', '.join(allowed)}")
    else:
        raise ModificationError(path, f"must be a string or an object with {', '.join(allowed)}")
    data = layer.model_dump(by_alias=True)
    data.update(props)
    # What the caller set must win over what the template had: a new url over stored data, a fill over a gradient.
    if "url" in props and "data" not in props:
        data["data"] = None
    if "fill" in props and "gradient" not in props:
        data["gradient"] = None
    try:
        return type(layer).model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = [str(part) for part in error["loc"]]
        field = path if shorthand else ".".join([path, *loc])
        message = error["msg"].removeprefix("Value error, ")
        raise ModificationError(field, message) from None
