"""Builds the adapter for a delivery target; provider SDKs are imported only when that provider is used."""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.config import Config
from botocore.exceptions import ClientError

from courier import aws
from courier.credentials import CredentialReader
from courier.destinations.base import Destination, PermanentDeliveryError, RetryableDeliveryError
from courier.models import DeliveryTarget
from courier.sealing import Sealer

# The SDK's own retries stay short: our delivery loop decides about retrying, and a Lambda retry follows.
CUSTOMER_S3 = Config(
    signature_version="s3v4",
    retries={"mode": "standard", "max_attempts": 3},
    connect_timeout=10,
    read_timeout=60,
    max_pool_connections=16,
)
# R2 and other S3-compatible stores reject boto3's default aws-chunked CRC32 trailers (boto3 >= 1.36).
COMPATIBLE_S3 = CUSTOMER_S3.merge(
    Config(
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
)
# R2 takes UNSIGNED-PAYLOAD: no SHA-256 of the body in the signature, which for a body streamed from staging would
# make the SDK read it twice (once to sign, once to send). TLS protects the bytes on the way, and we verify the staged
# bytes ourselves. On AWS the SDK's CRC32 trailer already makes uploads unsigned; other S3-compatible stores keep
# signed payloads (some refuse unsigned ones), so files over a part go multipart there (see S3Destination).
R2_S3 = COMPATIBLE_S3.merge(Config(s3={"addressing_style": "path", "payload_signing_enabled": False}))
ROLE_SESSION_SECONDS = 3600
# Assumed-role credentials are reused while at least a whole DeliverFunction invocation (15 min) and a minute remain.
ROLE_REUSE_SECONDS = ROLE_SESSION_SECONDS - 15 * 60 - 60
# "policy" storages are written under a session of our writer role tagged with the workspace; the customer's bucket
# policy admits only sessions carrying its own workspace's tag (see storages.bucket_policy).
WORKSPACE_TAG = "courier-workspace"
CLIENTS_KEPT = 32  # customer S3 clients kept per warm container (least recently used first out)
MiB = 1024 * 1024


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


def s3_config(target: DeliveryTarget) -> Config:
    """The client configuration for a storage: R2's, AWS's, or any other S3-compatible store's."""
    if target.provider == "r2":
        return R2_S3
    return CUSTOMER_S3 if target.endpoint is None else COMPATIBLE_S3


def r2_endpoint(account_id: str, jurisdiction: str | None) -> str:
    region = f"{jurisdiction}." if jurisdiction else ""
    return f"https://{account_id}.{region}r2.cloudflarestorage.com"


def _new_s3_client(region: str, endpoint: str | None, config: Config, keys: dict[str, str]) -> Any:
    client = aws.new_client("s3", region_name=region, endpoint_url=endpoint, config=config, **keys)
    if endpoint is not None:
        # botocore answers a 301/307 from S3 by looking the bucket's region up with a HEAD through the same client:
        # an endpoint that redirects everything made it recurse (~80 HEADs, then RecursionError). A redirect from
        # an S3-compatible endpoint is refused at once instead (AWS's own region redirects keep working).
        client.meta.events.register_first("needs-retry.s3", _refuse_redirect)
    return client


def _refuse_redirect(response: Any = None, operation: Any = None, **_: Any) -> None:
    http = response[0] if response else None
    status = getattr(http, "status_code", 0)
    if 300 <= status < 400:
        raise ClientError(
            {
                "Error": {"Code": "Redirect", "Message": f"the endpoint answered {status}: redirects are refused"},
                "ResponseMetadata": {"HTTPStatusCode": status},
            },
            getattr(operation, "name", "S3"),
        )


class RoleAssumer:
    """STS AssumeRole: into a customer's role, always with the workspace's ExternalId (confused-deputy guard), or into
    our own writer role with the workspace as a session tag (``tags``)."""

    def __init__(self, client: Any) -> None:
        self._client = client

    def credentials(
        self,
        role_arn: str,
        external_id: str | None,
        session: str = "render-courier",
        tags: dict[str, str] | None = None,
    ) -> dict[str, str]:
        kwargs: dict[str, Any] = {
            "RoleArn": role_arn,
            "RoleSessionName": session,
            "DurationSeconds": ROLE_SESSION_SECONDS,
        }
        if external_id is not None:
            kwargs["ExternalId"] = external_id
        if tags:
            kwargs["Tags"] = [{"Key": key, "Value": value} for key, value in tags.items()]
        answer = self._client.assume_role(**kwargs)["Credentials"]
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
        self._clients: OrderedDict[tuple[str, ...], Any] = OrderedDict()
        # (role ARN, ExternalId or workspace tag) -> (when assumed, credentials)
        self._assumed: dict[tuple[str, str | None, str | None], tuple[float, dict[str, str]]] = {}

    def build(
        self,
        target: DeliveryTarget,
        workspace_id: str = "",
        render_id: str = "",
        *,
        secret: dict[str, str] | None = None,
        probe_prefix: str = "",
    ) -> Destination:
        """The adapter for a target. ``secret`` stands in for the stored one (a storage probed before it is saved).

        Raises PermanentDeliveryError when it cannot be built (credentials gone, endpoint refused …).
        """
        if target.provider == "url":
            return self._presigned(target, workspace_id, render_id)
        if target.provider == "dropbox":
            return self._dropbox(target, secret, probe_prefix)
        return self._s3(target, workspace_id, render_id, secret, probe_prefix)

    # ------------------------------------------------------------ S3 family

    def _s3(
        self, target: DeliveryTarget, workspace_id: str, render_id: str, secret: dict[str, str] | None, prefix: str
    ) -> Destination:
        from courier.destinations.s3 import S3Destination, S3Flavour

        if target.bucket is None:
            raise PermanentDeliveryError("the storage has no bucket")
        return S3Destination(
            self._s3_client(target, workspace_id, render_id, secret),
            target.bucket,
            flavour=S3Flavour("r2" if target.provider == "r2" else "s3"),
            expected_owner=target.bucket_owner,
            probe_prefix=prefix,
            # "policy" storages on AWS S3 are written by our writer role, which may also read its workspace's staging.
            server_side_copy=target.auth_type == "policy" and target.provider == "s3" and target.endpoint is None,
            part_size=self._transport.s3_part_size,
            concurrency=self._transport.s3_concurrency,
            # One PUT streamed from staging only where uploads go unsigned (AWS's CRC32 trailer, R2): a client that
            # signs the body's SHA-256 would read it ahead, i.e. read staging twice. Other stores: multipart.
            single_put_max=0 if s3_config(target) is COMPATIBLE_S3 else self._transport.s3_single_put_max,
        )

    def _s3_client(
        self, target: DeliveryTarget, workspace_id: str, render_id: str, secret: dict[str, str] | None
    ) -> Any:
        keys = self._s3_keys(target, workspace_id, render_id, secret)
        endpoint = target.endpoint
        if endpoint is not None:
            self._check_endpoint(endpoint)
        t = self._transport
        config = s3_config(target).merge(
            Config(
                connect_timeout=t.connect_timeout,
                read_timeout=t.read_timeout,
                retries={"mode": "standard", "total_max_attempts": t.sdk_attempts},
                max_pool_connections=max(16, t.s3_concurrency + 2),
            )
        )
        region = "auto" if target.provider == "r2" else (target.region or "us-east-1")
        # One boto3 session per process, its data files loaded once: a new session per client cost ~90 ms of CPU
        # per delivery. The customer's credentials go to the client alone.
        if not self._reuse:
            return _new_s3_client(region, endpoint, config, keys)
        # Keyed by everything the client is made of; the credentials by digest, not kept a second time in clear.
        digest = hashlib.sha256(json.dumps(sorted(keys.items())).encode()).hexdigest()
        key = (target.provider, region, endpoint or "", digest)
        with self._lock:
            if key in self._clients:
                self._clients.move_to_end(key)
                return self._clients[key]
        made = _new_s3_client(region, endpoint, config, keys)
        with self._lock:
            self._clients[key] = made
            while len(self._clients) > CLIENTS_KEPT:
                self._clients.popitem(last=False)
        return made

    def _s3_keys(
        self, target: DeliveryTarget, workspace_id: str, render_id: str, secret: dict[str, str] | None
    ) -> dict[str, str]:
        if target.endpoint is not None and target.auth_type in {"policy", "role"}:
            # Never send our AWS sessions (or a customer's role's) to another endpoint.
            raise PermanentDeliveryError(
                f"{target.auth_type} auth is for Amazon S3: an S3-compatible endpoint needs keys"
            )
        if target.auth_type == "policy":
            return self._writer_session(workspace_id)
        if target.auth_type == "role":
            if self._roles is None or target.role_arn is None:
                raise PermanentDeliveryError("the storage's role cannot be assumed here")
            return self._assume(
                self._roles,
                target.role_arn,
                external_id=target.external_id,
                denied="the role could not be assumed; check its trust policy and ExternalId",
            )
        if target.auth_type == "inline":
            secret = self._unseal(target, workspace_id, render_id)
            keys: dict[str, str] = {
                k: str(secret[k]) for k in ("aws_access_key_id", "aws_secret_access_key") if k in secret
            }
            if keys:
                return keys
            if target.endpoint is not None:
                raise PermanentDeliveryError("an inline bucket on another endpoint (s3host) needs its keys")
            return self._writer_session(workspace_id)  # no keys: the bucket grants us by policy
        secret_values = secret if secret is not None else self._stored(target)
        return {
            "aws_access_key_id": secret_values["access_key_id"],
            "aws_secret_access_key": secret_values["secret_access_key"],
        }

    def _writer_session(self, workspace_id: str) -> dict[str, str]:
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

    # ------------------------------------------------------------ Dropbox and presigned URLs

    def _dropbox(self, target: DeliveryTarget, given: dict[str, str] | None, probe_prefix: str) -> Destination:
        from courier.destinations.dropbox import DropboxDestination, build_dropbox_client

        secret = given if given is not None else self._stored(target)
        client = build_dropbox_client(
            refresh_token=secret.get("refresh_token"),
            app_key=secret.get("app_key"),
            app_secret=secret.get("app_secret"),
            access_token=secret.get("access_token"),
            timeout=self._transport.read_timeout,
            max_retries_on_error=max(0, self._transport.sdk_attempts - 1),
        )
        return DropboxDestination(client, probe_folder=probe_prefix)

    def _presigned(self, target: DeliveryTarget, workspace_id: str, render_id: str) -> Destination:
        from courier.destinations.presigned import PresignedUrlDestination

        secret = self._unseal(target, workspace_id, render_id)
        return PresignedUrlDestination(
            str(secret["url"]),
            dict(secret.get("headers") or {}),
            allow_local=self._allow_local,
            timeout=self._transport.read_timeout,
        )

    # ------------------------------------------------------------ secrets

    def _stored(self, target: DeliveryTarget) -> dict[str, str]:
        if not target.secret_id:
            raise PermanentDeliveryError("the storage has no credentials: save the storage again")
        try:
            secret = self._credentials.load(target.secret_id)
        except Exception as exc:
            if "ResourceNotFound" in repr(exc) or "not found" in str(exc).lower():
                raise PermanentDeliveryError("the storage's credentials are gone: save the storage again") from exc
            raise RetryableDeliveryError(f"the storage's credentials could not be read ({type(exc).__name__})") from exc
        return {name: value.get_secret_value() for name, value in secret.items()}

    def _unseal(self, target: DeliveryTarget, workspace_id: str, render_id: str) -> dict[str, Any]:
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

    def _check_endpoint(self, endpoint: str) -> None:
        from courier.netguard import BlockedURLError, check_url

        try:
            check_url(endpoint, allow_local=self._allow_local)
        except BlockedURLError as exc:
            raise PermanentDeliveryError(f"the storage endpoint is refused: {exc.reason}") from exc
