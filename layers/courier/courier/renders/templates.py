"""Templates: each workspace's own template documents, next to the built-in starters every workspace has."""

from __future__ import annotations

from datetime import UTC, datetime

from courier.api import pages
from courier.engine import BUILTIN_TEMPLATES, TemplateDocument
from courier.engine.motion import DEFAULT_FPS
from courier.errors import ConflictError, NotFoundError, UnprocessableError
from courier.persistence.store import Store
from courier.renders.answers import TemplateList, TemplateSummary


class TemplateService:
    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, workspace_id: str, document: TemplateDocument) -> TemplateDocument:
        self._check_not_builtin(document.id, "id")
        if self._store.get_template(workspace_id, document.id) is not None:
            raise ConflictError("a template with this id exists: PUT /v1/templates/{id} replaces it")
        self._store.put_template(workspace_id, document, datetime.now(UTC))
        return document

    def put(self, workspace_id: str, template_id: str, document: TemplateDocument) -> TemplateDocument:
        self._check_not_builtin(template_id, "id")
        if document.id != template_id:
            raise UnprocessableError.at("id", "the document's id must be the one in the path")
        self._store.put_template(workspace_id, document, datetime.now(UTC))
        return document

    def get(self, workspace_id: str, template_id: str) -> TemplateDocument:
        """The workspace's own template, else a built-in one."""
        own = self._store.get_template(workspace_id, template_id)
        if own is not None:
            return own
        if template_id in BUILTIN_TEMPLATES:
            return BUILTIN_TEMPLATES[template_id]
        raise NotFoundError("no such template")

    def list(self, workspace_id: str, limit: int = pages.MAX_LIMIT, cursor: str | None = None) -> TemplateList:
        """The built-ins, then the workspace's own, each by id; a page of them."""
        own = sorted(self._store.list_templates(workspace_id), key=lambda doc: doc.id)
        every = [_summary(doc, builtin=True) for doc in sorted(BUILTIN_TEMPLATES.values(), key=lambda d: d.id)]
        every += [_summary(doc, builtin=False) for doc in own]
        chosen, next_cursor = pages.page(every, lambda t: f"{0 if t.builtin else 1}{t.id}", limit, cursor)
        return TemplateList(templates=chosen, next_cursor=next_cursor)

    def delete(self, workspace_id: str, template_id: str) -> None:
        self._check_not_builtin(template_id, "templateId")
        if self._store.get_template(workspace_id, template_id) is None:
            raise NotFoundError("no such template")
        self._store.delete_template(workspace_id, template_id)

    @staticmethod
    def _check_not_builtin(template_id: str, field: str) -> None:
        if template_id in BUILTIN_TEMPLATES:
            raise UnprocessableError.at(field, "that is a built-in template's id; choose another id")


def _summary(document: TemplateDocument, builtin: bool) -> TemplateSummary:
    first = document.pages[0]
    return TemplateSummary(
        id=document.id,
        name=document.name,
        builtin=builtin,
        pages=len(document.pages),
        width=first.width,
        height=first.height,
        layers=sorted({layer.name for page in document.pages for layer in page.layers}),
        duration=first.duration,
        fps=(first.fps or DEFAULT_FPS) if first.duration is not None else None,
    )
