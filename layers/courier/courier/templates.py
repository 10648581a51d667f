"""Templates: each workspace's own template documents, next to the built-in starters every workspace has."""

from __future__ import annotations

from datetime import UTC, datetime

from courier.errors import ConflictError, NotFoundError, UnprocessableError
from courier.models import TemplateList, TemplateSummary
from courier.render import BUILTIN_TEMPLATES, TemplateDocument
from courier.store import Store


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

    def list(self, workspace_id: str) -> TemplateList:
        own = self._store.list_templates(workspace_id)
        return TemplateList(
            templates=[_summary(doc, builtin=True) for doc in BUILTIN_TEMPLATES.values()]
            + [_summary(doc, builtin=False) for doc in own]
        )

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
    )
