"""Operator CLI for workspaces, API keys and webhook settings: ``python -m courier_tools.admin --help``."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TextIO

from botocore.exceptions import BotoCoreError, ClientError

from courier.accounts.apikey import ApiKey, IssuedKey, Workspace
from courier.accounts.keys import DEFAULT_GRACE, MAX_GRACE, KeyNotFoundError, KeyRepository, KeyStateError
from courier.errors import UnprocessableError
from courier.net.policy import redact
from courier.persistence.store import Store
from courier.records import WorkspaceWebhookRecord
from courier.secrets.sealing import Sealer
from courier.webhooks.secrets import WebhookSecrets
from courier.webhooks.workspace import WebhookConfigError, WebhookURLError, WorkspaceWebhooks

if TYPE_CHECKING:
    from types_boto3_dynamodb.service_resource import Table

OK, NOT_FOUND, USAGE, AWS_FAILURE = 0, 1, 2, 3
MAX_NAME = 100
UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}

DESCRIPTION = """\
Manage Render Courier workspaces, API keys and webhook settings in the service's DynamoDB table
(webhook secrets live in Secrets Manager under the service's secret prefix).

API keys are shown once, when created or rotated, and stored only as SHA-256 hashes;
lists show a key's prefix (rc_AbCd…), never the key.

A revoked key is refused at once by API containers that have not seen it recently, and
within the API's key cache TTL by warm ones: COURIER_API_KEY_CACHE_SECONDS, 60 s by default,
never more than 300 s. A rotation keeps the old key working for the grace period (24h by
default), so clients can switch over; after it the old key is refused.

A workspace's webhook secret (whsec_…) is shown once, when `webhook set` creates it or `webhook
rotate` replaces it. A rotation signs every event with both secrets for the grace period (24h by
default), so receivers can switch over; deliver containers pick the new secret up within a minute.
"""

EPILOG = """\
exit codes: 0 ok, 1 not found (or not in a state for that, e.g. rotating a revoked key),
            2 usage, 3 AWS error (credentials, permissions, network)

environment: COURIER_TABLE_NAME (unless --table), COURIER_SECRET_PREFIX (unless --secret-prefix; courier/),
             AWS_ENDPOINT_URL, AWS_REGION / AWS_DEFAULT_REGION, AWS_PROFILE and the other variables boto3 reads

examples:
  python -m courier_tools.admin workspace create "Acme Inc"
  python -m courier_tools.admin key list 3f2a9c1e0b7d4a65
  python -m courier_tools.admin key rotate key_8e1f0c2a9b3d4e5f --grace 2h
  python -m courier_tools.admin webhook set --workspace 3f2a9c1e0b7d4a65 --url https://example.com/hooks/courier
  python -m courier_tools.admin webhook rotate --workspace 3f2a9c1e0b7d4a65 --grace 48h
"""


class UsageError(Exception):
    pass


def duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``24h``, ``7d`` or ``0``; argparse turns the error into a usage message (exit 2)."""
    match = re.fullmatch(r"(\d{1,7})([smhd]?)", text.strip().lower())
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a duration like 30m, 24h or 7d")
    value = timedelta(seconds=int(match[1]) * UNITS[match[2] or "s"])
    if value > MAX_GRACE:
        raise argparse.ArgumentTypeError(f"at most {MAX_GRACE.days}d")
    return value


def label(text: str) -> str:
    """A workspace or key name: printable, trimmed, at most 100 characters."""
    text = text.strip()
    if not text or len(text) > MAX_NAME:
        raise argparse.ArgumentTypeError(f"give a name of 1 to {MAX_NAME} characters")
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in text):
        raise argparse.ArgumentTypeError("names cannot contain control or invisible formatting characters")
    return text


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m courier_tools.admin",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    root.add_argument("--table", help="DynamoDB table name (default: $COURIER_TABLE_NAME)")
    root.add_argument("--region", help="AWS region (default: boto3's, e.g. $AWS_REGION)")
    root.add_argument(
        "--endpoint-url",
        help="AWS endpoint for DynamoDB and Secrets Manager, e.g. the local stack's (default: $AWS_ENDPOINT_URL, "
        "as boto3 reads it)",
    )
    root.add_argument(
        "--secret-prefix", help="Secrets Manager name prefix of the service (default: $COURIER_SECRET_PREFIX)"
    )
    root.add_argument("--json", action="store_true", help="print JSON instead of text")
    groups = root.add_subparsers(dest="group", required=True, metavar="{workspace,key,webhook}")

    workspace = groups.add_parser("workspace", help="create and list workspaces").add_subparsers(
        dest="command", required=True
    )
    create = workspace.add_parser("create", help="create a workspace and its first API key (printed once)")
    create.add_argument("name", type=label, metavar="NAME")
    create.add_argument("--key-name", type=label, default="default", help="name of the first key (default: default)")
    workspace.add_parser("list", help="list workspaces")

    key = groups.add_parser("key", help="create, list, revoke and rotate API keys").add_subparsers(
        dest="command", required=True
    )
    key_create = key.add_parser("create", help="create an API key (printed once)")
    key_create.add_argument("workspace_id", metavar="WORKSPACE_ID")
    key_create.add_argument("--name", type=label, default="default", help="a label for the key")
    key_list = key.add_parser("list", help="list a workspace's keys: prefix, id, name, created, status")
    key_list.add_argument("workspace_id", metavar="WORKSPACE_ID")
    revoke = key.add_parser(
        "revoke", help="revoke a key now (warm API containers refuse it within their cache TTL, ≤ 300 s)"
    )
    revoke.add_argument("key_id", metavar="KEY_ID")
    rotate = key.add_parser("rotate", help="create a replacement key; the old one works for --grace, then stops")
    rotate.add_argument("key_id", metavar="KEY_ID")
    rotate.add_argument(
        "--grace",
        type=duration,
        default=DEFAULT_GRACE,
        help="how long the old key keeps working, e.g. 30m, 24h, 7d, 0 (default: 24h, at most 30d)",
    )

    webhook = groups.add_parser(
        "webhook", help="a workspace's default webhook URL and its signing secret (shown once)"
    ).add_subparsers(dest="command", required=True)
    webhook_set = webhook.add_parser(
        "set",
        help="set the default webhook URL (or --no-url); creates the workspace's secret, printed once, if it has none",
    )
    webhook_set.add_argument("--workspace", required=True, metavar="ID", dest="workspace_id")
    target = webhook_set.add_mutually_exclusive_group()
    target.add_argument("--url", help="https URL POSTed an event when a render's deliveries are all final")
    target.add_argument(
        "--no-url", action="store_true", help="remove the default URL (renders may still name their own webhook)"
    )
    webhook_set.add_argument(
        "--allow-local-urls", action="store_true", help="accept http://127.0.0.1 (the local stack only)"
    )
    webhook_show = webhook.add_parser("show", help="the default URL (without its query) and the secret's dates")
    webhook_show.add_argument("--workspace", required=True, metavar="ID", dest="workspace_id")
    webhook_rotate = webhook.add_parser(
        "rotate", help="replace the secret (printed once); events carry both signatures for --grace"
    )
    webhook_rotate.add_argument("--workspace", required=True, metavar="ID", dest="workspace_id")
    webhook_rotate.add_argument(
        "--grace",
        type=duration,
        default=DEFAULT_GRACE,
        help="how long the old secret also signs, e.g. 30m, 24h, 7d, 0 (default: 24h, at most 30d)",
    )
    return root


def _table(args: argparse.Namespace) -> Table:
    import boto3

    table = args.table or os.environ.get("COURIER_TABLE_NAME")
    if not table:
        raise UsageError("name the table with --table or COURIER_TABLE_NAME")
    # endpoint_url=None lets boto3 apply AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_DYNAMODB and the config file itself.
    session = boto3.session.Session(region_name=args.region)
    return session.resource("dynamodb", endpoint_url=args.endpoint_url).Table(table)


def repository(args: argparse.Namespace) -> KeyRepository:
    return KeyRepository(_table(args))


def workspace_webhooks(args: argparse.Namespace) -> WorkspaceWebhooks:
    import boto3

    table = _table(args)
    prefix = args.secret_prefix or os.environ.get("COURIER_SECRET_PREFIX") or "courier/"
    session = boto3.session.Session(region_name=args.region)
    client = session.client("secretsmanager", endpoint_url=args.endpoint_url)
    # A URL's query (often a token) is stored sealed with the stack's inline-secrets key (output InlineSecretsKeyId).
    key_id = os.environ.get("COURIER_INLINE_KEY_ID")
    sealer = Sealer(session.client("kms", endpoint_url=args.endpoint_url), key_id) if key_id else None
    return WorkspaceWebhooks(Store(table), WebhookSecrets(prefix, client=client), sealer=sealer)


def main(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    connect: Callable[[argparse.Namespace], KeyRepository] = repository,
    connect_webhooks: Callable[[argparse.Namespace], WorkspaceWebhooks] = workspace_webhooks,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a usage error (2), already printed by argparse
        return int(stop.code or 0)
    try:
        if args.group == "webhook":
            return run_webhook(args, connect_webhooks(args), Printer(out, args.json))
        keys = connect(args)
        return run(args, keys, Printer(out, args.json))
    except (UsageError, WebhookURLError, UnprocessableError) as exc:
        print(f"error: {exc}", file=err)
        return USAGE
    except (KeyNotFoundError, KeyStateError, WebhookConfigError) as exc:
        print(f"error: {exc}", file=err)
        return NOT_FOUND
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "")
        if code == "ResourceNotFoundException":
            print(f"error: table not found: {exc.response['Error'].get('Message', '')}", file=err)
            return NOT_FOUND
        print(f"error: AWS refused the call ({code}): {exc.response.get('Error', {}).get('Message', '')}", file=err)
        return AWS_FAILURE
    except BotoCoreError as exc:
        print(f"error: {exc}", file=err)
        return AWS_FAILURE


def run(args: argparse.Namespace, keys: KeyRepository, show: Printer) -> int:
    match (args.group, args.command):
        case ("workspace", "create"):
            workspace, issued = keys.create_workspace(args.name, key_name=args.key_name)
            show.created_workspace(workspace, issued)
        case ("workspace", "list"):
            show.workspaces(keys.list_workspaces())
        case ("key", "create"):
            show.issued(keys.create_key(args.workspace_id, args.name))
        case ("key", "list"):
            if keys.get_workspace(args.workspace_id) is None:
                raise KeyNotFoundError(f"no workspace {args.workspace_id}: see `workspace list`")
            show.keys(keys.list_keys(args.workspace_id))
        case ("key", "revoke"):
            key, changed = keys.revoke_key(args.key_id)
            show.revoked(key, changed)
        case ("key", "rotate"):
            old, issued = keys.rotate_key(args.key_id, args.grace)
            show.rotated(old, issued)
        case _:  # pragma: no cover - argparse only lets the commands above through
            raise UsageError(f"unknown command {args.group} {args.command}")
    return OK


def run_webhook(args: argparse.Namespace, webhooks: WorkspaceWebhooks, show: Printer) -> int:
    match args.command:
        case "set":
            settings, created = webhooks.set(
                args.workspace_id, args.url, clear_url=args.no_url, allow_local=args.allow_local_urls
            )
            show.webhook(settings, created.get_secret_value() if created else None, "created")
        case "show":
            show.webhook(webhooks.show(args.workspace_id), None, None)
        case "rotate":
            settings, secret = webhooks.rotate(args.workspace_id, args.grace)
            show.webhook(settings, secret.get_secret_value(), "rotated")
        case _:  # pragma: no cover - argparse only lets the commands above through
            raise UsageError(f"unknown command webhook {args.command}")
    return OK


class Printer:
    """Text for people, or JSON with ``--json``. Full keys only in what creation and rotation print; never hashes."""

    def __init__(self, out: TextIO, as_json: bool) -> None:
        self._out = out
        self._json = as_json
        self._now = datetime.now(UTC)

    def created_workspace(self, workspace: Workspace, issued: IssuedKey) -> None:
        if self._json:
            self._dump({"workspace": _workspace(workspace), "key": self._key(issued.key), "apiKey": _secret(issued)})
            return
        self._line(f"workspace  {workspace.workspace_id}  {workspace.name}")
        self._issued_text(issued)

    def issued(self, issued: IssuedKey) -> None:
        if self._json:
            self._dump({"key": self._key(issued.key), "apiKey": _secret(issued)})
            return
        self._issued_text(issued)

    def rotated(self, old: ApiKey, issued: IssuedKey) -> None:
        if self._json:
            self._dump({"old": self._key(old), "key": self._key(issued.key), "apiKey": _secret(issued)})
            return
        self._line(f"old key    {old.key_id}  {old.display_prefix}  works until {_time(old.expires_at)}")
        self._issued_text(issued)

    def revoked(self, key: ApiKey, changed: bool) -> None:
        if self._json:
            self._dump({"key": self._key(key), "changed": changed})
            return
        when = "revoked" if changed else "was already revoked at " + _time(key.revoked_at)
        self._line(f"key {key.key_id} ({key.display_prefix}) {when}")
        if changed:
            self._line("warm API containers may accept it until their key cache entry ends (60 s by default)")

    def workspaces(self, workspaces: list[Workspace]) -> None:
        if self._json:
            self._dump([_workspace(w) for w in workspaces])
            return
        self._table(["ID", "NAME", "CREATED"], [[w.workspace_id, w.name, _time(w.created_at)] for w in workspaces])

    def keys(self, keys: list[ApiKey]) -> None:
        if self._json:
            self._dump([self._key(k) for k in keys])
            return
        rows = [[k.display_prefix, k.key_id, k.name, _time(k.created_at), self._status(k)] for k in keys]
        self._table(["PREFIX", "ID", "NAME", "CREATED", "STATUS"], rows)

    def webhook(self, settings: WorkspaceWebhookRecord, secret: str | None, how: str | None) -> None:
        """A workspace's webhook settings; ``secret`` only when this command created or rotated it."""
        url = redact(settings.webhook_url) if settings.webhook_url else None
        hidden = settings.webhook_query_sealed is not None or bool(
            settings.webhook_url and ("?" in settings.webhook_url or "#" in settings.webhook_url)
        )
        previous = settings.webhook_previous_until
        in_grace = previous is not None and previous > self._now
        if self._json:
            answer: dict[str, Any] = {
                "workspaceId": settings.workspace_id,
                "url": url,
                "secret": {
                    "set": bool(settings.webhook_secret_id),
                    "createdAt": _iso(settings.webhook_secret_created_at),
                    "rotatedAt": _iso(settings.webhook_rotated_at),
                    "previousValidUntil": _iso(previous) if in_grace else None,
                },
            }
            if secret is not None:
                answer["webhookSecret"] = secret
            self._dump(answer)
            return
        self._line(f"workspace  {settings.workspace_id}")
        if url:
            self._line(f"url        {url}" + ("  (query string not shown)" if hidden else ""))
        else:
            self._line("url        none (only renders that name a webhook send one)")
        if not settings.webhook_secret_id:
            self._line("secret     none: `webhook set` creates it")
        else:
            line = f"secret     created {_time(settings.webhook_secret_created_at)}"
            if settings.webhook_rotated_at:
                line += f", rotated {_time(settings.webhook_rotated_at)}"
            if in_grace:
                line += f"; the previous one also signs until {_time(previous)}"
            self._line(line)
        if secret is None:
            return
        self._line(f"Webhook secret, {how} (shown once; it cannot be shown again, store it now):")
        self._line(secret)

    # ------------------------------------------------------------ helpers

    def _issued_text(self, issued: IssuedKey) -> None:
        key = issued.key
        self._line(f"key        {key.key_id}  {key.display_prefix}  {key.name}")
        self._line("API key (shown once; it cannot be shown again, store it now):")
        self._line(_secret(issued))

    def _status(self, key: ApiKey) -> str:
        status = key.status(self._now)
        if status == "rotating":
            return f"rotating (until {_time(key.expires_at)}, replaced by {key.replaced_by})"
        if status == "revoked":
            return f"revoked {_time(key.revoked_at)}"
        return status

    def _key(self, key: ApiKey) -> dict[str, Any]:
        return {
            "id": key.key_id,
            "workspaceId": key.workspace_id,
            "name": key.name,
            "prefix": key.display_prefix,
            "createdAt": key.created_at.isoformat(),
            "status": key.status(self._now),
            "expiresAt": key.expires_at.isoformat() if key.expires_at else None,
            "replacedBy": key.replaced_by,
            "revokedAt": key.revoked_at.isoformat() if key.revoked_at else None,
        }

    def _table(self, header: list[str], rows: list[list[str]]) -> None:
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
        for row in [header, *rows]:
            self._line("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())

    def _dump(self, value: Any) -> None:
        self._line(json.dumps(value, indent=2, ensure_ascii=False))

    def _line(self, text: str) -> None:
        print(text, file=self._out)


def _secret(issued: IssuedKey) -> str:
    return issued.secret.get_secret_value()


def _workspace(workspace: Workspace) -> dict[str, str]:
    return {"id": workspace.workspace_id, "name": workspace.name, "createdAt": workspace.created_at.isoformat()}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _time(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%SZ") if value else "-"


if __name__ == "__main__":
    sys.exit(main())
