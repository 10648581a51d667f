"""Browser fixtures for the storage console: Debian's chromium driven by Playwright (pytest-playwright) against one
local stack (with --allow-local-urls and the fake Dropbox) for the whole directory.

Playwright's own browser download is not used: the system `chromium` is required, and its absence is a failure, not
a skip. Every page is watched: a console error (a CSP violation is one), an uncaught exception, a request to another
origin or the API key in a URL fails the test that caused it.

Screenshots: set COURIER_CONSOLE_SCREENSHOTS=docs/console to have the tests save the console's main views there.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response

from tests.conftest import ROOT, aws_client
from tests.e2e.stack_process import stack_process
from tests.fakes.dropbox_api import FakeDropbox

KEY = "rc_console_" + "c" * 32
# Without the background-networking flags Chromium keeps calling Google's services, which a closed network refuses.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 780}
# The answers the console expects and explains on the page (wrong key, a route or object not there, a refused probe).
# Chromium logs every non-2xx fetch as a console error; any other error is the console's fault.
EXPECTED = re.compile(r"^Failed to load resource: the server responded with a status of (401|404|422) ")


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    if path is None:
        pytest.fail(
            "chromium is not installed: the console's browser tests drive Debian's chromium "
            "(apt-get update && apt-get install -y chromium); Playwright's own browser download is not used",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], chromium: str) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def dropbox() -> Iterator[FakeDropbox]:
    with FakeDropbox() as fake:
        yield fake


@dataclass
class Stack:
    api: str
    aws: str

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        answer = requests.request(
            method, self.api + path, json=body, headers={"Authorization": f"Bearer {KEY}"}, timeout=60
        )
        return answer.status_code, answer.json() if answer.content else None

    def s3(self) -> Any:
        return aws_client(self.aws, "s3")


@pytest.fixture(scope="session")
def stack(dropbox: FakeDropbox) -> Iterator[Stack]:
    env = os.environ | dropbox.stack_env()
    args = ["--port", "0", "--aws-port", "0", "--workspace", f"console:{KEY}", "--allow-local-urls"]
    with stack_process("courier_tools.local", args, env) as running:
        yield Stack(running.ready["api"], running.ready["aws"])


@dataclass
class Console:
    """One browser tab on the console, watched for errors, foreign requests and the key in a URL."""

    page: Page
    stack: Stack
    problems: list[str] = field(default_factory=list)
    foreign_allowed: tuple[str, ...] = ()  # origins a test sends the browser to on purpose (Dropbox's)

    def open(self, hash_: str = "") -> Page:
        self.page.goto(f"{self.stack.api}/console/index.html{hash_}")
        return self.page

    def sign_in(self, then: str = "") -> Page:
        self.open(then)
        self.page.get_by_label("API key").fill(KEY)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.locator("#nav").wait_for(state="visible")
        return self.page

    def go(self, hash_: str) -> Page:
        self.page.evaluate("hash => { location.hash = hash; }", hash_)
        return self.page

    def shoot(self, name: str, full_page: bool = True) -> None:
        folder = os.environ.get("COURIER_CONSOLE_SCREENSHOTS")
        if folder:
            target = Path(folder) if Path(folder).is_absolute() else ROOT / folder
            target.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(target / f"{name}.png"), full_page=full_page, animations="disabled")

    def watch(self) -> None:
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(self.stack.api))

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error" and not EXPECTED.match(message.text):
                self.problems.append(f"console error: {message.text}")

        def on_request(request: Request) -> None:
            if KEY in request.url:
                self.problems.append(f"the API key is in a URL: {request.url}")
            url = "{0.scheme}://{0.netloc}".format(urlsplit(request.url))
            if url not in (origin, *self.foreign_allowed) and not request.url.startswith("data:"):
                self.problems.append(f"request to another origin: {request.method} {request.url}")

        def on_response(response: Response) -> None:
            if response.status >= 500:  # the console error does not say which resource: this does
                self.problems.append(f"{response.status} from {response.request.method} {response.url}")

        self.page.on("console", on_console)
        self.page.on("response", on_response)
        self.page.on("pageerror", lambda error: self.problems.append(f"uncaught: {error}"))
        self.page.on("request", on_request)


@pytest.fixture
def open_console(new_context: Callable[..., BrowserContext], stack: Stack) -> Iterator[Callable[..., Console]]:
    consoles: list[Console] = []

    def make(viewport: dict[str, int] | None = None) -> Console:
        context = new_context(viewport=viewport or DESKTOP, locale="en-GB", timezone_id="UTC")
        context.set_default_timeout(15_000)
        console = Console(context.new_page(), stack)
        console.watch()
        consoles.append(console)
        return console

    yield make
    problems = [problem for console in consoles for problem in console.problems]
    assert not problems, "\n".join(problems)


@pytest.fixture
def console(open_console: Callable[..., Console]) -> Console:
    """A desktop-sized tab, signed in."""
    tab = open_console()
    tab.sign_in()
    return tab


BUCKETS = itertools.count(1)


@pytest.fixture
def bucket(stack: Stack) -> str:
    """A fresh bucket in the stack's S3 (moto accepts any keys)."""
    name = f"acme-renders-{next(BUCKETS)}"
    stack.s3().create_bucket(Bucket=name)
    return name
