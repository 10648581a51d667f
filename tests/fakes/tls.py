"""A throwaway certificate authority for TLS tests (trustme): a leaf per DNS name, as files, and a server context."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path

import trustme


def pki(folder: Path) -> Callable[[str], tuple[Path, Path, Path]]:
    """One CA; ``leaf(name)`` issues a certificate for ``name`` and returns (ca.pem, cert.pem, key.pem)."""
    ca = trustme.CA()
    ca_path = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_path))

    def leaf(name: str) -> tuple[Path, Path, Path]:
        issued = ca.issue_cert(name)
        cert_path, key_path = folder / f"{name}.pem", folder / f"{name}.key"
        cert_path.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
        key_path.write_bytes(issued.private_key_pem.bytes())
        return ca_path, cert_path, key_path

    return leaf


def tls_server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context
