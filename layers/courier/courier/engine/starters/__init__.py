"""Built-in starter templates, available in every workspace: social-card, carousel, certificate, promo-video.

The documents themselves are in stills.py (social-card, carousel, certificate) and video.py (promo-video); here they
are validated once into ``BUILTIN_TEMPLATES``, which ``get_template`` reads.
"""

from __future__ import annotations

from courier.engine.document import TemplateDocument
from courier.engine.errors import TemplateNotFoundError
from courier.engine.starters.stills import CAROUSEL, CERTIFICATE, SOCIAL_CARD
from courier.engine.starters.video import PROMO_VIDEO

__all__ = ["BUILTIN_TEMPLATES", "TemplateNotFoundError", "get_template"]

BUILTIN_TEMPLATES: dict[str, TemplateDocument] = {
    raw["id"]: TemplateDocument.model_validate(raw) for raw in (SOCIAL_CARD, CAROUSEL, CERTIFICATE, PROMO_VIDEO)
}


def get_template(template_id: str) -> TemplateDocument:
    try:
        return BUILTIN_TEMPLATES[template_id]
    except KeyError:
        raise TemplateNotFoundError(template_id) from None
