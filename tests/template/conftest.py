"""template.yaml's own tests (resources, policies, alarms, the dashboard), read as data: no AWS, no socket."""

from __future__ import annotations

from tests.sockets import no_network

__all__ = ["no_network"]
