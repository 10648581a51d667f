"""docs/WEBHOOKS.md cannot rot: its Node.js verification snippet checks what the sender signs (run with node when
it is installed), and every admin command it shows parses."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import time

import pytest

from courier.webhooks.signing import generate_secret, sign
from courier_tools.admin import parser
from tests.conftest import ROOT

DOC = (ROOT / "docs" / "WEBHOOKS.md").read_text()
BODY = '{"id":"evt_1","type":"render.delivered","render":{"headline":"Grüße"}}'.encode()


def node_snippet() -> str:
    found = re.search(r"<!-- verify-snippet-node:.*?-->\s*```js\n(.*?)```", DOC, re.DOTALL)
    assert found, "docs/WEBHOOKS.md lost its marked Node.js snippet"
    return found.group(1)


def node_verify(secret: str, header: str, body: bytes) -> bool:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = node_snippet() + (
        "\nconst [secret, header, body] = JSON.parse(process.argv[1]);"
        "\nprocess.stdout.write(String(verifyCourierSignature(secret, header, Buffer.from(body, 'base64'))));"
    )
    import base64

    argument = json.dumps([secret, header, base64.b64encode(body).decode()])
    done = subprocess.run([node, "-e", script, argument], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return {"true": True, "false": False}[done.stdout]


def test_the_node_snippet_verifies_what_we_sign_and_refuses_the_rest() -> None:
    secret, other = generate_secret(), generate_secret()
    now = int(time.time())
    header = sign(secret, now, BODY)
    assert node_verify(secret, header, BODY)
    # A rotation's header carries two signatures: either secret verifies
    rotating = header + "," + sign(other, now, BODY).split(",")[1]
    assert node_verify(other, rotating, BODY) and node_verify(secret, rotating, BODY)
    # A wrong secret, a changed body, a replayed timestamp and malformed headers do not
    assert not node_verify(other, header, BODY)
    assert not node_verify(secret, header, BODY + b" ")
    assert not node_verify(secret, sign(secret, now - 301, BODY), BODY)
    for malformed in ("", "t=,v1=", f"v1={'0' * 64}", f"t={now},t={now},{header.split(',')[1]}", f"t={now},v1=zz"):
        assert not node_verify(secret, malformed, BODY)


def test_every_admin_command_in_the_doc_parses() -> None:
    commands = re.findall(r"^(?:\$ )?python -m courier_tools\.admin (.+)$", DOC, re.MULTILINE)
    assert len(commands) >= 5
    for command in commands:
        args = parser().parse_args(shlex.split(command))
        assert args.group == "webhook"
