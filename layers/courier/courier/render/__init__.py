"""Rendering: a template plus modifications becomes one encoded file per page."""

from courier.render.engine import RenderedPage, RenderResult, render_template
from courier.render.templates import BUILTIN_TEMPLATES, TemplateNotFoundError

__all__ = ["BUILTIN_TEMPLATES", "RenderResult", "RenderedPage", "TemplateNotFoundError", "render_template"]
