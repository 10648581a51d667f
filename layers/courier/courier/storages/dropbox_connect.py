"""Connect Dropbox the way users expect ("Connect Dropbox", authorise, done): OAuth 2 code flow with PKCE and an
offline refresh token, a single-use state bound to the workspace and storage, then the usual probe and save."""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import urlencode

from courier.errors import ApiError, NotFoundError, UnprocessableError
from courier.persistence.store import Store
from courier.providers import StorageRequest, StorageResponse
from courier.providers.dropbox import DropboxStorageRequest
from courier.providers.models import DropboxAuthorizeResponse, DropboxConnectRequest
from courier.storages.service import StorageService

STATE_LIFETIME = timedelta(minutes=15)
CA_BUNDLE_ENV = "COURIER_DROPBOX_CA_BUNDLE"

TokenPost = Callable[[str, dict[str, str]], dict[str, Any]]


def token_url() -> str:
    # The SDK's own host variable, so the local stack and tests can point both at a fake Dropbox.
    return f"https://{os.environ.get('DROPBOX_API_HOST', 'api.dropboxapi.com')}/oauth2/token"


def post_form(url: str, form: dict[str, str]) -> dict[str, Any]:
    """POST a form to Dropbox's token endpoint; our CA choice only (trust_env off: this machine sets one globally)."""
    import requests

    session = requests.Session()
    session.trust_env = False
    session.verify = os.environ.get(CA_BUNDLE_ENV) or True
    answer = session.post(url, data=form, timeout=15)
    body = answer.json() if answer.headers.get("content-type", "").startswith("application/json") else {}
    if answer.status_code != 200:
        raise UnprocessableError.at(
            "code", f"Dropbox refused the authorisation ({body.get('error', answer.status_code)})"
        )
    return dict(body)


class DropboxConnect:
    def __init__(
        self,
        store: Store,
        storages: StorageService,
        app_key: str | None,
        authorize_url: str,
        post: TokenPost = post_form,
    ) -> None:
        self._store = store
        self._storages = storages
        self._app_key = app_key
        self._authorize_url = authorize_url
        self._post = post

    def authorize(
        self, workspace_id: str, storage: str, request: DropboxConnectRequest, redirect_uri: str
    ) -> DropboxAuthorizeResponse:
        """The URL to send the user to. The state is random, stored (hashed) with the PKCE verifier, the workspace,
        the storage and its settings, and usable once within 15 minutes."""
        if not self._app_key:
            raise UnprocessableError.at("provider", "Connect Dropbox is not configured on this deployment")
        verifier = secrets.token_urlsafe(64)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        state = secrets.token_urlsafe(32)
        expires = datetime.now(UTC) + STATE_LIFETIME
        self._store.put_oauth_state(
            _digest(state),
            {
                "workspace_id": workspace_id,
                "storage": storage,
                "verifier": verifier,
                "redirect_uri": redirect_uri,
                "settings": request.model_dump_json(),
            },
            expires,
        )
        query = urlencode(
            {
                "client_id": self._app_key,
                "response_type": "code",
                "token_access_type": "offline",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "redirect_uri": redirect_uri,
                "state": state,
            }
        )
        return DropboxAuthorizeResponse(
            authorize_url=f"{self._authorize_url}?{query}",
            redirect_uri=redirect_uri,
            expires_in=int(STATE_LIFETIME.total_seconds()),
        )

    def complete(self, code: str | None, state: str | None) -> StorageResponse:
        """The callback: take the state (once), exchange the code for a refresh token, probe, save the storage."""
        if not code or not state:
            # Not an answer to an authorisation we started: there is nothing to complete here.
            raise NotFoundError("the Dropbox answer has no code or state: start again from Connect Dropbox")
        pending = self._store.take_oauth_state(_digest(state))
        if pending is None or pending["expires"] < datetime.now(UTC):
            # Every state but the one we issued, once, is unknown here: answered like a missing resource.
            raise NotFoundError("this authorisation link was already used or has expired: start again")
        tokens = self._post(
            token_url(),
            {
                "code": code,
                "grant_type": "authorization_code",
                "code_verifier": pending["verifier"],
                "client_id": self._app_key or "",
                "redirect_uri": pending["redirect_uri"],
            },
        )
        refresh_token = tokens.get("refresh_token")
        if not refresh_token:
            raise UnprocessableError.at("code", "Dropbox gave no refresh token: start again from Connect Dropbox")
        settings = DropboxConnectRequest.model_validate_json(pending["settings"])
        request = DropboxStorageRequest.model_validate(
            settings.model_dump() | {"provider": "dropbox", "refresh_token": refresh_token, "app_key": self._app_key}
        )
        return self._storages.put(pending["workspace_id"], pending["storage"], cast("StorageRequest", request))


def _digest(state: str) -> str:
    # Stored hashed: the table alone does not let anyone finish someone else's authorisation.
    return hashlib.sha256(state.encode()).hexdigest()


CONSOLE_STORAGES = "/console/index.html#storages"


def page(title: str, message: str, status: int, back: str = CONSOLE_STORAGES) -> tuple[int, str]:
    """A small self-contained page for the browser that comes back from Dropbox (no user input is echoed), with a
    link back to the storage console."""
    html = (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Render Courier</title>"
        "<body style='font-family:system-ui;max-width:36rem;margin:4rem auto'>"
        f"<h1>{title}</h1><p>{message}</p>"
        f"<p><a href='{_escape(back)}'>Back to the storage console</a></p></body></html>"
    )
    return status, html


def error_page(error: ApiError) -> tuple[int, str]:
    message = "The authorisation could not be completed. " + _escape(error.message)
    return page("Dropbox was not connected", message, error.status if error.status in (400, 404) else 400)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
