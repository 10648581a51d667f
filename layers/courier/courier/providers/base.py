"""A provider as one registration: what the service knows about a kind of destination, in one object.

Generic code (storages, connections, status, telemetry, copies, the API's error paths) asks the registration and never
names a provider. A provider module declares a ``Provider``: its settings model (a member of ``StorageRequest``'s
discriminated union), the fields a storage shows, its capabilities, its display name and metric label, how a delivered
object's location is written, how its client and adapter are built, and what a failed probe points at.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from courier.errors import UnprocessableError
from courier.models import ErrorDetail, ObjectOptions
from courier.providers.models import StoragePatch, StorageSettings
from courier.records import DeliveryTarget, StorageRecord

if TYPE_CHECKING:
    from courier.destinations.base import Destination, DestinationError
    from courier.destinations.registry import DestinationFactory

PRIVATE_ACLS = frozenset({"private", "bucket-owner-full-control"})


@dataclass(frozen=True)
class Capabilities:
    """What a provider does with the object options. An option it lacks is refused with a 422 naming the provider,
    never silently dropped."""

    content_type: bool = True  # contentType: the object's Content-Type
    headers: bool = False  # contentDisposition, cacheControl
    metadata: bool = False
    conditional_writes: bool = False  # ifExists skip / fail, without a race
    tags: bool = False
    storage_classes: bool = False
    sse: tuple[str, ...] = ()  # the server-side encryption modes it takes ("AES256", "aws:kms")
    public_acls: bool = False  # makePublic and the canned ACLs other than private ones
    server_side_copy: bool = False  # copies from staging without the bytes passing through the deliver function

    def lacking(self, options: ObjectOptions) -> list[str]:
        """The options asked for that this provider cannot honour, by their request names."""
        asked = {
            "contentType": options.content_type is not None and not self.content_type,
            "contentDisposition": options.content_disposition is not None and not self.headers,
            "cacheControl": options.cache_control is not None and not self.headers,
            "metadata": bool(options.metadata) and not self.metadata,
            "ifExists": options.if_exists in ("skip", "fail") and not self.conditional_writes,
            "tags": bool(options.tags) and not self.tags,
            "storageClass": options.storage_class is not None and not self.storage_classes,
            "sse": options.sse is not None and options.sse not in self.sse,
            "makePublic": bool(options.make_public) and not self.public_acls,
            "acl": options.acl is not None and options.acl not in PRIVATE_ACLS and not self.public_acls,
        }
        return [name for name, refused in asked.items() if refused]

    def schema(self) -> dict[str, Any]:
        """What ``lacking`` refuses, as JSON Schema for the object options' properties (the OpenAPI document's)."""
        null = {"type": "null"}
        empty = {"anyOf": [null, {"type": "object", "maxProperties": 0}]}
        rules: dict[str, dict[str, Any]] = {}
        if not self.content_type:
            rules["contentType"] = null
        if not self.headers:
            rules |= {"contentDisposition": null, "cacheControl": null}
        if not self.metadata:
            rules["metadata"] = empty
        if not self.conditional_writes:
            rules["ifExists"] = {"anyOf": [null, {"const": "overwrite"}]}
        if not self.tags:
            rules["tags"] = empty
        if not self.storage_classes:
            rules["storageClass"] = null
        if set(self.sse) != {"AES256", "aws:kms"}:
            rules["sse"] = {"anyOf": [null, {"enum": list(self.sse)}]} if self.sse else null
        if not self.public_acls:
            rules["makePublic"] = {"anyOf": [null, {"const": False}]}
            rules["acl"] = {"anyOf": [null, {"enum": sorted(PRIVATE_ACLS)}]}
        return rules


@dataclass(frozen=True)
class Saved:
    """What a storage request becomes: the record's provider fields, its auth type, and the secret to keep apart."""

    fields: dict[str, Any]  # StorageRecord fields: bucket, region, endpoint, account_id …
    auth_type: str
    secret: dict[str, str] | None = None
    role_arn: str | None = None


