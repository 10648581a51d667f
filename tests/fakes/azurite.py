"""A real Azure Blob Storage for tests: Azurite's blob service (npm `azurite`, pinned) on 127.0.0.1.

Azurite checks Shared Key and SAS signatures (a wrong account key is refused with AuthenticationFailed, a SAS without
write permission with AuthorizationPermissionMismatch), so the adapter's rejection paths run against the real thing.
It keeps blobs in memory (``--inMemoryPersistence``) and listens on a port the OS picks (``--blobPort 0``; the port
is read from its log), so parallel workers never race for a port. It is installed on first use into a cache
directory shared by every worker (a file lock makes one of them install it, the others wait).

    with Azurite() as azure:
        azure.container_client("customer").create_container()
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the SDK is imported when a client is asked for
    from azure.storage.blob import BlobServiceClient, ContainerClient

VERSION = "3.37.0"
ACCOUNT_NAME = "devstoreaccount1"
# Azurite's well-known development account key (public, documented by Microsoft: not a secret).
ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
LISTENING = re.compile(r"Blob service successfully listens on (http://127\.0\.0\.1:(\d+))")
INSTALL_TIMEOUT = 600.0


class AzuriteError(RuntimeError):
    """Azurite could not be installed or did not come up; the message carries the end of its log."""


def cache_dir() -> Path:
    """Where Azurite is installed: $AZURITE_CACHE_DIR, else $XDG_CACHE_HOME (or ~/.cache)/render-courier/azurite."""
    if os.environ.get("AZURITE_CACHE_DIR"):
        return Path(os.environ["AZURITE_CACHE_DIR"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "render-courier" / f"azurite-{VERSION}"


def find_azurite() -> str:
    """The `azurite-blob` command: $AZURITE_BLOB_BIN, else the pinned version in the cache, installed there by npm
    when missing. One process installs under an exclusive lock; the others wait for it and then find it."""
    override = os.environ.get("AZURITE_BLOB_BIN")
    if override:
        return override
    root = cache_dir()
    binary = root / "node_modules" / ".bin" / "azurite-blob"
    marker = root / f".installed-{VERSION}"  # written last: a half-done install (killed worker) is redone
    if marker.exists() and binary.exists():
        return str(binary)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not (marker.exists() and binary.exists()):
                _npm_install(root)
                marker.write_text(f"azurite@{VERSION}\n")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return str(binary)


def _npm_install(root: Path) -> None:
    args = ["npm", "install", "--prefix", str(root), "--no-audit", "--no-fund", "--ignore-scripts"]
    args += ["--loglevel=error", f"azurite@{VERSION}"]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=INSTALL_TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AzuriteError(f"npm install azurite@{VERSION} failed: {exc}") from exc
    if done.returncode != 0:
        raise AzuriteError(f"npm install azurite@{VERSION} failed ({done.returncode}):\n{done.stderr[-3000:]}")


@dataclass
class Azurite:
    """One Azurite blob service with the development account ``devstoreaccount1``.

    Use as a context manager, or call ``start()`` / ``stop()``. ``endpoint`` is path-style, as Azurite serves it:
    ``http://127.0.0.1:<port>/devstoreaccount1``.
    """

    startup_timeout: float = 30.0
    stop_timeout: float = 5.0
    memory_limit_mb: int = 1024  # in-memory extents; Azurite's default is half the machine's memory
    extra_args: tuple[str, ...] = ()
    port: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    startup_seconds: float = 0.0
    _tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    account_name: str = ACCOUNT_NAME
    account_key: str = ACCOUNT_KEY

    @property
    def endpoint(self) -> str:
        if not self.port:
            raise AzuriteError("not started")
        return f"http://127.0.0.1:{self.port}/{self.account_name}"

    @property
    def connection_string(self) -> str:
        return (
            f"DefaultEndpointsProtocol=http;AccountName={self.account_name};AccountKey={self.account_key};"
            f"BlobEndpoint={self.endpoint};"
        )

    @property
    def log_path(self) -> Path:
        if self._tmp is None:
            raise AzuriteError("not started")
        return Path(self._tmp.name) / "azurite.log"

    def service_client(self, **config: Any) -> BlobServiceClient:
        """A BlobServiceClient on the account key, with short retries (tests should fail fast)."""
        from azure.storage.blob import BlobServiceClient

        options: dict[str, Any] = {"retry_total": 1, "initial_backoff": 0, "increment_base": 1}
        options.update(config)
        credential = {"account_name": self.account_name, "account_key": self.account_key}
        return BlobServiceClient(self.endpoint, credential=credential, **options)

    def container_client(self, name: str, **config: Any) -> ContainerClient:
        """A ContainerClient on the account key: to create containers and read back what was delivered."""
        return self.service_client(**config).get_container_client(name)

    def create_container(self, name: str) -> ContainerClient:
        """A new container ``name``; its ContainerClient."""
        client = self.container_client(name)
        client.create_container()
        return client

    def sas_token(self, container: str, permission: str = "racwdl", *, expires_in: float = 3600) -> str:
        """A container SAS signed with the account key (``permission`` in Azure's letters: r a c w d l)."""
        from azure.storage.blob import ContainerSasPermissions, generate_container_sas

        return generate_container_sas(
            self.account_name,
            container,
            account_key=self.account_key,
            permission=ContainerSasPermissions.from_string(permission),
            expiry=datetime.now(UTC) + timedelta(seconds=expires_in),
            start=datetime.now(UTC) - timedelta(minutes=5),
        )

    def start(self) -> Azurite:
        if self.process is not None:
            raise AzuriteError("already started")
        binary = find_azurite()
        self._tmp = tempfile.TemporaryDirectory(prefix="azurite-")
        args = [
            binary,
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            "0",  # the OS picks a free port; Azurite logs which
            "--inMemoryPersistence",
            "--extentMemoryLimit",
            str(self.memory_limit_mb),
            "--skipApiVersionCheck",  # the SDK may speak a newer API version than this Azurite knows
            "--disableTelemetry",
            "--silent",  # no access log; startup lines still go to the log
            *self.extra_args,
        ]
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            # Its own process group in its own working directory (Azurite writes debug files to the cwd).
            self.process = subprocess.Popen(
                args,
                cwd=self._tmp.name,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            self._wait_ready(started + self.startup_timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_seconds = time.monotonic() - started
        return self

    def _wait_ready(self, deadline: float) -> None:
        """Until the log names the port and the service answers an HTTP request there."""
        delay = 0.02
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise AzuriteError(f"azurite-blob exited with {self.process.returncode}:\n{self._log_tail()}")
            if not self.port:
                found = LISTENING.search(self.log_path.read_text(errors="replace"))
                if found:
                    self.port = int(found.group(2))
            if self.port and self._answers():
                return
            time.sleep(delay)
            delay = min(delay * 1.5, 0.2)
        raise AzuriteError(f"azurite-blob did not answer in {self.startup_timeout} s:\n{self._log_tail()}")

    def _answers(self) -> bool:
        try:
            urllib.request.urlopen(f"{self.endpoint}?comp=list", timeout=1)  # noqa: S310 - our own 127.0.0.1
        except urllib.error.HTTPError:
            return True  # an anonymous listing is refused: the service is up
        except OSError:
            return False
        return True

    def stop(self) -> None:
        """SIGTERM the process group (Azurite closes in well under a second), SIGKILL after ``stop_timeout``."""
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=self.stop_timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=self.stop_timeout)
            self.process = None
        self.port = 0
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def _log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except (OSError, AzuriteError):
            return "(no log)"

    def __enter__(self) -> Azurite:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@contextlib.contextmanager
def azurite(**options: Any) -> Iterator[Azurite]:
    """``with azurite() as azure:`` — a started Azurite, stopped on exit (also a body for pytest fixtures)."""
    with Azurite(**options) as server:
        yield server
