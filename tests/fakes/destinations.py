"""A destination that records its writes and fails as told, and the factory that hands it to the deliver side."""

from __future__ import annotations

import hashlib
import threading
import time

from courier.destinations.base import Delivered, DeliveryOptions, StagedFile
from courier.records import DeliveryTarget


class FakeDestination:
    """Records every write; fails as told, in order."""

    def __init__(self, failures: list[Exception] | None = None, delay: float = 0.0) -> None:
        self.failures = failures or []
        self.delay = delay
        self.writes: list[str] = []
        self._lock = threading.Lock()

    def deliver(self, source: StagedFile, key: str, options: DeliveryOptions) -> Delivered:
        time.sleep(self.delay)
        with self._lock:
            if self.failures:
                raise self.failures.pop(0)
            self.writes.append(key)
        with source.open() as stream:
            body = stream.read()
        return Delivered(f"fake://{key}", len(body), f"sha256:{hashlib.sha256(body).hexdigest()}")


class FakeFactory:
    """Builds ``destination`` for every target (stands in for courier.destinations.registry.DestinationFactory)."""

    def __init__(self, destination: FakeDestination) -> None:
        self.destination = destination

    def build(self, target: DeliveryTarget, *args: object, **kwargs: object) -> FakeDestination:
        return self.destination
