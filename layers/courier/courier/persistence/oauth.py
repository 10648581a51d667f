"""Connect Dropbox's OAuth states: stored under their hash when the flow starts, taken once by its callback.

Taking a state is a conditional delete, so two callbacks with one state cannot both win; DynamoDB's TTL removes the
states nobody came back for.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from boto3.dynamodb.conditions import Attr

from courier.persistence.table import Repository, if_condition


class OAuthStates(Repository):
    def put_oauth_state(self, state_hash: str, data: dict[str, str], expires: datetime) -> None:
        self._table.put_item(
            Item={
                "pk": f"OAUTH#{state_hash}",
                "sk": "OAUTH",
                "expires": expires.isoformat(),
                "expiresAt": int(expires.timestamp()),
                **data,
            },
            ConditionExpression=Attr("pk").not_exists(),
        )

    def take_oauth_state(self, state_hash: str) -> dict[str, Any] | None:
        """Delete and return a state: a conditional delete, so two callbacks with one state cannot both win."""
        answer = if_condition(
            self._table.delete_item,
            Key={"pk": f"OAUTH#{state_hash}", "sk": "OAUTH"},
            ConditionExpression=Attr("pk").exists(),
            ReturnValues="ALL_OLD",
        )
        if answer is None:
            return None
        item = dict(answer["Attributes"])
        item["expires"] = datetime.fromisoformat(item["expires"])
        return item