@dataclass(frozen=True)
class SaveContext:
    """What a provider may check while a storage is saved."""

    own_buckets: frozenset[str]
    check_endpoint: Callable[[str], None]  # raises UnprocessableError at "endpoint" for a refused address


Adapter = Callable[["DestinationFactory", DeliveryTarget, "Build"], "Destination"]
Saver = Callable[[Any, SaveContext], Saved]
Shower = Callable[[StorageRecord], dict[str, Any]]
Renewer = Callable[[StorageRecord, StoragePatch], tuple[StorageRecord, dict[str, str] | None]]
ProbeField = Callable[["DestinationError", dict[str, str] | None], str]


@dataclass(frozen=True)
class Build:
    """For whom and with what an adapter is built."""

    workspace_id: str = ""
    render_id: str = ""
    secret: dict[str, str] | None = None  # stands in for the stored one (a storage probed before it is saved)
    probe_prefix: str = ""


@dataclass(frozen=True)
class Provider:
    name: str  # the "provider" value of requests and records
    display: str  # how messages, warnings and the console name it
    metric: str  # the Deliveries metric's provider dimension
    capabilities: Capabilities
    adapter: Adapter  # builds the Destination (and its client) for a delivery target
    # keys: object keys under a prefix; paths: absolute paths ("/folder/name", Dropbox)
    naming: Literal["keys", "paths"] = "keys"
    scheme: str = ""  # locations are "<scheme>://<bucket>/<key>" (default: the provider's name)
    request: type[StorageSettings] | None = None  # None: not a saved storage (a presigned URL)
    shown: tuple[str, ...] = ()  # the record fields a storage shows besides the common ones
    saver: Saver | None = None  # a storage request -> its record's fields and secret
    shower: Shower | None = None  # the shown fields' values (default: the record's fields of those names)
    renewer: Renewer | None = None  # PATCH with new credentials (None: change them by PUT)
    probe_field: ProbeField = field(default=lambda error, secret: "auth")  # what a failed probe points at
    metadata_rule: Callable[[dict[str, str]], str | None] | None = None  # why it would refuse these metadata
    metadata_names: str | None = None  # the pattern metadata names must match, for the OpenAPI document

    def location(self, target: DeliveryTarget, key: str) -> str:
        """Where a delivered object is, as receipts and remote copies show it (never a query string)."""
        if self.naming == "paths":
            return f"{self.scheme or self.name}://{key.lstrip('/')}"
        return f"{self.scheme or self.name}://{target.bucket}/{key}"

    def build(self, factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
        return self.adapter(factory, target, build)

    def save(self, request: StorageSettings, context: SaveContext) -> Saved:
        if self.saver is None:
            raise UnprocessableError.at("provider", f"{self.display} is not a storage")
        return self.saver(request, context)

    def show(self, record: StorageRecord) -> dict[str, Any]:
        if self.shower is not None:
            return self.shower(record)
        return {name: getattr(record, name) for name in self.shown}

    def new_credentials(
        self, record: StorageRecord, patch: StoragePatch
    ) -> tuple[StorageRecord, dict[str, str] | None]:
        if self.renewer is None:
            raise UnprocessableError.at("auth", f"{self.display} storages change credentials by PUT, not PATCH")
        return self.renewer(record, patch)

    def check_options(self, options: ObjectOptions, where: str = "") -> None:
        """Refuse (422) the options this provider cannot honour, naming the provider."""
        lacking = self.capabilities.lacking(options)
        if lacking:
            message = f"{self.display} does not support {', '.join(lacking)}"
            details = [
                ErrorDetail(
                    field=f"{where}{name}", message=f"{self.display} does not support {name}", type="value_error"
                )
                for name in lacking
            ]
            raise UnprocessableError(f"{where}{lacking[0]}: {message}", details)
        problem = self.metadata_rule(options.metadata) if self.metadata_rule and options.metadata else None
        if problem:
            raise UnprocessableError.at(f"{where}metadata", problem)
