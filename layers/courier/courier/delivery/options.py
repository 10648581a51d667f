"""What a destination is asked to write: a target's object options turned into the adapter's write options, and
what a final delivery keeps of its target.

The content type comes from the staged file unless the target overrides it; a bare ``attachment`` or ``inline``
disposition gets the file's name as RFC 6266 says. A final delivery keeps no sealed secret: inline keys and
presigned URLs are destroyed once they have served.
"""

from __future__ import annotations

from urllib.parse import quote

from courier.destinations.base import DeliveryOptions
from courier.records import DeliveryRecord, DeliveryTarget


def delivery_options(target: DeliveryTarget, content_type: str, key: str = "") -> DeliveryOptions:
    """The adapter's write options from a target's object options (the content type comes from the file)."""
    options = target.options
    return DeliveryOptions(
        content_type=options.content_type or content_type,
        content_disposition=content_disposition(options.content_disposition, key.rsplit("/", 1)[-1]),
        cache_control=options.cache_control,
        metadata=options.metadata or {},
        make_public=bool(options.make_public),
        acl=options.acl,
        if_exists=options.if_exists or "overwrite",
        tags=options.tags or {},
        storage_class=options.storage_class,
        sse=options.sse,
        sse_kms_key_id=options.kms_key_id,
    )


def without_secret(delivery: DeliveryRecord) -> DeliveryTarget:
    """A final delivery keeps no sealed secret: inline keys and presigned URLs are destroyed once delivered."""
    return delivery.target.model_copy(update={"sealed": None})


def content_disposition(value: str | None, filename: str) -> str | None:
    """A bare "attachment" or "inline" gets the file's name, as RFC 6266 says: an ASCII fallback in ``filename``
    and the exact name, percent-encoded UTF-8, in ``filename*`` (RFC 8187). Anything else is sent as given."""
    if value is None or value.strip().lower() not in ("attachment", "inline") or not filename:
        return value
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in filename)
    return f"{value.strip().lower()}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
