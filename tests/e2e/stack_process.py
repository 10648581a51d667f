"""Start a local stack as a user does (`python -m courier_tools.local …`, or the fault stack), wait for READY, keep
reading what it prints, and stop it with SIGTERM, which must end it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest

from tests.conftest import ROOT


@dataclass
class Running:
    process: subprocess.Popen[str]
    ready: dict[str, str]  # the READY line's fields: api=…, aws=… (and dlq=… for the fault stack)
    lines: list[str]  # all it printed so far (the reader keeps appending)


@contextmanager
def stack_process(
    module: str, args: list[str], env: dict[str, str] | None = None, timeout: float = 90.0
) -> Iterator[Running]:
    environment = (env or dict(os.environ)) | {"PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", module, *args]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    ready: dict[str, str] | None = None
    while ready is None:
        line = process.stdout.readline()
        lines.append(line)
        if line.startswith("READY "):
            ready = dict(part.split("=", 1) for part in line.split()[1:])
        elif not line and process.poll() is not None:
            pytest.fail(f"{module} exited before READY:\n" + "".join(lines))
        elif time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{module} not READY within {timeout:.0f} s:\n" + "".join(lines))
    stdout = process.stdout

    def drain() -> None:  # a full pipe would block the stack's logging, and its lines help diagnose a failure
        for line in stdout:
            lines.append(line)

    threading.Thread(target=drain, name=f"{module}-output", daemon=True).start()
    try:
        yield Running(process, ready, lines)
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, "".join(lines[-40:])


@contextmanager
def stack_process_on_free_ports(
    module: str, make_args: Callable[[], list[str]], env: dict[str, str] | None = None, attempts: int = 3
) -> Iterator[Running]:
    """``stack_process`` with ports chosen by ``make_args`` (free_port()): a port found free can be taken by another
    test's server before the stack binds it, so a start that fails with "Address already in use" is tried again on
    new ports."""
    for attempt in range(attempts):
        manager = stack_process(module, make_args(), env)
        try:
            running = manager.__enter__()
        except pytest.fail.Exception as failed:
            if "Address already in use" in str(failed) and attempt + 1 < attempts:
                continue
            raise
        break
    try:
        yield running
    except BaseException:
        if not manager.__exit__(*sys.exc_info()):
            raise
    else:
        manager.__exit__(None, None, None)
