"""Built-in starter templates, available in every workspace."""

from __future__ import annotations

from dataclasses import dataclass


class TemplateNotFoundError(LookupError):
    pass


@dataclass(frozen=True)
class TextLayer:
    name: str
    text: str
    x: int
    y: int
    width: int
    size: int
    color: str
    max_lines: int


@dataclass(frozen=True)
class Template:
    id: str
    name: str
    width: int
    height: int
    background: tuple[str, str]  # linear gradient, top-left to bottom-right
    layers: tuple[TextLayer, ...]


SOCIAL_CARD = Template(
    id="social-card",
    name="social-card",
    width=1200,
    height=630,
    background=("#1e3a8a", "#7c3aed"),
    layers=(
        TextLayer("headline", "Your headline here", x=80, y=170, width=1040, size=84, color="#ffffff", max_lines=3),
        TextLayer("subtitle", "", x=80, y=520, width=1040, size=36, color="#e0e7ff", max_lines=1),
    ),
)

BUILTIN_TEMPLATES: dict[str, Template] = {SOCIAL_CARD.id: SOCIAL_CARD}


def get_template(template_id: str) -> Template:
    try:
        return BUILTIN_TEMPLATES[template_id]
    except KeyError:
        raise TemplateNotFoundError(template_id) from None
