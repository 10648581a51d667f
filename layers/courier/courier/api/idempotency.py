"""``Idempotency-Key`` on POSTs (Stripe's contract), kept by Powertools' idempotency utility in the stack's table.

A key is the workspace's: the same key with the same body within 24 hours answers the first request's outcome (no
second render, no second file); with another body it is a ``422 idempotency_key_reused``; while the first request
is still running it is a ``409``. A request that failed (a 4xx or a crash) keeps nothing, so it can be retried.
Items: ``pk = IDEMPOTENCY#<workspace>``, ``sk = <operation>#<sha256 of the key>``, expiring through the table's TTL.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from courier.errors import ApiError, ConflictError, ServiceUnavailableError, UnprocessableError

if TYPE_CHECKING:
    from types_boto3_dynamodb.client import DynamoDBClient

HEADER = "idempotency-key"
KEY = re.compile(r"^[\x21-\x7e]{1,255}$")  # printable ASCII, as Stripe's keys (UUIDs, ULIDs …)
TTL_SECONDS = 24 * 3600

T = TypeVar("T")


class IdempotencyKeyReusedError(ApiError):
    status = 422
    code = "idempotency_key_reused"


@dataclass(frozen=True)
class Idempotent[T]:
    """``record``: what the first request stored; ``outcome``: this request's own result, None on a replay."""

    record: dict[str, Any]
    outcome: T | None

    @property
    def replayed(self) -> bool:
        return self.outcome is None


def check_key(value: str) -> str:
    if not KEY.match(value):
        raise UnprocessableError.at("header.Idempotency-Key", "1 to 255 printable ASCII characters, no spaces")
    return value


class IdempotentRequests:
    def __init__(self, table_name: str, client: DynamoDBClient) -> None:
        self._table_name = table_name
        self._client = client

    def run(
        self,
        workspace_id: str,
        operation: str,
        key: str,
        body: Any,
        work: Callable[[], T],
        record: Callable[[T], dict[str, Any]],
        lambda_context: Any,
    ) -> Idempotent[T]:
        """Run ``work`` once per (workspace, operation, key); ``record(outcome)`` is what a replay gets back (small:
        an item holds at most 400 KB). ``body`` is the parsed request body, compared on every replay. The record of a
        request in flight lasts as long as ``lambda_context`` has time left, so a request that died can be retried.

        Raises IdempotencyKeyReusedError (422), ConflictError (409, still in flight), ServiceUnavailableError (the
        table cannot be reached), and whatever ``work`` raises (nothing is kept then)."""
        # Imported here: only requests that carry a key pay for the utility (~6 ms, measured in the decision log).
        from aws_lambda_powertools.utilities.idempotency import (
            DynamoDBPersistenceLayer,
            IdempotencyConfig,
            idempotent_function,
        )
        from aws_lambda_powertools.utilities.idempotency.exceptions import (
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
            IdempotencyValidationError,
        )

        persistence = DynamoDBPersistenceLayer(
            self._table_name,
            key_attr="pk",
            sort_key_attr="sk",
            static_pk_value=f"IDEMPOTENCY#{workspace_id}",
            expiry_attr="expiresAt",
            boto3_client=self._client,
        )
        config = IdempotencyConfig(
            event_key_jmespath="key",
            payload_validation_jmespath="body",
            expires_after_seconds=TTL_SECONDS,
            hash_function="sha256",
        )
        config.register_lambda_context(lambda_context)
        done: list[T] = []

        @idempotent_function(  # type: ignore[untyped-decorator]
            data_keyword_argument="request", persistence_store=persistence, config=config, key_prefix=operation
        )
        def first(request: dict[str, Any]) -> dict[str, Any]:
            outcome = work()
            done.append(outcome)
            return record(outcome)

        try:
            stored = first(request={"key": key, "body": body})
        except IdempotencyValidationError:
            raise IdempotencyKeyReusedError(
                "this Idempotency-Key was used with another request body: use a new key for a new request"
            ) from None
        except IdempotencyAlreadyInProgressError:
            raise ConflictError(
                "a request with this Idempotency-Key is still in progress: retry when it has answered"
            ) from None
        except IdempotencyPersistenceLayerError:
            raise ServiceUnavailableError("the request could not be made idempotent now: retry") from None
        return Idempotent(stored, done[0] if done else None)
