"""Modifications: change layers by name (`"headline": "…"` or `{"headline": {"text": "…", "color": "#fff"}}`).

Orshot's spellings are understood too: a style key `"headline.color": "#ff5733"` (with CSS-like numbers such as
`"headline.fontSize": "48px"`), and the canvas keys of `courier.engine.canvas` (`canvasBackgroundColor`,
`canvasBackgroundImage`), unless the template has layers of those names.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import ValidationError

from courier.engine.canvas import CANVAS_KEYS, apply_canvas
from courier.engine.document import TemplateDocument
from courier.engine.errors import ModificationError

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
NUMERIC = frozenset({"fontSize", "fontWeight", "opacity"})
_CSS_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)\s*(px)?\s*")


def apply_modifications(doc: TemplateDocument, modifications: Any) -> tuple[TemplateDocument, list[str]]:
    """A copy of the document with the modifications applied, and warnings for names no layer has."""
    if not isinstance(modifications, dict):
        raise ModificationError("modifications", "must be an object of layer name → value")
    names = doc.layer_names()
    warnings: list[str] = []
    changes: dict[str, Any] = {}
    styles: dict[str, dict[str, Any]] = {}
    canvas: dict[str, Any] = {}
    for name, value in modifications.items():
        base, dot, prop = str(name).rpartition(".")
        if name in names:
            changes[name] = value
        elif name in CANVAS_KEYS:
            canvas[name] = value
        elif dot and base in names:
            styles.setdefault(base, {})[prop] = _css_number(prop, value)
        else:
            warnings.append(f"Layer '{str(name)[:64]}' does not exist in template '{doc.id}'; modification ignored")
    for base, props in styles.items():
        changes[base] = _merge(changes.get(base), props)
    if changes:
        pages = []
        for page in doc.pages:
            layers = [
                _modify(layer, changes[layer.name], warnings) if layer.name in changes else layer
                for layer in page.layers
            ]
            pages.append(page.model_copy(update={"layers": layers}))
        doc = doc.model_copy(update={"pages": pages})
    return apply_canvas(doc, canvas), warnings


def _css_number(prop: str, value: Any) -> Any:
    """Orshot's style values are CSS-like strings: `"48px"` and `"700"` are numbers for the numeric properties."""
    if prop in NUMERIC and isinstance(value, str) and (match := _CSS_NUMBER.fullmatch(value)):
        number = float(match.group(1))
        return int(number) if number.is_integer() else number
    return value


def _picture_source(value: str) -> bool:
    """Whether a shorthand picture is meant as a source (then validated as one: `http://` is refused) or is text."""
    return "://" in value or value.startswith("data:")


def _merge(value: Any, props: dict[str, Any]) -> Any:
    """A layer's own modification combined with its style keys (`"headline"` plus `"headline.color"`)."""
    if value is None:
        return props
    if isinstance(value, dict):
        return {**value, **props}
    return (value, props)  # a shorthand string with styles: resolved by _modify, which knows the layer's type


def _modify(layer: Any, value: Any, warnings: list[str], /) -> Any:
    path = f"modifications.{layer.name}"
    kind: str = layer.type
    allowed = ALLOWED[kind]
    styles: dict[str, Any] = {}
    if isinstance(value, tuple):
        value, styles = value
    shorthand = isinstance(value, str)
    if isinstance(value, str):
        key = "data" if kind == "image" and value.startswith("data:") else PRIMARY[kind]
        props: dict[str, Any] = {key: value}
        if kind == "image" and value and not _picture_source(value):
            # As a failed fetch is: a shorthand picture that is no URL (Orshot's "Custom Image URL") is left out
            note = f"Layer '{layer.name}': {value[:40]!r} is not an https:// URL or a data:image URI; drawn without it"
            if note not in warnings:
                warnings.append(note)
            props = {"url": ""}
    elif isinstance(value, dict):
        props = value
    else:
        raise ModificationError(path, f"must be a string or an object with {', '.join(allowed)}")
    props = {**props, **styles}
    for key in props:
        if key not in allowed:
            raise ModificationError(f"{path}.{key}", f"not a property of a {kind} layer; use {', '.join(allowed)}")
    if kind == "image" and props.get("url") == "":
        props["url"] = None  # Orshot's "no picture": an empty URL clears the layer's image
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
        field = path if shorthand and not styles else ".".join([path, *loc])
        message = error["msg"].removeprefix("Value error, ")
        raise ModificationError(field, message) from None
