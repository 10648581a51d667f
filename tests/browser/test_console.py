"""The storage console in chromium, as a workspace admin uses it on the local stack: sign in, connect and test storages
(S3, S3-compatible, role, bucket policy, Dropbox through its OAuth flow), pause and resume, change the folder, update
credentials, delete, follow a render's deliveries, set the webhook and rotate its secret, on a desktop and a phone."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import KEY, PHONE, Console, Stack
from tests.fakes.dropbox_api import FakeDropbox

# pytest-playwright's fallback base_url fixture (we use none) trips a pytest 9 deprecation warning.
pytestmark = pytest.mark.filterwarnings("ignore:Session-scoped fixtures defined as instance methods")
PROBED = "Connected: wrote, read back and deleted a test object."
KEYS = {"type": "keys", "accessKeyId": "AKIAEXAMPLECONSOLE01", "secretAccessKey": "console-secret"}


def connect_form(page: Page, provider: str, name: str, fields: dict[str, str]) -> None:
    """Fill the connect form the way a user does: pick the provider, then type into each field by its label."""
    page.get_by_role("link", name="Connect a storage").click()
    form = connect(page)
    form.get_by_label(provider, exact=True).check()
    form.get_by_label("Storage name", exact=True).fill(name)
    for label, value in fields.items():
        form.get_by_label(label, exact=True).fill(value)


def connect(page: Page) -> Any:
    return page.get_by_role("form", name="Connect a storage")


def verdict(page: Page) -> Any:
    return page.locator("#connect-result")


def flash(page: Page) -> Any:
    return page.locator("#flash")


def test_sign_in_says_when_the_key_is_wrong_and_keeps_the_right_one_in_this_tab_only(
    open_console: Callable[..., Console],
) -> None:
    tab = open_console()
    page = tab.page
    # Given the console's address, as an admin types it
    page.goto(tab.stack.api + "/console")
    # Then it asks for the API key in a password field, focused
    field = page.get_by_label("API key", exact=True)
    expect(field).to_have_attribute("type", "password")
    expect(field).to_be_focused()
    # When a wrong key is given (Enter, from the keyboard)
    field.fill("rc_wrong_" + "0" * 32)
    field.press("Enter")
    # Then the page says so and keeps nothing
    expect(page.get_by_role("alert")).to_have_text("That API key was not accepted. Check it and try again.")
    assert page.evaluate("sessionStorage.length") == 0
    tab.shoot("sign-in")
    # When the right key is given
    field.fill(KEY)
    field.press("Enter")
    # Then the storages show, and the key is in this tab's sessionStorage only: not in localStorage, a cookie, the URL
    expect(page.get_by_role("heading", name="Storages", exact=True)).to_be_focused()
    assert page.evaluate("Object.values(sessionStorage)") == [KEY]
    assert page.evaluate("localStorage.length") == 0 and page.context.cookies() == []
    assert KEY not in page.url and KEY not in page.content()
    # And signing out forgets it
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key", exact=True)).to_be_visible()
    expect(flash(page)).to_have_text("Signed out. The key was removed from this tab.")
    assert page.evaluate("sessionStorage.length") == 0


def test_connect_an_s3_compatible_bucket_shows_the_providers_reason_then_the_probe_verdict(
    console: Console, seaweed: Any
) -> None:
    # Given a bucket on an S3 server that checks signatures (SeaweedFS)
    seaweed.client().create_bucket(Bucket="console-seaweed")
    page = console.page
    connect_form(
        page,
        "S3-compatible (MinIO, Wasabi, B2…)",
        "seaweed",
        {
            "Bucket": "console-seaweed",
            "Endpoint": seaweed.endpoint,
            "Access key ID": seaweed.access_key,
            "Secret access key": "not-the-secret",
        },
    )
    # When the admin tests the connection with a wrong secret
    page.get_by_role("button", name="Test connection").click()
    # Then the provider's reason is shown, the credentials field is marked, and nothing is saved
    expect(verdict(page)).to_contain_text("Not connected. Nothing was saved.")
    expect(verdict(page)).to_contain_text("SignatureDoesNotMatch")
    expect(connect(page).get_by_label("Secret access key", exact=True)).to_have_attribute("aria-invalid", "true")
    console.shoot("connect-s3-refused")
    assert console.stack.call("GET", "/v1/storage/seaweed")[0] == 404
    # When the right secret is given
    connect(page).get_by_label("Secret access key", exact=True).fill(seaweed.secret_key)
    page.get_by_role("button", name="Test connection").click()
    # Then the verdict says what was tried, on the new storage's page
    expect(flash(page)).to_have_text(PROBED)
    expect(page.get_by_role("heading", name="seaweed", exact=True)).to_be_visible()
    expect(page.locator("#storage-facts")).to_contain_text(f"S3-compatible ({urlsplit(seaweed.endpoint).netloc})")
    console.shoot("storage-connected")
    # When new credentials are tried that the server refuses
    credentials = page.get_by_role("form", name="Update credentials")
    credentials.get_by_label("New access key ID", exact=True).fill(seaweed.access_key)
    credentials.get_by_label("New secret access key", exact=True).fill("still-not-the-secret")
    credentials.get_by_role("button", name="Save").click()
    # Then the reason is shown, the secret field is emptied (write-only), and the old credentials stay in use
    expect(page.locator("#creds-result")).to_contain_text("SignatureDoesNotMatch")
    expect(credentials.get_by_label("New secret access key", exact=True)).to_have_value("")
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "seaweed"}], "wait": 15}
    status, render = console.stack.call("POST", "/v1/renders", body)
    assert status == 200 and render["connections"][0]["status"] == "success", render
    # And good ones are tested and saved
    credentials.get_by_label("New access key ID", exact=True).fill(seaweed.access_key)
    credentials.get_by_label("New secret access key", exact=True).fill(seaweed.secret_key)
    credentials.get_by_role("button", name="Save").click()
    expect(page.locator("#creds-result")).to_have_text(f"{PROBED} The new credentials are saved.")


def test_connect_azure_blob_storage_and_google_cloud_storage(
    console: Console, azure_server: Any, gcs_server: Any, gcs_tokens: Any
) -> None:
    # Given a container on Azurite and a bucket on the GCS emulator
    azure_server.create_container("console-azure")
    gcs_server.create_bucket("console-gcs")
    page = console.page
    fields = {
        "Container": "console-azure",
        "Storage account": azure_server.account_name,
        "Account key": "V3Jvbmcga2V5IGZvciB0ZXN0cw==",
        "Endpoint (optional)": azure_server.endpoint,
    }
    connect_form(page, "Azure Blob Storage", "blobs", fields)
    # When the admin tests it with a wrong account key
    page.get_by_role("button", name="Test connection").click()
    # Then the provider's reason is shown on the key's field, and nothing is saved
    expect(verdict(page)).to_contain_text("Not connected. Nothing was saved.")
    expect(connect(page).get_by_label("Account key", exact=True)).to_have_attribute("aria-invalid", "true")
    assert console.stack.call("GET", "/v1/storage/blobs")[0] == 404
    # When the right key is given, the test passes and the storage shows what it is
    connect(page).get_by_label("Account key", exact=True).fill(azure_server.account_key)
    page.get_by_role("button", name="Test connection").click()
    expect(flash(page)).to_have_text(PROBED)
    expect(page.locator("#storage-facts")).to_contain_text("Azure Blob Storage")
    expect(page.locator("#storage-facts")).to_contain_text("console-azure")
    console.shoot("storage-azure")
    # And a Google Cloud Storage bucket connects with its service account's key file, pasted as it is
    key_file = json.dumps(gcs_tokens.new_key(), indent=2)
    page.get_by_role("link", name="All storages").click()
    fields = {"Bucket": "console-gcs", "Endpoint (optional)": gcs_server.endpoint}
    connect_form(page, "Google Cloud Storage", "cloud", fields)
    connect(page).get_by_label("Service account key (the JSON file's contents)", exact=True).fill(key_file)
    page.get_by_role("button", name="Test connection").click()
    expect(flash(page)).to_have_text(PROBED)
    expect(page.locator("#storage-facts")).to_contain_text("Google Cloud Storage")
    status, saved = console.stack.call("GET", "/v1/storage/cloud")
    assert status == 200 and saved["auth"] == {"type": "serviceAccount"} and "private_key" not in json.dumps(saved)


def test_pause_resume_and_change_the_default_folder(console: Console, bucket: str) -> None:
    page = console.page
    stack = console.stack
    # Given an Amazon S3 bucket connected with keys
    fields = {"Bucket": bucket, "Access key ID": KEYS["accessKeyId"], "Secret access key": KEYS["secretAccessKey"]}
    connect_form(page, "Amazon S3", "main", fields)
    page.get_by_role("button", name="Test connection").click()
    expect(flash(page)).to_have_text(PROBED)
    # When the admin pauses it
    page.get_by_role("button", name="Pause", exact=True).click()
    # Then the page says what pausing means, offers Resume, and the storage is paused
    expect(page.locator("#storage-state-result")).to_have_text("Paused: renders skip this storage until you resume it.")
    expect(page.get_by_role("button", name="Resume", exact=True)).to_be_focused()
    assert stack.call("GET", "/v1/storage/main")[1]["paused"] is True
    page.get_by_role("link", name="Storages", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="main", exact=True))
    expect(row).to_contain_text("paused")
    expect(row).to_contain_text(bucket)
    console.shoot("storages")
    # When it is resumed
    row.get_by_role("link", name="main", exact=True).click()
    page.get_by_role("button", name="Resume", exact=True).click()
    expect(page.locator("#storage-state-result")).to_have_text("Resumed: renders are delivered here again.")
    assert stack.call("GET", "/v1/storage/main")[1]["paused"] is False
    # When the default folder is changed, from the keyboard
    folder = page.get_by_label("Default folder", exact=True)
    folder.fill("console/banners")
    folder.press("Enter")
    # Then new renders go there
    expect(page.locator("#folder-result")).to_have_text("Saved: new renders go to console/banners.")
    assert stack.call("GET", "/v1/storage/main")[1]["prefix"] == "console/banners"
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "main"}], "wait": 15}
    status, render = stack.call("POST", "/v1/renders", body)
    assert status == 200 and render["connections"][0]["path"].startswith("console/banners/"), render


def test_a_render_shows_each_delivered_file_with_its_path(console: Console, bucket: str) -> None:
    stack = console.stack
    # Given a storage and a render delivered to it through the API
    storage = {"provider": "s3", "bucket": bucket, "prefix": "renders", "auth": KEYS}
    assert stack.call("PUT", "/v1/storage/detail", storage)[0] == 200
    # (and one that makes its files public: their objects have a public address)
    assert stack.call("PUT", "/v1/storage/public", storage | {"makePublic": True})[0] == 200
    body = {
        "templateId": "social-card",
        "modifications": {"headline": "From the console test"},
        "connections": [{"provider": "s3", "storage": "detail"}, {"provider": "s3", "storage": "public"}],
        "wait": 15,
    }
    status, render = stack.call("POST", "/v1/renders", body)
    assert status == 200 and [c["status"] for c in render["connections"]] == ["success"] * 2, render
    delivered = render["connections"][0]["files"][0]
    public = render["connections"][1]["files"][0]
    # When the admin looks the render up by its id, from the keyboard
    page = console.go("#deliveries")
    page.get_by_label("Render ID", exact=True).fill(render["id"])
    page.get_by_label("Render ID", exact=True).press("Enter")
    # Then each file's delivery shows: storage, status, path, size, checksum, attempts
    expect(page.get_by_role("heading", name=f"Render {render['id']}")).to_be_visible()
    row = page.locator("#render-body tbody tr").first
    expect(row).to_contain_text("detail (S3)")
    expect(row).to_contain_text("success")
    expect(row).to_contain_text(delivered["path"])
    expect(row).to_contain_text(delivered["checksum"])
    expect(row.locator("td[data-label=Attempts]")).to_have_text("1")
    expect(row.locator("td[data-label=Size]")).to_have_text(f"{delivered['size'] / 1024:.1f} KB")
    # And a private bucket's object has no public link; the rendered file's own (expiring) link is there
    expect(row.locator("td[data-label=Link]")).to_have_text("—")
    link = page.locator("#render-body tbody tr").nth(1).get_by_role("link", name="Open")
    expect(link).to_have_attribute("href", f"https://{bucket}.s3.us-east-1.amazonaws.com/{public['path']}")
    content = render["data"]["content"].split("?")[0]  # signed again on each read
    rendered = page.get_by_role("link", name="Open the rendered file")
    expect(rendered).to_have_attribute("href", re.compile(re.escape(content)))
    console.shoot("render-detail")
    # And an unknown id says so
    console.go("#render=no-such-render")
    expect(page.locator("#render-error")).to_have_text("No render with this ID in this workspace.")


def test_recent_renders_list_their_deliveries_newest_first(console: Console, bucket: str) -> None:
    # Needs GET /v1/renders?limit&cursor and storages' lastDelivery (issue #17, item 3).
    stack = console.stack
    assert stack.call("PUT", "/v1/storage/listed", {"provider": "s3", "bucket": bucket, "auth": KEYS})[0] == 200
    ids = []
    for headline in ("First", "Second"):
        body = {
            "templateId": "social-card",
            "modifications": {"headline": headline},
            "connections": [{"provider": "s3", "storage": "listed"}],
            "wait": 15,
        }
        status, render = stack.call("POST", "/v1/renders", body)
        assert status == 200, render
        ids.append(render["id"])
    path = render["connections"][0]["path"]
    # When the admin opens Deliveries
    page = console.go("#deliveries")
    # Then the newest render comes first, with its delivery's path
    first = page.locator("#deliveries-list article").first
    expect(first.get_by_role("heading")).to_contain_text(ids[1])
    expect(first).to_contain_text(path)
    expect(page.get_by_role("link", name=f"Render {ids[0]}")).to_be_visible()
    console.shoot("deliveries")
    # And the storage shows when it last delivered
    page.get_by_role("link", name="Storages", exact=True).click()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="listed", exact=True))
    expect(row.locator("td[data-label='Last delivery']")).to_contain_text("Delivered")


def test_connect_dropbox_through_its_authorisation_and_come_back(
    open_console: Callable[..., Console], dropbox: FakeDropbox
) -> None:
    tab = open_console()
    tab.foreign_allowed = ("https://www.dropbox.com",)
    page = tab.sign_in()

    def allow(route: Route) -> None:
        # What www.dropbox.com does when the user clicks Allow: back to our redirect URI with a code and the state.
        query = dict(parse_qsl(urlsplit(route.request.url).query))
        code = dropbox.authorize(
            client_id=query["client_id"], code_challenge=query["code_challenge"], redirect_uri=query["redirect_uri"]
        )
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        route.fulfill(status=302, headers={"Location": location})

    page.route(re.compile(r"^https://www\.dropbox\.com/oauth2/authorize\?"), allow)
    # Given the admin picks Dropbox, names the storage and its folder
    connect_form(page, "Dropbox", "box", {"Default folder (optional)": "/Console Renders"})
    # When they click Connect Dropbox and allow access on Dropbox's page
    page.get_by_role("button", name="Connect Dropbox").click()
    # Then the API's page says it worked, and links back to the storage in the console
    expect(page.get_by_role("heading", name="Dropbox connected")).to_be_visible()
    back = page.locator('a[href$="/console/index.html#storage=box"]')
    expect(back, "the callback page links back to the storage in the console").to_be_visible()
    back.click()
    expect(page.get_by_role("heading", name="box", exact=True)).to_be_visible()
    facts = page.locator("#storage-facts")
    expect(facts).to_contain_text("Dropbox")
    expect(facts).to_contain_text("/Console Renders")
    expect(page.get_by_role("button", name="Connect Dropbox")).to_be_visible()  # to give new access later
    # And renders reach it
    body = {"templateId": "social-card", "connections": [{"provider": "dropbox", "storage": "box"}], "wait": 15}
    status, render = tab.stack.call("POST", "/v1/renders", body)
    assert status == 200 and render["connections"][0]["status"] == "success", render
    assert dropbox.read(render["connections"][0]["path"]) is not None


def test_a_role_storage_shows_the_external_id_its_trust_policy_must_require(console: Console, bucket: str) -> None:
    page = console.page
    # Given an Amazon S3 bucket reached through an IAM role
    connect_form(page, "Amazon S3", "through-role", {"Bucket": bucket})
    connect(page).get_by_label("IAM role (we assume it with an ExternalId)", exact=True).check()
    connect(page).get_by_label("Role ARN", exact=True).fill("arn:aws:iam::123456789012:role/render-courier-console")
    # When it is tested while the role's trust policy does not require our ExternalId (the local STS never does)
    page.get_by_role("button", name="Test connection").click()
    # Then the reason is shown, and the workspace's ExternalId, ready to copy into the trust policy
    expect(verdict(page)).to_contain_text("Role ARN: the role can be assumed without this workspace's ExternalId")
    external_id = page.locator("#c-external-id")
    expect(external_id).to_be_visible()
    expect(verdict(page)).to_contain_text(external_id.inner_text())
    expect(page.get_by_role("button", name="Copy ExternalId")).to_be_visible()


def test_a_bucket_policy_storage_shows_the_policy_to_paste_and_is_deleted_only_once_confirmed(
    console: Console, bucket: str
) -> None:
    page = console.page
    stack = console.stack
    # Given an Amazon S3 bucket that grants our writer role by its bucket policy
    connect_form(page, "Amazon S3", "by-policy", {"Bucket": bucket, "Default folder (optional)": "in"})
    connect(page).get_by_label("Bucket policy (nothing secret is stored)", exact=True).check()
    page.get_by_role("button", name="Test connection").click()
    # Then the exact policy to paste is shown, as the API answers it
    expect(flash(page)).to_contain_text("Paste the bucket policy below")
    policy = stack.call("GET", "/v1/storage/by-policy")[1]["auth"]["bucketPolicy"]
    expect(page.locator("#storage-access pre")).to_have_text(_json(policy))
    expect(page.get_by_role("button", name="Copy policy")).to_be_visible()
    expect(page.get_by_role("form", name="Update credentials")).to_be_hidden()
    console.shoot("storage-bucket-policy")
    # When Delete is clicked, a confirmation asks first (focus on Cancel), and Cancel keeps the storage
    page.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_contain_text("Delete storage “by-policy”?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert stack.call("GET", "/v1/storage/by-policy")[0] == 200
    # When it is confirmed
    page.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("button", name="Yes, delete").click()
    # Then the storage is gone
    expect(flash(page)).to_have_text("Storage “by-policy” deleted.")
    expect(page.get_by_role("link", name="by-policy", exact=True)).to_have_count(0)
    assert stack.call("GET", "/v1/storage/by-policy")[0] == 404


def test_set_the_webhook_and_rotate_its_secret_which_is_shown_once(console: Console) -> None:
    page = console.go("#webhook")
    stack = console.stack
    form = page.get_by_role("form", name="Default URL")
    secret = page.get_by_role("form", name="Signing secret")
    url = form.get_by_label("Webhook URL", exact=True)
    # Given a webhook URL with a token in its query (the local stack accepts 127.0.0.1; nothing listens on port 9)
    url.fill("https://127.0.0.1:9/hooks/courier?token=console-token")
    form.get_by_label("render.failed", exact=True).uncheck()
    # When it is saved before any signing secret exists, the page says to create one first
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#webhook-result")).to_contain_text("Signing secret: create it first (below).")
    # When the secret is created
    secret.get_by_role("button", name="Create secret").click()
    shown = page.locator("#secret-value")
    expect(shown).to_have_text(re.compile(r"^whsec_[A-Za-z0-9+/=]{20,}$"))
    expect(page.locator("#secret-result")).to_have_text("Created. Events are signed with it from now on.")
    first = shown.inner_text()
    # Then the URL saves, its query never shown again
    form.get_by_role("button", name="Save").click()
    expect(page.locator("#webhook-result")).to_have_text("Saved: renders without their own webhook report here.")
    expect(url).to_have_value("https://127.0.0.1:9/hooks/courier")
    assert stack.call("GET", "/v1/webhook")[1]["events"] == ["render.delivered"]
    assert "console-token" not in page.content()
    # When the secret is rotated, the new one is shown once and the old one's overlap is said
    secret.get_by_role("button", name="Rotate secret").click()
    expect(page.locator("#secret-result")).to_contain_text("Rotated. The previous secret still verifies events until")
    expect(shown).not_to_have_text(first)
    expect(shown).to_have_text(re.compile(r"^whsec_"))
    expect(page.get_by_role("button", name="Copy secret")).to_be_visible()
    expect(page.locator("#secret-state")).to_contain_text("The previous secret still verifies events until")
    second = shown.inner_text()
    # And the last events' outcomes show (a render with no storage is final at once; its webhook cannot connect)
    status, render = stack.call("POST", "/v1/renders", {"templateId": "social-card", "connections": []})
    assert status == 200, render
    deadline = time.monotonic() + 20
    while not stack.call("GET", "/v1/webhook")[1]["recent"] and time.monotonic() < deadline:
        time.sleep(0.3)
    console.shoot("webhook-secret-shown")
    page.get_by_role("link", name="Storages", exact=True).click()
    page.get_by_role("link", name="Webhook", exact=True).click()
    expect(page.get_by_role("link", name=render["id"])).to_be_visible()
    console.shoot("webhook")
    # And once the page is left, the secret is not shown again
    expect(page.locator("#secret-shown")).to_be_hidden()
    assert first not in page.content() and second not in page.content()
    # And removing the URL stops the events
    page.get_by_role("button", name="Remove URL").click()
    expect(page.locator("#webhook-result")).to_contain_text("Removed")
    assert stack.call("GET", "/v1/webhook")[1]["url"] is None


def test_the_console_reads_on_a_360_pixel_screen(open_console: Callable[..., Console], stack: Stack) -> None:
    # Given a storage with a long folder name and a render
    stack.s3().create_bucket(Bucket="console-phone-with-a-long-bucket-name")
    storage = {
        "provider": "s3",
        "bucket": "console-phone-with-a-long-bucket-name",
        "prefix": "marketing/campaigns/2026/spring-launch",
        "auth": KEYS,
    }
    assert stack.call("PUT", "/v1/storage/phone", storage)[0] == 200
    body = {"templateId": "social-card", "connections": [{"provider": "s3", "storage": "phone"}], "wait": 15}
    render = stack.call("POST", "/v1/renders", body)[1]
    tab = open_console(PHONE)
    page = tab.sign_in()
    # When each view is opened on a 360 px wide screen, then nothing is wider than the screen
    for view, heading in (
        ("#storages", "Storages"),
        ("#connect", "Connect a storage"),
        ("#storage=phone", "phone"),
        (f"#render={render['id']}", f"Render {render['id']}"),
        ("#webhook", "Webhook"),
    ):
        tab.go(view)
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{view} is {width} px wide"
        if view == "#storages":
            tab.shoot("storages-360", full_page=False)
        if view.startswith("#render="):
            expect(page.locator("#render-body td[data-label=Path]").first).to_contain_text("marketing/campaigns")


def test_the_page_runs_under_a_csp_that_refuses_inline_script(open_console: Callable[..., Console]) -> None:
    tab = open_console()
    page = tab.page
    # Given the console as served
    response = page.goto(tab.stack.api + "/console/index.html")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    # When something injects an inline script (what an XSS would do)
    directive = page.evaluate(
        """() => new Promise(resolve => {
            document.addEventListener("securitypolicyviolation", e => resolve(e.effectiveDirective), {once: true});
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.append(script);
        })"""
    )
    # Then the browser refuses it, and the watch every test runs under sees the violation
    assert directive.startswith("script-src") and page.evaluate("window.injected") is None
    for _ in range(50):
        if any("Content Security Policy" in problem for problem in tab.problems):
            break
        page.wait_for_timeout(20)
    assert any("Content Security Policy" in problem for problem in tab.problems), tab.problems
    tab.problems.clear()  # caused on purpose


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)  # as JSON.stringify(value, null, 2) writes it
