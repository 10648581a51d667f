"""Errors of the renderer; each says what the caller can change."""

from __future__ import annotations


class RenderError(RuntimeError):
    """The document could not be drawn (a malformed drawing, a drawing library failure)."""


class UnsupportedFormatError(ValueError):
    """The requested output format is not one the renderer writes."""


class TemplateNotFoundError(LookupError):
    """No built-in template has this id."""


class ModificationError(ValueError):
    """A modification has the wrong type or value; `field_path` is like `modifications.headline.color`."""

    def __init__(self, field_path: str, message: str) -> None:
        super().__init__(f"{field_path}: {message}")
        self.field_path = field_path
        self.message = message
