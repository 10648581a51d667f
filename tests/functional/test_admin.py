"""``python -m courier_tools.admin`` driven as an operator would: commands, what they print, exit codes (mock_aws)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest

from courier.accounts.auth import ApiKeyAuthenticator, hash_api_key
from courier.accounts.keys import KeyRepository
from courier.errors import UnauthorizedError
from courier_tools.admin import main, parser, repository
from tests.conftest import ROOT

KEY = re.compile(r"rc_[A-Za-z0-9_-]{43}")


class Cli:
    """Runs the CLI in-process against the mock table; keeps everything it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self._capsys = capsys
        self.printed = ""

    def __call__(self, *argv: str) -> tuple[int, str, str]:
        code = main(list(argv))
        out, err = self._capsys.readouterr()
        self.printed += out + err
        return code, out, err


@pytest.fixture
def cli(table: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    # The stack's inline-secrets key, which seals a webhook URL's query (the stack outputs it)
    key = boto3.client("kms", region_name="us-east-1").create_key()["KeyMetadata"]["KeyId"]
    monkeypatch.setenv("COURIER_INLINE_KEY_ID", key)
    return Cli(capsys)


@pytest.fixture
def offline_cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    """For what fails before any AWS call."""
    return Cli(capsys)


def create_workspace(cli: Cli, name: str = "Acme") -> tuple[str, str, str]:
    """(workspace id, key id, key) from `workspace create`'s output."""
    code, out, _ = cli("workspace", "create", name)
    assert code == 0, out
    workspace_id = re.search(r"^workspace\s+(\w+)\s+" + re.escape(name), out, re.M)
    key_id = re.search(r"^key\s+(key_\w+)\s", out, re.M)
    keys = KEY.findall(out)
    assert workspace_id and key_id and len(keys) == 1
    return workspace_id[1], key_id[1], keys[0]


def authenticate(table: Any, key: str) -> str:
    return ApiKeyAuthenticator(KeyRepository(table), cache_seconds=60).authenticate(f"Bearer {key}")


def test_workspace_create_prints_the_key_once_and_it_works(cli: Cli, table: Any) -> None:
    # When an operator creates a workspace
    workspace_id, key_id, key = create_workspace(cli)
    # Then the key authenticates for that workspace
    assert authenticate(table, key) == workspace_id
    # And listing shows the workspace, and the key by prefix only
    code, out, _ = cli("workspace", "list")
    assert code == 0 and workspace_id in out and "Acme" in out
    code, out, _ = cli("key", "list", workspace_id)
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ["PREFIX", "ID", "NAME", "CREATED", "STATUS"]
    assert row.startswith(f"{key[:7]}…") and key_id in row and row.endswith("active")
    # And in everything printed the key appeared once (at creation) and its hash never
    assert cli.printed.count(key) == 1
    assert hash_api_key(key) not in cli.printed


def test_key_create_adds_a_named_key(cli: Cli, table: Any) -> None:
    workspace_id, _, _ = create_workspace(cli)
    code, out, _ = cli("key", "create", workspace_id, "--name", "ci deploys")
    assert code == 0
    [key] = KEY.findall(out)
    assert authenticate(table, key) == workspace_id
    _, listing, _ = cli("key", "list", workspace_id)
    assert "ci deploys" in listing and len(listing.splitlines()) == 3


def test_key_revoke_stops_the_key_and_says_when(cli: Cli, table: Any) -> None:
    workspace_id, key_id, key = create_workspace(cli)
    # When the key is revoked
    code, out, _ = cli("key", "revoke", key_id)
    # Then the command says so, with the cache caveat, and the key is refused by a new container
    assert code == 0 and "revoked" in out and "60 s" in out
    with pytest.raises(UnauthorizedError):
        authenticate(table, key)
    _, listing, _ = cli("key", "list", workspace_id)
    assert "revoked" in listing.splitlines()[1]
    # And revoking again is harmless
    code, out, _ = cli("key", "revoke", key_id)
    assert code == 0 and "already revoked" in out


def test_key_rotate_prints_the_new_key_and_keeps_the_old_for_the_grace(cli: Cli, table: Any) -> None:
    workspace_id, key_id, old_key = create_workspace(cli)
    # When the key is rotated with a two-hour grace period
    code, out, _ = cli("key", "rotate", key_id, "--grace", "2h")
    assert code == 0
    [new_key] = KEY.findall(out)
    assert new_key != old_key and "works until" in out
    # Then both keys work, and the list shows the rotation
    assert authenticate(table, old_key) == authenticate(table, new_key) == workspace_id
    _, listing, _ = cli("key", "list", workspace_id)
    old_row = next(line for line in listing.splitlines() if key_id in line)
    assert "rotating (until" in old_row
    # And the old key cannot be rotated twice
    code, _, err = cli("key", "rotate", key_id)
    assert code == 1 and "already replaced" in err


def test_json_output_for_scripts(cli: Cli) -> None:
    code, out, _ = cli("--json", "workspace", "create", "Acme")
    assert code == 0
    created = json.loads(out)
    assert KEY.fullmatch(created["apiKey"]) and created["key"]["status"] == "active"
    code, out, _ = cli("--json", "key", "list", created["workspace"]["id"])
    [listed] = json.loads(out)
    assert listed["prefix"] == created["apiKey"][:7] + "…"
    assert created["apiKey"] not in out and "hash" not in out.lower()


@pytest.mark.parametrize(
    "argv",
    [
        ("key", "list", "0000000000000000"),
        ("key", "create", "0000000000000000"),
        ("key", "revoke", "key_0000000000000000"),
        ("key", "rotate", "key_0000000000000000"),
    ],
)
def test_unknown_ids_exit_1(cli: Cli, argv: tuple[str, ...]) -> None:
    code, out, err = cli(*argv)
    assert code == 1 and out == "" and err.startswith("error: no ")


@pytest.mark.parametrize(
    "argv",
    [
        (),
        ("workspace",),
        ("workspace", "create"),
        ("workspace", "create", "  "),
        ("workspace", "create", "evil\u202ename"),
        ("key", "rotate", "key_x", "--grace", "soon"),
        ("key", "rotate", "key_x", "--grace", "31d"),
        ("key", "delete", "key_x"),
    ],
)
def test_usage_errors_exit_2(offline_cli: Cli, argv: tuple[str, ...]) -> None:
    code, _, err = offline_cli(*argv)
    assert code == 2 and "usage:" in err


def test_a_missing_table_name_is_a_usage_error(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COURIER_TABLE_NAME")
    code, _, err = cli("workspace", "list")
    assert code == 2 and "--table" in err


def test_an_unknown_table_exits_1(cli: Cli) -> None:
    code, _, err = cli("--table", "no-such-table", "workspace", "list")
    assert code == 1 and "table not found" in err


def test_the_table_and_endpoint_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # boto3 reads AWS_ENDPOINT_URL itself: the CLI passes no endpoint of its own unless told to
    monkeypatch.setenv("COURIER_TABLE_NAME", "from-env")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    # Keys in the environment: without them boto3 looks for credentials on the instance metadata service (a socket)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566")
    table = repository(parser().parse_args(["workspace", "list"]))._table
    assert table.name == "from-env"
    assert table.meta.client.meta.endpoint_url == "http://127.0.0.1:4566"
    table = repository(
        parser().parse_args(["--table", "t", "--endpoint-url", "http://localhost:8000", "key", "list", "w"])
    )._table
    assert table.name == "t" and table.meta.client.meta.endpoint_url == "http://localhost:8000"


def test_help_runs_as_a_module_and_states_the_revocation_delay() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "layers" / "courier")}
    done = subprocess.run(
        [sys.executable, "-m", "courier_tools.admin", "--help"], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    help_text = " ".join(done.stdout.split())
    assert "usage: python -m courier_tools.admin" in help_text
    assert "60 s by default" in help_text and "300 s" in help_text
    assert "exit codes: 0 ok, 1 not found" in help_text
    for command in ("workspace", "key", "webhook"):
        assert command in help_text


# --- webhooks ------------------------------------------------------------------------------------------------------

SECRET = re.compile(r"whsec_[A-Za-z0-9+/]{43}=")
HOOK_TOKEN = "CANARY-hook-token"
HOOK = f"https://93.184.216.34/hooks/courier?token={HOOK_TOKEN}"  # an address literal: no DNS lookup


def signing(workspace_id: str) -> list[str]:
    """The secrets the deliver function would sign with now."""
    from courier.secrets.credentials import CredentialReader
    from courier.webhooks.secrets import WebhookSecrets

    reader = CredentialReader(boto3.client("secretsmanager", region_name="us-east-1"), max_age_seconds=0)
    keys = WebhookSecrets("courier/", reader=reader).signing(workspace_id, datetime.now(UTC))
    return [s.get_secret_value() for s in (keys.current, keys.previous) if s is not None]


def test_webhook_set_creates_the_secret_once_and_shows_it_once(cli: Cli) -> None:
    workspace_id, _, _ = create_workspace(cli)
    # When an operator sets the workspace's webhook URL
    code, out, _ = cli("webhook", "set", "--workspace", workspace_id, "--url", HOOK)
    # Then the secret is created and printed once, and the URL shown without its query
    assert code == 0
    [secret] = SECRET.findall(out)
    assert "https://93.184.216.34/hooks/courier  (query string not shown)" in out
    assert "shown once" in out
    # And it is the secret the deliver function signs with, kept in Secrets Manager under the service's prefix
    assert signing(workspace_id) == [secret]
    # When the URL is changed, or the settings shown, the secret is not created again nor printed
    code, out, _ = cli("webhook", "set", "--workspace", workspace_id, "--url", "https://93.184.216.34/v2")
    assert code == 0 and not SECRET.search(out) and "https://93.184.216.34/v2" in out
    code, out, _ = cli("webhook", "show", "--workspace", workspace_id)
    assert code == 0 and not SECRET.search(out) and "secret     created" in out
    assert signing(workspace_id) == [secret]
    # And in everything printed the secret appeared once, the URL's token never
    assert cli.printed.count(secret) == 1
    assert HOOK_TOKEN not in cli.printed


def test_webhook_set_without_a_url_creates_only_the_secret_and_no_url_removes_the_default(cli: Cli) -> None:
    workspace_id, _, _ = create_workspace(cli)
    code, out, _ = cli("--json", "webhook", "set", "--workspace", workspace_id)
    shown = json.loads(out)
    assert code == 0 and shown["url"] is None and SECRET.fullmatch(shown["webhookSecret"])
    assert shown["secret"]["set"] is True
    cli("webhook", "set", "--workspace", workspace_id, "--url", HOOK)
    code, out, _ = cli("--json", "webhook", "set", "--workspace", workspace_id, "--no-url")
    shown = json.loads(out)
    assert code == 0 and shown["url"] is None and "webhookSecret" not in shown


def test_webhook_rotate_signs_with_both_secrets_for_the_grace(cli: Cli) -> None:
    workspace_id, _, _ = create_workspace(cli)
    _, out, _ = cli("webhook", "set", "--workspace", workspace_id, "--url", HOOK)
    [old] = SECRET.findall(out)
    # When the secret is rotated with a two-hour grace period
    code, out, _ = cli("webhook", "rotate", "--workspace", workspace_id, "--grace", "2h")
    # Then the new secret is printed once, and events are signed with both
    assert code == 0
    [new] = SECRET.findall(out)
    assert new != old and "the previous one also signs until" in out
    assert signing(workspace_id) == [new, old]
    code, out, _ = cli("--json", "webhook", "show", "--workspace", workspace_id)
    assert json.loads(out)["secret"]["previousValidUntil"] is not None and old not in out and new not in out
    # And a rotation without grace stops the old secret at once
    code, out, _ = cli("webhook", "rotate", "--workspace", workspace_id, "--grace", "0")
    [newest] = SECRET.findall(out)
    assert code == 0 and signing(workspace_id) == [newest]


@pytest.mark.parametrize(
    "argv",
    [
        ("webhook", "show", "--workspace", "0000000000000000"),
        ("webhook", "set", "--workspace", "0000000000000000", "--url", HOOK),
        ("webhook", "rotate", "--workspace", "0000000000000000"),
    ],
)
def test_webhook_commands_on_an_unknown_workspace_exit_1(cli: Cli, argv: tuple[str, ...]) -> None:
    code, out, err = cli(*argv)
    assert code == 1 and out == "" and err.startswith("error: no workspace")


def test_rotating_before_any_secret_exists_exits_1(cli: Cli) -> None:
    workspace_id, _, _ = create_workspace(cli)
    code, _, err = cli("webhook", "rotate", "--workspace", workspace_id)
    assert code == 1 and "webhook set" in err


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        (f"http://93.184.216.34/hook?token={HOOK_TOKEN}", "https"),
        (f"https://10.1.2.3/hook?token={HOOK_TOKEN}", "private address"),
        (f"http://127.0.0.1:9/hook?token={HOOK_TOKEN}", "https"),
    ],
)
def test_a_refused_webhook_url_exits_2_without_echoing_its_query(cli: Cli, url: str, reason: str) -> None:
    workspace_id, _, _ = create_workspace(cli)
    code, _, err = cli("webhook", "set", "--workspace", workspace_id, "--url", url)
    assert code == 2 and reason in err and HOOK_TOKEN not in err
    # Nothing was created: the secret is made only with a usable setting
    assert not SECRET.search(cli.printed)


def test_local_urls_only_when_asked(cli: Cli) -> None:
    workspace_id, _, _ = create_workspace(cli)
    url = "http://127.0.0.1:9/hook"
    code, out, _ = cli("webhook", "set", "--workspace", workspace_id, "--url", url, "--allow-local-urls")
    assert code == 0 and url in out


@pytest.mark.parametrize(
    "argv",
    [
        ("webhook", "set"),
        ("webhook", "set", "--workspace", "w", "--url", HOOK, "--no-url"),
        ("webhook", "rotate", "--workspace", "w", "--grace", "31d"),
        ("webhook", "delete", "--workspace", "w"),
    ],
)
def test_webhook_usage_errors_exit_2(offline_cli: Cli, argv: tuple[str, ...]) -> None:
    code, _, err = offline_cli(*argv)
    assert code == 2 and "usage:" in err
