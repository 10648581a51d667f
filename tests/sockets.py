"""No network socket in the in-process levels (unit, functional, template): one that needs a server belongs in
tests/integration. Each of their conftest.py imports this autouse fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_socket import disable_socket, enable_socket


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest) -> Iterator[None]:
    if request.node.get_closest_marker("enable_socket"):  # a dependency's own side effect, said where it is marked
        yield
        return
    disable_socket(allow_unix_socket=True)
    yield
    enable_socket()
