"""Strict numbers, as JSON means them: request and template models refuse ``"5"`` and ``true`` for an int, but an
integral float (``241.0``) is the integer JSON Schema says it is, and clients that write every number as a float
(JavaScript's ``JSON.stringify`` of a computed value, say) must not get a 422 for it."""

from __future__ import annotations

import types
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel


def integral_floats(model: type[BaseModel], data: Any) -> Any:
    """A ``model_validator(mode="before")`` body: ``241.0`` → ``241`` in the model's int fields; the rest as given."""
    if not isinstance(data, dict):
        return data
    converted = None
    for name, field in model.model_fields.items():
        for key in {name, field.alias or name}:
            value = data.get(key)
            if isinstance(value, float) and value.is_integer() and _is_int(field.annotation):
                converted = converted if converted is not None else dict(data)
                converted[key] = int(value)
    return data if converted is None else converted


def _is_int(annotation: Any) -> bool:
    if annotation is int:
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _is_int(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        kinds = [a for a in get_args(annotation) if a is not type(None)]
        return len(kinds) == 1 and _is_int(kinds[0])
    return False
