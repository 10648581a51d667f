"""A workspace's saved template documents, kept as JSON text (DynamoDB numbers would turn floats into Decimals).

The template model is imported only when one is read: it pulls in the renderer, which the deliver function never
needs.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from boto3.dynamodb.conditions import Key

from courier.persistence.table import Repository, query_all, text

if TYPE_CHECKING:
    from courier.engine.document import TemplateDocument


def _template_key(workspace_id: str, template_id: str) -> dict[str, str]:
    return {"pk": f"WS#{workspace_id}", "sk": f"TEMPLATE#{template_id}"}


class Templates(Repository):
    def put_template(self, workspace_id: str, document: TemplateDocument, now: datetime) -> None:
        # Kept as JSON text: DynamoDB numbers would turn floats into Decimals and back.
        self._table.put_item(
            Item={
                **_template_key(workspace_id, document.id),
                "document": document.model_dump_json(by_alias=True),
                "updated_at": now.isoformat(),
            }
        )

    def get_template(self, workspace_id: str, template_id: str) -> TemplateDocument | None:
        item = self._table.get_item(Key=_template_key(workspace_id, template_id)).get("Item")
        from courier.engine.document import TemplateDocument

        return TemplateDocument.model_validate_json(text(item, "document")) if item else None

    def list_templates(self, workspace_id: str) -> list[TemplateDocument]:
        items = query_all(
            self._table,
            KeyConditionExpression=Key("pk").eq(f"WS#{workspace_id}") & Key("sk").begins_with("TEMPLATE#"),
        )
        from courier.engine.document import TemplateDocument

        return [TemplateDocument.model_validate_json(item["document"]) for item in items]

    def delete_template(self, workspace_id: str, template_id: str) -> None:
        self._table.delete_item(Key=_template_key(workspace_id, template_id))
