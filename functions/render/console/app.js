/* Render Courier console: a static page over the public API (no build step, no dependency).
 * Security: the API key lives in sessionStorage only and goes out only as the Bearer header; every value from the API
 * is written with textContent or as an attribute (never as HTML); links are http(s) only; no inline script or style,
 * so the page runs under the strict Content-Security-Policy the API serves it with. */
"use strict";

(() => {
  const KEY_NAME = "renderCourier.apiKey";
  // The API's own origin and path prefix (a stage path, if any): the console lives under <prefix>/console/.
  const BASE = location.pathname.slice(0, Math.max(0, location.pathname.lastIndexOf("/console/")));
  const PROBED = "Connected: wrote, read back and deleted a test object.";
  const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
  const state = { storages: [], storagesLoaded: false, externalId: null, cursor: null, poll: 0, storage: null,
    webhook: null, flash: null };
  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ DOM helpers (text only, never HTML)

  function el(tag, props, ...kids) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "text") node.textContent = String(value);
      else if (name === "class") node.className = value;
      else if (name === "href") node.setAttribute("href", safeHref(value));
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const kid of kids.flat(Infinity)) {
      if (kid !== null && kid !== undefined && kid !== false) node.append(kid instanceof Node ? kid : String(kid));
    }
    return node;
  }

  function safeHref(value) {
    const href = String(value);
    if (href.startsWith("#")) return href;
    try {
      const url = new URL(href, location.href);
      return url.protocol === "https:" || url.protocol === "http:" ? url.href : "#";
    } catch {
      return "#";
    }
  }

  function say(node, text) {
    node.textContent = text || "";
    node.hidden = !text;
  }

  function result(node, kind, title, items) {
    node.className = `result ${kind}`;
    node.replaceChildren(el(kind === "busy" ? "span" : "strong", { text: title }));
    if (items && items.length) node.append(el("ul", {}, items.map((item) => el("li", { text: item }))));
    node.hidden = false;
  }

  function badge(status) {
    return el("span", { class: `badge ${status}`, text: String(status).replace("_", " ") });
  }

  function cell(label, ...kids) {
    return el("td", { "data-label": label, class: NOWRAP.has(label) ? "num" : null }, kids.length ? kids : "—");
  }
  const NOWRAP = new Set(["Page", "Size", "Attempts", "Link"]);

  function when(iso) {
    if (!iso) return "—";
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return String(iso);
    return date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  }

  function size(bytes) {
    if (bytes === null || bytes === undefined) return "—";
    if (bytes < 1024) return `${bytes} B`;
    return bytes < 1048576 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1048576).toFixed(1)} MB`;
  }

  // Show the elements whose data-<attr> lists `value` (space-separated), hide the others.
  function showMatching(container, attr, value) {
    for (const node of container.querySelectorAll(`[data-${attr}]`)) {
      node.hidden = !node.dataset[attr].split(" ").includes(value);
    }
  }

  function factItems(facts) {
    return facts.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", { text: k }), el("dd", {}, v)]);
  }

  function external(href, text) {
    return el("a", { href, rel: "noopener noreferrer", target: "_blank", text });
  }

  function copyButton(source, label) {
    const button = el("button", { type: "button", class: "secondary small", text: label });
    const note = el("span", { class: "hint", role: "status", "aria-live": "polite" });
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent);
        note.textContent = "Copied.";
      } catch {
        const range = document.createRange();
        range.selectNodeContents(source);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        note.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
      }
      setTimeout(() => { note.textContent = ""; }, 4000);
    });
    return [button, note];
  }

  function withCopy(container, source, label) {
    container.querySelector(".copy-row").replaceChildren(source, ...copyButton(source, label));
  }

  // ------------------------------------------------------------------ API

  class ApiFailure extends Error {
    constructor(status, message, details) {
      super(message);
      this.status = status;
      this.details = details;
    }
  }

  const apiKey = () => sessionStorage.getItem(KEY_NAME);

  async function api(method, path, body, key = apiKey()) {
    const init = { method, cache: "no-store", credentials: "omit", headers: { Accept: "application/json" } };
    init.headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(BASE + path, init);
    } catch {
      throw new ApiFailure(0, "The API could not be reached. Check the connection and try again.", []);
    }
    const raw = await response.text();
    let data = null;
    try {
      data = raw ? JSON.parse(raw) : null;
    } catch {
      data = null;
    }
    if (response.ok) return data;
    const error = (data && data.error) || {};
    if (response.status === 401 && key && key === apiKey()) {
      signOut("The API key is no longer accepted. Sign in again.");
    }
    throw new ApiFailure(response.status, error.message || `The API answered ${response.status}.`,
      Array.isArray(error.details) ? error.details : []);
  }

  const LABELS = {
    name: "Storage name", bucket: "Bucket", endpoint: "Endpoint", region: "Region", accountId: "Account ID",
    jurisdiction: "Jurisdiction", prefix: "Default folder", folder: "Default folder", pattern: "Naming pattern",
    auth: "Credentials", "auth.type": "Sign-in method", "auth.accessKeyId": "Access key ID",
    "auth.secretAccessKey": "Secret access key", "auth.roleArn": "Role ARN", refreshToken: "Dropbox access",
    container: "Container", "auth.accountName": "Storage account", "auth.accountKey": "Account key",
    "auth.credentials": "Service account key",
    accessToken: "Dropbox access", url: "Webhook URL", events: "Events", graceHours: "Hours",
  };

  const field = (detail) => String(detail.field || "").replace(/^body\./, "");

  function reasons(failure) {
    if (!failure.details || !failure.details.length) return [failure.message];
    return failure.details.map((d) => `${LABELS[field(d)] || field(d) || "Request"}: ${d.message}`);
  }

  function markInvalid(form, inputs, fields) {
    for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
    const marked = fields.map((f) => inputs[f]).filter(Boolean).map((id) => $(id));
    for (const input of marked) input.setAttribute("aria-invalid", "true");
    return marked;
  }

  // ------------------------------------------------------------------ routing

  const VIEWS = {
    signin: ["Sign in", () => {}],
    storages: ["Storages", showStorages],
    connect: ["Connect a storage", showConnect],
    storage: ["Storage", showStorage],
    deliveries: ["Deliveries", () => showDeliveries(false)],
    render: ["Render", showRender],
    webhook: ["Webhook", showWebhook],
  };
  const SECTION_OF = { connect: "storages", storage: "storages", render: "deliveries" };

  function route() {
    clearTimeout(state.poll);
    const signedIn = Boolean(apiKey());
    const [hashName, ...rest] = location.hash.slice(1).split("=");
    let arg = rest.join("=");
    try {
      arg = decodeURIComponent(arg);
    } catch {
      arg = "";
    }
    const view = !signedIn ? "signin" : hashName in VIEWS && hashName !== "signin" ? hashName : "storages";
    $("nav").hidden = !signedIn;
    for (const link of $("nav").querySelectorAll("a")) {
      if (link.getAttribute("href") === `#${SECTION_OF[view] || view}`) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    for (const section of document.querySelectorAll("main > section")) section.hidden = section.id !== `view-${view}`;
    const flash = $("flash");
    if (state.flash) {
      flash.className = `flash ${state.flash.kind}`;
      say(flash, state.flash.text);
      state.flash = null;
    } else {
      say(flash, "");
    }
    document.title = `${VIEWS[view][0]} · Render Courier console`;
    const section = $(`view-${view}`);
    (view === "signin" ? $("api-key") : section.querySelector("h1")).focus();
    Promise.resolve(VIEWS[view][1](arg)).catch((failure) => {
      if (failure.status === 401) return;
      state.flash = null;
      flash.className = "flash bad";
      say(flash, failure.message || String(failure));
    });
  }

  function go(hash, flash) {
    state.flash = flash || null;
    if (location.hash === hash) route();
    else location.hash = hash;
  }

  // ------------------------------------------------------------------ sign in / out

  async function signIn(event) {
    event.preventDefault();
    const input = $("api-key");
    const key = input.value.trim();
    const error = $("signin-error");
    if (!key) {
      say(error, "Enter your API key.");
      input.focus();
      return;
    }
    try {
      await api("GET", "/v1/storage", undefined, key);
    } catch (failure) {
      say(error, failure.status === 401 ? "That API key was not accepted. Check it and try again." : failure.message);
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    input.value = "";
    input.removeAttribute("aria-invalid");
    say(error, "");
    sessionStorage.setItem(KEY_NAME, key);
    route();
  }

  function signOut(message) {
    sessionStorage.removeItem(KEY_NAME);
    Object.assign(state, { storages: [], storagesLoaded: false, externalId: null, storage: null, webhook: null });
    state.flash = { kind: message ? "bad" : "ok", text: message || "Signed out. The key was removed from this tab." };
    route();
  }

  // ------------------------------------------------------------------ storages

  const statusOf = (s) => (!s.enabled ? "disabled" : s.paused ? "paused" : "active");

  function providerName(s) {
    if (s.provider === "dropbox") return "Dropbox";
    if (s.provider === "r2") return "Cloudflare R2";
    if (s.provider === "azure") return "Azure Blob Storage";
    if (s.provider === "gcs") return "Google Cloud Storage";
    if (s.endpoint) {
      try {
        return `S3-compatible (${new URL(s.endpoint).host})`;
      } catch {
        return "S3-compatible";
      }
    }
    return "Amazon S3";
  }

  function lastDelivery(s) {
    if (!("lastDelivery" in s)) return "—";
    const last = s.lastDelivery;
    if (!last) return "None yet";
    const word = last.status === "success" ? "Delivered" : last.status === "error" ? "Failed" : last.status;
    return `${word} ${when(last.at)}${last.error ? `: ${last.error}` : ""}`;
  }

  async function loadStorages() {
    const all = [];
    let cursor = null;
    for (let page = 0; page < 20; page += 1) {
      const answer = await api("GET", `/v1/storage${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`);
      all.push(...answer.storages);
      cursor = answer.nextCursor;
      if (!cursor) break;
    }
    state.storages = all;
    state.storagesLoaded = true;
    const role = all.find((s) => s.auth && s.auth.externalId);
    if (role) state.externalId = role.auth.externalId;
    return all;
  }

  async function ensureStorages(fresh = false) {
    if (state.storagesLoaded && !fresh) return;
    try {
      await loadStorages();
    } catch (failure) {
      if (failure.status === 401) throw failure;
    }
  }

  async function showStorages() {
    const table = $("storages-table");
    say($("storages-error"), "");
    let storages;
    try {
      storages = await loadStorages();
    } catch (failure) {
      say($("storages-error"), failure.message);
      return;
    }
    table.tBodies[0].replaceChildren(...storages.map((s) => el("tr", {},
      cell("Name", el("a", { href: `#storage=${encodeURIComponent(s.name)}`, text: s.name })),
      cell("Provider", providerName(s)),
      cell("Bucket", s.bucket || "—"),
      cell("Folder", s.prefix || "—"),
      cell("Status", badge(statusOf(s))),
      cell("Last delivery", lastDelivery(s)),
    )));
    table.hidden = !storages.length;
    $("storages-empty").hidden = Boolean(storages.length);
  }

  // ------------------------------------------------------------------ connect

  const CONNECT_INPUTS = {
    name: "c-name", bucket: "c-bucket", endpoint: "c-endpoint", region: "c-region", accountId: "c-account",
    prefix: "c-folder", folder: "c-folder", auth: "c-secret", "auth.accessKeyId": "c-key-id",
    "auth.secretAccessKey": "c-secret", "auth.roleArn": "c-role", container: "c-container",
    "auth.accountName": "c-az-account", "auth.accountKey": "c-az-key", "auth.credentials": "c-gcs-key",
  };
  // A probe's verdict names "auth": the provider's own credentials field.
  const connectInputs = (provider) => ({
    ...CONNECT_INPUTS, auth: { azure: "c-az-key", gcs: "c-gcs-key" }[provider] || "c-secret" });
  const OWN_AUTH = new Set(["dropbox", "azure", "gcs"]); // not the S3 sign-in choices

  const choice = (form, name) => form.elements.namedItem(name).value;
  const value = (id) => $(id).value.trim();

  function syncConnect() {
    const form = $("connect-form");
    const provider = choice(form, "provider");
    const auth = provider === "s3" ? choice(form, "auth") : "keys";
    showMatching(form, "for", provider);
    showMatching(form, "auth", OWN_AUTH.has(provider) ? "" : auth);
    $("c-folder").placeholder = provider === "dropbox" ? "/Renders" : "renders/2026";
    $("c-endpoint-label").textContent = provider === "s3c" ? "Endpoint" : "Endpoint (optional)";
    $("c-endpoint").placeholder = { azure: "https://<account>.blob.core.windows.net", gcs: "https://storage.googleapis.com" }[
      provider] || "https://s3.example.com";
    const known = state.externalId;
    $("c-external").hidden = !known;
    $("c-external-unknown").hidden = Boolean(known);
    if (known && $("c-external-id").textContent !== known) {
      $("c-external-id").textContent = known;
      withCopy($("c-external"), $("c-external-id"), "Copy ExternalId");
    }
  }

  async function showConnect() {
    $("connect-result").hidden = true;
    syncConnect();
    await ensureStorages();
    syncConnect();
  }

  function keyFile() {
    try {
      const parsed = JSON.parse($("c-gcs-key").value);
      return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : null;
    } catch {
      return null;
    }
  }

  function connectBody(provider, auth) {
    if (provider === "azure" || provider === "gcs") {
      const body = provider === "azure"
        ? { provider, container: value("c-container"),
          auth: { type: "key", accountName: value("c-az-account"), accountKey: $("c-az-key").value } }
        : { provider, bucket: value("c-bucket"), auth: { type: "serviceAccount", credentials: keyFile() } };
      if (value("c-endpoint")) body.endpoint = value("c-endpoint");
      if (value("c-folder")) body.prefix = value("c-folder");
      return body;
    }
    const body = { provider: provider === "r2" ? "r2" : "s3", bucket: value("c-bucket") };
    if (provider !== "r2" && value("c-region")) body.region = value("c-region");
    if (provider === "s3c") body.endpoint = value("c-endpoint");
    if (provider === "r2") {
      body.accountId = value("c-account").toLowerCase();
      if ($("c-jurisdiction").value) body.jurisdiction = $("c-jurisdiction").value;
    }
    if (value("c-folder")) body.prefix = value("c-folder");
    if (auth === "keys") {
      body.auth = { type: "keys", accessKeyId: value("c-key-id"), secretAccessKey: $("c-secret").value };
    }
    else if (auth === "role") body.auth = { type: "role", roleArn: value("c-role") };
    else body.auth = { type: "policy" };
    return body;
  }

  function missingConnectFields(provider, auth) {
    const missing = [];
    if (!NAME.test(value("c-name"))) missing.push("name");
    if (provider === "dropbox") return missing;
    if (provider === "azure") {
      if (!value("c-container")) missing.push("container");
      if (!/^[a-z0-9]{3,24}$/.test(value("c-az-account"))) missing.push("auth.accountName");
      if (!$("c-az-key").value) missing.push("auth.accountKey");
      return missing;
    }
    if (!value("c-bucket")) missing.push("bucket");
    if (provider === "gcs") {
      if (!keyFile()) missing.push("auth.credentials");
      return missing;
    }
    if (provider === "s3c" && !value("c-endpoint")) missing.push("endpoint");
    if (provider === "r2" && !/^[0-9a-fA-F]{32}$/.test(value("c-account"))) missing.push("accountId");
    if (auth === "keys" && !value("c-key-id")) missing.push("auth.accessKeyId");
    if (auth === "keys" && !$("c-secret").value) missing.push("auth.secretAccessKey");
    if (auth === "role" && !value("c-role")) missing.push("auth.roleArn");
    return missing;
  }

  async function connect(event) {
    event.preventDefault();
    const form = $("connect-form");
    const out = $("connect-result");
    const provider = choice(form, "provider");
    const auth = provider === "s3" ? choice(form, "auth") : "keys";
    const name = value("c-name");
    const missing = missingConnectFields(provider, auth);
    if (missing.length) {
      const hints = { name: "Storage name: letters, digits, - and _ (up to 63), starting with a letter or digit",
        accountId: "Account ID: the 32 hex characters of your Cloudflare account ID",
        "auth.accountName": "Storage account: 3 to 24 lowercase letters and digits",
        "auth.credentials": "Service account key: paste the whole JSON key file" };
      result(out, "bad", "Check these fields.", missing.map((f) => hints[f] || `${LABELS[f]}: required`));
      markInvalid(form, connectInputs(provider), missing)[0].focus();
      return;
    }
    markInvalid(form, connectInputs(provider), []);
    await ensureStorages();
    if (state.storages.some((s) => s.name === name)) {
      result(out, "bad", `A storage named “${name}” already exists.`, [
        "Choose another name, or open that storage to update its credentials or folder."]);
      markInvalid(form, connectInputs(provider), ["name"])[0].focus();
      return;
    }
    const buttons = form.querySelectorAll("button[type=submit]");
    for (const button of buttons) button.disabled = true;
    try {
      if (provider === "dropbox") {
        result(out, "busy", "Asking Dropbox for an authorisation link…");
        await authorizeDropbox(name, value("c-folder"));
        return;
      }
      result(out, "busy", "Testing the connection: writing, reading back and deleting a test object…");
      const storage = await api("PUT", `/v1/storage/${encodeURIComponent(name)}`, connectBody(provider, auth));
      for (const secret of ["c-secret", "c-az-key", "c-gcs-key"]) $(secret).value = "";
      state.storagesLoaded = false;
      const text = storage.auth.type === "policy"
        ? "Saved. Paste the bucket policy below into the bucket's policy: the first delivery shows whether it works."
        : PROBED;
      go(`#storage=${encodeURIComponent(name)}`, { kind: "ok", text });
    } catch (failure) {
      if (failure.status === 401) return;
      const found = failure.details.map((d) => /sts:ExternalId\W+([\w+=,.@:/-]{2,})/.exec(d.message)).find(Boolean);
      if (found) {
        state.externalId = found[1];
        syncConnect();
      }
      result(out, "bad", failure.status === 422 ? "Not connected. Nothing was saved." : "Not saved.", reasons(failure));
      const marked = markInvalid(form, connectInputs(provider), failure.details.map(field));
      if (marked.length) marked[0].focus();
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  async function authorizeDropbox(name, folder) {
    const path = `/v1/storage/${encodeURIComponent(name)}/dropbox/authorize`;
    const answer = await api("POST", path, folder ? { folder } : {});
    if (safeHref(answer.authorizeUrl) === "#") {
      throw new ApiFailure(0, "The API answered an unusable Dropbox link.", []);
    }
    location.assign(answer.authorizeUrl);
  }

  // ------------------------------------------------------------------ one storage

  async function showStorage(name) {
    $("storage-title").textContent = name || "Storage";
    $("storage-body").hidden = true;
    say($("storage-error"), "");
    for (const id of ["storage-state-result", "folder-result", "creds-result", "delete-result"]) $(id).hidden = true;
    $("delete-confirm").hidden = true;
    $("storage-delete").parentElement.hidden = false;
    $("creds-form").reset();
    try {
      fillStorage(await api("GET", `/v1/storage/${encodeURIComponent(name)}`));
    } catch (failure) {
      const missing = `There is no storage named “${name}” in this workspace.`;
      say($("storage-error"), failure.status === 404 ? missing : failure.message);
      return;
    }
    $("storage-body").hidden = false;
  }

  function fillStorage(s) {
    state.storage = s;
    state.storagesLoaded = false;
    const authWords = {
      keys: "Access keys", role: "IAM role", policy: "Bucket policy", dropbox: "Dropbox authorisation",
      key: "Account key", sas: "SAS token", connectionString: "Connection string", serviceAccount: "Service account key",
      hmac: "HMAC keys" };
    const facts = [
      ["Provider", providerName(s)], ["Bucket", s.bucket], ["Container", s.container],
      ["Storage account", s.accountName], ["Region", s.provider === "s3" ? s.region : null],
      ["Endpoint", s.endpoint], ["Account ID", s.accountId], ["Jurisdiction", s.jurisdiction],
      ["Default folder", s.prefix || "(none)"], ["Status", badge(statusOf(s))], ["Sign-in", authWords[s.auth.type]],
      ["Last delivery", lastDelivery(s)], ["Connected", when(s.createdAt)], ["Updated", when(s.updatedAt)],
    ];
    $("storage-facts").replaceChildren(...factItems(facts));
    $("storage-access").replaceChildren(...accessPanel(s));
    $("storage-pause").textContent = s.paused ? "Resume" : "Pause";
    $("storage-enable").textContent = s.enabled ? "Disable" : "Enable";
    say($("storage-state-hint"), s.paused
      ? "Paused: renders skip this storage (status skipped) until you resume. Nothing is disconnected."
      : s.enabled
        ? "Active: renders that name no connection are delivered here."
        : "Disabled: renders are not delivered here.");
    $("s-folder").value = s.prefix || "";
    const kind = s.provider === "dropbox" ? "dropbox" : s.auth.type;
    // Policy: nothing secret is stored (the bucket's own policy is the credential). Azure and GCS: new credentials
    // are given by saving the storage again through the API.
    $("creds-form").hidden = kind === "policy" || s.provider === "azure" || s.provider === "gcs";
    showMatching($("creds-form"), "creds", kind);
  }

  function accessPanel(s) {
    if (s.auth.type === "role" && s.auth.externalId) {
      state.externalId = s.auth.externalId;
      const box = el("div", { class: "copybox" },
        el("p", { text: `We assume ${s.auth.roleArn || "your role"} with this ExternalId; `
          + "its trust policy must require it:" }),
        el("div", { class: "copy-row" }));
      withCopy(box, el("code", { text: s.auth.externalId }), "Copy ExternalId");
      return [box];
    }
    if (s.auth.type === "policy" && s.auth.bucketPolicy) {
      const box = el("div", { class: "copybox" },
        el("p", { text: "Paste this policy into the bucket's Permissions → Bucket policy "
          + "(merge it with any statements already there):" }),
        el("div", { class: "copy-row" }));
      withCopy(box, el("pre", { text: JSON.stringify(s.auth.bucketPolicy, null, 2) }), "Copy policy");
      return [box];
    }
    return [];
  }

  async function patchStorage(body, out, busy, done) {
    const s = state.storage;
    result(out, "busy", busy);
    try {
      fillStorage(await api("PATCH", `/v1/storage/${encodeURIComponent(s.name)}`, body));
      result(out, "ok", typeof done === "function" ? done(state.storage) : done);
      return true;
    } catch (failure) {
      if (failure.status !== 401) {
        result(out, "bad", failure.status === 422 ? "Not saved." : "Not changed.", reasons(failure));
      }
      return false;
    }
  }

  async function togglePause(event) {
    const button = event.currentTarget;
    const paused = !state.storage.paused;
    button.disabled = true;
    await patchStorage({ paused }, $("storage-state-result"), paused ? "Pausing…" : "Resuming…", paused
      ? "Paused: renders skip this storage until you resume it."
      : "Resumed: renders are delivered here again.");
    button.disabled = false;
    button.focus(); // disabling it dropped the focus: give it back to the keyboard user
  }

  async function toggleEnabled(event) {
    const button = event.currentTarget;
    const enabled = !state.storage.enabled;
    button.disabled = true;
    await patchStorage({ enabled }, $("storage-state-result"), enabled ? "Enabling…" : "Disabling…", enabled
      ? "Enabled." : "Disabled: renders are not delivered here until you enable it.");
    button.disabled = false;
    button.focus();
  }

  async function saveFolder(event) {
    event.preventDefault();
    await patchStorage({ folder: value("s-folder") }, $("folder-result"), "Saving…", (s) => (s.prefix
      ? `Saved: new renders go to ${s.prefix}.`
      : "Saved: new renders go to the top of the storage."));
  }

  async function saveCredentials(event) {
    event.preventDefault();
    const s = state.storage;
    const out = $("creds-result");
    if (s.provider === "dropbox") {
      result(out, "busy", "Asking Dropbox for an authorisation link…");
      try {
        await authorizeDropbox(s.name, s.prefix || "");
      } catch (failure) {
        if (failure.status !== 401) result(out, "bad", "Dropbox could not be reached.", reasons(failure));
      }
      return;
    }
    const auth = s.auth.type === "role"
      ? { type: "role", roleArn: value("u-role") }
      : { type: "keys", accessKeyId: value("u-key-id"), secretAccessKey: $("u-secret").value };
    const missing = s.auth.type === "role" ? (!auth.roleArn ? ["auth.roleArn"] : [])
      : [!auth.accessKeyId && "auth.accessKeyId", !auth.secretAccessKey && "auth.secretAccessKey"].filter(Boolean);
    const inputs = {
      "auth.accessKeyId": "u-key-id", "auth.secretAccessKey": "u-secret", auth: "u-secret", "auth.roleArn": "u-role" };
    if (missing.length) {
      result(out, "bad", "Some fields need a value.", missing.map((f) => `${LABELS[f]}: required`));
      markInvalid($("creds-form"), inputs, missing)[0].focus();
      return;
    }
    markInvalid($("creds-form"), inputs, []);
    const busy = "Testing the new credentials: writing, reading back and deleting a test object…";
    const saved = await patchStorage({ auth }, out, busy, `${PROBED} The new credentials are saved.`);
    $("u-secret").value = "";
    if (saved) $("creds-form").reset();
  }

  function askDelete() {
    $("delete-question").textContent = `Delete storage “${state.storage.name}”? `
      + "Renders stop being delivered to it; its credentials are forgotten.";
    $("storage-delete").parentElement.hidden = true;
    $("delete-confirm").hidden = false;
    $("delete-no").focus();
  }

  function cancelDelete() {
    $("delete-confirm").hidden = true;
    $("storage-delete").parentElement.hidden = false;
    $("storage-delete").focus();
  }

  async function confirmDelete() {
    const name = state.storage.name;
    try {
      await api("DELETE", `/v1/storage/${encodeURIComponent(name)}`);
    } catch (failure) {
      if (failure.status !== 401) say($("delete-result"), `Not deleted: ${failure.message}`);
      return;
    }
    state.storagesLoaded = false;
    go("#storages", { kind: "ok", text: `Storage “${name}” deleted.` });
  }

  // ------------------------------------------------------------------ deliveries

  function providerWord(provider) {
    return { s3: "S3", r2: "R2", dropbox: "Dropbox", url: "Presigned URL", azure: "Azure", gcs: "GCS" }[provider]
      || provider;
  }

  // A link to the delivered object only where the provider gives one anyone can open: an Amazon S3 storage that
  // makes its files public. Dropbox, R2 and private buckets have none (their files are reached with their own tools).
  function objectLink(connection, file) {
    if (connection.provider !== "s3" || !connection.storage || file.status !== "success" || !file.path) return null;
    const s = state.storages.find((x) => x.name === connection.storage);
    if (!s || s.endpoint || !s.bucket || !(s.options && s.options.makePublic)) return null;
    const key = String(file.path).split("/").map(encodeURIComponent).join("/");
    const region = s.region || "us-east-1";
    return s.bucket.includes(".") // a dotted name does not match the wildcard certificate: path style
      ? `https://s3.${region}.amazonaws.com/${s.bucket}/${key}`
      : `https://${s.bucket}.s3.${region}.amazonaws.com/${key}`;
  }

  function deliveryRows(render) {
    const rows = [];
    for (const c of render.connections || []) {
      const files = c.files && c.files.length ? c.files : [{
        page: null, status: c.status, error: c.error, attempts: null,
        path: Array.isArray(c.path) ? c.path.map((p) => p.path).filter(Boolean).join(", ") : c.path,
      }];
      for (const file of files) rows.push([c, file]);
    }
    return rows;
  }

  function deliveryTable(render, detailed) {
    const rows = deliveryRows(render);
    if (!rows.length) {
      return el("p", { class: "hint", text: "No delivery: the render named no storage and none was active." });
    }
    const heads = ["Storage", "Page", "Status", "Path", "Size", "Checksum", "Attempts", "Error"];
    if (detailed) heads.push("Delivered", "Link");
    return el("table", { class: "stack" },
      el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, rows.map(([c, f]) => {
        const checksum = f.checksum && !detailed ? `${f.checksum.slice(0, 15)}…${f.checksum.slice(-4)}` : f.checksum;
        const link = detailed ? objectLink(c, f) : null;
        return el("tr", {},
          cell("Storage", c.storage ? `${c.storage} (${providerWord(c.provider)})` : providerWord(c.provider)),
          cell("Page", f.page === null || f.page === undefined ? "—" : String(f.page)),
          cell("Status", badge(f.status)),
          cell("Path", f.path ? el("code", { text: f.path }) : "—"),
          cell("Size", size(f.size)),
          cell("Checksum", checksum ? el("code", { text: checksum, title: f.checksum }) : "—"),
          cell("Attempts", f.attempts === null || f.attempts === undefined ? "—" : String(f.attempts)),
          cell("Error", f.error || "—"),
          detailed ? cell("Delivered", when(f.deliveredAt)) : null,
          detailed ? cell("Link", link ? external(link, "Open") : "—") : null,
        );
      })));
  }

  function renderMeta(r) {
    // A multi-page render carries format, totalPages and responseTime beside its list of pages (API.md's shape).
    const pages = r.totalPages ? `${r.totalPages} pages` : "1 page";
    const format = r.format || (r.data && r.data.format);
    const took = r.responseTime || (r.data && r.data.responseTime);
    const parts = [r.createdAt ? when(r.createdAt) : null, format ? String(format).toUpperCase() : null, pages,
      took ? `rendered in ${took}` : null];
    if (r.webhook) parts.push(`webhook ${r.webhook.status}`);
    return parts.filter(Boolean).join(" · ");
  }

  function warningsOf(r) {
    if (!r.warnings || !r.warnings.length) return null;
    const text = (w) => (w.details ? `${w.title}: ${w.details}` : w.title);
    return el("ul", { class: "error" }, r.warnings.map((w) => el("li", { text: text(w) })));
  }

  function webhookWords(w) {
    return `${w.status}, ${w.attempts} attempt(s)${w.lastError ? `: ${w.lastError}` : ""}`;
  }

  function renderCard(r) {
    return el("article", { class: "render" },
      el("h2", {}, el("a", { href: `#render=${encodeURIComponent(r.id)}`, text: `Render ${r.id}` }), badge(r.status)),
      el("p", { class: "meta", text: renderMeta(r) }),
      warningsOf(r),
      deliveryTable(r, false));
  }

  async function showDeliveries(more) {
    const list = $("deliveries-list");
    say($("deliveries-error"), "");
    if (!more) {
      state.cursor = null;
      list.replaceChildren();
      $("deliveries-more").hidden = true;
      $("deliveries-empty").hidden = true;
    }
    if (!more) await ensureStorages(true); // for the links to delivered objects
    let answer;
    try {
      const after = state.cursor ? `&cursor=${encodeURIComponent(state.cursor)}` : "";
      answer = await api("GET", `/v1/renders?limit=20${after}`);
    } catch (failure) {
      say($("deliveries-error"), failure.status === 404
        ? "This API does not list renders yet: enter a render's ID above to see its deliveries."
        : failure.message);
      return;
    }
    list.append(...answer.renders.map(renderCard));
    state.cursor = answer.nextCursor || null;
    $("deliveries-more").hidden = !state.cursor;
    $("deliveries-empty").hidden = Boolean(list.childElementCount);
  }

  function findRender(event) {
    event.preventDefault();
    const id = value("find-id");
    if (id) go(`#render=${encodeURIComponent(id)}`);
    else $("find-id").focus();
  }

  function contentLinks(render) {
    // One page: data is the file. Several: data lists the pages, and type stands beside it (API.md's shape).
    const data = render && render.data;
    const type = Array.isArray(data) ? render.type : data && data.type;
    if (!data || type !== "url") return data ? `returned in the answer (${type})` : "—";
    const pages = Array.isArray(data) ? data : [{ page: null, content: data.content }];
    return el("span", {}, pages.map((p, i) => [i ? " · " : "",
      external(p.content, p.page ? `Page ${p.page}` : "Open the rendered file")]),
    " (the link expires)");
  }

  async function showRender(id) {
    $("render-title").textContent = `Render ${id}`;
    say($("render-error"), "");
    await ensureStorages(true);
    let r;
    try {
      r = await api("GET", `/v1/renders/${encodeURIComponent(id)}`);
    } catch (failure) {
      $("render-body").replaceChildren();
      say($("render-error"), failure.status === 404 ? "No render with this ID in this workspace." : failure.message);
      return;
    }
    if (location.hash !== `#render=${encodeURIComponent(id)}`) return;
    const facts = [
      ["Status", badge(r.status)], ["Created", r.createdAt ? when(r.createdAt) : null],
      ["Format", String(r.format || (r.data && r.data.format) || "—").toUpperCase()],
      ["Pages", r.totalPages ? `${r.renderedPages} of ${r.totalPages}` : "1"],
      ["Response time", r.responseTime || (r.data && r.data.responseTime)], ["Rendered file", contentLinks(r)],
      ["Webhook", r.webhook ? webhookWords(r.webhook) : null],
    ];
    $("render-body").replaceChildren(el("div", {},
      el("dl", { class: "facts" }, factItems(facts)),
      warningsOf(r),
      el("h2", { text: "Deliveries" }),
      deliveryTable(r, true)));
    if (r.status === "delivering") state.poll = setTimeout(() => showRender(id).catch(() => {}), 2000);
  }

  // ------------------------------------------------------------------ webhook

  async function showWebhook() {
    say($("webhook-error"), "");
    for (const id of ["webhook-form", "secret-form", "webhook-events"]) $(id).hidden = true; // until the settings load
    $("secret-shown").hidden = true;
    $("secret-shown").querySelector(".copy-row").replaceChildren();
    for (const id of ["webhook-result", "secret-result"]) $(id).hidden = true;
    try {
      fillWebhook(await api("GET", "/v1/webhook"));
    } catch (failure) {
      say($("webhook-error"), failure.status === 404 ? "This API has no webhook settings route yet." : failure.message);
      return;
    }
    for (const id of ["webhook-form", "secret-form", "webhook-events"]) $(id).hidden = false;
  }

  // keepForm: after a rotation, leave what the admin is typing in the URL form alone.
  function fillWebhook(w, keepForm = false) {
    state.webhook = w;
    if (!keepForm) {
      $("w-url").value = w.url || "";
      say($("w-url-hint"), w.hasQuery
        ? "The saved URL has a query string (often a token): it is kept but never shown. "
          + "Enter the full URL again to change the URL or its events."
        : "An https URL. A query string (for a token) is kept sealed and never shown again.");
      for (const box of $("webhook-form").querySelectorAll("input[name=events]")) {
        box.checked = w.events.includes(box.value);
      }
    }
    const secret = w.secret || {};
    const parts = [];
    if (secret.exists) {
      const rotated = secret.rotatedAt ? `, rotated ${when(secret.rotatedAt)}` : "";
      parts.push(`A signing secret exists (created ${when(secret.createdAt)}${rotated}).`);
      if (secret.previousValidUntil && new Date(secret.previousValidUntil) > new Date()) {
        parts.push(`The previous secret still verifies events until ${when(secret.previousValidUntil)}.`);
      }
    } else {
      parts.push("No signing secret yet. Create one to verify that events come from us "
        + "(Standard Webhooks signatures).");
    }
    $("secret-state").textContent = parts.join(" ");
    $("secret-rotate").textContent = secret.exists ? "Rotate secret" : "Create secret";
    const recent = w.recent || [];
    $("events-table").tBodies[0].replaceChildren(...recent.map((e) => el("tr", {},
      cell("Render", el("a", { href: `#render=${encodeURIComponent(e.renderId)}`, text: e.renderId })),
      cell("Status", badge(e.status)),
      cell("Attempts", String(e.attempts)),
      cell("Sent", when(e.sentAt)),
      cell("Last error", e.lastError || "—"))));
    $("events-table").hidden = !recent.length;
    $("events-empty").hidden = Boolean(recent.length);
  }

  const NO_SECRET = "Signing secret: create it first (below). Every event is signed, so a URL needs a secret.";

  async function putWebhook(body, out, done) {
    const inputs = { url: "w-url" };
    result(out, "busy", "Saving…");
    try {
      fillWebhook(await api("PUT", "/v1/webhook", body));
      markInvalid($("webhook-form"), inputs, []);
      result(out, "ok", done);
    } catch (failure) {
      if (failure.status === 401) return;
      result(out, "bad", "Not saved.", failure.status === 409 ? [NO_SECRET] : reasons(failure));
      const marked = markInvalid($("webhook-form"), inputs, failure.details.map(field));
      if (marked.length) marked[0].focus();
    }
  }

  async function saveWebhook(event) {
    event.preventDefault();
    const out = $("webhook-result");
    const url = value("w-url");
    const events = [...$("webhook-form").querySelectorAll("input[name=events]:checked")].map((box) => box.value);
    const problems = [];
    if (!/^https:\/\/./i.test(url)) problems.push("Webhook URL: enter an https:// URL (or use Remove URL)");
    else if (state.webhook && state.webhook.hasQuery && url === state.webhook.url) {
      problems.push("Webhook URL: enter it again with its query string; "
        + "saving it without would drop the token it holds");
    }
    if (!events.length) problems.push("Events: choose at least one");
    if (state.webhook && !state.webhook.secret.exists) problems.push(NO_SECRET);
    if (problems.length) {
      result(out, "bad", "Not saved.", problems);
      markInvalid($("webhook-form"), { url: "w-url" }, problems[0].startsWith("Webhook") ? ["url"] : []);
      return;
    }
    await putWebhook({ url, events }, out, "Saved: renders without their own webhook report here.");
  }

  async function removeWebhook() {
    const events = state.webhook ? state.webhook.events : ["render.delivered", "render.failed"];
    const done = "Removed: renders without their own webhook send no event.";
    await putWebhook({ url: null, events }, $("webhook-result"), done);
  }

  async function rotateSecret(event) {
    event.preventDefault();
    const out = $("secret-result");
    const grace = Number($("w-grace").value);
    if (!Number.isInteger(grace) || grace < 0 || grace > 720) {
      result(out, "bad", "Not rotated.", ["Hours: a whole number from 0 to 720"]);
      $("w-grace").setAttribute("aria-invalid", "true");
      $("w-grace").focus();
      return;
    }
    $("w-grace").removeAttribute("aria-invalid");
    const button = $("secret-rotate");
    button.disabled = true;
    result(out, "busy", "Creating a new secret…");
    try {
      const answer = await api("POST", "/v1/webhook/secret", { graceHours: grace });
      const code = el("code", { id: "secret-value", text: answer.secret });
      withCopy($("secret-shown"), code, "Copy secret");
      $("secret-shown").hidden = false;
      try {
        fillWebhook(await api("GET", "/v1/webhook"), true);
      } catch {
        if (state.webhook) state.webhook.secret.exists = true; // the summary refreshes on the next visit
      }
      result(out, "ok", answer.previousValidUntil
        ? `Rotated. The previous secret still verifies events until ${when(answer.previousValidUntil)}.`
        : "Created. Events are signed with it from now on.");
    } catch (failure) {
      if (failure.status !== 401) result(out, "bad", "Not rotated.", reasons(failure));
    } finally {
      button.disabled = false;
    }
  }

  // ------------------------------------------------------------------ wiring

  document.addEventListener("DOMContentLoaded", () => {
    $("signin-form").addEventListener("submit", signIn);
    $("sign-out").addEventListener("click", () => signOut());
    $("connect-form").addEventListener("submit", connect);
    $("connect-form").addEventListener("change", syncConnect);
    $("storage-pause").addEventListener("click", togglePause);
    $("storage-enable").addEventListener("click", toggleEnabled);
    $("folder-form").addEventListener("submit", saveFolder);
    $("creds-form").addEventListener("submit", saveCredentials);
    $("storage-delete").addEventListener("click", askDelete);
    $("delete-no").addEventListener("click", cancelDelete);
    $("delete-yes").addEventListener("click", confirmDelete);
    $("find-form").addEventListener("submit", findRender);
    $("deliveries-refresh").addEventListener("click", () => showDeliveries(false));
    $("deliveries-more").addEventListener("click", () => showDeliveries(true));
    $("render-refresh").addEventListener("click", () => route());
    $("webhook-form").addEventListener("submit", saveWebhook);
    $("webhook-remove").addEventListener("click", removeWebhook);
    $("secret-form").addEventListener("submit", rotateSecret);
    window.addEventListener("hashchange", route);
    route();
  });
})();
