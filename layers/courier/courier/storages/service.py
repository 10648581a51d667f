"""Storages: a workspace's named sets of destination settings. Each save is probed first; secrets go to the
credential store only; role storages pass the confused-deputy check."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from botocore.exceptions import ClientError
from pydantic import SecretStr

from courier.api import pages
from courier.destinations.base import DestinationError
from courier.destinations.registry import WORKSPACE_TAG, DestinationFactory, RoleAssumer
from courier.errors import NotFoundError, UnprocessableError
from courier.models import ObjectOptions
from courier.naming import NameContext, NamingError, build_key
from courier.net.policy import BlockedURLError, check_url
from courier.persistence.store import Store
from courier.providers import RESPONSES, SaveContext, StorageList, StorageRequest, StorageResponse, get
from courier.providers.models import StorageAuthInfo, StoragePatch
from courier.records import DeliveryTarget, StorageRecord
from courier.secrets.credentials import CredentialStore

# A realistic context to try a storage's folder and pattern on when it is saved.
SAMPLE_NAME = NameContext(
    uuid=str(uuid.UUID(int=0)), filename="sample", ext=".png", render_id="sample", date=date(2026, 1, 1), page=1
)


class StorageService:
    def __init__(
        self,
        store: Store,
        credentials: CredentialStore,
        destinations: DestinationFactory,
        roles: RoleAssumer | None,
        *,
        own_buckets: frozenset[str],
        writer_role_arn: str,
        allow_local_urls: bool = False,
    ) -> None:
        self._store = store
        self._credentials = credentials
        self._destinations = destinations
        self._roles = roles
        self._own_buckets = own_buckets
        self._writer_role_arn = writer_role_arn
        self._allow_local = allow_local_urls

    # ------------------------------------------------------------ routes

    def put(self, workspace_id: str, name: str, request: StorageRequest) -> StorageResponse:
        existing = self._store.get_storage(workspace_id, name)
        now = datetime.now(UTC)
        record, secret = self._record(workspace_id, name, request, now, existing)
        self._check_naming(record)
        self._probe(record, secret)
        return self._save(record, secret, existing)

    def patch(self, workspace_id: str, name: str, patch: StoragePatch) -> StorageResponse:
        existing = self._load(workspace_id, name)
        changes: dict[str, Any] = {
            field: getattr(patch, field)
            for field in ("enabled", "paused", "auto_copy")
            if getattr(patch, field) is not None
        }
        folder = patch.prefix if patch.prefix is not None else patch.folder
        if folder is not None:
            changes["prefix"] = folder
        record = existing.model_copy(update=changes | {"updated_at": datetime.now(UTC)})
        secret: dict[str, str] | None = None
        if patch.auth is not None or patch.refresh_token is not None:
            record, secret = self._new_credentials(record, patch)
            self._probe(record, secret)
        self._check_naming(record)
        return self._save(
            record, secret, existing, keep_secret=secret is None and record.auth_type == existing.auth_type
        )

    def get(self, workspace_id: str, name: str) -> StorageResponse:
        return self._response(self._load(workspace_id, name))

    def list(self, workspace_id: str, limit: int = pages.MAX_LIMIT, cursor: str | None = None) -> StorageList:
        records = sorted(self._store.list_storages(workspace_id), key=lambda r: r.name)
        chosen, next_cursor = pages.page(records, lambda r: r.name, limit, cursor)
        return StorageList(storages=[self._response(r) for r in chosen], next_cursor=next_cursor)

    def delete(self, workspace_id: str, name: str) -> None:
        record = self._load(workspace_id, name)
        self._store.delete_storage(workspace_id, name)
        if record.secret_id:
            self._credentials.delete(record.secret_id)

    # ------------------------------------------------------------ building a record

    def _record(
        self,
        workspace_id: str,
        name: str,
        request: StorageRequest,
        now: datetime,
        existing: StorageRecord | None,
    ) -> tuple[StorageRecord, dict[str, str] | None]:
        provider = get(request.provider)
        options = ObjectOptions.model_validate(request.model_dump(include=set(ObjectOptions.model_fields)))
        provider.check_options(options)
        saved = provider.save(request, SaveContext(self._own_buckets, self._check_endpoint))
        record = StorageRecord(
            **{
                "workspace_id": workspace_id,
                "name": name,
                "provider": request.provider,
                "prefix": request.prefix,
            }
            | saved.fields,
            pattern=request.pattern,
            enabled=request.enabled,
            paused=request.paused,
            auto_copy=request.auto_copy,
            options=options,
            created_at=existing.created_at if existing else now,
            updated_at=now,
            last_delivery=existing.last_delivery if existing else None,
            auth_type=saved.auth_type,
            role_arn=saved.role_arn,
        )
        return record, saved.secret

    def _new_credentials(
        self, record: StorageRecord, patch: StoragePatch
    ) -> tuple[StorageRecord, dict[str, str] | None]:
        return get(record.provider).new_credentials(record, patch)

    # ------------------------------------------------------------ checks

    def _check_naming(self, record: StorageRecord) -> None:
        try:
            build_key(record.prefix, record.pattern, SAMPLE_NAME)
        except NamingError as exc:
            field = "pattern" if exc.field == "pattern" or (exc.field == "key" and not record.prefix) else "prefix"
            raise UnprocessableError.at(field, exc.message) from exc

    def _check_endpoint(self, endpoint: str) -> None:
        try:
            check_url(endpoint, allow_local=self._allow_local)
        except BlockedURLError as exc:
            raise UnprocessableError.at("endpoint", exc.reason) from exc

    def _probe(self, record: StorageRecord, secret: dict[str, str] | None) -> None:
        """Write, read back and delete a small object with the new settings; a failure saves nothing."""
        if record.auth_type == "policy":
            # The bucket policy grants only our writer role's sessions of this workspace, and only writes: checked
            # at the first delivery.
            return
        external_id = None
        if record.auth_type == "role":
            external_id = self._store.workspace_external_id(record.workspace_id)
            self._check_role(record.role_arn or "", external_id)
        target = target_of(record, external_id)
        try:
            destination = self._destinations.build(target, secret=secret, probe_prefix=record.prefix or "")
            destination.probe()
        except DestinationError as exc:
            field = get(record.provider).probe_field(exc, secret)
            raise UnprocessableError.at(field, f"the storage did not accept a test write: {exc.reason}") from exc

    def _check_role(self, role_arn: str, external_id: str) -> None:
        """The role must refuse us without the workspace's ExternalId, and with a wrong one (confused deputy)."""
        if self._roles is None:
            raise UnprocessableError.at("auth.type", "role storages are not enabled on this deployment")
        for wrong in (None, f"wrong-{uuid.uuid4().hex}"):
            try:
                self._roles.credentials(role_arn, wrong, session="render-courier-check")
            except ClientError:
                continue
            raise UnprocessableError.at(
                "auth.roleArn",
                "the role can be assumed without this workspace's ExternalId: add the condition "
                f'"StringEquals": {{"sts:ExternalId": "{external_id}"}} to its trust policy',
            )
        try:
            self._roles.credentials(role_arn, external_id, session="render-courier-check")
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "AccessDenied")
            raise UnprocessableError.at(
                "auth.roleArn",
                f"{code}: the role could not be assumed; its trust policy must allow our account with "
                f"sts:ExternalId {external_id}",
            ) from exc

    # ------------------------------------------------------------ persistence and answers

    def _save(
        self,
        record: StorageRecord,
        secret: dict[str, str] | None,
        existing: StorageRecord | None,
        keep_secret: bool = False,
    ) -> StorageResponse:
        if keep_secret and existing is not None:
            record = record.model_copy(update={"secret_id": existing.secret_id})
        elif secret is not None:
            secret_id = self._credentials.save(
                record.workspace_id, record.name, {k: SecretStr(v) for k, v in secret.items()}
            )
            record = record.model_copy(update={"secret_id": secret_id})
        else:
            record = record.model_copy(update={"secret_id": None})
        self._store.put_storage(record)
        if existing and existing.secret_id and record.secret_id is None:
            self._credentials.delete(existing.secret_id)  # no longer key-based: keep no stale secret
        return self._response(record)

    def _load(self, workspace_id: str, name: str) -> StorageRecord:
        record = self._store.get_storage(workspace_id, name)
        if record is None:
            raise NotFoundError("no such storage in this workspace")
        return record

    def _response(self, record: StorageRecord) -> StorageResponse:
        auth = StorageAuthInfo(type=record.auth_type)
        if record.auth_type == "role":
            auth = StorageAuthInfo(
                type="role",
                role_arn=record.role_arn,
                external_id=self._store.workspace_external_id(record.workspace_id),
            )
        elif record.auth_type == "policy" and record.bucket:
            auth = StorageAuthInfo(type="policy", bucket_policy=self._bucket_policy(record))
        response: StorageResponse = RESPONSES[record.provider](
            name=record.name,
            provider=record.provider,
            prefix=record.prefix,
            pattern=record.pattern,
            auth=auth,
            enabled=record.enabled,
            paused=record.paused,
            auto_copy=record.auto_copy,
            options=record.options,
            created_at=record.created_at,
            updated_at=record.updated_at,
            last_delivery=record.last_delivery,
            **get(record.provider).show(record),
        )
        return response

    def _bucket_policy(self, record: StorageRecord) -> dict[str, Any]:
        return bucket_policy(self._writer_role_arn, record.workspace_id, record.bucket or "", record.prefix)


