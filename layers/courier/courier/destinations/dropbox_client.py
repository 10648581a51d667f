"""Dropbox client: the SDK client a DropboxDestination writes through, refreshing its own short-lived token.

Built from the storage's refresh token and app key (or an access token), with the SDK's own retries kept short and
its rate-limit retries off (the adapter honours Retry-After itself), and a requests session that trusts only the CA
chosen here (``$COURIER_DROPBOX_CA_BUNDLE`` or the public roots), never the environment's proxies or bundles.
"""

# mypy: disable-error-code="import-untyped"
# (the dropbox SDK and requests ship no type information; without types-requests both are Any here)

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from courier.destinations.base import PermanentDeliveryError
from courier.destinations.dropbox_errors import RECONNECT

if TYPE_CHECKING:  # the SDK is imported when a Dropbox client is built, never for an S3-only invocation
    import dropbox

CA_BUNDLE_ENV = "COURIER_DROPBOX_CA_BUNDLE"


def build_dropbox_client(
    *,
    refresh_token: str | None,
    app_key: str | None,
    app_secret: str | None,
    access_token: str | None = None,
    ca_bundle: str | None = None,
    timeout: float = 60,
    max_retries_on_error: int = 2,
) -> dropbox.Dropbox:
    """A Dropbox client that refreshes its short-lived access token itself (given a refresh token and app key).

    The SDK's own 5xx retries stay short (our delivery loop decides about retrying); its rate-limit retries are off
    because the adapter honours Retry-After itself, with a cap. ``ca_bundle`` (default: $COURIER_DROPBOX_CA_BUNDLE)
    names a CA file to trust instead of the public roots. Raises PermanentDeliveryError without usable credentials.
    """
    import dropbox
    import requests

    if not ((refresh_token and app_key) or access_token):
        raise PermanentDeliveryError(f"the storage holds no Dropbox authorisation: {RECONNECT}")
    session = requests.Session()
    # REQUESTS_CA_BUNDLE / proxy variables would override `verify`; the CA to trust is decided here only.
    session.trust_env = False
    session.verify = ca_bundle or os.environ.get(CA_BUNDLE_ENV) or True
    try:
        return dropbox.Dropbox(
            oauth2_access_token=access_token or None,
            oauth2_refresh_token=refresh_token or None,
            app_key=app_key or None,
            app_secret=app_secret or None,
            session=session,
            timeout=timeout,
            max_retries_on_error=max_retries_on_error,
            max_retries_on_rate_limit=0,
            user_agent="RenderCourier/1.0",
        )
    except dropbox.dropbox_client.BadInputException as exc:
        raise PermanentDeliveryError(f"the storage's Dropbox authorisation is incomplete: {RECONNECT}") from exc
