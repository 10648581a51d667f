"""Builds the adapter for a delivery target through its provider's registration (courier.providers), and keeps
what adapters share per warm container: clients, assumed-role sessions, the credential store, the sealer.
Provider SDKs are imported only when that provider is used."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from botocore.exceptions import ClientError

from courier.destinations.base import Destination, PermanentDeliveryError, RetryableDeliveryError
from courier.records import DeliveryTarget
from courier.secrets.credentials import CredentialReader
from courier.secrets.sealing import Sealer

if TYPE_CHECKING:
    from types_boto3_sts.client import STSClient
    from types_boto3_sts.type_defs import AssumeRoleRequestTypeDef

ROLE_SESSION_SECONDS = 3600
# Assumed-role credentials are reused while at least a whole DeliverFunction invocation (15 min) and a minute remain.
ROLE_REUSE_SECONDS = ROLE_SESSION_SECONDS - 15 * 60 - 60
# "policy" storages are written under a session of our writer role tagged with the workspace; the customer's bucket
# policy admits only sessions carrying its own workspace's tag (see storages.bucket_policy).
WORKSPACE_TAG = "courier-workspace"
CLIENTS_KEPT = 32  # customer S3 clients kept per warm container (least recently used first out)
MiB = 1024 * 1024

C = TypeVar("C")  # a provider's client


@dataclass(frozen=True)
class Transport:
    """How adapters talk to providers: timeouts, the SDKs' own retries, S3 part size and parts in flight.

    The defaults are the deployed ones; tests shorten the timeouts so a hanging server costs seconds, not minutes.
    Memory of an S3 multipart delivery is about (s3_concurrency + 1) × s3_part_size on top of the interpreter.
    """

    connect_timeout: float = 10
    read_timeout: float = 60  # also the presigned PUT's and each Dropbox request's timeout
    sdk_attempts: int = 3  # tries per request inside the SDKs (boto3 total_max_attempts; Dropbox: 1 + its retries)
    s3_part_size: int = 5 * MiB  # S3's smallest part: the most parts in flight for the memory (see bench/large.py)
    s3_concurrency: int = 6
    s3_single_put_max: int = 100 * MiB  # larger files go multipart (AWS's advice); smaller in one streamed PUT


class RoleAssumer:
    """STS AssumeRole: into a customer's role, always with the workspace's ExternalId (confused-deputy guard), or into
    our own writer role with the workspace as a session tag (``tags``)."""

    def __init__(self, client: STSClient) -> None:
        self._client = client

    def credentials(
        self,
        role_arn: str,
        external_id: str | None,
        session: str = "render-courier",
        tags: dict[str, str] | None = None,
    ) -> dict[str, str]:
        request: AssumeRoleRequestTypeDef = {
            "RoleArn": role_arn,
            "RoleSessionName": session,
            "DurationSeconds": ROLE_SESSION_SECONDS,
        }
        if external_id is not None:
            request["ExternalId"] = external_id
        if tags:
            request["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
        answer = self._client.assume_role(**request)["Credentials"]
        return {
            "aws_access_key_id": answer["AccessKeyId"],
            "aws_secret_access_key": answer["SecretAccessKey"],
            "aws_session_token": answer["SessionToken"],
        }


class DestinationFactory:
    def __init__(
        self,
        credentials: CredentialReader,
        roles: RoleAssumer | None = None,
        sealer: Sealer | None = None,
        *,
        allow_local_urls: bool = False,
        transport: Transport = Transport(),
        reuse: bool = False,
        clock: Callable[[], float] = time.monotonic,
        writer_role_arn: str | None = None,
    ) -> None:
        """``reuse``: keep customer S3 clients (~25 ms of CPU to build each) and assumed-role credentials (one STS
        call each) for the next delivery to the same storage in this container. The deliver function reuses; storage
        probes do not, so that saving a storage always checks its role and keys afresh.

        ``writer_role_arn``: the role whose workspace-tagged sessions write into buckets that grant us by policy
        (``auth.type: policy``, and inline connections without keys); without it those storages cannot be written."""
        self._credentials = credentials
        self._roles = roles
        self._writer_role_arn = writer_role_arn
        self._sealer = sealer
        self._allow_local = allow_local_urls
        self._transport = transport
        self._reuse = reuse
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: OrderedDict[tuple[str, ...], object] = OrderedDict()
        # (role ARN, ExternalId or workspace tag) -> (when assumed, credentials)
        self._assumed: dict[tuple[str, str | None, str | None], tuple[float, dict[str, str]]] = {}

    @property
    def transport(self) -> Transport:
        return self._transport

    @property
    def allow_local(self) -> bool:
        return self._allow_local

    def build(
        self,
        target: DeliveryTarget,
        workspace_id: str = "",
        render_id: str = "",
        *,
        secret: dict[str, str] | None = None,
        probe_prefix: str = "",
    ) -> Destination:
        """The adapter for a target, built by its provider's registration. ``secret`` stands in for the stored one (a
        storage probed before it is saved).

        Raises PermanentDeliveryError when it cannot be built (credentials gone, endpoint refused …).
        """
        from courier.providers import PROVIDERS, Build

        provider = PROVIDERS.get(target.provider)
        if provider is None:
            raise PermanentDeliveryError(f"the provider '{target.provider}' is not available on this deployment")
        return provider.build(self, target, Build(workspace_id, render_id, secret, probe_prefix))

    def client(self, key: tuple[str, ...], make: Callable[[], C]) -> C:
        """A provider's client, kept per warm container under ``key`` when the factory reuses clients (building an S3
        client costs ~25 ms of CPU); ``key`` holds credentials only as a digest."""
        if not self._reuse:
            return make()
        with self._lock:
            if key in self._clients:
                self._clients.move_to_end(key)
                # Each provider keys its clients by its own name first: the client under a key is what ``make`` makes.
                return cast(C, self._clients[key])
        made = make()
        with self._lock:
            self._clients[key] = made
            while len(self._clients) > CLIENTS_KEPT:
                self._clients.popitem(last=False)
        return made

    def customer_role(self, target: DeliveryTarget) -> dict[str, str]:
        """Credentials of the customer's role, assumed with the workspace's ExternalId (confused-deputy guard)."""
        if self._roles is None or target.role_arn is None:
            raise PermanentDeliveryError("the storage's role cannot be assumed here")
        return self._assume(
            self._roles,
            target.role_arn,
            external_id=target.external_id,
            denied="the role could not be assumed; check its trust policy and ExternalId",
        )

    def writer_session(self, workspace_id: str) -> dict[str, str]:
        """Credentials of our writer role tagged with the render's workspace, never with anything a request chose:
        the workspace comes from the render record, which the API key decided."""
        if self._roles is None or self._writer_role_arn is None:
            raise PermanentDeliveryError("bucket-policy storages are not enabled on this deployment")
        if not workspace_id:
            raise PermanentDeliveryError("a bucket-policy storage is written only on behalf of a workspace")
        return self._assume(
            self._roles,
            self._writer_role_arn,
            workspace=workspace_id,
            denied="our writer role could not be assumed (deployment problem)",
        )

    def _assume(
        self,
        roles: RoleAssumer,
        role_arn: str,
        *,
        external_id: str | None = None,
        workspace: str | None = None,
        denied: str,
    ) -> dict[str, str]:
        key = (role_arn, external_id, workspace)
        now = self._clock()
        if self._reuse:
            with self._lock:
                kept = self._assumed.get(key)
            if kept is not None and now - kept[0] < ROLE_REUSE_SECONDS:
                return kept[1]
        try:
            if workspace is None:
                credentials = roles.credentials(role_arn, external_id)
            else:
                # The session name shows the workspace in the customer's CloudTrail; the tag is what policies check.
                credentials = roles.credentials(
                    role_arn,
                    None,
                    session=re.sub(r"[^\w+=,.@-]", "-", f"courier-{workspace}")[:64],
                    tags={WORKSPACE_TAG: workspace},
                )
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "Unknown")
            if code in {"Throttling", "ServiceUnavailable", "InternalFailure"}:
                raise RetryableDeliveryError(f"{code}: STS is busy") from exc
            raise PermanentDeliveryError(f"{code}: {denied}") from exc
        if self._reuse:
            with self._lock:
                self._assumed[key] = (now, credentials)
        return credentials

    # ------------------------------------------------------------ secrets

    def secret(self, target: DeliveryTarget, given: dict[str, str] | None = None) -> dict[str, str]:
        """The storage's stored credentials (or ``given``, for a storage probed before it is saved)."""
        if given is not None:
            return given
        if not target.secret_id:
            raise PermanentDeliveryError("the storage has no credentials: save the storage again")
        try:
            secret = self._credentials.load(target.secret_id)
        except Exception as exc:
            if "ResourceNotFound" in repr(exc) or "not found" in str(exc).lower():
                raise PermanentDeliveryError("the storage's credentials are gone: save the storage again") from exc
            raise RetryableDeliveryError(f"the storage's credentials could not be read ({type(exc).__name__})") from exc
        return {name: value.get_secret_value() for name, value in secret.items()}

    def unseal(self, target: DeliveryTarget, workspace_id: str, render_id: str) -> dict[str, Any]:
        if target.sealed is None:
            if target.auth_type == "inline":
                return {}
            raise PermanentDeliveryError("the destination's secret was already removed")
        if self._sealer is None:
            raise PermanentDeliveryError("inline secrets are not enabled on this deployment")
        try:
            return self._sealer.unseal(target.sealed, workspace_id, render_id)
        except PermissionError as exc:
            raise PermanentDeliveryError(str(exc)) from exc

    def check_endpoint(self, endpoint: str) -> None:
        from courier.net.policy import BlockedURLError, check_url

        try:
            check_url(endpoint, allow_local=self._allow_local)
        except BlockedURLError as exc:
            raise PermanentDeliveryError(f"the storage endpoint is refused: {exc.reason}") from exc