def bucket_policy(writer_role_arn: str, workspace_id: str, bucket: str, prefix: str | None) -> dict[str, Any]:
    """The statement a customer pastes for a "policy" storage: our writer role may write under the prefix, and only
    in a session tagged with this workspace. Every workspace's deliveries run as that one role, so without the tag
    condition any workspace naming this bucket could write into it (a confused deputy)."""
    path = "/".join(s for s in (prefix or "").split("/") if s)
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "RenderCourierDelivery",
                "Effect": "Allow",
                "Principal": {"AWS": writer_role_arn},
                "Action": ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
                "Resource": f"arn:aws:s3:::{bucket}/{path + '/' if path else ''}*",
                "Condition": {"StringEquals": {f"aws:PrincipalTag/{WORKSPACE_TAG}": workspace_id}},
            }
        ],
    }


def target_of(record: StorageRecord, external_id: str | None = None) -> DeliveryTarget:
    """A delivery target from a storage (renders snapshot it, probes use it)."""
    return DeliveryTarget(
        provider=record.provider,
        storage=record.name,
        bucket=record.bucket,
        region=record.region,
        endpoint=record.endpoint,
        bucket_owner=record.bucket_owner,
        auth_type=record.auth_type,
        secret_id=record.secret_id,
        role_arn=record.role_arn,
        external_id=external_id,
        options=record.options,
    )
