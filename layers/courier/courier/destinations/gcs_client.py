"""GCS client: a ``google.cloud.storage.Client`` signing in with a customer's service-account key.

Only a complete ``service_account`` key whose token_uri is Google's is accepted (google-auth POSTs a signed JWT to
it: any other URL would be a request of ours to a host the customer chose), and only a googleapis.com endpoint; the
sessions trust no proxy or CA variables of the environment. ``allow_local`` admits loopback addresses for tests and
the local stack.
"""

# mypy: disable-error-code="import-untyped,no-untyped-call"
# (google-cloud-storage ships no type information, so its objects are Any here; google-auth, api-core and
# google-crc32c ship py.typed but leave constructors and helpers such as from_http_response unannotated)

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from google.auth import exceptions as auth
from google.cloud import storage

from courier.destinations.base import PermanentDeliveryError

DEFAULT_ENDPOINT = "https://storage.googleapis.com"
SCOPE = "https://www.googleapis.com/auth/devstorage.read_write"  # objects only: no bucket or IAM changes
# Google's OAuth token endpoints: today's (in every key since 2018 and google-auth's default), then those older
# keys name. google-auth POSTs a signed JWT to the key's token_uri: any other URL would be a request of ours to a
# host the customer chose.
GOOGLE_TOKEN_URIS = frozenset(
    {
        "https://oauth2.googleapis.com/token",
        "https://accounts.google.com/o/oauth2/token",
        "https://www.googleapis.com/oauth2/v4/token",
    }
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
REQUIRED_KEYS = ("client_email", "private_key", "token_uri")


def build_gcs_client(
    *,
    credentials_info: dict[str, Any] | None,
    endpoint: str | None = None,
    connect_timeout: float = 10,
    read_timeout: float = 60,
    allow_local: bool = False,
) -> Any:
    """A ``google.cloud.storage.Client`` signing in with a service-account key (the key file's JSON).

    Raises PermanentDeliveryError, naming what is wrong, for anything but a complete ``service_account`` key whose
    token_uri is Google's. ``allow_local`` (tests, the local stack) also admits a loopback token_uri and endpoint,
    and ``credentials_info=None`` (anonymous, for an emulator). ``endpoint``: e.g. a Private Service Connect one.
    The timeouts apply to every request a GcsDestination on this client sends, the token endpoint's included.
    """
    from google.auth.credentials import AnonymousCredentials
    from google.auth.transport.requests import AuthorizedSession, Request
    from google.oauth2 import service_account

    if credentials_info is None:
        if not allow_local:
            raise PermanentDeliveryError("the storage holds no service account key")
        credentials: Any = AnonymousCredentials()
    else:
        info = _checked_key(credentials_info, allow_local)
        try:
            credentials = service_account.Credentials.from_service_account_info(info, scopes=[SCOPE])
        except (ValueError, TypeError, auth.GoogleAuthError):  # never quote it: the message may hold key material
            raise PermanentDeliveryError("the service account key's private_key is not a valid PEM key") from None
    endpoint = _checked_endpoint(endpoint or DEFAULT_ENDPOINT, allow_local)
    token_session = Request()
    token_session.session.trust_env = False  # proxy and CA variables: what to trust is decided here only
    session: Any = AuthorizedSession(
        credentials, auth_request=token_session, refresh_timeout=connect_timeout + read_timeout
    )
    session.trust_env = False
    key = credentials_info or {}
    session.courier_secrets = (key.get("private_key"), key.get("private_key_id"))  # see client_secrets
    session.courier_timeout = (connect_timeout, read_timeout)  # GcsDestination's default
    client = storage.Client(
        project=None,  # objects only: no project is looked up (nor guessed from the environment)
        credentials=credentials,
        _http=session,
        client_options={"api_endpoint": endpoint},  # set explicitly, so STORAGE_EMULATOR_HOST cannot redirect it
    )
    # Off: for telemetry the SDK GETs each bucket's metadata from a background thread (a request we did not ask
    # for, needing storage.buckets.get, racing the first token refresh, frozen with the Lambda between invocations).
    client._bucket_metadata_cache = None
    return client


def _checked_endpoint(endpoint: str, allow_local: bool) -> str:
    parts = urlsplit(endpoint)
    local = allow_local and parts.hostname in LOCAL_HOSTS and parts.scheme in ("http", "https")
    google = parts.scheme == "https" and (parts.hostname or "").endswith(".googleapis.com") and not parts.port
    if not (local or google) or parts.username or parts.path.strip("/") or parts.query:
        raise PermanentDeliveryError("the storage endpoint must be an https://….googleapis.com address")
    return endpoint.rstrip("/")


def _checked_key(info: dict[str, Any], allow_local: bool) -> dict[str, Any]:
    if not isinstance(info, dict) or info.get("type") != "service_account":
        raise PermanentDeliveryError('the key is not a service account key (its "type" must be "service_account")')
    missing = [name for name in REQUIRED_KEYS if not isinstance(info.get(name), str) or not info[name]]
    if missing:
        raise PermanentDeliveryError(f"the service account key lacks {', '.join(missing)}: use the whole key file")
    if info.get("universe_domain", "googleapis.com") != "googleapis.com":
        raise PermanentDeliveryError("only service accounts of Google Cloud's googleapis.com universe are supported")
    token_uri = info["token_uri"]
    parts = urlsplit(token_uri)
    local = allow_local and parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS
    if token_uri not in GOOGLE_TOKEN_URIS and not local:
        raise PermanentDeliveryError(
            "the service account key's token_uri is not Google's (https://oauth2.googleapis.com/token): use the key "
            "file as Google Cloud created it"
        )
    return info
