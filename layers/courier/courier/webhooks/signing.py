"""Webhook signing: the ``whsec_`` secret and the signatures an event carries.

Standard Webhooks (standardwebhooks.com): ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature: v1,<base64
HMAC-SHA256 of "<id>.<timestamp>.<body>">``, keyed by the base64-decoded part of the secret. For one release the
older ``X-Courier-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` (keyed by the whole secret string)
is sent as well, and ``verify`` checks it. During a rotation's overlap every header carries one signature per
secret; signatures are compared in constant time, and nothing here ever logs a secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Courier-Signature"  # deprecated: sent until the next release beside the standard headers
EVENT_ID_HEADER = "X-Courier-Event-Id"
# Standard Webhooks' headers (lowercase, as the specification writes them).
STANDARD_ID_HEADER = "webhook-id"
STANDARD_TIMESTAMP_HEADER = "webhook-timestamp"
STANDARD_SIGNATURE_HEADER = "webhook-signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 - a label, not a secret

MAX_SIGNATURE_HEADER = 4096  # a header is parsed only up to this: a few signatures fit, a flood does not


def generate_secret() -> str:
    """A new webhook secret: ``whsec_`` and 32 random bytes in standard base64 (what Standard Webhooks libraries
    decode). Shown to the customer once."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def standard_key(secret: str) -> bytes | None:
    """The HMAC key Standard Webhooks derive from a ``whsec_`` secret: its base64-decoded part. None for a secret
    that is not standard base64 (those made before this release were URL-safe: they sign only X-Courier-Signature,
    and a rotation gives a standard one)."""
    encoded = secret.removeprefix(SECRET_PREFIX)
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return key or None


def sign_standard(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    """One ``webhook-signature`` entry: ``v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Courier-Signature value: ``t=<timestamp>,v1=<hex HMAC-SHA256 of "<timestamp>.<body>">``.

    The key is the secret's UTF-8 bytes exactly as shown to the customer, prefix included. Raises ValueError for an
    empty secret or a negative timestamp.
    """
    return f"t={timestamp},v1={_mac(secret, str(timestamp), body)}"


def signature_headers(
    message_id: str, timestamp: int, body: bytes, secret: str, previous_secret: str | None = None
) -> dict[str, str]:
    """The signature headers of one send: X-Courier-Signature with a ``v1`` per secret in use and, when a secret
    is standard base64, Standard Webhooks' three (one space-separated ``webhook-signature`` entry per such secret).
    Raises ValueError for an empty ``secret``."""
    signature = sign(secret, timestamp, body)
    if previous_secret:
        signature += f",v1={_mac(previous_secret, str(timestamp), body)}"
    headers = {SIGNATURE_HEADER: signature}
    keys = [key for key in (standard_key(secret), standard_key(previous_secret or "")) if key]
    if keys:
        headers |= {
            STANDARD_ID_HEADER: message_id,
            STANDARD_TIMESTAMP_HEADER: str(timestamp),
            STANDARD_SIGNATURE_HEADER: " ".join(sign_standard(key, message_id, timestamp, body) for key in keys),
        }
    return headers


def _mac(secret: str, timestamp: str, body: bytes) -> str:
    if not secret:
        raise ValueError("the webhook secret is empty")
    if not (timestamp.isascii() and timestamp.isdigit()):
        raise ValueError("the timestamp must be a non-negative integer")
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: int | None = None) -> bool:
    """True when ``header`` is a valid X-Courier-Signature for the raw ``body`` under ``secret``.

    False — never an exception — for a malformed header, a timestamp further than ``tolerance`` seconds from
    ``now`` (in the past: a replay; in the future: a forged or skewed clock), or no matching ``v1``. Several ``v1``
    values are accepted (during a secret rotation the sender signs with the old and the new secret); unknown schemes
    (``v2=`` …) are ignored. Signatures are compared in constant time.
    """
    if not secret or len(header) > MAX_SIGNATURE_HEADER:
        return False
    stamps: list[str] = []
    signatures: list[str] = []
    for part in header.split(","):
        name, sep, value = part.strip().partition("=")
        if not sep:
            return False
        if name == "t":
            stamps.append(value)
        elif name == "v1":
            signatures.append(value)
    if len(stamps) != 1 or not signatures:
        return False
    stamp = stamps[0]
    if not (stamp.isascii() and stamp.isdigit() and len(stamp) <= 12):
        return False
    current = int(time.time()) if now is None else now
    if abs(current - int(stamp)) > tolerance:
        return False
    expected = _mac(secret, stamp, body).encode()
    # Check every candidate (no early exit) and compare bytes: compare_digest refuses non-ASCII str.
    matched = False
    for candidate in signatures:
        matched |= hmac.compare_digest(expected, candidate.encode())
    return matched
