"""Start a local stack as a user does (`python -m courier_tools.local …`, or the fault stack), wait for READY, keep
reading what it prints, and stop it with SIGTERM, which must end it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
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
    environment = (env or dict(os.environ)) | {"PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"}
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
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # Where it hangs: faulthandler (PYTHONFAULTHANDLER) prints every thread's stack on SIGABRT
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            time.sleep(0.5)  # the drain thread reads what it printed
            pytest.fail(f"{module} did not stop within 30 s of SIGTERM:\n" + "".join(lines[-200:]))
        assert code == 0, "".join(lines[-40:])
