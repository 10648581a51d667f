"""Unit tests: pure and in-process — no AWS (not even moto's), no handler, no network socket. Tests that drive a
service or a handler on moto's mock_aws are in tests/functional; tests of template.yaml in tests/template."""

from __future__ import annotations

from tests.sockets import no_network

__all__ = ["no_network"]
