"""A presigned PUT URL (Doppio's destinations): the URL is the file's name and its signature the credential; it is
given per render (never a saved storage), sealed until delivered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from courier.destinations.base import Destination
from courier.providers.base import Build, Capabilities, Provider
from courier.records import DeliveryTarget

if TYPE_CHECKING:
    from courier.destinations.registry import DestinationFactory


def adapter(factory: DestinationFactory, target: DeliveryTarget, build: Build) -> Destination:
    from courier.destinations.presigned import PresignedUrlDestination

    secret = factory.unseal(target, build.workspace_id, build.render_id)
    return PresignedUrlDestination(
        str(secret["url"]),
        dict(secret.get("headers") or {}),
        allow_local=factory.allow_local,
        timeout=factory.transport.read_timeout,
    )


PROVIDER = Provider(
    name="url",
    display="presigned URL",
    metric="presigned",
    # What the URL was signed with is fixed: only the Content-Type header (and the headers given with it) are sent.
    capabilities=Capabilities(),
    adapter=adapter,
    scheme="https",
)
