"""The deliver function keeps customer S3 clients and assumed-role credentials for the next delivery to the same
storage; storage probes (the render function) never do."""

from __future__ import annotations

import hashlib
import io
import os
from typing import Any

import boto3

from courier.destinations.base import DeliveryOptions, StagedFile
from courier.destinations.registry import CLIENTS_KEPT, ROLE_REUSE_SECONDS, DestinationFactory
from courier.records import DeliveryTarget

ROLE = "arn:aws:iam::210987654321:role/render-courier-delivery"
KEYS = {"access_key_id": "AKIAEXAMPLECUSTOMER1", "secret_access_key": "customer-secret-1"}


class CountingRoles:
    """Stands in for STS: counts AssumeRole calls, hands out credentials moto accepts."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str | None]] = []

    def credentials(self, role_arn: str, external_id: str | None, session: str = "x") -> dict[str, str]:
        self.calls.append((role_arn, external_id))
        n = len(self.calls)
        return {"aws_access_key_id": f"ASIA{n:016d}", "aws_secret_access_key": f"s{n}", "aws_session_token": f"t{n}"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def factory(reuse: bool, roles: CountingRoles | None = None, clock: Clock | None = None) -> DestinationFactory:
    return DestinationFactory(
        credentials=None,  # type: ignore[arg-type]  # secrets are given to build() here
        roles=roles,  # type: ignore[arg-type]
        reuse=reuse,
        clock=clock or Clock(),
    )


def keys_target(bucket: str = "acme-renders", region: str = "us-east-1") -> DeliveryTarget:
    return DeliveryTarget(provider="s3", bucket=bucket, region=region, auth_type="keys")


def role_target(external_id: str = "ws-external-id") -> DeliveryTarget:
    return DeliveryTarget(
        provider="s3", bucket="acme-renders", auth_type="role", role_arn=ROLE, external_id=external_id
    )


def client_of(destination: Any) -> Any:
    return destination._client


def test_the_deliver_function_reuses_a_storages_client_and_probes_do_not(aws_env: None) -> None:
    reusing = factory(reuse=True)
    first = client_of(reusing.build(keys_target(), secret=KEYS))
    # The same storage again, or another bucket with the same keys and region: the same client
    assert client_of(reusing.build(keys_target(), secret=KEYS)) is first
    assert client_of(reusing.build(keys_target(bucket="other-bucket"), secret=KEYS)) is first
    # Other keys (a rotated secret) or another region: a client of their own
    rotated = KEYS | {"secret_access_key": "customer-secret-2"}
    assert client_of(reusing.build(keys_target(), secret=rotated)) is not first
    assert client_of(reusing.build(keys_target(region="eu-west-1"), secret=KEYS)) is not first
    # Probes build afresh every time
    probing = factory(reuse=False)
    assert client_of(probing.build(keys_target(), secret=KEYS)) is not client_of(
        probing.build(keys_target(), secret=KEYS)
    )


def test_a_reused_client_still_delivers(aws_env: None) -> None:
    # Given two deliveries through the same reused client
    reusing = factory(reuse=True)
    body = os.urandom(2048)
    staged = StagedFile(
        "k", len(body), f"sha256:{hashlib.sha256(body).hexdigest()}", "image/png", lambda: io.BytesIO(body)
    )
    for name in ("a.png", "b.png"):
        reusing.build(keys_target(), secret=KEYS).deliver(staged, name, DeliveryOptions("image/png"))
    # Then both objects are there, whole
    s3 = boto3.client("s3")
    assert [s3.get_object(Bucket="acme-renders", Key=n)["Body"].read() for n in ("a.png", "b.png")] == [body, body]


def test_assumed_role_credentials_are_reused_until_too_little_of_the_session_is_left(aws_env: None) -> None:
    roles, clock = CountingRoles(), Clock()
    reusing = factory(reuse=True, roles=roles, clock=clock)
    first = client_of(reusing.build(role_target()))
    # Within the reuse window: no new AssumeRole, the same client
    clock.now += ROLE_REUSE_SECONDS - 1
    assert client_of(reusing.build(role_target())) is first and len(roles.calls) == 1
    # Another workspace's ExternalId on the same role: its own AssumeRole
    reusing.build(role_target(external_id="other-workspace"))
    assert roles.calls[-1] == (ROLE, "other-workspace") and len(roles.calls) == 2
    # Past the window (a delivery could outlive the session): assumed again, a new client with the new credentials
    clock.now += 2
    assert client_of(reusing.build(role_target())) is not first and len(roles.calls) == 3
    # And probes assume the role every time
    probing_roles = CountingRoles()
    probing = factory(reuse=False, roles=probing_roles)
    probing.build(role_target())
    probing.build(role_target())
    assert len(probing_roles.calls) == 2


def test_the_kept_clients_are_bounded(aws_env: None) -> None:
    count = CLIENTS_KEPT + 8
    reusing = factory(reuse=True)
    clients = [
        client_of(reusing.build(keys_target(), secret=KEYS | {"access_key_id": f"AKIA{i:016d}"})) for i in range(count)
    ]
    # The oldest were let go (least recently used first): building the first again makes a new client
    assert client_of(reusing.build(keys_target(), secret=KEYS | {"access_key_id": f"AKIA{0:016d}"})) is not clients[0]
    assert (
        client_of(reusing.build(keys_target(), secret=KEYS | {"access_key_id": f"AKIA{count - 1:016d}"}))
        is (clients[-1])
    )
