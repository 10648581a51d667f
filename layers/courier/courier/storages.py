"""Storages: a workspace's named sets of destination settings. Secrets go to the credential store only."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from courier.credentials import CredentialStore
from courier.errors import NotFoundError, UnprocessableError
from courier.models import KeysAuth, StorageAuthInfo, StorageList, StorageRecord, StorageRequest, StorageResponse
from courier.naming import NameContext, NamingError, build_key
from courier.store import Store

# A realistic context to try a storage's folder and pattern on when it is saved.
SAMPLE_NAME = NameContext(
    uuid=str(uuid.UUID(int=0)), filename="sample", ext=".png", render_id="sample", date=date(2026, 1, 1), page=1
)


class StorageService:
    def __init__(self, store: Store, credentials: CredentialStore, own_buckets: frozenset[str]) -> None:
        self._store = store
        self._credentials = credentials
        self._own_buckets = own_buckets

    def put(self, workspace_id: str, name: str, request: StorageRequest) -> StorageResponse:
        if request.bucket in self._own_buckets:
            raise UnprocessableError.at("bucket", "this bucket belongs to the service; use one of your own")
        try:
            build_key(request.prefix, request.pattern, SAMPLE_NAME)
        except NamingError as exc:
            field = "pattern" if exc.field == "pattern" or (exc.field == "key" and not request.prefix) else "prefix"
            raise UnprocessableError.at(field, exc.message) from exc
        existing = self._store.get_storage(workspace_id, name)
        secret_id = None
        if isinstance(request.auth, KeysAuth):
            secret_id = self._credentials.save(
                workspace_id,
                name,
                {"access_key_id": request.auth.access_key_id, "secret_access_key": request.auth.secret_access_key},
            )
        now = datetime.now(UTC)
        record = StorageRecord(
            workspace_id=workspace_id,
            name=name,
            provider=request.provider,
            bucket=request.bucket,
            region=request.region,
            prefix=request.prefix,
            pattern=request.pattern,
            auth_type=request.auth.type,
            secret_id=secret_id,
            enabled=request.enabled,
            paused=request.paused,
            auto_copy=request.auto_copy,
            make_public=request.make_public,
            created_at=existing.created_at if existing else now,
            updated_at=now,
        )
        self._store.put_storage(record)
        if existing and existing.secret_id and secret_id is None:
            self._credentials.delete(existing.secret_id)  # switched to policy auth: keep no stale keys
        return to_response(record)

    def get(self, workspace_id: str, name: str) -> StorageResponse:
        return to_response(self._load(workspace_id, name))

    def list(self, workspace_id: str) -> StorageList:
        return StorageList(storages=[to_response(r) for r in self._store.list_storages(workspace_id)])

    def delete(self, workspace_id: str, name: str) -> None:
        record = self._load(workspace_id, name)
        self._store.delete_storage(workspace_id, name)
        if record.secret_id:
            self._credentials.delete(record.secret_id)

    def _load(self, workspace_id: str, name: str) -> StorageRecord:
        record = self._store.get_storage(workspace_id, name)
        if record is None:
            raise NotFoundError(f"storage '{name}' not found")
        return record


def to_response(record: StorageRecord) -> StorageResponse:
    return StorageResponse(
        name=record.name,
        provider=record.provider,
        bucket=record.bucket,
        region=record.region,
        prefix=record.prefix,
        pattern=record.pattern,
        auth=StorageAuthInfo(type=record.auth_type),
        enabled=record.enabled,
        paused=record.paused,
        auto_copy=record.auto_copy,
        make_public=record.make_public,
        created_at=record.created_at,
        updated_at=record.updated_at,
    )
