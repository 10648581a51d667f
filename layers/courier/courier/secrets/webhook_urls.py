"""A webhook URL as it is kept: without its query, which often holds a token and is sealed apart with KMS under the
workspace's webhook context, so a render can carry its workspace's sealed query as it is."""

from __future__ import annotations

from urllib.parse import urlsplit

from courier.errors import UnprocessableError
from courier.net.policy import redact
from courier.secrets.sealing import Sealer

# The "render" half of the KMS encryption context every sealed webhook query of a workspace is sealed under: the
# workspace's default and each render's copy of it alike, so a render can carry its workspace's sealed query as is.
WEBHOOK_CONTEXT = "webhook"


def seal_url(sealer: Sealer | None, workspace_id: str, url: str, field_path: str = "webhook") -> tuple[str, str | None]:
    """(the URL without query, fragment or userinfo, its query sealed or None). Raises UnprocessableError when the
    URL has a query and nothing can seal it."""
    shown, query = redact(url), urlsplit(url).query
    if not query:
        return shown, None
    if sealer is None:
        raise UnprocessableError.at(field_path, "a URL with a query needs the inline-secrets KMS key to keep it sealed")
    return shown, sealer.seal({"query": query}, workspace_id, WEBHOOK_CONTEXT, field_path)


def open_url(sealer: Sealer | None, workspace_id: str, shown: str, sealed: str | None) -> str:
    """The URL to POST to: ``shown`` with its sealed query put back. Raises PermissionError when it cannot be opened."""
    if sealed is None:
        return shown  # no query (or an item written before queries were sealed: its URL is whole)
    if sealer is None:
        raise PermissionError("the webhook URL's query is sealed and no key can open it here")
    return f"{shown}?{sealer.unseal(sealed, workspace_id, WEBHOOK_CONTEXT)['query']}"
