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


class BudgetError(ValueError):
    """The render asks for more work than one request may take (see render/budget.py). ``fields`` are the request's
    field paths that can make it smaller, each with its reason."""

    def __init__(self, message: str, fields: list[tuple[str, str]]) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields
