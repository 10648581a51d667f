"""Connections: a render request's destinations resolved to delivery targets (stored storages, an inline bucket,
a presigned URL), with their object options merged and their names computed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from courier.errors import UnprocessableError
from courier.models import AWS_KEY_ID_MIN, ErrorDetail, ObjectOptions, Warning
from courier.naming import NameContext, NamingError, build_dropbox_path, build_key
from courier.net.policy import BlockedURLError, check_url, redact
from courier.providers import PROVIDERS
from courier.records import DeliveryTarget, StorageRecord
from courier.renders.models import ConnectionSpec, RenderRequest
from courier.storages.service import target_of

OPTION_FIELDS = set(ObjectOptions.model_fields)


@dataclass
class ResolvedConnection:
    """Where one connection's files go and how: the target snapshot, naming inputs, and any secret to seal."""

    index: int
    spec: ConnectionSpec | None  # None when auto-copied (no `connections` in the request)
    target: DeliveryTarget
    prefix: str | None = None  # the storage's default folder
    pattern: str | None = None  # the storage's pattern
    paused: bool = False
    label: str | None = None  # storage name, inline bucket, or the URL without its query
    secret: dict[str, Any] | None = field(default=None, repr=False)  # sealed with the render id before saving

    @property
    def identity(self) -> str:
        return f"{self.target.provider}:{self.target.storage or self.label}"


def resolve(
    storages: list[StorageRecord], request: RenderRequest, warnings: list[Warning], allow_local: bool
) -> list[ResolvedConnection]:
    """Absent ``connections``: every enabled auto-copy storage (paused ones are skipped). Otherwise each named one;
    one not connected or disabled is a warning, never a failure."""
    if request.connections is None:
        auto = [s for s in storages if s.enabled and s.auto_copy]
        return [stored_connection(i, s, None) for i, s in enumerate(auto)]
    resolved = []
    for index, spec in enumerate(request.connections):
        provider = PROVIDERS[spec.provider]
        name = provider.display
        # What this connection itself asks for; a storage's own options were checked when it was saved.
        provider.check_options(_own_options(spec), where=f"connections.{index}.")
        if spec.provider == "url":
            resolved.append(_presigned(index, spec, allow_local))
            continue
        if spec.inline:
            resolved.append(_inline(index, spec, warnings, allow_local))
            continue
        storage = _pick_storage(storages, spec)
        if storage is None:
            what = f"{name} storage '{spec.storage}'" if spec.storage else f"{name} connection"
            warnings.append(Warning(title=f"{what} not found for this workspace"))
        elif not storage.enabled:
            warnings.append(Warning(title=f"{name} storage '{storage.name}' is disabled", details="enable it"))
        else:
            resolved.append(stored_connection(index, storage, spec))
    return resolved


def key_for(connection: ResolvedConnection, context: NameContext, file_name_given: bool) -> str:
    """The destination name of one file; a connection's folder and pattern override its storage's.

    Raises UnprocessableError naming the request field a bad or too long name came from.
    """
    if connection.target.provider == "url":
        return connection.label or ""
    spec = connection.spec
    base = f"connections.{connection.index}"
    own_folder = spec is not None and spec.folder is not None
    own_pattern = spec is not None and (spec.pattern is not None or spec.filename is not None)
    folder = spec.folder if spec is not None and own_folder else connection.prefix
    pattern = connection.pattern
    if spec is not None and own_pattern:
        pattern = spec.filename if spec.filename is not None else spec.pattern
    where = f"storage.{connection.target.storage}" if connection.target.storage else base
    pattern_field = f"{base}.{'filename' if spec is not None and spec.filename is not None else 'pattern'}"
    fields = {
        "folder": [f"{base}.folder" if own_folder else f"{where}.prefix"],
        "pattern": [pattern_field if own_pattern else f"{where}.pattern"],
        "fileName": ["response.fileName"],
        # Too long as a whole: blame what the request itself sent, else the storage's settings.
        "key": [f"{base}.folder"] * own_folder + [pattern_field] * own_pattern + ["response.fileName"] * file_name_given
        or [f"{where}.prefix"],
    }
    build = build_dropbox_path if PROVIDERS[connection.target.provider].naming == "paths" else build_key
    return naming(partial(build, folder, pattern, context), fields)


def naming(build: Callable[[], str], fields: str | dict[str, list[str]]) -> str:
    """Run a naming step; a NamingError becomes a 422 naming the request fields it came from."""
    try:
        return build()
    except NamingError as exc:
        paths = [fields] if isinstance(fields, str) else fields.get(exc.field, [exc.field])
        details = [ErrorDetail(field=path, message=exc.message, type="value_error") for path in paths]
        raise UnprocessableError(f"{paths[0]}: {exc.message}", details) from None


# ---------------------------------------------------------------- the three kinds


def stored_connection(index: int, storage: StorageRecord, spec: ConnectionSpec | None) -> ResolvedConnection:
    """A stored storage as a connection: the storage's target and options, with the spec's overrides."""
    target = target_of(storage)
    target.options = _merge(storage.options, spec)
    return ResolvedConnection(
        index=index,
        spec=spec,
        target=target,
        prefix=storage.prefix,
        pattern=storage.pattern,
        paused=storage.paused,
        label=storage.name,
    )


def _presigned(index: int, spec: ConnectionSpec, allow_local: bool) -> ResolvedConnection:
    url = spec.presigned_url or ""
    try:
        check_url(url, allow_local=allow_local)
    except BlockedURLError as exc:
        raise UnprocessableError.at(f"connections.{index}.presignedUrl", exc.reason) from None
    return ResolvedConnection(
        index=index,
        spec=spec,
        target=DeliveryTarget(provider="url", auth_type="url", options=_merge(ObjectOptions(), spec)),
        label=redact(url),
        secret={"url": url, "headers": spec.headers or {}},
    )


def _inline(index: int, spec: ConnectionSpec, warnings: list[Warning], allow_local: bool) -> ResolvedConnection:
    endpoint = None
    if spec.s3host:
        # Impossible Software's `secure: false` is plain http: refused by the outbound policy outside local stacks.
        scheme = "http" if spec.secure is False else "https"
        endpoint = spec.s3host if "://" in spec.s3host else f"{scheme}://{spec.s3host}"
        try:
            check_url(endpoint, allow_local=allow_local)
        except BlockedURLError as exc:
            raise UnprocessableError.at(f"connections.{index}.s3host", exc.reason) from None
        if spec.aws_use_policy:
            raise UnprocessableError.at(
                f"connections.{index}.aws_use_policy", "a bucket policy grants us Amazon S3 buckets only: give keys"
            )
    # Impossible Software's spellings of the object options.
    options = _merge(ObjectOptions(), spec).model_copy(
        update={
            "content_disposition": spec.contentdisposition or spec.content_disposition,
            "cache_control": spec.cachecontrol or spec.cache_control,
            "make_public": spec.acl == "public-read" or bool(spec.make_public),
            "content_type": spec.contenttype or spec.content_type,
            "storage_class": "REDUCED_REDUNDANCY" if spec.reduced_redundancy else spec.storage_class,
        }
    )
    key_id = spec.aws_access_key_id.get_secret_value() if spec.aws_access_key_id else None
    if endpoint is None and key_id is not None and len(key_id) < AWS_KEY_ID_MIN:
        raise UnprocessableError.at(
            f"connections.{index}.aws_access_key_id",
            f"AWS access key ids have {AWS_KEY_ID_MIN} to 128 characters (shorter ones need s3host)",
        )
    secret = None
    if spec.aws_access_key_id is not None and spec.aws_secret_access_key is not None:
        secret = {
            "aws_access_key_id": spec.aws_access_key_id.get_secret_value(),
            "aws_secret_access_key": spec.aws_secret_access_key.get_secret_value(),
        }
    target = DeliveryTarget(
        provider="s3",
        bucket=spec.bucket,
        region=spec.region or "us-east-1",
        endpoint=endpoint,
        auth_type="inline",
        options=options,
    )
    return ResolvedConnection(index=index, spec=spec, target=target, label=spec.bucket, secret=secret)


def _merge(base: ObjectOptions, spec: ConnectionSpec | None) -> ObjectOptions:
    if spec is None:
        return base
    overrides = {name: value for name, value in spec.model_dump(include=OPTION_FIELDS).items() if value is not None}
    return base.model_copy(update=overrides)


def _own_options(spec: ConnectionSpec) -> ObjectOptions:
    return ObjectOptions.model_validate(spec.model_dump(include=OPTION_FIELDS))


def _pick_storage(storages: list[StorageRecord], spec: ConnectionSpec) -> StorageRecord | None:
    if spec.storage:
        return next((s for s in storages if s.name == spec.storage and s.provider == spec.provider), None)
    candidates = sorted(
        (s for s in storages if s.provider == spec.provider), key=lambda s: (not s.enabled, s.name != "default", s.name)
    )
    return candidates[0] if candidates else None
